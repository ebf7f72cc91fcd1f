"""An import whose LIBRARY runs out of space: it says the library's disk is full (not that the
file could not be read), stops the batch, and leaves nothing half-written.

The conditions are made in process: writes of originals fail with ``ENOSPC``, or SQLite is
held to its current size (``PRAGMA max_page_count``, which makes it fail exactly as on a full
disk: ``SQLITE_FULL``, "database or disk is full"). tests/e2e/test_disk_full.py does the same
on a real full filesystem.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from workbench.blobs import BlobStore
from workbench.models import Document
from workbench.services import Workbench

FULL = "the library's disk is full"


def _files(folder: Path, n: int) -> list[Path]:
    folder.mkdir()
    out = []
    for i in range(n):
        path = folder / f"f{i:02}.txt"
        path.write_text(f"Statement {i} about the camp, word{i}marker.\n" * 50,
                        encoding="utf-8")
        out.append(path)
    return out


def _check_nothing_half_written(wb: Workbench, out: dict[str, Any]) -> None:
    with wb.library.read() as s:
        docs = s.execute(select(func.count(Document.id))).scalar_one()
    assert docs == len(out["imported"])
    # every original stored belongs to a document: none written without its row
    assert len(list(wb.library.originals.iter_hashes())) == docs
    assert not list(wb.library.originals.root.glob(".incoming-*"))


def _check_stopped(out: dict[str, Any], n: int) -> None:
    statuses = [f["status"] for f in out["failed"]]
    assert "unreadable" not in statuses, out["failed"]
    full = [f for f in out["failed"] if f["status"] == "library disk full"]
    assert len(full) == 1, out["failed"]
    assert full[0]["error"].startswith(FULL)
    assert full[0]["error"].endswith("free space and import again")
    rest = [f for f in out["failed"] if f is not full[0]]
    assert rest and all(f["status"] == "not attempted" for f in rest), rest
    c = out["counts"]
    assert c["not_attempted"] == len(rest) and c["failed"] == 1
    assert c["imported"] + c["failed"] + c["cancelled"] + c["not_attempted"] == n
    assert out["stopped"].startswith("The library's disk is full")
    # the stop comes after the files already imported, in the order given
    done = sorted(o["path"] for o in out["imported"])
    assert all(full[0]["path"] > p for p in done)


def test_originals_that_cannot_be_written_stop_the_batch(wb: Workbench, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    files = _files(tmp_path / "in", 12)
    put = BlobStore.put_file
    calls = []

    def put_file(self: BlobStore, source: Path, expected_sha256: str | None = None
                 ) -> tuple[str, bool]:
        calls.append(source)
        if len(calls) > 4:  # the disk stays full from the fifth original on
            raise OSError(errno.ENOSPC, "No space left on device")
        return put(self, source, expected_sha256)

    monkeypatch.setattr(BlobStore, "put_file", put_file)
    report, _ = wb.import_paths(files)
    out = report.to_json()
    assert len(out["imported"]) == 4
    _check_stopped(out, 12)
    assert "no space left on device" in out["stopped"].lower()
    _check_nothing_half_written(wb, out)


@pytest.mark.sqlite_only("a full disk is made by capping the SQLite file's pages "
                         "(PRAGMA max_page_count)")
def test_a_database_that_cannot_grow_stops_the_batch(wb: Workbench, tmp_path: Path) -> None:
    # 12 pages of room hold 10 or 11 of these files, depending on how full the schema's own
    # pages are: 20 files leave some not attempted whatever the schema.
    files = _files(tmp_path / "in", 20)
    engine = wb.library.store.engine
    with engine.connect() as con:
        pages = con.exec_driver_sql("PRAGMA page_count").scalar_one()

    @event.listens_for(engine, "connect")
    def _cap(dbapi_con: Any, _record: Any) -> None:
        dbapi_con.execute(f"PRAGMA max_page_count={pages + 12}")

    engine.dispose()  # every new connection is held to the cap
    report, _ = wb.import_paths(files)
    out = report.to_json()
    assert 0 < len(out["imported"]) < 19
    _check_stopped(out, 20)
    event.remove(engine, "connect", _cap)
    engine.dispose()
    _check_nothing_half_written(wb, out)


def test_a_file_that_cannot_be_read_does_not_stop_the_batch(wb: Workbench, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    files = _files(tmp_path / "in", 4)
    put = BlobStore.put_file

    def put_file(self: BlobStore, source: Path, expected_sha256: str | None = None
                 ) -> tuple[str, bool]:
        if source.name == "f01.txt":  # the source's own disk fails, not the library's
            raise OSError(errno.EIO, "Input/output error")
        return put(self, source, expected_sha256)

    monkeypatch.setattr(BlobStore, "put_file", put_file)
    out = wb.import_paths(files)[0].to_json()
    assert len(out["imported"]) == 3 and out["stopped"] is None
    assert [(f["status"], f["error"]) for f in out["failed"]] == [
        ("unreadable", "the file could not be read (Input/output error)")]
    assert out["counts"]["not_attempted"] == 0
