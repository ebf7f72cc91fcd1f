"""Search hits with their copies folded in: one hit per text, not one per capture of it."""

from __future__ import annotations

from sqlalchemy import select

from ..library import Library
from ..models import DocumentCopy
from ..search.results import SearchHit
from .service import REJECTED


def collapse(library: Library, hits: list[SearchHit]) -> list[SearchHit]:
    """``hits`` (best first) without those whose document is a copy (found or confirmed) of
    a better hit, each listed in that hit's ``copies`` instead. Only the hits given are
    folded: a page of results stays a page (it may hold fewer hits)."""
    ids = [h.document_id for h in hits]
    if len(ids) < 2:
        return hits
    with library.read() as s:
        rows = s.execute(select(DocumentCopy.first_id, DocumentCopy.second_id).where(
            DocumentCopy.first_id.in_(ids), DocumentCopy.second_id.in_(ids),
            DocumentCopy.status != REJECTED)).all()
    pairs: dict[int, set[int]] = {}
    for a, b in rows:
        pairs.setdefault(int(a), set()).add(int(b))
        pairs.setdefault(int(b), set()).add(int(a))
    kept: list[SearchHit] = []
    for hit in hits:
        others = pairs.get(hit.document_id, set())
        into = next((k for k in kept if k.document_id in others), None)
        if into is None:
            hit.copies = []
            kept.append(hit)
        else:
            into.copies.append(hit.document_id)
    return kept
