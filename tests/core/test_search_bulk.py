"""The fast paths behind the index: bulk segment writing and whole-posting-list evaluation.

Both must be indistinguishable from Whoosh's own code: the segment files byte for byte, and
the query results (same documents, same totals, scores within float rounding).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as windex
from whoosh import query as wq

from workbench.search.parse import parse
from workbench.search.whoosh.bulk import BulkSegmentWriter, invert
from workbench.search.whoosh.bulkquery import BulkEval, Unsupported, postings
from workbench.search.whoosh.engine import writer_args
from workbench.search.whoosh.query import compile_query
from workbench.search.whoosh.rebuild import commit_segments, plan_parts
from workbench.search.whoosh.schema import IndexDoc, build_schema, to_fields

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
COMMON = frozenset({"the", "of", "and", "camps", "forced", "labour"})  # pairs become grams
WORDS = ["detention", "camps", "camp", "witness", "witnessed", "forced", "labour", "labouring",
         "transfer", "transfers", "Ürümqi", "Urumqi", "report", "reports", "the", "of", "and"]
HAN = "新疆维吾尔自治区的人权报告"
UYGHUR = ["ئۇيغۇر", "ئاپتونوم", "ئۈرۈمچى", "مەجبۇرىي", "ئەمگەك"]


def documents(n: int) -> list[IndexDoc]:
    """Generated documents mixing English (stems, accents), Chinese, Uyghur and the corpus."""
    rng = random.Random(3)
    corpus = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    docs = []
    for i in range(n):
        parts = [" ".join(rng.choices(WORDS, k=rng.randint(5, 300)))]
        if i % 5 == 0:
            parts.append("".join(rng.choices(HAN, k=rng.randint(2, 80))) + "新疆维吾尔自治区")
        if i % 7 == 0:
            parts.append(" ".join(rng.choices(UYGHUR, k=rng.randint(1, 40))))
        if i % 11 == 0 and corpus:
            text = corpus[i % len(corpus)]
            start = rng.randrange(max(1, len(text) - 3000))
            parts.append(text[start:start + 3000])
        rng.shuffle(parts)
        docs.append(IndexDoc(
            doc_id=i + 1, layer_id=i + 1, title=f"Report {i} {rng.choice(WORDS)}",
            text="\n".join(parts), kind=rng.choice(["pdf", "html", "text"]),
            language=rng.choice(["en", "zh", "ug", None]),
            date=f"20{10 + i % 12}0{1 + i % 9}15" if i % 4 else None,
            year=2010 + i % 12 if i % 4 else None,
            sources=[f"news{i % 3}.example.org", "Human Rights Watch"],
            collections=["Case A"] if i % 2 else ["Case A", "Case B, second"],
            tags=["Topic/Detention"] if i % 3 == 0 else []))
    return docs


def segment_files(folder: Path) -> dict[str, bytes]:
    """Each segment file's bytes, named without the (random) segment id."""
    return {re.sub(r"^MAIN_[a-z0-9]+", "", p.name): p.read_bytes()
            for p in folder.iterdir()
            if p.is_file() and not p.name.endswith((".toc", "WRITELOCK"))}


def test_bulk_segment_reads_back_exactly_as_whoosh_own(tmp_path: Path) -> None:
    """Same terms, postings (ids and weights; values outside the phrase fields) and term
    statistics; the per-document files byte for byte. (The posting file itself is smaller:
    the phrase fields' positions are in the sidecar only, see test_search_positions_once.)"""
    docs = documents(120)
    a, b = tmp_path / "whoosh", tmp_path / "bulk"
    a.mkdir()
    b.mkdir()
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
    fa, fb = segment_files(a), segment_files(b)
    assert sorted(fa) == sorted(set(fb) - {".wbx"})
    for name in fa:
        if name not in (".pst", ".trm"):
            assert fa[name] == fb[name], f"{name} differs"
    ra, rb = windex.open_dir(str(a)).reader(), windex.open_dir(str(b)).reader()
    terms = list(ra.all_terms())
    assert terms == list(rb.all_terms())
    assert any(t.startswith(b"\x1e") for _f, t in terms)  # grams were written
    stats = ("_weight", "_df", "_minlength", "_maxlength", "_maxweight", "_minid", "_maxid")
    for term in terms:
        ta, tb = ra.term_info(*term), rb.term_info(*term)
        assert [getattr(ta, k) for k in stats] == [getattr(tb, k) for k in stats], term
        if term[0] in ("body", "title"):
            got, want = postings(rb, *term, values=True), postings(ra, *term, values=True)
            assert got is not None and want is not None
            assert (got[0], got[1]) == (want[0], want[1]), term
            assert not any(got[2]), term  # no positions in Whoosh's blocks
        else:
            assert _all_postings(ra, term) == _all_postings(rb, term), term


