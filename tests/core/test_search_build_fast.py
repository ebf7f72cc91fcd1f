"""A full index build: the bulk writer's segment is in the committed format, and it is fast.

The bulk writer inverts documents with numpy and writes Whoosh's posting blocks from arrays
(``workbench/search/whoosh/bulk.py``). Whatever it does inside, the files must be the ones
SCHEMA_VERSION 6 names: here the posting file is rebuilt block by block from the postings of
a segment Whoosh's own writer wrote (the format spelt out once, in ``expected_blocks``), and
odd documents (empty, title only, NULs, a document longer than 65,536 words, terms in more
than one block) read back as Whoosh's own. Its speed is a benchmark's (against FTS5, in
tests/bench/bench_search.py); here the shape that makes it fast is counted: no Python work
per word.
"""

from __future__ import annotations

import random
from pathlib import Path
from pickle import dumps
from typing import Any

from whoosh import index as windex
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.system import pack_int
from whoosh.util.numeric import length_to_byte

from tests.core.test_search_bulk import COMMON, _all_postings, documents, segment_files
from tests.support.call_count import counting_calls
from workbench.search.backend import IndexDoc
from workbench.search.whoosh import sidecar
from workbench.search.whoosh.bulk import BulkSegmentWriter
from workbench.search.whoosh.engine import writer_args
from workbench.search.whoosh.rebuild import commit_segments
from workbench.search.whoosh.schema import build_schema, to_fields


def both(tmp_path: Path, docs: list[IndexDoc], common: frozenset[str] = COMMON
         ) -> tuple[Path, Path]:
    """The same documents written by Whoosh's own writer (a) and the bulk writer (b)."""
    a, b = tmp_path / "whoosh", tmp_path / "bulk"
    a.mkdir()
    b.mkdir()
    ia = windex.create_in(str(a), build_schema(common))
    writer = ia.writer(**writer_args())
    for doc in docs:
        writer.add_document(**to_fields(doc))
    writer.commit()
    ib = windex.create_in(str(b), build_schema(common))
    bulk = BulkSegmentWriter(ib, **writer_args())
    for doc in docs:
        bulk.add_index_fields(to_fields(doc))
    commit_segments(b, [bulk.segment()])
    return a, b


def expected_blocks(post: list[tuple[int, float, bytes]], lengths: list[int] | None,
                    fixed: int | None, positions_dropped: bool) -> bytes:
    """One term's bytes in the posting file, as SCHEMA_VERSION 6 writes them: Whoosh's
    header, then per 128 postings the block length (negative for the last), the pickled
    block info (protocol 2) and the pickled (id deltas, weights, values) (protocol 5);
    weights shrink to None when all 1.0, to one number when all equal; values are None in
    a format without any, joined in one of fixed size, dropped in the phrase fields (their
    positions are in the sidecar), else the non-empty ones."""
    out = bytearray(WHOOSH3_HEADER_MAGIC)
    for b in range(0, len(post), 128):
        block = post[b:b + 128]
        ids = [d for d, _w, _v in block]
        ws = tuple(w for _d, w, _v in block)
        lens = [lengths[d] for d in ids if lengths[d]] if lengths is not None else []
        deltas = tuple(d - p for d, p in zip(ids, [0, *ids[:-1]], strict=True))
        weights: Any = (None if all(w == 1.0 for w in ws)
                        else ws[0] if all(w == ws[0] for w in ws) else ws)
        values: Any = (None if fixed == 0 else b"".join(v for _d, _w, v in block)
                       if fixed else () if positions_dropped
                       else tuple(v for _d, _w, v in block if v))
        data = dumps((deltas, weights, values), 5)
        info = dumps((len(block), ids[-1], max(0.0, max(ws)), 0,
                      length_to_byte(min(lens) if lens else None),
                      length_to_byte(max(lens, default=0))), 2)
        size = len(info) + len(data)
        out += pack_int(-size if b + 128 >= len(post) else size) + info + data
    return bytes(out)


def check_same_as_whoosh(a: Path, b: Path) -> int:
    """Every file of the bulk segment is what Whoosh's own segment implies; the terms
    checked. The posting file is tiled by the terms' extents, in term order."""
    fa, fb = segment_files(a), segment_files(b)
    for name in fa:
        if name not in (".pst", ".trm"):
            assert fa[name] == fb[name], f"{name} differs"
    ra, rb = windex.open_dir(str(a)).reader(), windex.open_dir(str(b)).reader()
    terms = list(ra.all_terms())
    assert terms == list(rb.all_terms())
    pst = fb[".pst"]
    at = 0
    stats = ("_weight", "_df", "_minlength", "_maxlength", "_maxweight", "_minid", "_maxid")
    lengths_of: dict[str, list[int] | None] = {}
    for field, btext in terms:
        ta, tb = ra.term_info(field, btext), rb.term_info(field, btext)
        assert [getattr(ta, k) for k in stats] == [getattr(tb, k) for k in stats], btext
        offset, length = tb.extent()
        length = length[0] if isinstance(length, tuple) else length  # Whoosh reads a 1-tuple
        assert offset == at, (field, btext)
        if field not in lengths_of:
            lengths_of[field] = ([ra.doc_field_length(d, field, 0)
                                  for d in range(ra.doc_count_all())]
                                 if ra.schema[field].scorable else None)
        lengths = lengths_of[field]
        want = expected_blocks(_all_postings(ra, (field, btext)), lengths,
                               ra.schema[field].format.fixed_value_size(),
                               field in ("body", "title"))
        assert pst[offset:offset + length] == want, (field, btext)
        at += length
    assert at == len(pst)
    again = b / "again.wbx"
    sidecar.write_for_leaf(ra, again)  # the sidecar derived from Whoosh's own segment
    assert next(b.glob("MAIN_*.wbx")).read_bytes() == again.read_bytes()
    return len(terms)


