"""The other copies a citation names: each with what identifies it and its SHA-256, so a
reader can find and check every capture of the cited text."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..models import CollectionRecord, Document, DocumentCopy
from ..records import record_of
from .service import CONFIRMED, REJECTED


def cited_copies(s: Session, doc_id: int) -> tuple[tuple[str, str], ...]:
    """``(label, sha256)`` of each other copy (found or confirmed), confirmed first, then
    the most similar; the label is the copy's kind and source URL, else its file name."""
    rows = s.execute(select(DocumentCopy).where(
        or_(DocumentCopy.first_id == doc_id, DocumentCopy.second_id == doc_id),
        DocumentCopy.status != REJECTED)).scalars().all()
    rows = sorted(rows, key=lambda r: (r.status != CONFIRMED, -r.similarity,
                                       r.first_id + r.second_id))
    out: list[tuple[str, str]] = []
    for row in rows:
        other = s.get(Document, row.second_id if row.first_id == doc_id else row.first_id)
        if other is None:
            continue
        rec = s.execute(select(CollectionRecord).where(
            CollectionRecord.document_id == other.id)).scalar_one_or_none()
        where = record_of(other, rec).value("source_url") or \
            other.original_filename.rsplit("/", 1)[-1]
        out.append((f"{other.kind} {where}", other.sha256))
    return tuple(out)
