"""``WhooshBackend``: the Whoosh engine behind ``backend.SearchBackend``, and the library's
index hook.

A writable library gets a writer thread (``writer.IndexWorker``) that first checks the index
against the database and repairs or rebuilds it in the background; a read-only library only
reads whatever index is on disk. Searches share one cached searcher. With another Whoosh than
the verified one (``whoosh_pin``) there is no writer and every search says so: the index on
disk is neither read nor written until the verified version is back (edits made meanwhile are
kept for the next writer, ``pending.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from whoosh import query as wq
from whoosh.searching import Searcher

from ...errors import Cancelled, UserError
from ...library import Library
from ...models import Document
from ..analysis import fold, keyword
from ..backend import (
    Activity,
    CancelFn,
    DocumentMatch,
    Filters,
    IndexStatus,
    Matches,
    Node,
    ProgressFn,
)
from . import facets, pending, sidecar, whoosh_pin
from .engine import IndexBusy, IndexProblem, SearcherHolder, read_pointer
from .evaluate import best_matches, checked_in_part, document_ids
from .query import compile_query
from .schema import SCHEMA_VERSION

if TYPE_CHECKING:  # the writer loads with a writable library: a reader only searches
    from .writer import IndexWorker

INCOMPLETE_PHRASE = ("A phrase of very common words was checked in part only: the results are "
                     "correct but may be incomplete.")


class WhooshBackend:
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

    def _lost(self, exc: sidecar.PositionsLost) -> UserError:
        """A segment's positions were in a sidecar that is gone: phrases cannot be checked
        until the index is rebuilt (the writer's check does so; a writer starts it now)."""
        if self.worker is not None:
            self.worker.request_rebuild(f"damaged ({exc})")
            return UserError("The search index was damaged and is being rebuilt",
                             "try again in a moment")
        return UserError(f"The search index is damaged ({exc}): phrases cannot be checked "
                         "until it is rebuilt",
                         "it is rebuilt when the library is next opened for writing, or run "
                         "`workbench reindex`")

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

    def search(self, query: Node, filters: Filters, *, want: int, facets: bool,
               aliases: Mapping[str, Sequence[str]]) -> Matches:
        notices: list[str] = []
        with self.holder.lock:
            searcher = self._searcher()
            q, plan = compile_query(query, searcher.reader(), aliases)
            fq = filter_query(filters)
            if fq is not None:
                q = wq.And([q, fq])
            lacking = self._incomplete(searcher)
            if lacking:
                notices.append(lacking)
            if not searcher.doc_count_all():  # an empty index has no columns
                return Matches((), (), 0, {}, plan.marks(), tuple(notices))
            try:
                top, total, docset = self._run(searcher, q, want, facets)
            except sidecar.PositionsLost as exc:
                raise self._lost(exc) from exc
            ids, scores = document_ids(self.holder, searcher, top, want)
            counts = self._facets(searcher, docset) if docset else {}
        if checked_in_part(q):
            notices.append(INCOMPLETE_PHRASE)
        return Matches(tuple(ids), tuple(scores), total,
                       {k: tuple(v) for k, v in counts.items()}, plan.marks(), tuple(notices))

    def _run(self, searcher: Searcher, q: wq.Query, want: int,
             facets: bool) -> tuple[list[tuple[float, int]], int, Any]:
        return best_matches(searcher, q, want, facets, self.holder.lengths)

    def _facets(self, searcher: Searcher, docnums: Any) -> dict[str, list[tuple[str, int]]]:
        return facets.count(self.holder.facet_table(searcher), docnums)

    def document_matches(self, doc_id: int, query: Node,
                         aliases: Mapping[str, Sequence[str]]) -> DocumentMatch:
        with self.holder.lock:
            searcher = self._searcher()
            q, plan = compile_query(query, searcher.reader(), aliases)
            mine = wq.And([q, wq.Term("id", str(doc_id))])
            try:
                matches = searcher.doc_count_all() > 0 and bool(searcher.search(mine, limit=1))
            except sidecar.PositionsLost as exc:
                raise self._lost(exc) from exc
        return DocumentMatch(matches, plan.marks())

    # --- rebuild and check --------------------------------------------------------------------

    def rebuild(self, progress: ProgressFn | None = None, cancel: CancelFn = None) -> None:
        whoosh_pin.check()  # another Whoosh: no writer, and a rebuild would write wrongly
        worker = self.worker
        if worker is None:
            raise UserError("The search index cannot be rebuilt by a reader",
                            "open the library for writing")
        worker.request_rebuild("requested")
        while not worker.wait_idle(0.1):
            if progress is not None:
                progress(worker.progress.done, worker.progress.total)
            stop = cancel() if callable(cancel) else getattr(cancel, "cancelled", False)
            if stop:
                worker.cancel_rebuild()
                worker.wait_idle(30)
                raise Cancelled()
        if progress is not None:
            total = self.status().get("indexed_documents") or 0
            progress(total, total)
        if worker.last_error:
            raise UserError(f"Rebuilding the search index failed: {worker.last_error}")

    def check(self) -> None:
        if self.worker is not None:
            self.worker.request_check()

    def activity(self) -> Activity:
        from .writer import describe

        out = describe(self.worker)
        if self.refused is not None:
            out["state"] = "unavailable"
        return out

    # --- status -----------------------------------------------------------------------------

    def status(self) -> IndexStatus:
        out: IndexStatus = {**self.activity()}  # with another Whoosh, "problem" says why
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


def filter_query(filters: Filters) -> wq.Query | None:
    """The Whoosh query for ``filters`` (None: no filter)."""
    if filters.empty:
        return None
    parts: list[wq.Query] = []
    for name, values in (("collection", filters.collections), ("tag", filters.tags)):
        if values:
            parts.append(wq.Or([wq.Term(name, keyword(v)) for v in values]))
    for name, values in (("kind", filters.kinds), ("lang", filters.languages)):
        if values:
            parts.append(wq.Or([wq.Term(name, fold(v)) for v in values]))
    if filters.years:
        parts.append(wq.Or([wq.Term("year", f"{y:04d}") for y in filters.years]))
    return wq.And(parts)
