"""Search as the facade exposes it: queries, find-in-document, reindex, aliases, saved searches.

``SearchMixin`` is one part of ``services.Workbench``. Everything it returns is plain data
(dataclasses with ``to_json``, dicts, lists); alias and saved-search changes are one
transaction each with an audit event and return a ``Changes`` value.
"""

from __future__ import annotations

from typing import Any, TypedDict

from sqlalchemy import select

from .. import audit
from ..changes import Changes
from ..errors import UserError
from ..library import Library
from ..models import AliasGroup, SavedSearch
from .backend import Activity, CancelFn, IndexStatus, ProgressFn, SearchBackend
from .results import DocumentMatches, SearchResult


class AliasGroupInfo(TypedDict):
    id: int
    name: str
    terms: list[str]


class SavedSearchInfo(TypedDict):
    id: int
    name: str
    query: str
    created_at: str


class SearchMixin:
    library: Library

    def _index(self) -> SearchBackend:
        idx = self.library.index
        if not isinstance(idx, SearchBackend):
            raise UserError("This library was opened without its search index")
        return idx

    # --- searching --------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20, offset: int = 0,
               filters: dict[str, Any] | None = None, *, facets: bool = True,
               collapse_copies: bool = False, snippets: bool = True) -> SearchResult:
        """Ranked documents matching ``query`` (see docs/cli/search.md for the language).

        ``filters`` narrows by facet values: ``{"collection": ..., "tag": ..., "kind": ...,
        "language": ..., "year": ...}`` (a value or a list of values). Raises ``UserError`` for
        a query that cannot be read; broken syntax is read as plain words (``result.notice``).
        ``collapse_copies``: a hit whose document is a copy of a better hit on the same page
        is folded into it (``SearchHit.copies``). ``snippets=False``: hits without snippets
        or spans (callers that want only the documents).
        """
        from .hits import library_aliases, load_texts, run_search
        from .tagged import load_highlights

        # run_search is shared with `workbench search`'s read without the facade
        # (read_only.py): what changes here changes there.
        result = run_search(self._index, query, limit, offset, filters, facets=facets,
                            snippets=snippets, aliases=lambda: library_aliases(self.library),
                            texts=lambda ids: load_texts(self.library, ids),
                            highlights=lambda ids: load_highlights(self.library, ids))
        if collapse_copies:
            from ..copies.collapse import collapse

            result.hits = collapse(self.library, result.hits)
        return result

    def search_in_document(self, doc_ref: str | int, query: str) -> DocumentMatches:
        """Every match of ``query`` in one document's latest text layer, in order."""
        from ..document_queries import resolve_document
        from .hits import library_aliases, load_texts
        from .parse import parse
        from .snippets import match_spans, page_of

        with self.library.read() as s:
            doc_id = resolve_document(s, doc_ref).id
        node, _notice = parse(query)
        found = self._index().document_matches(doc_id, node, library_aliases(self.library))
        row = load_texts(self.library, [doc_id]).get(doc_id)
        if row is None:
            raise UserError(f"Document {doc_id} has no text layer")
        _title, _kind, layer_id, text, pages = row
        spans = match_spans(text, found.marks)
        return DocumentMatches(doc_id, layer_id or 0, query, found.matches, spans,
                               [page_of(pages, s) for s, _e in spans])

    # --- the index itself -------------------------------------------------------------------

    def index_status(self) -> IndexStatus:
        """State (idle, checking, indexing, rebuilding, read-only), progress and sizes, and
        which backend serves (``backend``: ``whoosh``, or ``postgres`` for a shared library
        searched by its server)."""
        idx = self._index()
        return {"backend": str(getattr(idx, "name", "whoosh")), **idx.status()}

    def index_activity(self) -> Activity:
        """The index writer's state and progress only (cheap enough to poll)."""
        return self._index().activity()

    def wait_for_index(self, timeout: float | None = 30.0) -> bool:
        """Block until the writer has nothing queued; False if ``timeout`` ran out first."""
        return self._index().wait_idle(timeout)

    def reindex(self, progress: ProgressFn | None = None, cancel: CancelFn = None) -> Changes:
        """Rebuild the index from the database and wait for it (searches work meanwhile).

        ``cancel`` is an object with a ``cancelled`` attribute (``progress.CancelToken``) or a
        callable returning True to stop; the old index then stays in use.
        """
        self.library.require_writable()
        self._index().rebuild(progress, cancel)
        return Changes(index=True)

    # --- alias groups -----------------------------------------------------------------------

    def add_alias_group(self, name: str, terms: list[str]) -> Changes:
        """Create or replace the group ``name``: any of ``terms`` finds all of them."""
        clean = [t.strip() for t in terms if t and t.strip()]
        name = name.strip()
        if not name or len(clean) < 2:
            raise UserError("An alias group needs a name and at least two spellings")
        with self.library.transaction() as s:
            row = s.execute(select(AliasGroup).where(AliasGroup.name == name)).scalar_one_or_none()
            event = audit.MODIFICATION if row else audit.CREATION
            if row is None:
                row = AliasGroup(name=name, terms=clean)
                s.add(row)
            else:
                row.terms = clean
            s.flush()
            audit.record(s, event, "alias_group", row.id, {"name": name, "terms": len(clean)})
        return Changes(searches=True)

    def list_alias_groups(self) -> list[AliasGroupInfo]:
        with self.library.read() as s:
            return [{"id": g.id, "name": g.name, "terms": list(g.terms or [])}
                    for g in s.execute(select(AliasGroup).order_by(AliasGroup.name)).scalars()]

    def delete_alias_group(self, name: str) -> Changes:
        with self.library.transaction() as s:
            row = s.execute(select(AliasGroup).where(AliasGroup.name == name)).scalar_one_or_none()
            if row is None:
                raise UserError(f"No alias group named {name!r}", "see `workbench alias list`")
            audit.record(s, audit.DELETION, "alias_group", row.id, {"name": name})
            s.delete(row)
        return Changes(searches=True)

    # --- saved searches ---------------------------------------------------------------------

    def save_search(self, name: str, query: str) -> Changes:
        """Store ``query`` under ``name`` (replacing an earlier one); the query must parse."""
        from .parse import parse

        name = name.strip()
        if not name:
            raise UserError("A saved search needs a name")
        parse(query)
        with self.library.transaction() as s:
            row = s.execute(select(SavedSearch).where(SavedSearch.name == name)
                            ).scalar_one_or_none()
            event = audit.MODIFICATION if row else audit.CREATION
            if row is None:
                row = SavedSearch(name=name, query=query)
                s.add(row)
            else:
                row.query = query
            s.flush()
            audit.record(s, event, "saved_search", row.id, {"name": name})
        return Changes(searches=True)

    def list_saved_searches(self) -> list[SavedSearchInfo]:
        with self.library.read() as s:
            rows = s.execute(select(SavedSearch).order_by(SavedSearch.name)).scalars()
            return [{"id": r.id, "name": r.name, "query": r.query,
                     "created_at": r.created_at.isoformat().replace("+00:00", "Z")}
                    for r in rows]

    def delete_saved_search(self, name: str) -> Changes:
        with self.library.transaction() as s:
            row = s.execute(select(SavedSearch).where(SavedSearch.name == name)
                            ).scalar_one_or_none()
            if row is None:
                raise UserError(f"No saved search named {name!r}",
                                "see `workbench saved-search list`")
            audit.record(s, audit.DELETION, "saved_search", row.id, {"name": name})
            s.delete(row)
        return Changes(searches=True)

