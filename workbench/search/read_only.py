"""A search of a personal library's own index by a reader, without the facade.

``workbench search`` is run from scripts, often in loops; the facade (SQLAlchemy, its ORM,
every mixin) costs most of its start-up (docs/PERFORMANCE.md, "Fixed cost of a command").
For a plain library ``workbench.fast_read`` reads the database with plain SQL and hands this
module the three reads a search makes (the alias groups, the hits' titles and text layers,
the number of documents); the query runs through ``hits.run_search``, the facade's own code,
against the Whoosh index opened here as the Whoosh backend opens it for a reader
(``whoosh/hook.py``: ``WhooshBackend.search`` with no writer, whose steps this follows).

It serves only what is plain, and answers None for the rest, which the caller then runs
through the facade, which reports it in its own words: another Whoosh than the verified one,
an index that is missing, damaged, changing while it is opened or behind the database (the
reader's notice that the index is incomplete), a segment whose positions are lost, a phrase
checked in part. A query that cannot be read raises the same ``UserError`` as the facade's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .backend import Filters, Matches, Node
from .hits import Texts, alias_map, run_search
from .results import SearchResult
from .tagged import Highlights


class _NotPlain(Exception):
    """Not for this path: the facade serves it."""


class _Reader:
    """``WhooshBackend.search`` of a library opened read-only, on ``holder``'s searcher."""

    def __init__(self, index_dir: Path, document_count: Callable[[], int]) -> None:
        from .whoosh.engine import SearcherHolder

        self.holder = SearcherHolder(index_dir)
        self.document_count = document_count

    def search(self, query: Node, filters: Filters, *, want: int, facets: bool,
               aliases: Mapping[str, Sequence[str]]) -> Matches:
        from .whoosh import sidecar, whoosh_pin
        from .whoosh.engine import IndexProblem
        from .whoosh.evaluate import checked_in_part, document_ids
        from .whoosh.query import compile_query

        if not filters.empty or whoosh_pin.problem() is not None:
            raise _NotPlain()
        with self.holder.lock:
            try:
                searcher = self.holder.get()
            except IndexProblem:  # missing, damaged, or busy: the facade's words
                raise _NotPlain() from None
            q, plan = compile_query(query, searcher.reader(), aliases)
            if self.document_count() > searcher.doc_count():
                raise _NotPlain()  # behind the database: the reader's notice says so
            if not searcher.doc_count_all():  # an empty index has no columns
                return Matches((), (), 0, {}, plan.marks(), ())
            try:
                top, total, docset = self._run(searcher, q, want, facets)
            except sidecar.PositionsLost:
                raise _NotPlain() from None
            ids, scores = document_ids(self.holder, searcher, top, want)
            counts = self._facets(searcher, docset) if docset else {}
        if checked_in_part(q):
            raise _NotPlain()  # a phrase checked in part: the facade's notice
        return Matches(tuple(ids), tuple(scores), total,
                       {k: tuple(v) for k, v in counts.items()}, plan.marks(), ())

    def _run(self, searcher: Any, q: Any, want: int,
             facets: bool) -> tuple[list[tuple[float, int]], int, Any]:
        from .whoosh.evaluate import best_matches

        return best_matches(searcher, q, want, facets, self.holder.lengths)

    def _facets(self, searcher: Any, docnums: Any) -> dict[str, list[tuple[str, int]]]:
        from .whoosh import facets

        return facets.count(self.holder.facet_table(searcher), docnums)


def search_read_only(index_dir: Path, query: str, *, limit: int, offset: int, facets: bool,
                     alias_groups: Callable[[], list[list[str]]],
                     texts: Callable[[list[int]], Texts],
                     document_count: Callable[[], int],
                     highlights: Callable[[list[int]], Highlights] | None = None,
                     ) -> SearchResult | None:
    """``Workbench.search(query, limit, offset, facets=facets)`` of a personal library opened
    read-only, or None where the facade must answer (see the module's docstring).
    ``alias_groups``, ``texts`` and ``document_count`` read the database: its alias groups'
    terms (as ``hits.library_aliases`` reads them), ``hits.load_texts`` of some ids, and how
    many documents it holds; ``highlights``, ``tagged.load_highlights`` of some ids."""
    reader = _Reader(index_dir, document_count)
    try:
        return run_search(lambda: reader, query, limit, offset, None, facets=facets,
                          snippets=True, aliases=lambda: alias_map(alias_groups()),
                          texts=texts, highlights=highlights)
    except _NotPlain:
        return None
    finally:
        reader.holder.close()