def test_bulk_sidecar_is_the_segment_postings_as_arrays(tmp_path: Path) -> None:
    """The sidecar written from memory equals one derived from a segment of the same
    documents written by Whoosh's own writer, byte for byte; and its arrays hold each
    term's postings and positions."""
    from workbench.search.whoosh import sidecar
    from workbench.search.whoosh.phrase import decode_positions

    a, b = tmp_path / "whoosh", tmp_path / "bulk"
    a.mkdir()
    b.mkdir()
    docs = documents(150)
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
    written = next(b.glob("*.wbx"))
    leaf = windex.open_dir(str(a)).reader()
    again = tmp_path / "again.wbx"
    sidecar.write_for_leaf(leaf, again)
    assert written.read_bytes() == again.read_bytes()
    with pytest.raises(sidecar.PositionsLost):  # the bulk segment's are in the sidecar only
        sidecar.write_for_leaf(windex.open_dir(str(b)).reader(), tmp_path / "no.wbx")
    side = sidecar.open_for(windex.open_dir(str(b)).reader())
    assert side is not None
    body = side.fields["body"]
    checked = 0
    for field, btext in leaf.all_terms():
        fp = side.fields[field]
        i = fp.find(btext)
        assert fp.term(i) == btext
        ids, ws = fp.postings(i)
        expect = _all_postings(leaf, (field, btext))
        assert ids.tolist() == [d for d, _w, _v in expect]
        assert ws.tolist() == [w for _d, w, _v in expect]
        fast = postings(leaf, field, btext)  # ids and weights cut out of Whoosh's blocks
        assert fast is not None and (fast[0], fast[1]) == (ids.tolist(), ws.tolist())
        if field == "body" and not btext.startswith(b"~") and checked < 300:
            checked += 1
            counts, pos = fp.positions_of(i, np.arange(len(ids)))
            want = [list(decode_positions(v)) for _d, _w, v in expect]
            assert counts.tolist() == [len(x) for x in want]
            assert pos.tolist() == [p for x in want for p in x]
    assert body.find(b"zzzz-not-a-term") == -1
    lo, hi = body.prefix_range(b"camp")
    assert [body.term(i) for i in range(lo, hi)] == sorted(
        t for f, t in leaf.all_terms() if f == "body" and t.startswith(b"camp"))


def _all_postings(reader: object, term: tuple[str, bytes]) -> list[tuple[int, float, bytes]]:
    m = reader.postings(*term)  # type: ignore[attr-defined]
    out = []
    while m.is_active():
        out.append((m.id(), m.weight(), m.value()))
        m.next()
    return out


def test_invert_counts_stems_grams_and_keeps_title_apart() -> None:
    post, length = invert("Camps of\x00camp camps of the", COMMON)
    assert post["camps"] == [0, 53]  # the title gap keeps phrases from spanning the two
    assert post["~camp"] == [0, 53]  # the stem sits at the exact word's position
    assert post["camp"] == [52]
    assert post["\x1ecamps of"] == [0, 53]  # grams of adjacent common words, never across
    assert post["\x1eof the"] == [54]
    assert "\x1eof camp" not in post
    assert length == 11  # six words, two stems, three grams: every token, as Whoosh counts


