"""An import writes the audit head once per batch (at most every COALESCE_SECONDS), not once
per document: each write is two fsyncs, a quarter of a small file's import. The guarantees of
audit_head.py hold: after the import the head names the last event; a stop in the middle
leaves a head that lags, which the next writable open catches up, never one ahead."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from workbench import audit_head
from workbench.ingest import ImportOptions
from workbench.services import Workbench

pytestmark = pytest.mark.sqlite_only(
    "audit-head.json guards a personal library's SQLite file against truncation or an older "
    "copy; a shared library's database is the server's to keep and has no head file")


def _notes(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"note-{i}.txt").write_text(f"Field note {i} about the {folder.name}.",
                                              encoding="utf-8")
    return folder


def _last_event(wb: Workbench) -> tuple[int, str]:
    with wb.library.store.engine.connect() as conn:
        row = conn.execute(text("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1")
                           ).one()
    return int(row[0]), str(row[1])


def test_an_import_writes_the_head_once_and_leaves_it_on_the_last_event(
        library_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writes: list[int] = []
    real = audit_head.write_head

    def counting(folder: Path, head: audit_head.Head) -> None:
        writes.append(head.seq)
        real(folder, head)

    monkeypatch.setattr(audit_head, "write_head", counting)
    monkeypatch.setattr(audit_head, "COALESCE_SECONDS", 3600.0)
    wb = Workbench.open(library_path, create=True)
    try:
        writes.clear()
        report, _ = wb.import_paths([_notes(tmp_path / "notes", 8)], ImportOptions(workers=1))
        assert len(report.imported) == 8
        # The batch's first commit writes at once; the rest wait for the batch's end.
        assert len(writes) == 2
        head = audit_head.read_head(library_path)
        assert head is not None and (head.seq, head.hash) == _last_event(wb)
        # The next import's one commit is written when it ends, however soon after.
        wb.import_paths([_notes(tmp_path / "hearing", 1)], ImportOptions(workers=1))
        assert len(writes) == 3
        head = audit_head.read_head(library_path)
        assert head is not None and (head.seq, head.hash) == _last_event(wb)
    finally:
        wb.close()


def test_a_stop_in_the_middle_leaves_the_head_behind_and_the_next_open_catches_up(
        library_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_head, "COALESCE_SECONDS", 3600.0)
    # The process stops before the batch's end writes the head (the write is lost).
    monkeypatch.setattr(audit_head.HeadKeeper, "_flush", lambda self: None)
    wb = Workbench.open(library_path, create=True)
    try:
        wb.import_paths([_notes(tmp_path / "notes", 5)], ImportOptions(workers=1))
        last = _last_event(wb)
    finally:
        wb.close()
    behind = audit_head.read_head(library_path)
    assert behind is not None and behind.seq < last[0]
    monkeypatch.undo()
    again = Workbench.open(library_path)  # not refused: a lagging head is no damage
    try:
        head = audit_head.read_head(library_path)
        assert head is not None and (head.seq, head.hash) == last
    finally:
        again.close()


def test_the_head_is_written_only_once_the_events_it_names_are_on_disk(
        wb: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    """The database commits with ``synchronous=NORMAL`` (WAL): a commit survives a crash of
    the program at once, but a power cut only once the WAL is synced. The head file is synced
    when written, so it must not name events the WAL may still lose: a power cut would then
    leave a head ahead of the database, and the library would be refused as swapped or
    truncated when nothing was tampered with. So the WAL is synced before each head write."""
    import os

    synced: list[str] = []
    real = os.fsync

    def recording(fd: int) -> None:
        synced.append(os.path.basename(os.readlink(f"/proc/self/fd/{fd}")))
        real(fd)

    monkeypatch.setattr(os, "fsync", recording)
    wb.add_tag("Places/Camps")
    head_writes = [i for i, name in enumerate(synced) if name.startswith(".audit-head")]
    assert head_writes, synced
    assert "library.sqlite-wal" in synced[:head_writes[0]], synced
