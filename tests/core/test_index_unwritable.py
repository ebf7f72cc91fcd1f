"""A search index that cannot be written (the library's disk is full): searching says the
index is incomplete and how many documents it lacks, instead of a silent 0 hits; a failed
rebuild leaves no generation folder behind, and one left by a crash is removed at the next
open for writing.

Index files are made to fail where Whoosh creates them (``FileStorage.create_file``), as they
do on a full disk.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest
from whoosh.filedb.filestore import FileStorage

from workbench.search.whoosh.engine import read_pointer
from workbench.services import Workbench

pytestmark = pytest.mark.sqlite_only(
    "the Whoosh index in a personal library's folder; a shared library is searched by its "
    "server's index (tests/pg/test_pg_search.py)")


def _texts(folder: Path, names: range) -> list[Path]:
    folder.mkdir(exist_ok=True)
    out = []
    for i in names:
        path = folder / f"s{i}.txt"
        path.write_text(f"Statement {i}: the zqmarker camp was built in 2018.\n", "utf-8")
        out.append(path)
    return out


def _generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.is_dir())


def test_search_says_the_index_is_incomplete_while_it_cannot_be_written(
        wb: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    wb.import_paths(_texts(tmp_path / "a", range(2)))
    assert wb.wait_for_index()
    assert wb.search("zqmarker").notice is None

    def full(self: FileStorage, name: str, *args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device", name)

    monkeypatch.setattr(FileStorage, "create_file", full)
    report, _ = wb.import_paths(_texts(tmp_path / "b", range(2, 5)))
    assert len(report.imported) == 3  # the database had room
    assert wb.wait_for_index(60)
    result = wb.search("zqmarker")
    assert result.total == 2
    # a writer that could not start released the index's write lock: each later write
    # failed on the disk, none waited for a lock nobody would release (LockError)
    failures = [r.getMessage() for r in caplog.records if "index update failed" in r.getMessage()]
    assert failures and not [f for f in failures if "LockError" in f], failures
    # in words a person reads, not the system's error number
    assert all("the library's disk is full" in f and "Errno" not in f for f in failures)
    assert result.notice is not None
    assert "search index is incomplete" in result.notice
    assert "3 of 5 documents" in result.notice and "disk is full" in result.notice
    # the rebuilds it tried left no generation folder behind
    index_dir = wb.library.index_dir
    assert _generations(index_dir) == [read_pointer(index_dir)["current"]]  # type: ignore[index]

    with Workbench.open(wb.library.path, writable=False) as reader:  # e.g. the CLI's search
        notice = reader.search("zqmarker").notice
        assert notice is not None and "3 of 5 documents are not in it yet" in notice

    monkeypatch.undo()  # space again: a rebuild brings every document back, and the notice goes
    wb.reindex()
    result = wb.search("zqmarker")
    assert result.total == 5 and result.notice is None


def test_a_generation_left_by_a_crashed_rebuild_is_removed_at_the_next_open(
        library_path: Path, tmp_path: Path) -> None:
    with Workbench.open(library_path) as wb:
        wb.import_paths(_texts(tmp_path / "a", range(2)))
        assert wb.wait_for_index()
        index_dir = wb.library.index_dir
    current = read_pointer(index_dir)["current"]  # type: ignore[index]
    stale = index_dir / "g9"
    stale.mkdir()
    (stale / "MAIN_partial.seg").write_bytes(b"half a segment")
    with Workbench.open(library_path, writable=False) as ro:  # a reader changes nothing
        assert ro.search("zqmarker").total == 2
    assert stale.exists()
    with Workbench.open(library_path) as wb:
        assert wb.wait_for_index()
        assert wb.search("zqmarker").total == 2
    assert _generations(index_dir) == [current]
