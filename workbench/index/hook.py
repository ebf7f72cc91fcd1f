"""``SearchIndex``: the library's index hook and the one object that searches.

A writable library gets a writer thread (``writer.IndexWorker``) that first checks the index
against the database and repairs or rebuilds it in the background; a read-only library only
reads whatever index is on disk. Searches share one cached searcher. With another Whoosh than
the verified one (``whoosh_pin``) there is no writer and every search says so: the index on
disk is neither read nor written until the verified version is back (edits made meanwhile are
kept for the next writer, ``pending.py``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from whoosh import query as wq
from whoosh.searching import Searcher

from ..errors import UserError
from ..library import Library
from ..models import AliasGroup, Document, Page, TextLayer
from . import facets, pending, sidecar, whoosh_pin
from .bulkquery import BulkEval, Unsupported, best
from .engine import IndexBusy, IndexProblem, SearcherHolder, read_pointer
from .parse import parse
from .query import Plan, alias_map, compile_query
from .results import DocumentMatches, SearchHit, SearchResult
from .schema import SCHEMA_VERSION, decode_stamp, keyword
from .snippets import make_snippets, match_spans, page_of

if TYPE_CHECKING:  # the writer loads with a writable library: a reader only searches
    from .writer import IndexWorker

MAX_LIMIT = 1000
SNIPPET_SCAN = 2_000_000


class SearchIndex:
    def __init__(self, library: Library) -> None:
        self.library = library
        self.holder = SearcherHolder(library.index_dir)
        self.worker: IndexWorker | None = None
        # Why the index may not be touched at all (another Whoosh), else None.
        self.refused = whoosh_pin.problem()
        if library.writable and self.refused is None:
            from .writer import IndexWorker

            self.worker = IndexWorker(library, on_commit=lambda: None)
            self.worker.request_check()
            kept = pending.take(library.index_dir)  # edits made while search was refused
            if kept is None:
                self.worker.request_rebuild("edits made while search was off are unreadable")
            else:
                self.worker.changed(kept[0])
                self.worker.removed(kept[1])

    # --- the IndexHook protocol -------------------------------------------------------------

    def documents_changed(self, ids: list[int]) -> None:
        if self.worker is not None and ids:
            self.worker.changed(ids)
        elif self.refused is not None and ids and self.library.writable:
            pending.remember(self.library.index_dir, ids, [])

    def documents_removed(self, ids: list[int]) -> None:
        if self.worker is not None and ids:
            self.worker.removed(ids)
        elif self.refused is not None and ids and self.library.writable:
            pending.remember(self.library.index_dir, [], ids)

    def close(self) -> None:
        try:
            if self.worker is not None:
                self.worker.close()
        finally:
            self.holder.close()

    def wait_idle(self, timeout: float | None = None) -> bool:
        return True if self.worker is None else self.worker.wait_idle(timeout)

    # --- searching --------------------------------------------------------------------------

    def _searcher(self) -> Searcher:
        whoosh_pin.check()  # before any index file is read: no rebuild can help here
        try:
            return self.holder.get()
        except IndexBusy as exc:  # a stream of commits, not damage: no rebuild
            raise UserError("The search index changed while the search opened it",
                            "try again in a moment") from exc
        except IndexProblem as exc:
            if self.worker is not None and not self.worker.idle:
                p = self.worker.progress
                raise UserError(f"The search index is being built ({p.done:,} of {p.total:,} "
                                "documents)", "try again in a moment") from exc
            if self.worker is not None:
                self.worker.request_rebuild(exc.reason)
                raise UserError("The search index was damaged and is being rebuilt",
                                "try again in a moment") from exc
            raise UserError(f"The search index is not usable ({exc.reason})",
                            "run `workbench reindex`, or open the library for writing") from exc

    def _incomplete(self, searcher: Searcher) -> str | None:
        """What a search must say when the index lacks documents the database holds: it
        could not be written (the library's disk is full), or this reader's index has not
        caught up (another process writes, or the folder is read-only). None otherwise, and
        while a healthy writer of this process catches up (it adds them in a moment)."""
        worker = self.worker
        if worker is not None and not worker.incomplete:
            return None
        with self.library.read() as s:
            total = int(s.execute(select(func.count(Document.id))).scalar_one())
        missing = total - searcher.doc_count()
        if missing <= 0:
            return None
        lack = (f"The search index is incomplete: {missing:,} of {total:,} document"
                f"{'' if total == 1 else 's'} {'is' if missing == 1 else 'are'} not in it")
        if worker is None:  # opened read-only: the next writer brings the index up to date
            return (f"{lack} yet; results may be missing them (the index catches up when the "
                    "library is next opened for writing).")
        return (f"{lack} (it could not be written: {worker.write_problem}); results may be "
                "missing them. Run `workbench reindex` once the library can be written.")

    def _aliases(self) -> dict[str, list[str]]:
        with self.library.read() as s:
            return alias_map([list(t or []) for t in s.execute(select(AliasGroup.terms))
                              .scalars()])

    def search(self, query: str, limit: int = 20, offset: int = 0,
               filters: dict[str, Any] | None = None, facets: bool = True,
               snippets: bool = True) -> SearchResult:
        started = time.perf_counter()
        limit, offset = max(0, min(int(limit), MAX_LIMIT)), max(0, int(offset))
        node, notice = parse(query)
        aliases = self._aliases()
        with self.holder.lock:
            searcher = self._searcher()
            q, plan = compile_query(node, searcher.reader(), aliases)
            fq = filter_query(filters)
            if fq is not None:
                q = wq.And([q, fq])
            lacking = self._incomplete(searcher)
            if lacking:
                notice = ((notice + " ") if notice else "") + lacking
            if not searcher.doc_count_all():  # an empty index has no columns
                return SearchResult(query, 0, [], {}, offset, limit, notice)
            top, total, docset = self._run(searcher, q, offset + limit, facets)
            stamps = self.holder.column(searcher, "stamp")
            page: list[tuple[int, float]] = []
            for score, docnum in top[offset:offset + limit]:
                st = decode_stamp(stamps[docnum])
                if st is not None:
                    page.append((st[0], float(score)))
            counts = self._facets(searcher, docset) if docset else {}
        if any(getattr(x, "incomplete", False) for x in q.leaves()) or \
                getattr(q, "incomplete", False):
            notice = ((notice + " ") if notice else "") + (
                "A phrase of very common words was checked in part only: the results are "
                "correct but may be incomplete.")
        hits, gone = self._hits(page, plan, snippets)
        return SearchResult(query, max(0, total - gone), hits, counts, offset, limit, notice,
                            (time.perf_counter() - started) * 1000)

    def _run(self, searcher: Searcher, q: wq.Query, want: int,
             facets: bool) -> tuple[list[tuple[float, int]], int, Any]:
        """Best ``want`` matches as (score, docnum), the total, and every match (for facets).

        The common shapes go through ``BulkEval`` (one pass, whole posting lists); others
        through Whoosh's collector, which counts with a second pass over the matches.
        """
        try:
            docs, scores = BulkEval(searcher, self.holder.lengths).matches(q)
        except Unsupported:
            results = searcher.search(q, limit=max(1, want))
            docset = results.docs() if facets else None
            total = len(docset) if docset is not None else len(results)
            return [(float(s), d) for s, d in results.top_n], total, docset
        return best(docs, scores, max(1, want)), len(docs), docs.tolist() if facets else None

    def _facets(self, searcher: Searcher, docnums: Any) -> dict[str, list[tuple[str, int]]]:
        return facets.count(self.holder.facet_table(searcher), docnums)

    def _hits(self, page: list[tuple[int, float]], plan: Plan,
              want_snippets: bool) -> tuple[list[SearchHit], int]:
        if not page:
            return [], 0
        ids = [i for i, _ in page]
        texts = load_texts(self.library, ids)
        hits, gone = [], 0
        for doc_id, score in page:
            row = texts.get(doc_id)
            if row is None:  # deleted behind the index's back: the database wins
                gone += 1
                continue
            title, kind, layer_id, text, pages = row
            # Snippets come from the first SNIPPET_SCAN characters: a 50 MB text layer must not
            # cost seconds per hit (search_in_document still reads all of it).
            spans = match_spans(text[:SNIPPET_SCAN], plan) if want_snippets else []
            snips = make_snippets(text, spans, pages) if spans else []
            first = snips[0] if snips else None
            hits.append(SearchHit(
                document_id=doc_id, title=title, score=score, layer_id=layer_id,
                page=first.page if first else (page_of(pages, 0) if pages else None),
                snippet=first.text if first else text[:200],
                spans=list(first.spans) if first else [], snippets=snips, kind=kind))
        return hits, gone

    def search_in_document(self, doc_id: int, query: str) -> DocumentMatches:
        node, _notice = parse(query)
        aliases = self._aliases()
        with self.holder.lock:
            searcher = self._searcher()
            q, plan = compile_query(node, searcher.reader(), aliases)
            mine = wq.And([q, wq.Term("id", str(doc_id))])
            matches = searcher.doc_count_all() > 0 and bool(searcher.search(mine, limit=1))
        row = load_texts(self.library, [doc_id]).get(doc_id)
        if row is None:
            raise UserError(f"Document {doc_id} has no text layer")
        _title, _kind, layer_id, text, pages = row
        spans = match_spans(text, plan)
        return DocumentMatches(doc_id, layer_id or 0, query, matches, spans,
                               [page_of(pages, s) for s, _e in spans])

    # --- status -----------------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        from .writer import describe

        out = describe(self.worker)
        if self.refused is not None:  # "problem" below says why
            out["state"] = "unavailable"
        ptr = read_pointer(self.library.index_dir) or {}
        out.update({"schema": SCHEMA_VERSION, "generation": ptr.get("current"),
                    "path": str(self.library.index_dir)})
        try:
            with self.holder.lock:
                s = self._searcher_quiet()
                out["indexed_documents"] = s.doc_count() if s else None
                leaves = [leaf for leaf, _base in s.reader().leaf_readers()] if s else []
                out["segments"] = len(leaves)
                out["segments_with_sidecar"] = sum(sidecar.for_leaf(x) is not None
                                                   for x in leaves)
        except Exception as exc:  # status must never fail
            out["indexed_documents"] = None
            out["problem"] = str(exc)
        with self.library.read() as s2:
            out["database_documents"] = len(s2.execute(select(Document.id)).all())
        out["size_bytes"] = sum(p.stat().st_size for p in self.library.index_dir.rglob("*")
                                if p.is_file()) if self.library.index_dir.exists() else 0
        return out

    def _searcher_quiet(self) -> Searcher | None:
        try:
            return self.holder.get()
        except IndexProblem:
            return None


def filter_query(filters: dict[str, Any] | None) -> wq.Query | None:
    """``{"collection": "Case A", "tag": [...], "kind": "pdf", "language": "en", "year": 2022}``."""
    if not filters:
        return None
    parts: list[wq.Query] = []
    for key, value in filters.items():
        values = value if isinstance(value, list | tuple | set) else [value]
        if key in ("collection", "tag"):
            parts.append(wq.Or([wq.Term(key, keyword(str(v))) for v in values]))
        elif key in ("kind", "lang", "language"):
            from .analysis import fold

            parts.append(wq.Or([wq.Term("kind" if key == "kind" else "lang", fold(str(v)))
                                for v in values]))
        elif key == "year":
            parts.append(wq.Or([wq.Term("year", f"{int(v):04d}") for v in values]))
        else:
            raise UserError(f"Unknown search filter {key!r}",
                            "use collection, tag, kind, language or year")
    return wq.And(parts)


def load_texts(library: Library, ids: list[int]
               ) -> dict[int, tuple[str, str, int | None, str, list[tuple[int, int, int]]]]:
    """Title, kind, latest layer id, its text and its pages, for each id that still exists."""
    with library.read() as s:
        docs = {i: (t, k) for i, t, k in s.execute(
            select(Document.id, Document.title, Document.kind).where(Document.id.in_(ids)))}
        latest = (select(TextLayer.document_id, func.max(TextLayer.version).label("v"))
                  .where(TextLayer.document_id.in_(list(docs)))
                  .group_by(TextLayer.document_id).subquery())
        layers: dict[int, tuple[int, int, str]] = {}
        for lid, did, ver, text in s.execute(
                select(TextLayer.id, TextLayer.document_id, TextLayer.version, TextLayer.text)
                .join(latest, (latest.c.document_id == TextLayer.document_id)
                      & (latest.c.v == TextLayer.version))):
            layers[did] = (lid, ver, text)
        pages: dict[int, list[tuple[int, int, int]]] = {}
        layer_ids = [v[0] for v in layers.values()]
        for lid, n, a, b in s.execute(select(Page.layer_id, Page.number, Page.start, Page.end)
                                      .where(Page.layer_id.in_(layer_ids))
                                      .order_by(Page.number)):
            pages.setdefault(lid, []).append((n, a, b))
    out = {}
    for doc_id, (title, kind) in docs.items():
        lid, _v, text = layers.get(doc_id, (None, 0, ""))
        out[doc_id] = (title, kind, lid, text, pages.get(lid, []) if lid else [])
    return out
