"""The best matches of a compiled query in one searcher: what the backend and the read-only
search path (``search/read_only.py``, which must not load SQLAlchemy) both run.

Kept apart from ``hook.py`` because that module imports the library and SQLAlchemy; and
``bulkquery`` (numpy) is imported only when a query of a large index is evaluated, never by
attaching: a small one is evaluated by ``plain_eval`` (no numpy, same results).
"""

from __future__ import annotations

from typing import Any


def best_matches(searcher: Any, q: Any, want: int, facets: bool,
                 lengths: Any) -> tuple[list[tuple[float, int]], int, Any]:
    """Best ``want`` matches as (score, docnum), the total, and every match (for facets).

    The common shapes go through ``BulkEval`` (one pass, whole posting lists), or for a
    small index ``PlainEval``; others through Whoosh's collector, which counts with a second
    pass over the matches. ``lengths`` is the searcher holder's field-length reader.
    """
    from . import plain_eval
    from .plain_eval import Unsupported

    try:
        if plain_eval.fits(searcher):
            found, values = plain_eval.PlainEval(searcher, lengths).matches(q)
            top = plain_eval.best(found, values, max(1, want))
            return top, len(found), found if facets else None
        from .bulkquery import BulkEval, best

        docs, scores = BulkEval(searcher, lengths).matches(q)
    except Unsupported:
        results = searcher.search(q, limit=max(1, want))
        docset = results.docs() if facets else None
        total = len(docset) if docset is not None else len(results)
        return [(float(s), d) for s, d in results.top_n], total, docset
    return best(docs, scores, max(1, want)), len(docs), docs.tolist() if facets else None


def document_ids(holder: Any, searcher: Any, top: list[tuple[float, int]],
                 want: int) -> tuple[list[int], list[float]]:
    """The library's document ids and scores of the first ``want`` of ``top`` (score,
    docnum), read from each match's stamp; a match without one is left out."""
    from .schema import decode_stamp

    stamps = holder.column(searcher, "stamp")
    ids: list[int] = []
    scores: list[float] = []
    for score, docnum in top[:want]:
        st = decode_stamp(stamps[docnum])
        if st is not None:
            ids.append(st[0])
            scores.append(float(score))
    return ids, scores


def checked_in_part(q: Any) -> bool:
    """Whether a phrase of ``q`` was checked only in part (too many candidates)."""
    return any(getattr(x, "incomplete", False) for x in q.leaves()) or \
        getattr(q, "incomplete", False)
