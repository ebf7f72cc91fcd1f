"""The index writer's own commits (import batches, edits, deletions) in bulk segments.

Each batch the writer thread commits is written by the bulk writer (numpy inversion, no
Python work per word), and small segments are merged the bulk way: their live documents are
read again from the database and written into the batch's segment, which replaces them in
the same table of contents (``workbench/search/whoosh/batch.py``). Checked here: the thread's
work per imported word (counted, as test_search_build_fast counts the rebuild's), that many
small commits leave few segments, and that their answers are a fresh rebuild's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.test_search_build_fast import zipf_documents
from tests.support.call_count import counting_calls
from workbench.search.backend import IndexDoc
from workbench.services import Workbench

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
WHOOSH = pytest.mark.sqlite_only(
    "the Whoosh index's segments in a personal library's folder; a shared library is "
    "searched by its server's index (tests/pg/test_pg_search.py)")


def _batch_events(wb: Workbench, folder: Path, docs: list[IndexDoc],
                  monkeypatch: pytest.MonkeyPatch) -> int:
    """Python-level calls the index thread's commit of ``docs`` (new documents) makes, into
    an empty index of its own; the documents come from ``docs`` instead of the database."""
    from workbench.search.whoosh import writer as writer_mod
    from workbench.search.whoosh.engine import new_generation

    by_id = {d.doc_id: d for d in docs}
    monkeypatch.setattr(writer_mod, "load_documents",
                        lambda _s, ids, _paths=None: [by_id[i] for i in ids if i in by_id])
    ix, _gen = new_generation(folder, frozenset(["ba", "ko", "ri", "tu"]))
    worker = wb.library.index.worker  # type: ignore[attr-defined]
    assert worker.wait_idle(30)
    try:
        with counting_calls() as counted:
            worker._write_changes(ix, set(by_id), set(), writer_mod.IndexProgress("indexing"))
    finally:
        ix.close()
    return counted[0]


@WHOOSH
def test_the_index_thread_does_no_python_work_per_imported_word(
        wb: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import batch costs the writer thread Python work per document and per term, not
    per word: 200 more documents (~265,000 more words) make fewer extra Python-level calls
    than they have words (Whoosh's own segment writer made several per word)."""
    small, large = zipf_documents(100), zipf_documents(300)
    words = sum(len(d.text.split()) for d in large) - sum(len(d.text.split()) for d in small)
    _batch_events(wb, tmp_path / "warm", small, monkeypatch)
    extra = (_batch_events(wb, tmp_path / "l", large, monkeypatch)
             - _batch_events(wb, tmp_path / "s", small, monkeypatch))
    assert extra <= words, f"{extra} more calls for {words} more words"


def _answers(wb: Workbench, queries: list[str]) -> dict[str, tuple[int, list[int],
                                                                   list[float]]]:
    out = {}
    for q in queries:
        r = wb.search(q, limit=100)
        out[q] = (r.total, [h.document_id for h in r.hits], [h.score for h in r.hits])
    return out


QUERIES = ["human rights", '"forced labour"', "report", "quokka", "zebra", "wombat OR kiwi",
           "title:note", "labour -obokata", "crim*", "council"]


def _note(tmp_path: Path, k: int) -> Path:
    path = tmp_path / f"note{k}.txt"
    words = ["wombat", "kiwi", "zebra", "labour", "council"]
    path.write_text(f"Note {k} about the {words[k % 5]} and human rights council "
                    f"{'forced labour ' * (k % 4)}report number {k}.\n", "utf-8")
    return path


def _import(wb: Workbench, paths: list[Path]) -> list[int]:
    report, _ = wb.import_paths(paths)
    return [o.document_id for o in report.outcomes if o.document_id]


@WHOOSH
def test_thirty_small_imports_leave_few_segments_and_answer_as_a_rebuild(
        wb: Workbench, tmp_path: Path) -> None:
    """30 imports of one document each, every one committed on its own: at most a handful
    of segments stay, and every answer (ids, their scores, totals) is a fresh rebuild's."""
    _import(wb, sorted(CORPUS.glob("*.txt")))
    assert wb.wait_for_index(30)
    for k in range(30):
        _import(wb, [_note(tmp_path, k)])
        assert wb.wait_for_index(30)
    status = wb.index_status()
    assert status["indexed_documents"] == status["database_documents"] == 33
    assert status["segments"] <= 6, status["segments"]
    before = _answers(wb, QUERIES)
    wb.reindex()
    assert wb.wait_for_index(30)
    after = _answers(wb, QUERIES)
    for q in QUERIES:  # equal scores may come in either order
        total, ids, scores = before[q]
        assert (total, sorted(ids)) == (after[q][0], sorted(after[q][1])), q
        assert dict(zip(ids, scores, strict=True)) == pytest.approx(
            dict(zip(after[q][1], after[q][2], strict=True)), rel=1e-9), q


@WHOOSH
def test_edits_and_deletions_in_small_commits_keep_the_index_true(
        wb: Workbench, tmp_path: Path) -> None:
    """Imports, edits, re-indexed documents and a deletion in 30 small commits: the old
    version of an edited document is gone, a deleted one too, few segments stay, and each
    query finds the documents a fresh rebuild finds (scores differ while deleted documents
    still count in a segment's statistics, as in Whoosh)."""
    corpus = _import(wb, sorted(CORPUS.glob("*.txt")))
    assert wb.wait_for_index(30)
    added: list[int] = []
    for k in range(30):
        if k % 3 == 0 or not added:
            added += _import(wb, [_note(tmp_path, k)])
        elif k % 3 == 1:
            wb.edit_document(added[-1], title=f"Zebra note {k}")
        else:
            wb.library.index.documents_changed([corpus[k % len(corpus)]])
        if k == 20:
            wb.edit_document(added[0], title="Quokka note")  # its zebra title is gone
            wb.delete_document(added[1])
        assert wb.wait_for_index(30)
    status = wb.index_status()
    assert status["indexed_documents"] == status["database_documents"]
    assert status["segments"] <= 6, status["segments"]
    before = _answers(wb, QUERIES)
    assert before["quokka"][1] == [added[0]]
    assert added[1] not in before["human rights"][1]
    assert added[0] not in before["zebra"][1]
    wb.reindex()
    assert wb.wait_for_index(30)
    after = _answers(wb, QUERIES)
    for q in QUERIES:
        assert (before[q][0], sorted(before[q][1])) == (after[q][0], sorted(after[q][1])), q
