"""``PostgresBackend``: a shared library's search served by its PostgreSQL server.

The index is in the library's own database (revision 0007, schema ``wbsearch``), so every
desktop searches the same index and a colleague's import is found as soon as it is committed:
the desktop that commits writes the documents' rows within ``writer.GATHER`` seconds of its
commit (``documents_changed``), in batches (``writer.py``; an import's last one before the import
returns), each in one transaction that also keeps the vocabulary's counts. Writers
on several desktops take turns through a transaction-level advisory lock, so two of them
indexing the same document never collide. A deleted document's rows go with it (a foreign
key). ``check`` compares the index with the database (rows missing, or built from another
layer or another text hash) in a background thread and re-indexes what drifted; ``rebuild``
replaces everything in one transaction, so searches keep seeing the old rows until it
commits, and a cancelled rebuild leaves them as they were.

The rows are derived from the database, so what they hold is versioned (``lexemes.FORMAT``):
the version is one row of the vocabulary table (field ``format``, never a field a query
expands in), written by a rebuild in its own transaction, so it always describes the rows
beside it, and every role that may read or write the index may read or write it (no new
table, no grant, no migration). A query is compiled for the format the rows have; the check
rebuilds an older index in its background thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ...errors import Cancelled, UserError
from ...library import Library
from ..backend import (
    FACETS,
    Activity,
    CancelFn,
    DocumentMatch,
    Filters,
    IndexStatus,
    Matches,
    Node,
    ProgressFn,
)
from ..source import all_index_state, load_documents, tag_paths
from .lexemes import FORMAT, STAMP_HASH, Row, row_of
from .query import Compiler, filter_sql
from .vocab import Vocabulary
from .writer import BatchWriter

log = logging.getLogger(__name__)

FACET_VALUES = 30  # as the Whoosh backend's facets.FACET_VALUES
ANALYZE_AFTER = 1000  # documents re-indexed by a check before the statistics are renewed
BATCH = 200  # documents read and written per step of a rebuild or repair
# The matches ranked by ts_rank when more match (those matching in the most windows, else
# the newest): ranking reads every window of a match, counting them does not (_ranked()).
RANK_CANDIDATES = 200
# Statistics of the body's lexemes: with PostgreSQL's default (100) a wildcard's 64 rare
# terms were estimated at two to three times their windows, enough to scan every window.
BODY_STATISTICS = 1000
# The advisory lock index writers take turns by ("WBSEARCH" in ASCII).
INDEX_LOCK_KEY = 0x5742534541524348 & 0x7FFFFFFFFFFFFFFF
NAME = "postgres"


def _stop(cancel: CancelFn) -> bool:
    return bool(cancel() if callable(cancel) else getattr(cancel, "cancelled", False))


class PostgresBackend:
    name = NAME

    def __init__(self, library: Library, *, check: bool = True) -> None:
        self.library = library
        self.vocab = Vocabulary()
        self.state = "idle"
        self.done = self.total = 0
        self.last_error: str | None = None
        self.last_rebuild_reason: str | None = None
        self._busy = threading.Lock()  # one repair or rebuild at a time in this process
        self._thread: threading.Thread | None = None
        self._closing = False
        # the rows of documents_changed/removed, written in batches off the caller's path
        self._writer = BatchWriter(self._write)
        self._format = 0  # the rows' format last seen (a format only ever rises)
        if check and library.writable:
            self.check()

    # --- the IndexHook protocol -------------------------------------------------------------

    def documents_changed(self, ids: list[int]) -> None:
        if ids and self.library.writable:
            self._writer.changed(ids)

    def documents_removed(self, ids: list[int]) -> None:
        if ids and self.library.writable:
            self._writer.removed(ids)

    def flush(self, timeout: float | None = None) -> bool:
        """Write the queued rows now and wait for them (the end of an import: its documents
        are then found by search on every desktop when it returns)."""
        return self._writer.flush(timeout)

    def _write(self, changed: list[int], removed: list[int]) -> None:
        """One batch of the writer: its documents' texts read in one go, their rows
        written in one transaction (``index``)."""
        if removed:
            self._guarded(self.remove, removed)
        if changed:
            self._guarded(self.index, changed)

    def _guarded(self, step: Any, ids: list[int]) -> None:
        # The user's change is committed already: an index write that fails must not turn it
        # into an error. It is logged, shown by index-status, and the next check repairs it.
        try:
            step(ids)
            self.last_error = None
        except Exception as exc:
            log.warning("search index write failed: %s", exc)
            self.last_error = str(exc)

    def close(self) -> None:
        self._writer.close(30)  # the queued rows written
        self._closing = True  # a repair under way stops after its batch (the next open's
        self.wait_idle(30)  # check picks up what it left)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Every queued row written and the check (if one runs) done."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self._writer.flush(timeout):
            return False
        thread = self._thread
        if thread is not None:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
            return not thread.is_alive()
        return True

    # --- writing ------------------------------------------------------------------------------

    def index(self, ids: list[int]) -> None:
        """Write the rows of these documents (those that still exist) and drop the rest."""
        with self.library.read() as s:
            docs = load_documents(s, sorted(set(ids)))
        rows = [row_of(d) for d in docs]
        with self.library.store.engine.begin() as conn:
            _lock(conn)
            _delete(conn, sorted(set(ids)))
            _insert(conn, rows)

    def remove(self, ids: list[int]) -> None:
        with self.library.store.engine.begin() as conn:
            _lock(conn)
            _delete(conn, sorted(set(ids)))

    def rebuild(self, progress: ProgressFn | None = None, cancel: CancelFn = None) -> None:
        if not self.library.writable:
            raise UserError("The search index cannot be rebuilt by a reader",
                            "open the library for writing")
        with self._busy:
            self.state, self.last_rebuild_reason = "rebuilding", "requested"
            try:
                self._rebuild(progress, cancel)
            except Cancelled:
                raise
            except Exception as exc:
                self.last_error = str(exc)
                raise UserError(f"Rebuilding the search index failed: {exc}") from exc
            finally:
                self.state = "idle"

    def _rebuild(self, progress: ProgressFn | None, cancel: CancelFn,
                 older_only: bool = False) -> None:
        """Replace every row; ``older_only``: unless, once the lock is held, the rows are
        found of this format (another desktop rebuilt them meanwhile)."""
        with self.library.store.engine.begin() as conn:  # one transaction: all or nothing
            _lock(conn)
            if older_only and stored_format(conn) >= FORMAT:
                return
            # the documents read once the lock is held: one committed since is indexed by
            # its writer after this commits (it waits for the lock), none is lost
            with self.library.read() as s:
                ids = sorted(all_index_state(s))
                paths = tag_paths(s)
            self.done, self.total = 0, len(ids)
            conn.execute(text("DELETE FROM wbsearch.docs"))
            conn.execute(text("DELETE FROM wbsearch.terms"))
            conn.execute(text(f"INSERT INTO wbsearch.terms (field, term, df) "
                              f"VALUES ('{FORMAT_FIELD}', '', :n)"), {"n": FORMAT})
            for start in range(0, len(ids), BATCH):
                if _stop(cancel):
                    raise Cancelled()  # the transaction rolls back: the old rows stay
                with self.library.read() as s:
                    docs = load_documents(s, ids[start:start + BATCH], paths)
                _insert(conn, [row_of(d) for d in docs])
                self.done = min(len(ids), start + BATCH)
                if progress is not None:
                    progress(self.done, self.total)
            if _stop(cancel):  # up to the commit, a cancel keeps the old rows
                raise Cancelled()
        self._analyze()
        if progress is not None:
            progress(len(ids), len(ids))

    def _analyze(self) -> None:
        """Fresh planner statistics after many rows changed: without them the planner took
        a frequent word for a rare one and read every window of the archive (a term query
        at 10,000 documents: p95 0.5 s)."""
        try:
            with self.library.store.engine.begin() as conn:
                analyze(conn)
        except Exception as exc:  # a role that does not own the tables: autovacuum will
            log.info("search tables not analysed: %s", exc)

    def drift(self) -> tuple[list[int], list[int]]:
        """``(stale, extra)``: documents whose rows are missing or built from another layer
        or text hash, and rows of documents the database no longer holds."""
        with self.library.read() as s:
            truth = all_index_state(s)
            held = {int(d): (layer, sha) for d, layer, sha in s.execute(text(
                "SELECT doc_id, layer_id, text_sha FROM wbsearch.docs"))}
        stale = [d for d, (layer, sha) in truth.items()
                 if held.get(d) != (layer, (sha or "")[:STAMP_HASH])]
        extra = [d for d in held if d not in truth]
        return sorted(stale), sorted(extra)

    def check(self) -> None:
        """Compare the index with the database and repair it, in a background thread."""
        if not self.library.writable:
            return
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self._repair, name="wbsearch-check",
                                        daemon=True)
        self._thread.start()

    def _repair(self) -> None:
        with self._busy:
            self.state = "checking"
            try:
                try:
                    self._trigram_index()
                except Exception as exc:  # e.g. an editor who does not own the table
                    log.info("no trigram index made: %s", exc)
                if stored_format(self.library.store.engine) < FORMAT:
                    # rows of an older format: all of them rebuilt (searches read the old
                    # rows, rightly, until this commits)
                    self.state, self.last_rebuild_reason = "rebuilding", "index format"
                    self._rebuild(None, lambda: self._closing, older_only=True)
                    return
                stale, extra = self.drift()
                self.state, self.done, self.total = "indexing", 0, len(stale)
                if extra:
                    self.remove(extra)
                for start in range(0, len(stale), BATCH):
                    if self._closing:
                        break
                    self.index(stale[start:start + BATCH])
                    self.done = min(len(stale), start + BATCH)
                if len(stale) >= ANALYZE_AFTER:
                    self._analyze()
                self.last_error = None
            except Cancelled:  # closed during a rebuild: the next open's check rebuilds
                pass
            except Exception as exc:  # shown by status; the next check tries again
                log.warning("search index check failed: %s", exc)
                self.last_error = str(exc)
            finally:
                self.state = "idle"

    def _trigram_index(self) -> None:
        """Make the vocabulary's trigram index once ``pg_trgm`` is there (installed by the
        server's administrator after revision 0007 could not): wildcards stop scanning."""
        from .vocab import TRIGRAM_INDEX

        with self.library.store.engine.begin() as conn:
            wanted = conn.execute(text(
                "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AND NOT "
                "EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = 'wbsearch' "
                "AND indexname = 'ix_wbsearch_terms_trgm')")).scalar_one()
            if wanted:
                conn.execute(text(TRIGRAM_INDEX))
                self.vocab.trigrams = None

    # --- searching --------------------------------------------------------------------------

    def _compile(self, s: Session, query: Node, filters: Filters,
                 aliases: Mapping[str, Sequence[str]]) -> tuple[Compiler, str, str | None]:
        """The compiler, the SQL of the matching ids, and of the filters' ids (or None)."""
        if self._format < FORMAT:
            self._format = stored_format(s)
        c = Compiler(s, self.vocab, aliases, fmt=self._format)
        sql = c.compile(query)
        allowed = filter_sql(filters, c)
        if allowed is not None:
            sql = f"({sql}) INTERSECT ({allowed})"
        return c, sql, allowed

    def search(self, query: Node, filters: Filters, *, want: int, facets: bool,
               aliases: Mapping[str, Sequence[str]]) -> Matches:
        with self.library.read() as s:
            _tune(s)
            c, sql, allowed = self._compile(s, query, filters, aliases)
            params = dict(c.params)
            params["want"] = max(1, want)
            params["cands"] = max(RANK_CANDIDATES, want)
            one = c.body_only()
            if one is not None:  # the common case: the matching windows counted per document
                within = "" if allowed is None else f" AND doc_id IN ({allowed})"
                params["one"] = one
                sql = ("SELECT doc_id, count(*) AS w FROM wbsearch.body WHERE body @@ "
                       f"CAST(:one AS tsquery){within} GROUP BY doc_id")
            rows = s.execute(text(self._ranked(sql, c, params, facets, one is not None)),
                             params).all()
            total = int(rows[0][2]) if rows else 0
            counts = _facet_counts(rows[0][3] or []) if facets and total else {}
        top = rows[:want]
        notices = tuple(self.vocab.notices)
        self.vocab.notices.clear()
        return Matches(tuple(int(r[0]) for r in top), tuple(float(r[1]) for r in top), total,
                       counts, c.plan.marks(), notices)

    @staticmethod
    def _ranked(sql: str, c: Compiler, params: dict[str, Any], facets: bool = False,
                windows: bool = False) -> str:
        """The best matches of ``sql`` by their positive body terms, with the total and (when
        ``facets``) the facet counts as ``[name, value, count]`` rows: the matches are found
        once for all three (a second statement found a phrase's matches again).

        The total is a count of the matching ids (format 3: the counting rows' GIN index
        answers a word, a prefix, an expansion or a two-word phrase without reading a window;
        a longer phrase reads the windows of the documents holding all its pairs).
        ``ts_rank`` reads every window it ranks, and ranking every match was the cost of a
        frequent word or a short prefix (98 % of a ``vin*`` query): only the
        ``RANK_CANDIDATES`` matches most likely to rank first are ranked: the newest (before
        format 3, when ``windows``: those matching in the most windows, ``sql`` giving each
        id's count ``w``). A query matching fewer documents is ranked in full, as before.
        """
        order = "w DESC, doc_id DESC" if windows else "doc_id DESC"
        if c.rank:
            params["rank"] = " | ".join(f"( {q} )" for q in c.rank)
            # MATERIALIZED: ranked once (the planner, misled by a phrase's estimate, re-ranked
            # every window for each match: seconds at 300 documents)
            ranked = ("r AS MATERIALIZED (SELECT b.doc_id, sum(ts_rank(b.body, "
                      "CAST(:rank AS tsquery))) AS s FROM wbsearch.body b WHERE b.doc_id "
                      "= ANY(ARRAY(SELECT doc_id FROM c)) AND b.body @@ CAST(:rank AS tsquery) "
                      "GROUP BY b.doc_id)")
        else:  # fields only: every match scores alike
            ranked = "r AS (SELECT doc_id, 1.0::real AS s FROM c)"
        counted = ", NULL"
        if facets:
            # d: an index-only scan of ix_wbsearch_docs_facets (revision 0011); the arrays are
            # unnested only where they hold something (one function call a match, otherwise)
            ranked += (", d AS MATERIALIZED (SELECT facet_kind, facet_language, year, "
                       "facet_collections, facet_tags FROM wbsearch.docs JOIN m USING (doc_id))")
            counted = (", (SELECT json_agg(json_build_array(k, v, n)) FROM ("
                       "SELECT 'kind' AS k, facet_kind AS v, count(*) AS n FROM d GROUP BY 2 "
                       "UNION ALL SELECT 'language', facet_language, count(*) FROM d GROUP BY 2 "
                       "UNION ALL SELECT 'year', COALESCE(year::text, ''), count(*) FROM d "
                       "GROUP BY 2 UNION ALL SELECT 'collection', v, count(*) FROM d, "
                       "unnest(facet_collections) v WHERE cardinality(facet_collections) > 0 "
                       "GROUP BY 2 UNION ALL SELECT 'tag', v, count(*) FROM d, "
                       "unnest(facet_tags) v WHERE cardinality(facet_tags) > 0 GROUP BY 2) f)")
        return (f"WITH m AS MATERIALIZED ({sql}), "
                f"c AS MATERIALIZED (SELECT doc_id FROM m ORDER BY {order} LIMIT :cands), "
                f"{ranked} "
                f"SELECT c.doc_id, COALESCE(r.s, 0), (SELECT count(*) FROM m){counted} FROM c "
                "LEFT JOIN r USING (doc_id) ORDER BY 2 DESC, 1 LIMIT :want")

    def document_matches(self, doc_id: int, query: Node,
                         aliases: Mapping[str, Sequence[str]]) -> DocumentMatch:
        with self.library.read() as s:
            _tune(s)
            c, sql, _allowed = self._compile(s, query, Filters(), aliases)
            found = s.execute(text(f"SELECT EXISTS (SELECT 1 FROM ({sql}) m "
                                   "WHERE m.doc_id = :doc)"),
                              {**c.params, "doc": doc_id}).scalar_one()
        self.vocab.notices.clear()
        return DocumentMatch(bool(found), c.plan.marks())

    # --- state ------------------------------------------------------------------------------

    def activity(self) -> Activity:
        out: Activity = {"state": self.state if self.library.writable or self.state != "idle"
                         else "read-only", "done": self.done, "total": self.total,
                         "pending": self._writer.pending(), "last_error": self.last_error,
                         "last_rebuild_reason": self.last_rebuild_reason}
        return out

    def status(self) -> IndexStatus:
        from ...store_pg import safe_url

        out: IndexStatus = {**self.activity()}
        out["path"] = (f"{safe_url(self.library.store.engine.url.render_as_string())} "
                       "(schema wbsearch)")
        try:
            with self.library.read() as s:
                out["indexed_documents"] = int(s.execute(text(
                    "SELECT count(*) FROM wbsearch.docs")).scalar_one())
                out["size_bytes"] = int(s.execute(text(
                    "SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = 'wbsearch' AND c.relkind = 'r'")).scalar_one())
        except Exception as exc:  # status must never fail
            out["indexed_documents"] = None
            out["size_bytes"] = 0
            out["problem"] = str(exc).strip().splitlines()[0]
        try:
            with self.library.read() as s:
                out["database_documents"] = int(s.execute(text(
                    "SELECT count(*) FROM documents")).scalar_one())
        except Exception as exc:
            out.setdefault("problem", str(exc).strip().splitlines()[0])
        return out


