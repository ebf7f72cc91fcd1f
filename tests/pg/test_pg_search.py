"""A shared library searched by its PostgreSQL server's own index (issue 19, part 4): what the
equivalence cases (tests/core/test_search_equivalence.py) do not reach — two desktops, long
texts, drift, rebuilds, the desktop's local choice and a server without pg_trgm."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from workbench.cli import main
from workbench.errors import Cancelled
from workbench.services import Workbench


@pytest.fixture
def case(pg_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The marker of a new shared library on the throwaway cluster."""
    from workbench.shared import create

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("WORKBENCH_SHARED_SEARCH", raising=False)
    create(tmp_path / "case", pg_db, tmp_path / "store")
    return tmp_path / "case"


@pytest.fixture
def desk(case: Path) -> Iterator[Workbench]:
    with Workbench.open(case, program="tests") as wb:
        yield wb


def _import(wb: Workbench, where: Path, name: str, body: str) -> int:
    path = where / f"{name}.txt"
    path.write_text(body, encoding="utf-8")
    report, _changes = wb.import_paths([path])
    return report.imported[0].document_id or 0


def _ids(wb: Workbench, query: str) -> list[int]:
    return sorted(h.document_id for h in wb.search(query, limit=100, facets=False).hits)


def test_a_colleagues_import_is_found_at_once_on_another_desktop(
        desk: Workbench, case: Path, tmp_path: Path) -> None:
    with Workbench.open(case, program="tests") as other:
        assert other.index_status()["backend"] == "postgres"
        doc = _import(desk, tmp_path, "memo", "The quarterly memo names Qelbinur Sidik.")
        # no wait_for_index: the row was written with the import
        assert _ids(other, "qelbinur") == [doc]
        assert _ids(other, '"names qelbinur sidik"') == [doc]
        desk.delete_document(doc)
        assert _ids(other, "qelbinur") == []


def test_a_long_text_keeps_every_position(desk: Workbench, tmp_path: Path) -> None:
    # PostgreSQL keeps 256 positions of a lexeme and none past 16,383: the windows must not
    # lose a phrase far into the text, nor one made of a word repeated thousands of times
    filler = " ".join(["camp"] * 20_000)
    doc = _import(desk, tmp_path, "long", f"{filler} zebra crossing {filler} camp yak")
    assert _ids(desk, '"zebra crossing"') == [doc]
    assert _ids(desk, '"camp yak"') == [doc]
    assert _ids(desk, '"crossing camp camp camp"') == [doc]
    assert _ids(desk, '"zebra yak"~3') == []
    assert _ids(desk, "zebra AND yak") == [doc]  # in different windows: still one document
    camps = desk.search("camp", limit=10, facets=True)  # in every window: one document
    assert camps.total == 1 and [h.document_id for h in camps.hits] == [doc]
    assert camps.facets["kind"] == [("text", 1)]
    found = desk.search("zebra", limit=5)
    assert found.hits[0].snippets and "zebra" in json.dumps(found.to_json()).lower()


def test_check_repairs_missing_and_stale_rows(desk: Workbench, tmp_path: Path) -> None:
    a = _import(desk, tmp_path, "a", "first text about orchards")
    b = _import(desk, tmp_path, "b", "second text about vineyards")
    engine = desk.library.store.engine
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM wbsearch.docs WHERE doc_id = :d"), {"d": a})
        conn.execute(text("UPDATE wbsearch.docs SET text_sha = 'stale' WHERE doc_id = :d"),
                     {"d": b})
    idx = desk.library.index
    assert idx.drift() == ([a, b], [])  # type: ignore[attr-defined]
    assert _ids(desk, "orchards") == []
    idx.check()  # type: ignore[attr-defined]
    assert desk.wait_for_index(60)
    assert idx.drift() == ([], [])  # type: ignore[attr-defined]
    assert _ids(desk, "orchards") == [a] and _ids(desk, "vineyards") == [b]


def test_a_cancelled_rebuild_keeps_the_old_index(desk: Workbench, tmp_path: Path) -> None:
    docs = [_import(desk, tmp_path, f"d{n}", f"text number {n} about pomegranates")
            for n in range(3)]
    calls = iter([False, True])
    with pytest.raises(Cancelled):
        desk.reindex(cancel=lambda: next(calls, True))
    assert _ids(desk, "pomegranates") == docs
    done: list[tuple[int, int]] = []
    desk.reindex(progress=lambda d, t: done.append((d, t)))
    assert done[-1] == (3, 3) and _ids(desk, "pomegranates") == docs
    with desk.library.read() as s:  # the vocabulary counts each document once
        df = s.execute(text("SELECT df FROM wbsearch.terms WHERE field = 'body' "
                            "AND term = 'pomegranates'")).scalar_one()
    assert df == 3


