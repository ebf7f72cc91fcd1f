"""``CopiesMixin``: a document's other copies, the user's word on them, and their differences."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from .. import audit
from ..changes import Changes
from ..document_queries import iso, resolve_document
from ..errors import UserError
from ..library import Library
from ..models import CopySignature, Document, DocumentCopy, TextLayer
from ..records import record_of

__all__ = ["CopiesMixin"]

# A pair's status: found by the library, or the user's word.
FOUND, CONFIRMED, REJECTED = "found", "confirmed", "rejected"
STATUSES = (FOUND, CONFIRMED, REJECTED)


class CopiesMixin:
    library: Library

    def find_copies(self, doc_ids: list[int] | None = None, progress: Any = None,
                    cancel: Any = None) -> dict[str, int]:
        """Sign ``doc_ids`` (None: every document lacking a signature of its latest text, as
        in a library from before copies were found) and record their copies.
        ``progress(done, total)``; ``cancel``: a ``CancelToken`` or a callable."""
        from .finder import find_copies

        found = find_copies(self.library, doc_ids, progress, cancel)
        return {"signed": found["signed"], "pairs": found["pairs"]}

    def copies(self, doc_ref: str | int, include_rejected: bool = False
               ) -> list[dict[str, Any]]:
        """The document's other copies (found or confirmed), best first; with
        ``include_rejected`` also the pairs the user said are not copies (status
        "rejected", listed last), so that a window can offer to undo that word."""
        with self.library.read() as s:
            doc_id = resolve_document(s, doc_ref).id
            stale = self.library.writable and _stale(s, doc_id)
        if stale:  # a new text layer since it was signed: sign it again first
            from .finder import find_copies

            find_copies(self.library, [doc_id])
        with self.library.read() as s:
            rows = _pairs(s, doc_id, include_rejected)
            out = []
            for other_id, similarity, status in rows:
                other = s.get(Document, other_id)
                if other is None:
                    continue
                rec = other.collection_record
                out.append({
                    "document_id": other.id, "title": other.title, "kind": other.kind,
                    "original_filename": other.original_filename,
                    "source_url": record_of(other, rec).value("source_url"),
                    "captured_at": iso(rec.captured_at) if rec is not None else None,
                    "imported_at": iso(other.created_at), "sha256": other.sha256,
                    "similarity": round(float(similarity), 3), "status": status})
        out.sort(key=lambda c: (c["status"] == REJECTED, c["status"] != CONFIRMED,
                                -c["similarity"], c["document_id"]))
        return out

    def copy_counts(self, doc_ids: list[int]) -> dict[int, int]:
        """How many other copies (found or confirmed) each document has."""
        counts = {int(i): 0 for i in doc_ids}
        if not counts:
            return counts
        ids = list(counts)
        with self.library.read() as s:
            for column in (DocumentCopy.first_id, DocumentCopy.second_id):
                q = (select(column, func.count()).where(column.in_(ids),
                                                        DocumentCopy.status != REJECTED)
                     .group_by(column))
                for doc, n in s.execute(q):
                    counts[int(doc)] += int(n)
        return counts

    def set_copy_status(self, doc_ref: str | int, other_ref: str | int,
                        status: str) -> Changes:
        """Confirm, reject (never found again) or return to found the pair of two documents."""
        if status not in STATUSES:
            raise UserError(f"Unknown copy status {status!r}",
                            "use one of: " + ", ".join(STATUSES))
        with self.library.transaction() as s:
            a = resolve_document(s, doc_ref).id
            b = resolve_document(s, other_ref).id
            if a == b:
                raise UserError("A document is not a copy of itself",
                                "name two different documents")
            first, second = min(a, b), max(a, b)
            row = s.get(DocumentCopy, (first, second))
            old = row.status if row is not None else None
            if row is None:
                row = DocumentCopy(first_id=first, second_id=second,
                                   similarity=_similarity(s, first, second), status=status)
                s.add(row)
            row.status = status
            audit.record(s, audit.MODIFICATION, "document_copy", f"{first}-{second}", {
                "documents": [first, second], "status": status, "previous": old})
        return Changes(copies=True, document_ids=[a, b])

    def compare(self, doc_ref: str | int, other_ref: str | int) -> dict[str, Any]:
        """What differs between two documents' latest texts (see ``compare.compare_texts``)."""
        from .compare import compare_texts

        sides = []
        with self.library.read() as s:
            for ref in (doc_ref, other_ref):
                doc = resolve_document(s, ref)
                layer = s.execute(select(TextLayer).where(TextLayer.document_id == doc.id)
                                  .order_by(TextLayer.version.desc()).limit(1)
                                  ).scalar_one_or_none()
                if layer is None:
                    raise UserError(f"Document {doc.id} has no text to compare",
                                    "extract or OCR it first")
                sides.append(({"document_id": doc.id, "title": doc.title,
                               "sha256": doc.sha256, "layer_id": layer.id,
                               "length": len(layer.text)}, layer.text))
        (left, lt), (right, rt) = sides
        result = compare_texts(lt, rt)
        return {"left": left, "right": right, "similarity": result["similarity"],
                "changes": result["changes"]}


def _stale(s: Any, doc_id: int) -> bool:
    layer = s.execute(select(func.max(TextLayer.id)).where(TextLayer.document_id == doc_id)
                      ).scalar_one_or_none()
    if layer is None:
        return False
    signed = s.execute(select(CopySignature.layer_id).where(
        CopySignature.document_id == doc_id)).scalar_one_or_none()
    return bool(signed != layer)


def _pairs(s: Any, doc_id: int, include_rejected: bool = False
           ) -> list[tuple[int, float, str]]:
    q = select(DocumentCopy).where(
        or_(DocumentCopy.first_id == doc_id, DocumentCopy.second_id == doc_id))
    if not include_rejected:
        q = q.where(DocumentCopy.status != REJECTED)
    rows = s.execute(q).scalars().all()
    return [(r.second_id if r.first_id == doc_id else r.first_id, r.similarity, r.status)
            for r in rows]


def _similarity(s: Any, a: int, b: int) -> float:
    from .signature import Signature, jaccard

    sigs = {int(d): Signature.from_bytes(m, int(n)) for d, m, n in s.execute(
        select(CopySignature.document_id, CopySignature.minhash, CopySignature.shingles)
        .where(CopySignature.document_id.in_([a, b])))}
    if len(sigs) < 2:
        return 0.0
    return round(jaccard(sigs[a], sigs[b]), 3)