def _facet_counts(rows: list[list[Any]]) -> dict[str, tuple[tuple[str, int], ...]]:
    """The most frequent ``FACET_VALUES`` values of each facet, from ``[name, value, n]``."""
    counters: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for name, value, n in rows:
        counters[name][str(value)] += int(n)
    counters["year"].pop("", None)
    counters["language"].pop("", None)
    return {k: tuple(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_VALUES])
            for k, c in counters.items()}


FORMAT_FIELD = "format"  # the vocabulary row holding the rows' format (lexemes.FORMAT)


def stored_format(db: Any) -> int:
    """The format of the index's rows (1 when none is stored: written before formats were);
    ``db`` is a session, a connection or an engine."""
    sql = text(f"SELECT max(df) FROM wbsearch.terms WHERE field = '{FORMAT_FIELD}'")
    if hasattr(db, "connect") and not hasattr(db, "execute"):
        with db.connect() as conn:
            value = conn.execute(sql).scalar_one()
    else:
        value = db.execute(sql).scalar_one()
    return 1 if value is None else int(value)


def analyze(conn: Connection) -> None:
    """Renew the planner's statistics of the search tables (their owner only)."""
    conn.execute(text("ALTER TABLE wbsearch.body ALTER COLUMN body SET STATISTICS "
                      f"{BODY_STATISTICS}"))
    conn.execute(text("ANALYZE wbsearch.docs, wbsearch.body, wbsearch.words, wbsearch.terms"))