def test_a_desktop_may_search_its_local_index_and_still_feeds_the_servers(
        case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("WORKBENCH_SHARED_SEARCH", "local")
    with Workbench.open(case, program="tests") as local:
        assert local.index_status()["backend"] == "whoosh"
        doc = _import(local, tmp_path, "field-notes", "Notes from the tamarisk grove.")
        assert local.wait_for_index(60)
        assert _ids(local, "tamarisk") == [doc]
    monkeypatch.delenv("WORKBENCH_SHARED_SEARCH")
    capsys.readouterr()
    assert main(["--library", str(case), "search", "tamarisk", "--json"]) == 0
    assert [h["document_id"] for h in json.loads(capsys.readouterr().out)["hits"]] == [doc]
    monkeypatch.setenv("WORKBENCH_SHARED_SEARCH", "nearby")
    assert main(["--library", str(case), "search", "tamarisk"]) == 2
    assert "WORKBENCH_SHARED_SEARCH" in capsys.readouterr().err


def test_without_a_trigram_index_wildcards_scan_the_vocabulary_and_say_so_once(
        desk: Workbench, tmp_path: Path) -> None:
    doc = _import(desk, tmp_path, "w", "Kazakhstan and Kyrgyzstan and Tajikistan")
    with_index = _ids(desk, "*stan")
    with desk.library.store.engine.begin() as conn:
        conn.execute(text("DROP INDEX wbsearch.ix_wbsearch_terms_trgm"))
    desk.library.index.vocab.trigrams = None  # type: ignore[attr-defined]
    first = desk.search("*stan", limit=10)
    assert sorted(h.document_id for h in first.hits) == with_index == [doc]
    assert first.notice is not None and "pg_trgm" in first.notice
    assert desk.search("*stan", limit=10).notice is None
    desk.library.index.check()  # type: ignore[attr-defined]  # pg_trgm is there: made again
    assert desk.wait_for_index(60)
    with desk.library.read() as s:
        assert s.execute(text("SELECT count(*) FROM pg_indexes WHERE indexname = "
                              "'ix_wbsearch_terms_trgm'")).scalar_one() == 1


def test_a_server_refusing_pg_trgm_still_upgrades_and_searches(
        pg_empty: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.shared import create
    from workbench.store_pg import make_pg_engine

    # what stands in for a refused CREATE EXTENSION: a function of the same name in the way
    engine = make_pg_engine(pg_empty)
    with engine.begin() as conn:
        conn.execute(text("CREATE FUNCTION public.similarity(text, text) RETURNS real "
                          "LANGUAGE sql AS 'SELECT 0::real'"))
    engine.dispose()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("WORKBENCH_SHARED_SEARCH", raising=False)
    create(tmp_path / "case", pg_empty, tmp_path / "store")  # revision 0007 goes on without it
    with Workbench.open(tmp_path / "case", program="tests") as wb:
        assert wb.wait_for_index(60)
        doc = _import(wb, tmp_path, "w", "Kazakhstan and Kyrgyzstan")
        found = wb.search("*stan", limit=10)
        assert [h.document_id for h in found.hits] == [doc]
        assert found.notice is not None and "CREATE EXTENSION pg_trgm" in found.notice


def _ranked_windows(desk: Workbench, query: str, want: int) -> tuple[list[int], int, int]:
    """The ids found, the total, and how many body windows ``ts_rank`` read for them (from
    the plan of the search's own statement, run again under EXPLAIN ANALYZE)."""
    from sqlalchemy import event

    engine = desk.library.store.engine
    seen: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cur: Any, statement: str, params: Any, _ctx: Any,
             _many: bool) -> None:
        if "ts_rank" in statement:
            seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        found = desk.search(query, limit=want, facets=False, snippets=False)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert len(seen) == 1, seen
    statement, params = seen[0]
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute("EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) " + statement, params)
        plan = cur.fetchone()[0][0]["Plan"]

    def ranked(node: dict[str, Any]) -> int:
        if any("ts_rank" in out for out in node.get("Output", [])) and \
                node["Node Type"] == "Aggregate":
            return sum(int(c["Actual Rows"]) * int(c["Actual Loops"]) for c in node["Plans"]
                       if c.get("Parent Relationship") == "Outer")  # not its InitPlan
        return sum(ranked(c) for c in node.get("Plans", []))

    return [h.document_id for h in found.hits], found.total, ranked(plan)


def test_a_phrase_or_prefix_matching_many_ranks_only_its_likeliest_candidates(
        desk: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Ranking reads every window it ranks: a frequent phrase or a short prefix ranked all its
    # matches (p95 0.4 s at 10,000 documents). The total is counted (format 3: in the
    # counting rows, which say nothing of windows); only RANK_CANDIDATES matches are ranked,
    # the newest.
    from workbench.search.postgres import hook

    monkeypatch.setattr(hook, "RANK_CANDIDATES", 3, raising=False)
    # the oldest document, with the harbour in three of its windows
    filler = " ".join(["quay"] * 200)
    heavy = _import(desk, tmp_path, "old", f"harbour {filler} harbour {filler} harbour")
    docs = [_import(desk, tmp_path, f"n{k}", f"Note {k}: the zebra crossing by the harbour")
            for k in range(8)]
    ids, total, windows = _ranked_windows(desk, '"zebra crossing"', 2)
    assert total == 8 and windows == 3  # one window each: not all eight
    assert set(ids) <= set(docs[-3:]) and len(ids) == 2
    ids, total, windows = _ranked_windows(desk, "harb*", 2)
    assert total == 9 and windows == 3  # the three newest, one window each
    assert set(ids) <= set(docs[-3:]) and len(ids) == 2
    ids, total, windows = _ranked_windows(desk, "harb*", 20)
    assert sorted(ids) == [heavy, *docs] and total == 9  # asked for more: all ranked


def _windows_tested(desk: Workbench, query: str) -> tuple[int, int]:
    """The total of a search, and how many body windows its statement read and threw away
    (PostgreSQL's own count, from EXPLAIN ANALYZE with the GIN index taken, as a large table
    takes it; a table this small would be read whole): a window a phrase is tested in, not
    holding the phrase."""
    from sqlalchemy import event

    engine = desk.library.store.engine
    seen: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cur: Any, statement: str, params: Any, _ctx: Any,
             _many: bool) -> None:
        if "ts_rank" in statement:
            seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        found = desk.search(query, limit=10, facets=False, snippets=False)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert len(seen) == 1, seen
    statement, params = seen[0]
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute("SET enable_seqscan = off")  # bitmap scans only: a GIN lookup, then
        cur.execute("SET enable_indexscan = off")  # whatever it found tested
        cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params)
        plan = cur.fetchone()[0][0]["Plan"]

    def thrown(node: dict[str, Any]) -> int:
        own = 0
        if node.get("Relation Name") == "body":
            own = (int(node.get("Rows Removed by Index Recheck", 0))
                   + int(node.get("Rows Removed by Filter", 0))) * int(node["Actual Loops"])
        return own + sum(thrown(c) for c in node.get("Plans", []))

    return found.total, thrown(plan)


