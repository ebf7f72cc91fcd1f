"""Positions are stored once: a segment the bulk writer writes keeps them in its sidecar only.

Whoosh's own posting blocks of ``body`` and ``title`` then hold ids and weights (what its
scoring, merging and statistics read) and no positions; phrases and proximity read them
from the sidecar on every path (the numpy evaluator, Whoosh's matchers for the shapes the
evaluator leaves to Whoosh, and a single document's match). A segment whose sidecar is lost
is an error that leads to a rebuild, never a wrong answer.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as windex

from tests.core.test_search_bulk import COMMON, documents
from workbench.errors import UserError
from workbench.search.parse import parse
from workbench.search.whoosh import sidecar
from workbench.search.whoosh.bulk import BulkSegmentWriter
from workbench.search.whoosh.bulkquery import BulkEval, length_bytes, postings
from workbench.search.whoosh.engine import sync_sidecars, writer_args
from workbench.search.whoosh.phrase import decode_positions
from workbench.search.whoosh.query import compile_query
from workbench.search.whoosh.rebuild import commit_segments
from workbench.search.whoosh.schema import build_schema, to_fields

NEAR_AND_PHRASES = ['"forced labour"', '"witness forced labour"', '"the camps of"',
                    '"新疆维吾尔"', '"labour camps"~3', '"witness transfer"~2',
                    '"detention report"~5 AND camp', '"forced labour" AND date:[2012 TO 2015]']


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same documents written by Whoosh's own writer (positions in its blocks) and by
    the bulk writer (positions in the sidecar)."""
    docs = documents(160)
    a = tmp_path_factory.mktemp("whoosh")
    b = tmp_path_factory.mktemp("bulk")
    ia = windex.create_in(str(a), build_schema(COMMON))
    writer = ia.writer(**writer_args())
    for doc in docs:
        writer.add_document(**to_fields(doc))
    writer.commit()
    ib = windex.create_in(str(b), build_schema(COMMON))
    bulk = BulkSegmentWriter(ib, **writer_args())
    for doc in docs:
        bulk.add_index_fields(to_fields(doc))
    commit_segments(b, [bulk.segment()])
    return a, b


def test_bulk_segment_keeps_positions_only_in_its_sidecar(pair: tuple[Path, Path]) -> None:
    a, b = pair
    ra, rb = windex.open_dir(str(a)).reader(), windex.open_dir(str(b)).reader()
    assert sidecar.positions_only_in_sidecar(rb.segment())
    assert not sidecar.positions_only_in_sidecar(ra.segment())
    side = sidecar.open_for(rb)
    assert side is not None
    checked = 0
    for field, btext in rb.all_terms():
        if field not in ("body", "title"):
            continue
        got = postings(rb, field, btext, values=True)
        assert got is not None and not any(got[2]), (field, btext)  # no positions in Whoosh
        if btext.startswith(b"~"):
            continue
        want = postings(ra, field, btext, values=True)
        assert want is not None and want[0] == got[0] and want[1] == got[1]
        fp = side.fields[field]
        i = fp.find(btext)
        counts, pos = fp.positions_of(i, np.arange(len(got[0])))
        lists = [list(decode_positions(v)) for v in want[2]]
        assert counts.tolist() == [len(x) for x in lists]
        assert pos.tolist() == [p for x in lists for p in x]
        checked += 1
    assert checked > 100
    # the posting file lost the positions: clearly smaller than Whoosh's own
    pst = {p.suffix: p.stat().st_size for p in b.iterdir()}
    pst_a = {p.suffix: p.stat().st_size for p in a.iterdir()}
    assert pst[".pst"] < 0.6 * pst_a[".pst"]


@pytest.mark.parametrize("text", NEAR_AND_PHRASES)
def test_phrases_and_proximity_answer_alike_from_either_store(pair: tuple[Path, Path],
                                                              text: str) -> None:
    """Whoosh's matchers (the path for proximity, ranges and one document's match) and the
    numpy evaluator find the same documents on the bulk index as on Whoosh's own."""
    a, b = pair
    sa, sb = windex.open_dir(str(a)).searcher(), windex.open_dir(str(b)).searcher()
    node, _notice = parse(text)
    qa, _ = compile_query(node, sa.reader(), {})
    qb, _ = compile_query(node, sb.reader(), {})
    want = {h.docnum for h in sa.search(qa, limit=None)}
    assert want, f"{text} should match some generated documents"
    assert {h.docnum for h in sb.search(qb, limit=None)} == want
    if "~" not in text and "[" not in text:
        ours = BulkEval(sb, length_bytes).run(qb)
        assert set(ours) == want


@pytest.mark.sqlite_only("the Whoosh index and its sidecars in the library's folder: a shared "
                         "library is searched in PostgreSQL (wbsearch)")
def test_a_lost_sidecar_is_an_error_then_a_rebuild(library_path: Path) -> None:
    """A positionless segment without its sidecar cannot answer a phrase: the search says so
    (no wrong, empty answer), the writer's check rebuilds, and the phrase is found again."""
    from tests.core.test_search_index import current_dir, hits, imported
    from workbench.services import Workbench

    with Workbench.open(library_path) as wb:
        imported(wb)
    shutil.rmtree(library_path / "index")
    with Workbench.open(library_path) as wb:
        assert wb.wait_for_index(30)
        before = hits(wb, '"forced labour"')
        near = hits(wb, '"forced labour"~3')
    assert before and near
    [side] = current_dir(library_path).glob("*" + sidecar.EXT)
    side.unlink()
    with Workbench.open(library_path, writable=False) as ro:
        assert hits(ro, "Obokata")  # ids and weights are still in Whoosh's blocks
        with pytest.raises(UserError, match="rebuilt"):
            hits(ro, '"forced labour"')
        with pytest.raises(UserError, match="rebuilt"):
            hits(ro, '"forced labour"~3')
    ix = windex.open_dir(str(current_dir(library_path)))
    with pytest.raises(sidecar.PositionsLost):
        sync_sidecars(ix)
    ix.close()
    with Workbench.open(library_path) as wb:
        assert wb.wait_for_index(30)
        assert hits(wb, '"forced labour"') == before
        assert hits(wb, '"forced labour"~3') == near
        assert "damaged" in (wb.index_status()["last_rebuild_reason"] or "")
