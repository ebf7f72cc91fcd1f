"""Searching while the index writer commits: a document never vanishes from the results.

Each commit of the writer may merge the small segments into one and then deletes their files;
a rebuild swaps in a new generation and deletes the old folder. A searcher being opened at
that moment had read the old table of contents: the segment files it opened on the spot still
read, but those Whoosh opens on first use (each segment's columns, among them the ``stamp``
that maps a match to its document) were gone, and the match was dropped without a word (a
total of 1 with no hit), or the search failed as "damaged" and asked for a rebuild.

The writer's commit is made to land inside that moment: a Whoosh segment reader opened by the
searching thread runs it, once, before the search goes on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh.reading import SegmentReader
from whoosh.writing import OPTIMIZE

from workbench.errors import UserError
from workbench.search.whoosh import writer
from workbench.services import Workbench

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
REPORT = "un-special-rapporteur-forced-labour"  # the one document naming Obokata


def imported(wb: Workbench) -> dict[str, int]:
    report, _ = wb.import_paths(sorted(CORPUS.glob("*.txt")))
    return {Path(o.path).stem: o.document_id for o in report.outcomes if o.document_id}


def hits(wb: Workbench, query: str) -> set[int]:
    return {h.document_id for h in wb.search(query, limit=50).hits}


@pytest.fixture()
def merging(wb: Workbench, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """A library whose every commit merges all segments (so each one deletes the files of
    the segments before it), with the report re-indexed once more than the searcher saw."""
    ids = imported(wb)
    assert wb.wait_for_index(30)
    monkeypatch.setattr(writer, "merge_small", OPTIMIZE)
    report = ids[REPORT]
    assert hits(wb, "Obokata") == {report}  # the searcher is open on this commit
    wb.library.index.documents_changed([report])
    assert wb.wait_for_index(10)  # a newer commit, in a segment the searcher has not opened
    yield ids


def while_a_segment_opens(monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]
                          ) -> list[bool]:
    """Run ``action`` once, right after the searching (this) thread opens a segment reader."""
    searching, real = threading.current_thread(), SegmentReader.__init__
    fired: list[bool] = []

    def opening(self: SegmentReader, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)
        if not fired and threading.current_thread() is searching:
            fired.append(True)
            action()

    monkeypatch.setattr(SegmentReader, "__init__", opening)
    return fired


WHOOSH_SEGMENTS = pytest.mark.sqlite_only(
    "the Whoosh index's segments and generations in a personal library's folder; a shared "
    "library is searched by its server's index (tests/pg/test_pg_search.py)")


@WHOOSH_SEGMENTS
def test_a_commit_merging_away_the_segments_being_opened_loses_no_hit(
        wb: Workbench, merging: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    other = merging["un-weighs-in-breach-of-human-rights-law"]

    def commit() -> None:
        wb.library.index.documents_changed([other])
        assert wb.wait_for_index(10)

    fired = while_a_segment_opens(monkeypatch, commit)
    result = wb.search("Obokata", limit=50)
    assert fired
    assert (result.total, [h.document_id for h in result.hits]) == (1, [merging[REPORT]])
    assert result.facets["kind"]  # the facets were read from the same segments


@WHOOSH_SEGMENTS
def test_a_rebuild_replacing_the_generation_being_opened_loses_no_hit(
        wb: Workbench, merging: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    worker = wb.library.index.worker  # type: ignore[attr-defined]
    fired = while_a_segment_opens(monkeypatch, wb.reindex)
    result = wb.search("Obokata", limit=50)
    assert fired
    assert [h.document_id for h in result.hits] == [merging[REPORT]]
    assert worker.last_rebuild_reason == "requested"  # no rebuild for a "damaged" index



@WHOOSH_SEGMENTS
def test_segments_merged_away_while_they_open_are_not_taken_for_damage(
        wb: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    """The next segment's files are already gone when the searcher opens it: that is the
    index moving on, not damage (the search failed and a needless rebuild was started)."""
    from whoosh.writing import NO_MERGE

    ids = imported(wb)
    assert wb.wait_for_index(30)
    assert hits(wb, "Obokata") == {ids[REPORT]}
    monkeypatch.setattr(writer, "merge_small", NO_MERGE)
    for stem in sorted(ids):  # three commits: three new segments to open
        wb.library.index.documents_changed([ids[stem]])
        assert wb.wait_for_index(10)

    def merge_all() -> None:
        monkeypatch.setattr(writer, "merge_small", OPTIMIZE)
        wb.library.index.documents_changed([ids["un-report-crimes-against-humanity"]])
        assert wb.wait_for_index(10)

    worker = wb.library.index.worker  # type: ignore[attr-defined]
    reason = worker.last_rebuild_reason
    fired = while_a_segment_opens(monkeypatch, merge_all)
    assert hits(wb, "Obokata") == {ids[REPORT]}
    assert fired
    assert wb.wait_for_index(30)
    assert worker.last_rebuild_reason == reason  # no rebuild was asked for


@WHOOSH_SEGMENTS
def test_an_index_that_never_holds_still_says_so_without_a_rebuild(
        wb: Workbench, merging: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """A commit every time the searcher opens a segment: the search gives up after a few
    tries with a message to try again, and asks for no rebuild (nothing is damaged)."""
    searching, real = threading.current_thread(), SegmentReader.__init__
    index, other = wb.library.index, merging["un-weighs-in-breach-of-human-rights-law"]

    def opening(self: SegmentReader, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)
        if threading.current_thread() is searching:
            index.documents_changed([other])
            assert index.wait_idle(10)

    worker = wb.library.index.worker  # type: ignore[attr-defined]
    reason = worker.last_rebuild_reason
    monkeypatch.setattr(SegmentReader, "__init__", opening)
    with pytest.raises(UserError, match="changed while the search opened it") as raised:
        wb.search("Obokata")
    assert "try again in a moment" in str(raised.value)
    monkeypatch.setattr(SegmentReader, "__init__", real)
    assert hits(wb, "Obokata") == {merging[REPORT]}
    assert wb.wait_for_index(30)
    assert worker.last_rebuild_reason == reason


@WHOOSH_SEGMENTS  # the rebuild writes a new Whoosh generation and swaps it in
def test_a_document_found_during_a_rebuild_is_found_when_the_new_index_takes_over(
        wb: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents imported while a rebuild runs are added to the index in use at once; the
    new generation, built from the documents there were when it started, must hold them
    too by the moment it replaces that index (they vanished until the next commit)."""
    from workbench.search.whoosh import rebuild

    imported(wb)
    assert wb.wait_for_index(30)
    gate, write_part = threading.Event(), rebuild.write_part

    def slow_part(db_url, folder, ids, progress, cancelled):  # type: ignore[no-untyped-def]
        for _ in range(600):  # reports progress (so edits are served) until let go
            if gate.wait(0.05):
                break
            progress(0)
        return write_part(db_url, folder, ids, progress, cancelled)

    make_current = writer.make_current
    at_swap: list[int] = []

    def swap(index_dir: Path, gen: str) -> None:
        make_current(index_dir, gen)
        at_swap.append(wb.search("zanzibarquux", limit=1).total)  # the moment it takes over

    monkeypatch.setattr(rebuild, "write_part", slow_part)
    monkeypatch.setattr(writer, "make_current", swap)
    worker = wb.library.index.worker  # type: ignore[attr-defined]
    worker.request_rebuild("test")
    doc = tmp_path / "during.txt"
    doc.write_text("Zanzibarquux was added while the index was being rebuilt.\n")
    try:
        for _ in range(200):
            if worker.progress.phase == "rebuilding":
                break
            gate.wait(0.05)
        wb.import_paths([doc])
        for _ in range(200):
            if wb.search("zanzibarquux", limit=1).total:
                break
            gate.wait(0.05)
        assert worker.progress.phase == "rebuilding"
        assert wb.search("zanzibarquux", limit=1).total == 1  # served by the old index
    finally:
        gate.set()
    assert wb.wait_for_index(60)
    assert at_swap == [1]
    assert wb.search("zanzibarquux", limit=1).total == 1
    assert wb.index_status()["indexed_documents"] == 4