def test_a_phrase_is_one_index_lookup_not_a_test_of_every_window_holding_its_words(
        desk: Workbench, tmp_path: Path) -> None:
    # A phrase was every window holding all its words, each tested for positions (p95 1.6 s
    # at 30,000 documents). Each pair of neighbouring words is a lexeme of its own: a
    # two-word phrase is one GIN lookup, a longer one its pairs' windows only.
    assert desk.wait_for_index(60)
    for k in range(6):  # both words, never side by side
        _import(desk, tmp_path, f"apart{k}", f"A zebra {k} waits at the crossing by the gate")
    near = [_import(desk, tmp_path, f"near{k}", f"The zebra crossing {k} by the gate")
            for k in range(2)]
    assert _ids(desk, '"zebra crossing"') == near
    assert _windows_tested(desk, '"zebra crossing"') == (2, 0)
    assert _ids(desk, '"the zebra crossing"') == near
    assert _windows_tested(desk, '"the zebra crossing"') == (2, 0)
    assert _windows_tested(desk, "zebra crossing") == (8, 0)  # words: as before


def test_an_index_of_an_older_format_answers_rightly_and_is_rebuilt_by_the_check(
        desk: Workbench, tmp_path: Path) -> None:
    from workbench.search.backend import Filters
    from workbench.search.parse import parse
    from workbench.search.postgres import PostgresBackend
    from workbench.search.postgres.lexemes import FORMAT

    assert desk.wait_for_index(60)
    doc = _import(desk, tmp_path, "memo", "The zebra crossing by the harbour gate")
    engine = desk.library.store.engine
    with engine.begin() as conn:  # as an index written before pairs of words were lexemes
        conn.execute(text(
            "UPDATE wbsearch.body SET body = ts_delete(body, ARRAY(SELECT lexeme FROM "
            "unnest(body) WHERE lexeme LIKE E'\\x1e%'))"))
        conn.execute(text("DELETE FROM wbsearch.words"))  # nor a row per document
        conn.execute(text("DELETE FROM wbsearch.terms WHERE field = 'format'"))
    old = PostgresBackend(desk.library, check=False)
    found = old.search(parse('"zebra crossing"')[0], Filters(), want=10, facets=False,
                       aliases={})
    assert list(found.ids) == [doc]  # the old rows' way: the words' positions
    old.check()
    assert old.wait_idle(60)
    assert old.last_rebuild_reason == "index format"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT df FROM wbsearch.terms WHERE field = 'format'")
                            ).scalar_one() == FORMAT
        # format 3: every pair in the counting row, none in the windows
        assert conn.execute(text("SELECT count(*) FROM wbsearch.words, unnest(words) u "
                                 "WHERE u.lexeme LIKE E'\\x1e%'")).scalar_one() > 0
        assert conn.execute(text("SELECT count(*) FROM wbsearch.body, unnest(body) u "
                                 "WHERE u.lexeme LIKE E'\\x1e%'")).scalar_one() == 0
    assert _ids(desk, '"zebra crossing"') == [doc]
    # a second desktop that found the old format too, and got the lock after the first
    # rebuilt it, rebuilds nothing
    where = text("SELECT ctid::text FROM wbsearch.docs WHERE doc_id = :d")
    with engine.connect() as conn:
        before = conn.execute(where, {"d": doc}).scalar_one()
    PostgresBackend(desk.library, check=False)._rebuild(None, None, older_only=True)
    with engine.connect() as conn:
        assert conn.execute(where, {"d": doc}).scalar_one() == before
