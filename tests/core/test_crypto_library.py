"""An encrypted library: opening with the passphrase, its keys, its originals and its scratch."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest

from workbench.crypto import change_passphrase, is_encrypted
from workbench.errors import LibraryError, PassphraseRequired, WrongPassphrase
from workbench.library import DB_NAME, Library
from workbench.services import Workbench

SECRET = "nine words of a good passphrase"
REPORT = "Ekpar Memet testified about the camp at Dabancheng.\n" * 40


@pytest.fixture(scope="module")
def enc_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("enc") / "lib"
    Library.create(base, program="tests", passphrase=SECRET).close()
    return base


@pytest.fixture
def enc_path(tmp_path: Path, enc_template: Path) -> Path:
    import shutil

    dest = tmp_path / "lib"
    shutil.copytree(enc_template, dest)
    return dest


def test_the_marker_says_encrypted_and_the_key_file_holds_no_key(enc_path: Path) -> None:
    assert is_encrypted(enc_path)
    assert json.loads((enc_path / "workbench-library.json").read_text())["encrypted"] is True
    keys = json.loads((enc_path / "keys.json").read_text())
    assert keys["kdf"]["name"] == "argon2id" and keys["kdf"]["memory_kib"] >= 65536
    assert (enc_path / "keys.json").stat().st_mode & 0o077 == 0


def test_the_database_is_not_sqlite_without_the_key(enc_path: Path) -> None:
    raw = (enc_path / DB_NAME).read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    con = sqlite3.connect(enc_path / DB_NAME)
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    con.close()


def test_no_passphrase_and_a_wrong_one_are_refused_without_a_lock(enc_path: Path) -> None:
    with pytest.raises(PassphraseRequired, match="encrypted"):
        Library.open(enc_path)
    with pytest.raises(WrongPassphrase, match="passphrase is wrong"):
        Library.open(enc_path, passphrase="not the passphrase")
    with Library.open(enc_path, passphrase=SECRET) as lib:  # no lock was left behind
        assert lib.key is not None


def test_a_passphrase_is_the_same_typed_composed_or_decomposed(tmp_path: Path) -> None:
    composed = "Tursun’s café passphrase"
    Library.create(tmp_path / "lib", passphrase=composed).close()
    decomposed = composed.replace("é", "e\u0301")
    Library.open(tmp_path / "lib", passphrase=decomposed).close()


def test_a_short_passphrase_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="too short"):
        Library.create(tmp_path / "lib", passphrase="short")
    assert not (tmp_path / "lib").exists()


def test_originals_are_sealed_under_keyed_names_and_read_back(enc_path: Path,
                                                              tmp_path: Path) -> None:
    src = tmp_path / "report.txt"
    src.write_text(REPORT, encoding="utf-8")
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    with Workbench.open(enc_path, passphrase=SECRET) as wb:
        report, _ = wb.import_paths([src])
        assert report.to_json()["counts"]["imported"] == 1
        store = wb.library.originals
        stored = store.path_for(sha)
        assert stored.is_file() and stored.name != sha  # the name does not give the hash
        assert b"Dabancheng" not in stored.read_bytes()
        assert store.read_bytes(sha) == src.read_bytes()
        assert sorted(store.iter_hashes()) == [sha]
        with store.open(sha) as fh:
            fh.seek(100)
            assert fh.read(10) == src.read_bytes()[100:110]
        with store.materialize(sha) as plain:
            assert plain.read_bytes() == src.read_bytes()
            assert "Dabancheng" in wb.document_text(1).text
        assert not plain.exists()
        assert store.verify(sha) is None
        doc_path = Path(wb.original_path(1))
        assert doc_path.read_bytes() == src.read_bytes()
        assert not doc_path.is_relative_to(enc_path)
        os.chmod(stored, 0o600)
        raw = bytearray(stored.read_bytes())
        raw[-3] ^= 1
        stored.write_bytes(bytes(raw))
        assert "altered" in (store.verify(sha) or "")
    assert not doc_path.exists()  # the decrypted copy went with the library's scratch


def test_scratch_is_in_memory_private_and_gone_after_close(enc_path: Path) -> None:
    from workbench.crypto.scratch import is_ram_backed

    lib = Library.open(enc_path, passphrase=SECRET)
    tmp = lib.tmp_dir
    assert is_ram_backed(tmp) and not tmp.is_relative_to(enc_path)
    assert tmp.stat().st_mode & 0o777 == 0o700
    import tempfile

    assert Path(tempfile.gettempdir()) == tmp  # what the library spills goes there too
    lib.close()
    assert not tmp.exists()
    assert Path(tempfile.gettempdir()) != tmp


def test_change_passphrase_rewraps_the_key_only(enc_path: Path, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(REPORT, encoding="utf-8")
    with Workbench.open(enc_path, passphrase=SECRET) as wb:
        wb.import_paths([src])
        wb.library.index.wait_idle(30)
    before = {p: p.read_bytes() for p in (enc_path / "originals").rglob("*") if p.is_file()}
    with pytest.raises(WrongPassphrase):
        change_passphrase(enc_path, "not it at all", "another long passphrase")
    change_passphrase(enc_path, SECRET, "another long passphrase")
    after = {p: p.read_bytes() for p in (enc_path / "originals").rglob("*") if p.is_file()}
    assert before == after and before
    with pytest.raises(WrongPassphrase):
        Library.open(enc_path, passphrase=SECRET)
    with Workbench.open(enc_path, passphrase="another long passphrase") as wb:
        assert [h.document_id for h in wb.search("Dabancheng").hits] == [1]


@pytest.mark.sqlite_only("a plain personal library is a SQLite file (its header read here); "
                         "a shared one's database is on its server")
def test_a_plain_library_is_unchanged(library_path: Path) -> None:
    assert not is_encrypted(library_path)
    assert (library_path / DB_NAME).read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(LibraryError, match="not encrypted"):
        change_passphrase(library_path, "a", "something long enough")
