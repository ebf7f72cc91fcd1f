"""A library written by a newer Workbench is refused, with what to do, and left as it was.

"Newer" is a schema revision this build's migrations do not know. Reading and writing opens,
plain and encrypted, from the core and from the command line, must all say so in one sentence
and change not one byte of the folder: not the database, its audit head, its index, and no
file added (no pre-upgrade backup, no ``-wal``/``-shm``, no lock file, no ``tmp/``).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from workbench import __version__
from workbench.cli import main
from workbench.errors import LibraryError
from workbench.library import Library
from workbench.services import Workbench
from workbench.store import connect_raw, script_head

FUTURE = "0099_from_a_newer_workbench"
PASSPHRASE = "correct horse battery staple 42"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path) -> its SHA-256; folders as ``/``."""
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest()
                                         if p.is_file() else "/")
            for p in sorted(folder.rglob("*"))}


def written_by_a_newer_workbench(lib: Path, key: str | None = None) -> None:
    """What a newer build's upgrade leaves: its own revision in alembic_version."""
    con = connect_raw(lib / "library.sqlite", key)
    con.execute("UPDATE alembic_version SET version_num = ?", (FUTURE,))
    con.commit()
    con.close()
    for leftover in ("library.sqlite-wal", "library.sqlite-shm"):
        assert not (lib / leftover).exists()


@pytest.fixture
def newer(tmp_path: Path, corpus_dir: Path) -> Path:
    """A library with a document, its search index and audit head, then 'upgraded' by a
    newer build."""
    lib = tmp_path / "lib"
    src = tmp_path / "files"
    src.mkdir()
    shutil.copy(corpus_dir / "un-special-rapporteur-forced-labour.txt", src / "a.txt")
    with Workbench.open(lib, create=True) as wb:
        wb.import_paths([src])
        assert wb.wait_for_index(60)
    shutil.rmtree(lib / "tmp", ignore_errors=True)
    written_by_a_newer_workbench(lib)
    assert (lib / "audit-head.json").is_file() and any((lib / "index").rglob("*"))
    return lib


def refusal_says_what_to_do(message: str) -> None:
    assert f"written by a newer Workbench (schema {FUTURE})" in message
    assert f"this is Workbench {__version__}, which knows schemas up to {script_head()}" \
        in message
    assert "install the newer version of Workbench" in message


@pytest.mark.parametrize("writable", [False, True], ids=["read", "write"])
def test_a_newer_library_is_refused_and_untouched(newer: Path, writable: bool) -> None:
    before = snapshot(newer)
    with pytest.raises(LibraryError) as refused:
        Library.open(newer, writable=writable)
    refusal_says_what_to_do(str(refused.value))
    assert snapshot(newer) == before


@pytest.mark.parametrize("command", [["list"], ["search", "labour"], ["verify"],
                                     ["import", "{files}"], ["backup", "{dest}"]])
def test_the_cli_refuses_a_newer_library_in_one_line(
        newer: Path, tmp_path: Path, command: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(newer)
    args = [a.format(files=tmp_path / "files", dest=tmp_path / "backup") for a in command]
    assert main(["--library", str(newer), *args]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("workbench: error: "), err
    refusal_says_what_to_do(err)
    assert snapshot(newer) == before


def test_an_encrypted_newer_library_is_refused_and_untouched(tmp_path: Path) -> None:
    lib = tmp_path / "sealed"
    with Library.create(lib, passphrase=PASSPHRASE) as opened:
        assert opened.key is not None
        key = opened.key.db_key_hex
    shutil.rmtree(lib / "tmp", ignore_errors=True)
    written_by_a_newer_workbench(lib, key)
    before = snapshot(lib)
    for writable in (False, True):
        with pytest.raises(LibraryError) as refused:
            Library.open(lib, writable=writable, passphrase=PASSPHRASE)
        refusal_says_what_to_do(str(refused.value))
    assert snapshot(lib) == before



def test_the_upgrade_itself_refuses_before_its_backup(newer: Path) -> None:
    """Whatever opens the database for writing (not only Library.open) meets the same
    refusal before the pre-upgrade backup is taken."""
    from workbench.store import Store

    with pytest.raises(LibraryError) as refused:
        Store.open_sqlite(newer / "library.sqlite")
    refusal_says_what_to_do(str(refused.value))
    assert not (newer / "backups").exists()
