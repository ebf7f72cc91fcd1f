"""Backup and restore: consistent copies taken while another process writes, verified copies,
restores that round-trip, refusals that explain themselves, the event in the audit log."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from workbench import backup
from workbench.blobs import file_digest
from workbench.errors import Cancelled, IntegrityProblem, LibraryLocked, UserError
from workbench.library import Library
from workbench.progress import CancelToken, Progress
from workbench.services import Workbench
from workbench.timeutil import parse_iso_utc

pytestmark = pytest.mark.sqlite_only(
    "workbench backup copies a personal library's folder and SQLite file; a shared library's "
    "server and share are backed up with their own tools (refused in words: "
    "tests/pg/test_shared_backup.py)")

ROOT = Path(__file__).resolve().parents[2]


def _fill(wb: Workbench, tmp_path: Path, n: int = 3) -> None:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    for i in range(n):
        (src / f"doc{i}.txt").write_text(f"Testimony number {i} about forced labour in camp {i}.",
                                         encoding="utf-8")
    wb.import_paths(sorted(src.iterdir()))
    wb.add_highlight(1, quote="forced labour", tags=["Forced labour"], note="key finding")
    d = wb.create_dossier("Submission").dossier_ids[0]
    wb.add_item(d, highlight=1, commentary="The witness's own words")
    wb.add_item(d, document=2)


def _snapshot(wb: Workbench) -> dict[str, object]:
    return {
        "documents": [(d["id"], d["sha256"], d["title"]) for d in wb.list_documents()],
        "highlights": [(h["id"], h["document_id"], h["quote"], h["note"])
                       for h in wb.list_highlights()],
        "dossiers": [wb.get_dossier(d["id"])["entries"] for d in wb.list_dossiers()],
        "audit": [(e["id"], e["hash"]) for e in wb.audit_events()],
    }


def test_backup_and_restore_round_trip(wb: Workbench, tmp_path: Path) -> None:
    _fill(wb, tmp_path)
    before = _snapshot(wb)
    dest = tmp_path / "backup"
    result = backup.backup(wb.library, dest)
    assert result["verified"]["ok"], result["verified"]
    assert result["documents"] == 3 and result["highlights"] == 1 and result["dossiers"] == 1
    assert result["recorded"] == "event"
    manifest = json.loads((dest / "backup.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["documents"] == 3
    assert manifest["source"] == str(wb.library.path)
    from workbench.audit_head import read_head

    head = read_head(wb.library.path)  # the library's own id, from its audit head
    assert head is not None and manifest["library_id"] == head.library_id
    assert manifest["database"]["sha256"] == file_digest(dest / "library.sqlite")
    assert not (dest / "library.lock").exists() and not (dest / "index").exists()
    assert (dest / "workbench-library.json").is_file()
    # The source records where the copy went; the copy holds the state before that event.
    ev = wb.audit_events()[-1]
    assert ev["type"] == "replication" and ev["details"]["destination"] == str(dest)
    assert ev["details"]["documents"] == 3 and ev["details"]["bytes"] == result["bytes"]
    assert backup.last_backup(wb.library) == parse_iso_utc(result["created_at"])

    target = tmp_path / "restored"
    restored = backup.restore(dest, target)
    assert restored["verified"]["ok"] and restored["replaced"] is None
    with Workbench.open(target) as copy:
        after = _snapshot(copy)
        assert after["documents"] == before["documents"]
        assert after["highlights"] == before["highlights"]
        assert after["dossiers"] == before["dossiers"]
        # The chain up to the backup is the source's, then one event says where it came from.
        assert after["audit"][:-1] == before["audit"]
        last = copy.audit_events()[-1]
        assert last["type"] == "replication" and last["details"]["action"] == "restore"
        assert last["details"]["source"] == str(dest)
        assert copy.verify()["ok"]
        assert copy.wait_for_index(60)  # no index in the backup: rebuilt on open
        assert [h.document_id for h in copy.search("camp 2").hits] == [3]


def test_originals_are_hard_linked_on_one_filesystem(wb: Workbench, tmp_path: Path) -> None:
    _fill(wb, tmp_path, 2)
    result = backup.backup(wb.library, tmp_path / "b")
    assert result["linked"] == 2 and result["copied"] == 0
    sha = wb.list_documents()[0]["sha256"]
    assert os.path.samefile(wb.library.originals.path_for(sha),
                            tmp_path / "b" / "originals" / sha[:2] / sha[2:4] / sha)


def test_originals_are_copied_across_filesystems(wb: Workbench, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(wb, tmp_path, 2)

    def cross_device(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(backup.os, "link", cross_device)
    result = backup.backup(wb.library, tmp_path / "b")
    assert result["linked"] == 0 and result["copied"] == 2 and result["verified"]["ok"]
    sha = wb.list_documents()[0]["sha256"]
    copy = tmp_path / "b" / "originals" / sha[:2] / sha[2:4] / sha
    assert not os.path.samefile(wb.library.originals.path_for(sha), copy)
    assert not os.stat(copy).st_mode & stat.S_IWUSR  # write-once in the copy too


def test_every_small_top_level_file_is_copied_but_not_the_lock(wb: Workbench,
                                                               tmp_path: Path) -> None:
    lib = wb.library.path
    (lib / "from-a-newer-version.json").write_text('{"k": 1}', encoding="utf-8")
    result = backup.backup(wb.library, tmp_path / "b", with_index=True)
    names = {p.name for p in (tmp_path / "b").iterdir()}
    assert {"from-a-newer-version.json", "workbench-library.json", "library.sqlite",
            "backup.json", "originals"} <= names
    assert not names & {"library.lock", "library.sqlite-wal", "library.sqlite-shm", "tmp"}
    assert result["with_index"] is True


def test_backup_while_another_process_holds_the_lock_and_writes(library_path: Path,
                                                                tmp_path: Path) -> None:
    with Workbench.open(library_path) as wb:
        _fill(wb, tmp_path, 2)
    stop = tmp_path / "stop"
    feed = tmp_path / "feed"
    feed.mkdir()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(library_path), str(feed),
                               str(stop)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        with pytest.raises(LibraryLocked):
            Library.open(library_path, attach_index=False).close()
        results = []
        with Library.open(library_path, writable=False, attach_index=False) as lib:
            for i in range(3):
                seen = results[-1]["documents"] - 2 if results else 0
                while int(writer.stdout.readline()) <= seen:
                    pass  # wait for an import the last backup did not hold; more follow
                results.append(backup.backup(lib, tmp_path / f"b{i}"))
    finally:
        stop.touch()
        writer.wait(60)
    assert writer.returncode == 0
    for i, result in enumerate(results):
        assert result["verified"]["ok"], result["verified"]
        assert result["recorded"] == "pending"
        with Workbench.open(tmp_path / f"b{i}", writable=False) as copy:
            assert len(copy.list_documents()) == result["documents"]
            assert len(copy.audit_events()) == result["audit_events"]
    # Each backup holds what the writer had committed by then.
    assert 2 < results[0]["documents"] < results[1]["documents"] < results[2]["documents"]
    # The library records each backup when it is next opened for writing.
    with Workbench.open(library_path) as wb:
        events = [e for e in wb.audit_events() if e["type"] == "replication"]
        assert backup.record_pending(wb.library) == 3
        events = [e for e in wb.audit_events() if e["type"] == "replication"]
        assert [e["details"]["destination"] for e in events] == [
            str(tmp_path / f"b{i}") for i in range(3)]
        assert events[0]["details"]["recorded_late"] is True
        assert backup.record_pending(wb.library) == 0  # once only
        assert wb.verify()["ok"]


WRITER = """
import sys
from pathlib import Path
from workbench.services import Workbench
lib, feed, stop = (Path(a) for a in sys.argv[1:4])
with Workbench.open(lib, program="test writer") as wb:
    print("ready", flush=True)
    i = 0
    while not stop.exists() and i < 400:
        f = feed / f"new{i}.txt"
        f.write_text(f"A new statement {i} " * 50, encoding="utf-8")
        wb.import_paths([f])
        i += 1
        print(i, flush=True)
