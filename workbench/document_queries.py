"""Document queries below the facade: the reads every service shares, on a caller's session.

Find a document by id or hash prefix (``resolve_document``), its latest text layer
(``latest_layer``), its summary as list and show give it (``document_summary``, with ``iso``
times), the list's sort keys and filter (``SORT_KEYS``, ``document_query``), and a text layer
with its page offsets (``DocumentText``). ``documents.DocumentsMixin`` (the facade), ``annotate/``,
``dossier/``, ``ocr`` and the index import them from here; nothing here opens a session or
writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .errors import NotFound, UserError
from .ids import row_id
from .models import Collection, CollectionMember, Document, TextLayer


def iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.isoformat().replace("+00:00", "Z")


@dataclass
class DocumentText:
    document_id: int
    layer_id: int
    layer_version: int
    text: str
    pages: list[tuple[int, int, int]]  # (number, start, end)

    def page_of(self, offset: int) -> int | None:
        for number, start, end in self.pages:
            if start <= offset <= end:
                return number
        return None

    def page_text(self, number: int) -> str:
        for n, start, end in self.pages:
            if n == number:
                return self.text[start:end]
        raise NotFound(f"Page {number} does not exist", f"the document has {len(self.pages)}")


def resolve_document(session: Session, ref: str | int) -> Document:
    """A document by id, or by a unique prefix (at least 6 hex digits) of its SHA-256."""
    text = str(ref).strip()
    doc_id = row_id(text) if len(text) < 12 else None
    if doc_id is not None:
        doc = session.get(Document, doc_id)
        if doc is not None:
            return doc
    # At most a whole SHA-256: a longer "prefix" matches nothing (and a 100 KB one would be
    # a LIKE pattern SQLite refuses as too complex).
    if 6 <= len(text) <= 64 and all(c in "0123456789abcdef" for c in text.lower()):
        rows = session.execute(
            select(Document).where(Document.sha256.like(text.lower() + "%")).limit(2)
        ).scalars().all()
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            raise UserError(f"The hash prefix {text} matches several documents",
                            "give more digits")
    raise NotFound(f"No document {text[:80]}", "see `workbench list` for ids")


SORT_KEYS: dict[str, Any] = {
    "id": Document.id, "title": Document.title, "kind": Document.kind,
    "published": Document.published, "site": Document.site, "pages": Document.page_count,
    "status": Document.status, "imported_at": Document.created_at,
}


def document_query(collection: str | None, contains: str | None, *,
                   failed_redactions: bool = False, or_kinds: Sequence[str] = ()) -> Any:
    """The documents of ``collection`` whose title, site, kind or file name contains
    ``contains`` (a case-blind LIKE, wildcards escaped); unordered, for a list or a count.
    ``or_kinds``, with ``contains``: the documents of these kinds match too (a window shows
    a kind by a name of its own, "Web page" for ``html``, and finds the codes whose name holds
    the text typed). ``failed_redactions``: only those where the import's check found text
    under a box (``extra["xray"]`` not empty, see ``xray.py``)."""
    q = select(Document)
    if failed_redactions:
        # the JSON type's own path (not SQLite's '$.xray' argument): PostgreSQL has it too
        q = q.where(func.json_array_length(Document.extra["xray"]) > 0)
    if collection:
        q = q.join(CollectionMember).join(Collection).where(Collection.name == collection)
    if contains:
        like = "%" + contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matches = [c.ilike(like, escape="\\") for c in (
            Document.title, Document.site, Document.kind, Document.original_filename)]
        if or_kinds:
            matches.append(Document.kind.in_(list(or_kinds)))
        q = q.where(or_(*matches))
    return q


def latest_layer(session: Session, document_id: int) -> TextLayer | None:
    return session.execute(
        select(TextLayer).where(TextLayer.document_id == document_id)
        .order_by(TextLayer.version.desc()).limit(1)
    ).scalar_one_or_none()


def document_summary(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id, "title": doc.title, "kind": doc.kind, "pages": doc.page_count,
        "sha256": doc.sha256, "imported_at": iso(doc.created_at), "status": doc.status,
        "language": doc.language, "published": doc.published, "site": doc.site,
        "parent_id": doc.parent_id,
    }