@pytest.fixture(scope="module", params=["whoosh", "sidecar"])
def searcher(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> object:
    """Three segments (one with deletions), written by Whoosh's own writer; read through
    Whoosh's blocks, or with a sidecar beside two of them (one with the deletions)."""
    from workbench.search.whoosh import sidecar

    folder = tmp_path_factory.mktemp("ix")
    ix = windex.create_in(str(folder), build_schema(COMMON))
    docs = documents(240)
    for chunk in (docs[:100], docs[100:180], docs[180:]):
        writer = ix.writer(**writer_args())
        for doc in chunk:
            writer.add_document(**to_fields(doc))
        writer.commit(merge=False)
    writer = ix.writer(**writer_args())
    writer.delete_by_term("id", "7")
    writer.delete_by_term("id", "150")
    writer.commit(merge=False)
    s = ix.searcher()
    if request.param == "sidecar":
        for leaf, _base in s.reader().leaf_readers()[:2]:
            sidecar.write_for_leaf(leaf, folder / sidecar.filename(leaf.segment()))
        s = ix.searcher()
        assert sum(sidecar.open_for(leaf) is not None
                   for leaf, _b in s.reader().leaf_readers()) == 2
    return s


QUERIES = ["camp", "labour", "urumqi", "Ürümqi", "camp AND witness", "camp OR transfer",
           "camp NOT witness", "NOT camp", '"forced labour"', '"the camps of"', "新疆",
           '"of the camps"', '"of the"', '"forced labour camps"',
           '"witness forced labour"', '"labour of"',
           '"新疆维吾尔"', "ئۇيغۇر", "labo*", "lab?ur", "witnes~1", "title:report",
           "collection:\"case a\"", "tag:topic", "source:news1.example.org", "date:2015",
           "lang:zh AND camp", "(camp OR labour) AND NOT transfer", "kind:pdf OR kind:html"]


@pytest.mark.parametrize("text", QUERIES)
def test_bulk_evaluation_matches_whoosh(searcher: object, text: str) -> None:
    s: object = searcher
    node, _notice = parse(text)
    q, _plan = compile_query(node, s.reader(), {})  # type: ignore[attr-defined]
    ours = BulkEval(s, lambda leaf, field: _lengths(leaf, field)).run(q)
    theirs = {hit.docnum: hit.score
              for hit in s.search(q, limit=None)}  # type: ignore[attr-defined]
    assert ours, f"{text} should match something in the generated documents"
    assert set(ours) == set(theirs)
    if '"' in text:
        return  # phrases: Whoosh scores the words, we score the terms checked (grams)
    for docnum, score in theirs.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-4, abs=1e-6)


def _lengths(leaf: object, field: str) -> bytes:
    from workbench.search.whoosh.bulkquery import length_bytes

    return length_bytes(leaf, field)


def test_unsupported_shapes_fall_back() -> None:
    from whoosh.query import spans

    with pytest.raises(Unsupported):
        BulkEval.run(object.__new__(BulkEval),  # type: ignore[arg-type]
                     spans.SpanNear2([wq.Term("body", "a"), wq.Term("body", "b")]))


def test_parts_are_even_and_bounded() -> None:
    ids = list(range(100_000))
    parts = plan_parts(ids, 2, part_docs=12_500)
    assert len(parts) == 8 and sum(map(len, parts)) == 100_000
    assert max(map(len, parts)) <= 12_500
    assert [p[0] for p in parts] == sorted(p[0] for p in parts)
    assert plan_parts(list(range(3)), 2) == [[0, 1], [2]]
    assert plan_parts([], 2) == []


def test_bounded_edit_distance_agrees_with_whoosh() -> None:
    from whoosh.support.levenshtein import damerau_levenshtein

    from workbench.search.query_values import within

    rng = random.Random(5)
    for _ in range(3000):
        a = "".join(rng.choices("abcd", k=rng.randint(0, 7)))
        b = "".join(rng.choices("abcd", k=rng.randint(0, 7)))
        for k in (0, 1, 2):
            assert within(a, b, k) == (damerau_levenshtein(a, b) <= k), (a, b, k)


def test_grams_are_never_offered_as_expansions(searcher: object) -> None:
    for text in ("*he", "*amps", "ca*"):
        node, _notice = parse(text)
        _q, plan = compile_query(node, searcher.reader(), {})  # type: ignore[attr-defined]
        assert plan.exact and not any(t.startswith(("\x1e", "~")) for t in plan.exact)


def test_leading_wildcard_reaches_the_end_of_a_large_dictionary(tmp_path: Path) -> None:
    """``*stan`` must see every word, not only the first thousands in alphabetical order."""
    from workbench.services import Workbench

    words = [f"a{i:05d}x" for i in range(7000)]  # sorts before the word we look for
    (tmp_path / "many.txt").write_text(" ".join(words) + "\n", encoding="utf-8")
    (tmp_path / "target.txt").write_text("Travel to Kazakhstan and Uzbekistan.\n",
                                         encoding="utf-8")
    with Workbench.open(tmp_path / "lib", create=True) as wb:
        wb.import_paths([tmp_path / "many.txt", tmp_path / "target.txt"])
        assert wb.wait_for_index(60)
        hits = wb.search("*stan", limit=5)
        assert hits.total == 1 and "Kazakhstan" in hits.hits[0].snippet
        assert wb.search("*06999x", limit=5).total == 1