"""


def test_backup_refuses_a_folder_that_is_not_empty(wb: Workbench, tmp_path: Path) -> None:
    dest = tmp_path / "full"
    dest.mkdir()
    (dest / "thesis.docx").write_text("mine", encoding="utf-8")
    with pytest.raises(UserError, match="not empty"):
        backup.backup(wb.library, dest)
    assert [p.name for p in dest.iterdir()] == ["thesis.docx"]
    with pytest.raises(UserError, match="inside the library"):
        backup.backup(wb.library, wb.library.path / "copy")


def test_cancelled_backup_leaves_nothing(wb: Workbench, tmp_path: Path) -> None:
    _fill(wb, tmp_path, 2)
    token = CancelToken()
    seen: list[Progress] = []

    def progress(p: Progress) -> None:
        seen.append(p)
        if p.stage == "originals":
            token.cancel()

    with pytest.raises(Cancelled):
        backup.backup(wb.library, tmp_path / "b", progress=progress, cancel=token)
    assert not (tmp_path / "b").exists()
    assert all(e["type"] != "replication" for e in wb.audit_events())


def test_restore_refuses_a_non_empty_folder_and_force_moves_the_library_aside(
        wb: Workbench, tmp_path: Path, library_path: Path) -> None:
    _fill(wb, tmp_path, 2)
    backup.backup(wb.library, tmp_path / "b")
    wb.close()
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UserError, match="not empty"):
        backup.restore(tmp_path / "b", other)
    with pytest.raises(UserError, match="not a Workbench library"):
        backup.restore(tmp_path / "b", other, force=True)
    assert [p.name for p in other.iterdir()] == ["notes.txt"]

    # The library changed after the backup; --force puts the backup back and keeps it aside.
    with Workbench.open(library_path) as live:
        live.delete_document(1)
        with pytest.raises(LibraryLocked):
            backup.restore(tmp_path / "b", library_path, force=True)
    result = backup.restore(tmp_path / "b", library_path, force=True)
    aside = Path(result["replaced"])
    assert aside.parent == library_path.parent and aside.name.startswith("library.replaced-")
    with Workbench.open(aside, writable=False) as old:
        assert [d["id"] for d in old.list_documents()] == [2]
    with Workbench.open(library_path, writable=False) as new:
        assert [d["id"] for d in new.list_documents()] == [1, 2]
        assert new.audit_events()[-1]["details"]["replaced"] == str(aside)


def test_restore_refuses_a_damaged_backup(wb: Workbench, tmp_path: Path) -> None:
    _fill(wb, tmp_path, 2)
    backup.backup(wb.library, tmp_path / "b")
    with pytest.raises(UserError, match="not a Workbench backup"):
        backup.restore(tmp_path / "src", tmp_path / "r0")
    # An audit head that names events the database does not hold: a truncated copy.
    head_file = tmp_path / "b" / "audit-head.json"
    head = json.loads(head_file.read_text(encoding="utf-8"))
    head_file.write_text(json.dumps({**head, "seq": head["seq"] + 5}), encoding="utf-8")
    with pytest.raises(IntegrityProblem, match="truncated"):
        backup.restore(tmp_path / "b", tmp_path / "r0")
    head_file.write_text(json.dumps(head), encoding="utf-8")
    # An original altered in the backup (a link of the source's: copy it first).
    sha = wb.list_documents()[0]["sha256"]
    blob = tmp_path / "b" / "originals" / sha[:2] / sha[2:4] / sha
    data = bytearray(blob.read_bytes())
    blob.unlink()
    data[0] ^= 1
    blob.write_bytes(bytes(data))
    with pytest.raises(IntegrityProblem, match="altered"):
        backup.restore(tmp_path / "b", tmp_path / "r1")
    assert not (tmp_path / "r1").exists()
    assert [p.name for p in tmp_path.iterdir() if "restoring" in p.name] == []
    # A database that is not the one the manifest names.
    con = sqlite3.connect(tmp_path / "b" / "library.sqlite")
    con.execute("UPDATE documents SET title = 'forged' WHERE id = 1")
    con.commit()
    con.close()
    with pytest.raises(IntegrityProblem, match="database"):
        backup.restore(tmp_path / "b", tmp_path / "r2")


def test_last_backup_includes_backups_still_pending(wb: Workbench, tmp_path: Path) -> None:
    assert backup.last_backup(wb.library) is None
    path = wb.library.path
    wb.close()
    with Library.open(path, writable=False, attach_index=False) as ro, \
            Library.open(path, attach_index=False, program="holder"):
        result = backup.backup(ro, tmp_path / "b")
        assert result["recorded"] == "pending"
        assert backup.last_backup(ro) == parse_iso_utc(result["created_at"])
    with Library.open(path, attach_index=False) as lib:
        assert backup.record_pending(lib) == 1
        assert backup.last_backup(lib) is not None


def test_an_encrypted_library_backs_up_sealed_and_restores_with_its_passphrase(
        tmp_path: Path) -> None:
    from workbench.errors import PassphraseRequired

    secret = "nine words of a good passphrase"
    with Workbench.open(tmp_path / "lib", create=True, passphrase=secret) as wb:
        _fill(wb, tmp_path, 2)
        before = _snapshot(wb)
        result = backup.backup(wb.library, tmp_path / "b")
    assert result["verified"]["ok"] and result["documents"] == 2
    # Nothing readable in the copy: the database is SQLCipher's, the originals sealed.
    assert not (tmp_path / "b" / "library.sqlite").read_bytes().startswith(b"SQLite format 3")
    blobs = [p for p in (tmp_path / "b" / "originals").rglob("*") if p.is_file()]
    assert len(blobs) == 2 and all(b"Testimony" not in p.read_bytes() for p in blobs)
    assert (tmp_path / "b" / "keys.json").is_file()
    with pytest.raises(PassphraseRequired):
        backup.restore(tmp_path / "b", tmp_path / "r")
    assert not (tmp_path / "r").exists()
    restored = backup.restore(tmp_path / "b", tmp_path / "r", passphrase=secret)
    assert restored["verified"]["ok"]
    with Workbench.open(tmp_path / "r", passphrase=secret) as copy:
        after = _snapshot(copy)
        assert after["documents"] == before["documents"]
        assert after["highlights"] == before["highlights"]
        assert copy.verify()["ok"]