def _tune(s: Session) -> None:
    """Planner settings for this search's transaction. The index's pages are the working set
    of a search server, read from memory: a random read costs about what a sequential one
    does (the default 4.0 is a spinning disk's). And ``@@`` on a window is not one cheap
    operator but a walk of a 3 KB ``tsvector``: priced as one, the planner tested every
    window rather than take the GIN index's matches (a 64-term wildcard at 2,000
    documents: 509 ms scanning, 27 ms by the index). JIT compiling pays off only for
    queries running seconds. No scan of a table where an index serves: testing a row of
    lexemes means decompressing it (33 KB a counting row at 30,000 documents), which the
    planner does not price, and it scanned every counting row for a prefix in 92 % of the
    documents (980 MB read, 1.5 s) where the GIN index's matches took 62 ms."""
    s.execute(text("SELECT set_config('random_page_cost', '1.1', true), "
                   "set_config('cpu_operator_cost', '0.05', true), "
                   "set_config('enable_seqscan', 'off', true), "
                   "set_config('jit', 'off', true)"))


def _lock(conn: Connection) -> None:
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": INDEX_LOCK_KEY})


def _delete(conn: Connection, ids: list[int]) -> None:
    """Drop the documents' rows and take their terms out of the vocabulary's counts."""
    if not ids:
        return
    conn.execute(text(
        "WITH gone AS (SELECT 'body' AS field, t AS term, count(DISTINCT b.doc_id) AS n "
        "  FROM wbsearch.body b, unnest(tsvector_to_array(b.body)) t "
        "  WHERE b.doc_id = ANY(:ids) GROUP BY t "
        " UNION ALL SELECT 'title', t, count(*) FROM wbsearch.docs d, "
        "  unnest(tsvector_to_array(d.title)) t WHERE d.doc_id = ANY(:ids) GROUP BY t) "
        "UPDATE wbsearch.terms v SET df = v.df - gone.n FROM gone "
        "WHERE v.field = gone.field AND v.term = gone.term COLLATE \"C\""), {"ids": ids})
    conn.execute(text("DELETE FROM wbsearch.terms WHERE df <= 0"))
    conn.execute(text("DELETE FROM wbsearch.docs WHERE doc_id = ANY(:ids)"), {"ids": ids})


