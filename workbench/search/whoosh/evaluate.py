"""The best matches of a compiled query in one searcher: what the backend and the read-only
search path (``search/read_only.py``, which must not load SQLAlchemy) both run.

Kept apart from ``hook.py`` because that module imports the library and SQLAlchemy; and
``bulkquery`` (numpy) is imported only when a query is evaluated, never by attaching.
"""

from __future__ import annotations

from typing import Any


def best_matches(searcher: Any, q: Any, want: int, facets: bool,
                 lengths: Any) -> tuple[list[tuple[float, int]], int, Any]:
    """Best ``want`` matches as (score, docnum), the total, and every match (for facets).

    The common shapes go through ``BulkEval`` (one pass, whole posting lists); others
    through Whoosh's collector, which counts with a second pass over the matches.
    ``lengths`` is the searcher holder's field-length reader.
    """
    from .bulkquery import BulkEval, Unsupported, best

    try:
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