def test_incremental_commits_keep_sidecar_segments_and_add_one_to_a_big_merge(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuilt segment (with its sidecar) is never merged by the incremental writer's
    commits; the small segments it merges get a sidecar once their merge is large enough,
    and every query still answers as Whoosh does."""
    from workbench.search.whoosh import sidecar
    from workbench.search.whoosh.engine import commit_guarded, merge_small, sync_sidecars

    docs = documents(160)
    ix = windex.create_in(str(tmp_path), build_schema(COMMON))
    bulk = BulkSegmentWriter(ix, **writer_args())
    for doc in docs[:100]:
        bulk.add_index_fields(to_fields(doc))
    commit_segments(tmp_path, [bulk.segment()])
    big = ix.reader().segment().segment_id()  # type: ignore[union-attr]
    monkeypatch.setattr(sidecar, "MIN_DOCS", 40)
    for start in range(100, 160, 10):  # six small commits: MERGE_SMALL folds them together
        writer = ix.writer(**writer_args())
        for doc in docs[start:start + 10]:
            writer.add_document(**to_fields(doc))
        commit_guarded(writer, mergetype=merge_small)
        before = set(tmp_path.glob("*.wbx"))
        assert sync_sidecars(ix) == []
        assert len(set(tmp_path.glob("*.wbx")) - before) <= 1
    segments = ix._read_toc().segments
    assert big in [s.segment_id() for s in segments]
    assert (tmp_path / f"{big}.wbx").exists()
    merged = [s for s in segments if s.doc_count_all() >= 40 and s.segment_id() != big]
    assert merged, "the six small segments should have been merged"
    assert all((tmp_path / sidecar.filename(s)).exists() for s in merged)
    s = ix.searcher()
    for text in ("camp", '"forced labour"', "labo*", "witnes~1", "camp NOT witness"):
        node, _notice = parse(text)
        q, _plan = compile_query(node, s.reader(), {})
        ours = BulkEval(s, lambda leaf, field: _lengths(leaf, field)).run(q)
        assert set(ours) == {hit.docnum for hit in s.search(q, limit=None)}, text


def test_phrase_check_out_of_time_returns_only_checked_matches(searcher: object) -> None:
    """When the position check runs out of time, unchecked candidates are left out (the
    result is marked incomplete), never passed off as matches."""
    s: object = searcher
    node, _notice = parse('"witness forced labour"')
    q, _plan = compile_query(node, s.reader(), {})  # type: ignore[attr-defined]
    ev = BulkEval(s, lambda leaf, field: _lengths(leaf, field))
    ev.deadline = 0.0  # already past
    got = ev.run(q)
    assert ev.incomplete and q.incomplete
    theirs = {hit.docnum for hit in s.search(q, limit=None)}  # type: ignore[attr-defined]
    assert set(got) <= theirs


@pytest.mark.parametrize("protocol", [2, 5])
def test_ids_and_weights_are_cut_out_of_either_block_protocol(protocol: int) -> None:
    """Whoosh's writer pickles posting blocks with protocol 2, the bulk writer with 5; the
    pattern that skips the positions reads both, including one to three weights."""
    import pickle

    from workbench.search.whoosh.bulkquery import _IDS_WEIGHTS, _PROTO

    blocks = [((1, 2, 3, 4, 5), (1.0, 2.0, 4.0, 1.0, 3.0), (b"a", b"b")),
              ((3,), None, (b"x",)), ((1, 2), (1.0, 4.0), ()), ((5, 6, 7), 2.0, None),
              (tuple(range(128)), tuple(float(i % 7 + 1) for i in range(128)), None)]
    for block in blocks:
        m = _IDS_WEIGHTS.match(pickle.dumps(block, protocol))
        assert m is not None, block
        assert pickle.loads(_PROTO + m.group(1) + b".") == block[0]
        assert pickle.loads(_PROTO + m.group(2) + b".") == block[1]


def test_wildcard_pattern_finds_the_same_words_with_and_without_its_literal() -> None:
    """``Pattern.find_in`` looks only at lines holding the longest literal; it must find
    exactly the words a full regular-expression scan finds."""
    from workbench.search.whoosh.query import Pattern

    rng = random.Random(11)
    words = sorted({"".join(rng.choices("aksztn", k=rng.randint(1, 9))) for _ in range(5000)}
                   | {"kazakhstan", "stan", "afghanistan", "stanza", "kstan"})
    text = "\n".join(words) + "\n"
    for wild in ("*stan", "*a?stan", "k*stan", "*zak*", "*sta?", "?stan*", "*akh*an"):
        body = "".join("[^\n]*" if c == "*" else "[^\n]" if c == "?" else re.escape(c)
                       for c in re.split(r"([*?])", wild) if c)
        lits = [x for x in re.split(r"[*?]", wild) if x]
        pat = Pattern(re.compile(body + r"\Z"), re.compile(f"^{body}$", re.M),
                      max(lits, key=len))
        expect = {w for w in words if re.fullmatch(body, w)}
        assert pat.find_in(text) == expect, wild
        assert Pattern(pat.term, pat.lines, "").find_in(text) == expect, wild