def _insert(conn: Connection, rows: list[Row]) -> None:
    if not rows:
        return
    conn.execute(text(
        "INSERT INTO wbsearch.docs (doc_id, layer_id, text_sha, title, kind, lang, date, "
        "year, sources, collections, tags, facet_kind, facet_language, facet_collections, "
        "facet_tags) VALUES (:doc_id, :layer_id, :text_sha, CAST(:title AS tsvector), :kind, "
        ":lang, :date, :year, :sources, :collections, :tags, :facet_kind, :facet_language, "
        ":facet_collections, :facet_tags)"),
        [{"doc_id": r.doc_id, "layer_id": r.layer_id, "text_sha": r.text_sha,
          "title": r.title, "kind": r.kind, "lang": r.lang, "date": r.date, "year": r.year,
          "sources": r.sources, "collections": r.collections, "tags": r.tags,
          "facet_kind": r.facet_kind, "facet_language": r.facet_language,
          "facet_collections": r.facet_collections, "facet_tags": r.facet_tags}
         for r in rows])
    conn.execute(text(
        "INSERT INTO wbsearch.words (doc_id, words) VALUES (:doc_id, CAST(:words AS tsvector))"),
        [{"doc_id": r.doc_id, "words": r.words} for r in rows])
    conn.execute(text(
        "INSERT INTO wbsearch.body (doc_id, chunk, body) "
        "VALUES (:doc_id, :chunk, CAST(:body AS tsvector))"),
        [{"doc_id": r.doc_id, "chunk": k, "body": b}
         for r in rows for k, b in enumerate(r.body)])
    df: Counter[tuple[str, str]] = Counter()
    for r in rows:
        for fname, ts in r.vocabulary.items():
            df.update((fname, t) for t in ts)
    if df:
        keys = sorted(df)  # one order for every writer: no deadlock between them
        conn.execute(text(
            "INSERT INTO wbsearch.terms (field, term, df) "
            "SELECT * FROM unnest(CAST(:f AS text[]), CAST(:t AS text[]), "
            "CAST(:n AS integer[])) "
            "ON CONFLICT (field, term) DO UPDATE SET df = wbsearch.terms.df + EXCLUDED.df"),
            {"f": [k[0] for k in keys], "t": [k[1] for k in keys], "n": [df[k] for k in keys]})