def test_bulk_posting_file_is_whoosh_own_blocks_without_positions(tmp_path: Path) -> None:
    # terms in every document (two blocks each), and a Zipf vocabulary like the benchmark's
    a, b = both(tmp_path, documents(150) + zipf_documents(10))
    assert check_same_as_whoosh(a, b) > 500


def test_odd_documents_are_written_as_whoosh_writes_them(tmp_path: Path) -> None:
    rng = random.Random(9)
    long_text = " ".join(rng.choices(["camp", "the", "of", "witness", "report", "labour"],
                                     k=70_000))  # positions past 65,535
    texts = ["", "   ", "the of the of", "camps\x00of the\x00\x00camp camp",
             "新", "新疆" * 3, "ئۇيغۇر", "Ürümqi URUMQI ürümqi", long_text,
             "camp " * 300 + "forced labour", "x" * 5]
    docs = [IndexDoc(doc_id=i + 1, layer_id=i + 1, title=("" if i % 3 == 0 else f"T{i} camp"),
                     text=t, kind="text", language=None, date=None, year=None, sources=[],
                     collections=[], tags=[]) for i, t in enumerate(texts)]
    docs += documents(140)[:140]  # after them: terms crossing a block boundary
    a, b = both(tmp_path, docs)
    check_same_as_whoosh(a, b)


def zipf_documents(n: int, seed: int = 7) -> list[IndexDoc]:
    """Documents like the benchmark's: ~8 KB of words drawn from a Zipf vocabulary."""
    rng = random.Random(seed)
    syll = ["ba", "ko", "ri", "tu", "me", "sha", "lin", "gor", "pe", "da", "vi", "zen",
            "ul", "an", "er", "os", "ki", "mo", "ra", "te", "ny", "qa", "ji", "ho"]
    words = sorted({"".join(rng.choices(syll, k=rng.randint(1, 4))) for _ in range(20_000)})
    rng.shuffle(words)
    cum, total = [], 0.0
    for r in range(len(words)):
        total += 1.0 / (r + 1) ** 1.07
        cum.append(total)
    return [IndexDoc(doc_id=i + 1, layer_id=i + 1, title=f"Report {i}",
                     text=" ".join(rng.choices(words, cum_weights=cum,
                                               k=int(rng.lognormvariate(7.1, 0.45)))),
                     kind="text", language="en", date="2020-01-02", year=2020,
                     sources=[f"news{i % 40}.example.org"], collections=[], tags=[])
            for i in range(n)]


def _build_events(tmp_path: Path, docs: list[IndexDoc]) -> int:
    """Python-level calls (of Python and of C functions) a bulk build of ``docs`` makes."""
    fields = [to_fields(d) for d in docs]
    ix = windex.create_in(str(tmp_path), build_schema(frozenset(["ba", "ko", "ri", "tu"])))
    with counting_calls() as counted:
        bulk = BulkSegmentWriter(ix, **writer_args())
        for f in fields:
            bulk.add_index_fields(f)
        commit_segments(tmp_path, [bulk.segment()])
    return counted[0]


def test_bulk_build_does_no_python_work_per_word(tmp_path: Path) -> None:
    """The build's speed comes from inverting the words in numpy, not from Python looping
    over them (what made it 16x slower than FTS5; the speed itself is measured against FTS5
    by tests/bench/bench_search.py, see docs/PERFORMANCE.md). Counted, not timed: the
    Python-level calls the build makes for 200 more documents (~265,000 more words, ~1,300
    more distinct ones) stay fewer than those words (0.57 a word today: work per document and
    per term; one call a word would make it >= 1.57). The first build pays one-time set-up: not
    counted."""
    small, large = zipf_documents(100), zipf_documents(300)
    words = sum(len(d.text.split()) for d in large) - sum(len(d.text.split()) for d in small)
    for name in ("warm", "s", "l"):
        (tmp_path / name).mkdir()
    _build_events(tmp_path / "warm", small)
    extra = _build_events(tmp_path / "l", large) - _build_events(tmp_path / "s", small)
    assert extra <= words, f"{extra} more calls for {words} more words"


def test_term_index_is_written_as_whoosh_writes_it(tmp_path: Path) -> None:
    """The term index's keys, key index and hash tables, written in bulk, are the bytes
    Whoosh's ``OrderedHashWriter`` writes key by key (enough keys to widen its key index)."""
    from types import MethodType

    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.filetables import OrderedHashWriter

    from workbench.search.whoosh.bulk import _add_terms, _write_hashes

    rng = random.Random(4)
    keys = sorted({bytes(rng.choices(b"abcdef\x00\xff", k=rng.randint(1, 12)))
                   for _ in range(9000)})
    values = [bytes(rng.choices(b"xyz", k=rng.randint(0, 40))) for _ in keys]
    st = FileStorage(str(tmp_path))
    theirs = OrderedHashWriter(st.create_file("a"))
    for k, v in zip(keys, values, strict=True):
        theirs.add(k, v)
    theirs.close()
    ours = OrderedHashWriter(st.create_file("b"))
    ours._write_hashes = MethodType(_write_hashes, ours)
    half = len(keys) // 2
    _add_terms(ours, keys[:half], values[:half])
    _add_terms(ours, keys[half:], values[half:])
    ours.close()
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()
