"""The server's index counts matches in one row of lexemes per document (``wbsearch.words``,
index format 3, issue 19): a word, a prefix or a two-word phrase is counted without reading a
window; the windows are read to rank the candidates, and to check a longer phrase's positions
only in the documents holding all its pairs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from workbench.services import Workbench


@pytest.fixture
def desk(pg_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workbench]:
    from workbench.shared import create

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("WORKBENCH_SHARED_SEARCH", raising=False)
    create(tmp_path / "case", pg_db, tmp_path / "store")
    with Workbench.open(tmp_path / "case", program="tests") as wb:
        assert wb.wait_for_index(60)
        yield wb


def _import(wb: Workbench, where: Path, texts: dict[str, str]) -> list[int]:
    paths = []
    for name, body in texts.items():
        path = where / f"{name}.txt"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    report, _changes = wb.import_paths(paths)
    by_name = {Path(r.path).stem: r.document_id for r in report.imported}
    return [int(by_name[name] or 0) for name in texts]


def _windows_read(wb: Workbench, query: str, only: str | None = None
                  ) -> tuple[list[int], int, int]:
    """The ids found, the total, and how many body windows the statement of a search for one
    hit read (PostgreSQL's count from EXPLAIN ANALYZE, scans of the table by its indexes as a large
    table is read: rows returned plus rows thrown away, over every scan of ``body``)."""
    from sqlalchemy import event

    engine = wb.library.store.engine
    seen: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cur: Any, statement: str, params: Any, _ctx: Any,
             _many: bool) -> None:
        if "ts_rank" in statement:
            seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", keep)
    try:  # one hit asked for: RANK_CANDIDATES are ranked
        total = wb.search(query, limit=1, facets=False, snippets=False).total
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    found = wb.search(query, limit=100, facets=False, snippets=False)
    assert found.total == total
    assert len(seen) == 1, seen
    statement, params = seen[0]
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute("SET enable_seqscan = off")
        cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params)
        plan = cur.fetchone()[0][0]["Plan"]

    def read(node: dict[str, Any], inside: bool = only is None) -> int:
        inside = inside or node.get("Subplan Name") == only
        own = 0
        if inside and node.get("Relation Name") == "body":
            own = (int(node["Actual Rows"]) + int(node.get("Rows Removed by Index Recheck", 0))
                   + int(node.get("Rows Removed by Filter", 0))) * int(node["Actual Loops"])
        return own + sum(read(c, inside) for c in node.get("Plans", []))

    return sorted(h.document_id for h in found.hits), found.total, read(plan)


def test_a_count_reads_no_window_only_the_ranked_candidates(
        desk: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The slow searches at 30,000 documents (p95 1.4-1.6 s) were a pair or a short prefix in
    # almost every document: their count read every window holding it (7 per document).
    from workbench.search.postgres import hook

    monkeypatch.setattr(hook, "RANK_CANDIDATES", 2, raising=False)
    filler = " ".join(["quay"] * 300)  # the oldest document holds the harbour in 3 windows
    docs = _import(desk, tmp_path, {
        "old": f"the harbour {filler} the harbour {filler} the harbour",
        **{f"n{k}": f"Note {k}: a ferry by the harbour wall" for k in range(5)}})
    for query in ("harbour", "harb*", '"the harbour"'):
        ids, total, windows = _windows_read(desk, query)
        assert total == 6 and ids == sorted(docs), query
        assert windows == 2, (query, windows)  # the two candidates' windows, to rank them
    ids, total, windows = _windows_read(desk, "ferry OR harb*")
    assert total == 6 and windows == 2


def test_a_longer_phrase_is_exact_and_checked_only_where_all_its_pairs_are(
        desk: Workbench, tmp_path: Path) -> None:
    docs = _import(desk, tmp_path, {
        "yes1": "At the zebra crossing by the gate",
        "yes2": "They met at the zebra crossing",
        "pairs_apart": "the zebra waits; a zebra crossing later",  # both pairs, not in a row
        **{f"words{k}": f"the crossing {k} where a zebra waits" for k in range(4)}})
    ids, total, windows = _windows_read(desk, '"the zebra crossing"')
    assert ids == docs[:2] and total == 2
    # the three documents holding both pairs are checked (one window each); the candidates'
    # windows are ranked: never a window of the four holding only the words
    assert windows <= 3 + 2, windows
    ids, total, _w = _windows_read(desk, '"the zebra crossing" OR "zebra waits"')
    assert ids == sorted(docs) and total == 7
    ids, total, _w = _windows_read(desk, '"zebra crossing" AND NOT "the zebra crossing"')
    assert ids == [docs[2]] and total == 1
    ids, total, _w = _windows_read(desk, '"zebra crossing"~2')
    assert ids == docs[:3] and total == 3


def test_a_longer_phrase_is_checked_in_a_document_until_one_window_holds_it(
        desk: Workbench, tmp_path: Path) -> None:
    # "kowudaji kowudaji osjikoho" at 30,000 documents: its pairs in 25,000 of them, the
    # phrase in 17,700; each document's windows were all tested (2.4-2.7 s), most hold it
    # in their first
    filler = " ".join(f"the zebra {k} zebra crossing" for k in range(300))  # 7 windows
    (doc,) = _import(desk, tmp_path, {"long": f"the zebra crossing {filler}"})
    ids, total, windows = _windows_read(desk, '"the zebra crossing"', only="CTE m")
    assert ids == [doc] and total == 1
    assert windows == 1, windows  # the first window: the count reads no other


def test_every_document_has_its_counting_row(desk: Workbench, tmp_path: Path) -> None:
    from workbench.search.postgres.hook import stored_format
    from workbench.search.postgres.lexemes import FORMAT

    a, b = _import(desk, tmp_path, {"a": "orchards by the river", "b": "vineyards on a hill"})
    engine = desk.library.store.engine
    with engine.connect() as conn:
        assert stored_format(conn) == FORMAT == 3
        rows = dict(conn.execute(text(
            "SELECT doc_id, array_to_string(tsvector_to_array(words), ' ') FROM wbsearch.words")
        ).all())
        assert set(rows) == {a, b}
        assert "orchards" in rows[a] and "river" in rows[a]
        # no positions: what a window alone holds
        assert conn.execute(text("SELECT words::text FROM wbsearch.words WHERE doc_id = :d"),
                            {"d": a}).scalar_one().count(":") == 0
    desk.delete_document(a)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT array_agg(doc_id) FROM wbsearch.words")
                            ).scalar_one() == [b]


def test_a_role_granted_before_revision_0010_may_search_the_counting_rows(
        pg_empty: str) -> None:
    from alembic import command

    from workbench.store import alembic_config, upgrade
    from workbench.store_pg import make_pg_engine

    engine = make_pg_engine(pg_empty)
    try:
        cfg = alembic_config(engine)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0009")
        with engine.begin() as conn:
            for role, grant in (("wb_reader_0009", "SELECT"),
                                ("wb_editor_0009", "SELECT, INSERT, UPDATE, DELETE")):
                conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
                conn.execute(text(f"CREATE ROLE {role}"))
                conn.execute(text(f"GRANT USAGE ON SCHEMA wbsearch TO {role}"))
                conn.execute(text(f"GRANT {grant} ON ALL TABLES IN SCHEMA wbsearch TO {role}"))
        upgrade(engine, None)
        with engine.begin() as conn:
            may = conn.execute(text(
                "SELECT has_table_privilege('wb_reader_0009', 'wbsearch.words', 'SELECT'), "
                "has_table_privilege('wb_reader_0009', 'wbsearch.words', 'INSERT'), "
                "has_table_privilege('wb_editor_0009', 'wbsearch.words', 'INSERT'), "
                "has_table_privilege('wb_editor_0009', 'wbsearch.words', 'DELETE')")).one()
            assert tuple(may) == (True, False, True, True)
            for role in ("wb_reader_0009", "wb_editor_0009"):
                conn.execute(text(f"DROP OWNED BY {role}"))
                conn.execute(text(f"DROP ROLE {role}"))
    finally:
        engine.dispose()


def test_a_word_in_every_document_is_counted_by_the_index_not_a_scan_of_the_rows(
        desk: Workbench, tmp_path: Path) -> None:
    # Testing a counting row means decompressing it (33 KB a document at 30,000): the
    # planner, which cannot price that, scanned them all for a prefix matching 92 % of the
    # documents (980 MB, 1.5 s) where the GIN index's matches took 62 ms.
    from sqlalchemy import event

    from workbench.search.postgres.hook import _tune, analyze

    _import(desk, tmp_path, {f"d{k}": f"Note {k} on the harbour" for k in range(6)})
    engine = desk.library.store.engine
    with engine.begin() as conn:  # statistics saying the prefix is in every row
        analyze(conn)
    seen: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cur: Any, statement: str, params: Any, _ctx: Any,
             _many: bool) -> None:
        if "ts_rank" in statement:
            seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        assert desk.search("harb*", limit=1, facets=False, snippets=False).total == 6
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    statement, params = seen[0]
    with desk.library.read() as s:  # the search's own transaction settings
        _tune(s)
        cur = s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute("EXPLAIN (FORMAT JSON) " + statement, params)
        plan = cur.fetchone()[0][0]["Plan"]

    def scans(node: dict[str, Any]) -> list[tuple[str, str]]:
        own = [(node["Node Type"], node["Relation Name"])] if "Relation Name" in node else []
        return own + [x for c in node.get("Plans", []) for x in scans(c)]

    found = scans(plan)
    assert ("Bitmap Heap Scan", "words") in found, found
    assert not [x for x in found if x[0] == "Seq Scan"], found


def test_the_facet_columns_have_an_index_of_their_own(desk: Workbench, tmp_path: Path) -> None:
    """Revision 0011: a search asking for facets joins its matches to their facet values by an
    index-only scan (it read every docs row through the primary key before: 87 ms of 157 at
    100,000 documents, docs/PERFORMANCE.md), and a match without collections or tags still
    counts under kind, language and year."""
    with desk.library.store.engine.connect() as conn:
        found = conn.execute(text(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'wbsearch' "
            "AND indexname = 'ix_wbsearch_docs_facets'")).scalar_one()
    assert "INCLUDE (facet_kind, facet_language, year, facet_collections, facet_tags)" in found
    ids = _import(desk, tmp_path, {"tagged": "Harbour records of the port authority.",
                                   "plain": "Harbour logs kept by the night watch."})
    desk.tag_document(ids[0], "port")
    assert desk.wait_for_index(60)
    got = desk.search("harbour", limit=10, facets=True)
    assert got.total == 2
    assert got.facets["kind"] == [("text", 2)]
    assert got.facets["tag"] == [("port", 1)]
