"""Turning one extraction into rows: document, collection record, text layer and its pages.

Pages are joined with ``PAGE_SEPARATOR`` into one text; each ``Page`` row records the
character range of its page in that text, so search hits, highlights and exports can name a page.
The caller owns the transaction and the audit event.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, Insert, Table, func, insert, select
from sqlalchemy.orm import Session

from . import __version__
from .audit import current_actor
from .models import Collection, CollectionMember, CollectionRecord, Document, Page, TextLayer
from .ocr_metadata import OCR_METADATA, OCR_READINGS, is_ocr
from .ocr_metadata import layer_ocr as layer_ocr  # re-exported: its readers import it here
from .timeutil import parse_iso_utc

if TYPE_CHECKING:  # types only: `show` reads layer metadata here without the extractors
    from .extract.base import Extraction
    from .extract.formats import Format

PAGE_SEPARATOR = "\n\n"
NO_TEXT = "no text layer"


@dataclass
class PersistRequest:
    sha256: str
    size: int
    fmt: Format
    filename: str
    original_path: str | None
    extraction: Extraction
    collection: str | None = None
    source_url: str | None = None
    captured_at: datetime | None = None
    http_status: int | None = None
    parent_id: int | None = None
    collection_extra: dict[str, Any] = field(default_factory=dict)


def join_pages(pages: list[str]) -> tuple[str, list[tuple[int, int]]]:
    ranges: list[tuple[int, int]] = []
    parts: list[str] = []
    pos = 0
    for i, page in enumerate(pages):
        if i:
            parts.append(PAGE_SEPARATOR)
            pos += len(PAGE_SEPARATOR)
        parts.append(page)
        ranges.append((pos, pos + len(page)))
        pos += len(page)
    return "".join(parts), ranges


def document_status(extraction: Extraction) -> tuple[str, list[str]]:
    problems = list(extraction.problems)
    has_text = any(p.strip() for p in extraction.pages)
    if not has_text and not extraction.container:
        if not any(p.startswith(NO_TEXT) for p in problems):  # e.g. "… — install tesseract"
            problems.insert(0, NO_TEXT)
        return "no_text", problems
    return ("problems" if problems else "ok"), problems


def text_hash(text: str) -> str:
    """A text layer's SHA-256 (of its UTF-8 bytes), as its audit event records it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def add_text_layer(session: Session, doc: Document, extraction: Extraction, *,
                   first: bool = False) -> TextLayer:
    """A new text-layer version for ``doc``; earlier layers stay as they are. ``first``: the
    document was saved just now and has none (its version is not looked up)."""
    latest = None if first else session.execute(
        select(func.max(TextLayer.version)).where(TextLayer.document_id == doc.id)
    ).scalar_one_or_none()
    text, ranges = join_pages(extraction.pages)
    layer = TextLayer(
        document_id=doc.id, version=(latest or 0) + 1, extractor=extraction.extractor,
        extractor_version=extraction.extractor_version, method=extraction.method,
        languages=extraction.languages, text=text,
        text_sha256=text_hash(text),
    )
    session.add(layer)
    session.flush()
    _insert_pages(session, layer.id, extraction, text, ranges)
    return layer


def _insert_pages(session: Session, layer_id: int, extraction: Extraction, text: str,
                  ranges: list[tuple[int, int]]) -> None:
    if ranges:  # one INSERT, not an ORM object and a statement per page
        session.connection().execute(_insert_of(_table(Page)), [
            {"layer_id": layer_id, "number": n, "start": s, "end": e,
             "has_text": bool(text[s:e].strip())}
            for n, (s, e) in enumerate(ranges, start=1)])
    if extraction.ocr_words:  # OCR word boxes exist only now: kept as the pages' boxes
        from .pages.ocr_boxes import store_ocr_words

        store_ocr_words(session, layer_id, extraction)


@dataclass(frozen=True)
class SavedLayer:
    """A text layer as the import wrote it (no ORM object: see ``persist_document``)."""

    id: int
    version: int
    text_sha256: str


@dataclass(frozen=True)
class SavedDocument:
    """What the import's outcome and audit event need of a document just saved."""

    id: int
    sha256: str
    title: str
    kind: str
    size: int
    original_filename: str
    status: str
    problems: list[str]
    page_count: int


def layer_details(layer: TextLayer | SavedLayer) -> dict[str, Any]:
    """What the audit event that creates a layer records of it: ``verify`` re-derives the
    hash from the text (integrity.py)."""
    return {"layer_id": layer.id, "text_sha256": layer.text_sha256}


def ensure_collection(session: Session, name: str) -> Collection:
    col = session.execute(select(Collection).where(Collection.name == name)).scalar_one_or_none()
    if col is None:
        col = Collection(name=name)
        session.add(col)
        session.flush()
    return col


def persist_document(session: Session, req: PersistRequest
                     ) -> tuple[SavedDocument, SavedLayer]:
    """The document, its collection record, first text layer and pages, written as Core
    inserts: an ORM object and its flush cost ~1 ms each on the importing thread (issue 16),
    and nothing here reads them back. The caller writes the audit event."""
    ex = req.extraction
    meta = ex.metadata
    status, problems = document_status(ex)
    title = str(meta.get("title") or "").strip() or req.filename.rsplit(".", 1)[0] or req.filename
    extra = {k: v for k, v in meta.items()
             if k not in {"title", "author", "site", "published", "language", "media_type",
                          "canonical_url", "source_url", "captured_at"} and _jsonable(v)}
    if req.fmt.kind == "pdf":  # what the failed-redaction check found (xray.py), no text
        extra = {**extra, "xray": list(ex.xray)}
    now = datetime.now(UTC)
    doc = SavedDocument(
        id=0, sha256=req.sha256, title=title[:1000], kind=req.fmt.kind, size=req.size,
        original_filename=req.filename, status=status, problems=problems,
        page_count=len(ex.pages))
    doc_id = _insert(session, Document, {
        "sha256": doc.sha256, "title": doc.title, "kind": doc.kind,
        "media_type": meta.get("media_type") or req.fmt.media_type,
        "language": language_of(ex), "size": doc.size,
        "original_filename": doc.original_filename, "author": meta.get("author"),
        "site": meta.get("site"), "published": meta.get("published"),
        "created_at": now, "modified_at": now, "status": status, "problems": problems,
        "page_count": doc.page_count, "parent_id": req.parent_id, "extra": extra})
    doc = replace(doc, id=doc_id)
    _insert(session, CollectionRecord, {
        "document_id": doc_id, "original_path": req.original_path,
        "source_url": req.source_url or meta.get("source_url") or meta.get("canonical_url"),
        "final_url": meta.get("canonical_url"),
        "captured_at": req.captured_at or parse_iso_utc(meta.get("captured_at")),
        "imported_at": now, "importer": "workbench", "importer_version": __version__,
        "os_user": current_actor(), "http_status": req.http_status,
        "extra": {k: v for k, v in req.collection_extra.items() if _jsonable(v)}})
    # A new document has no layer yet: its first is version 1, nothing to look up
    text, ranges = join_pages(ex.pages)
    layer = SavedLayer(id=0, version=1, text_sha256=text_hash(text))
    layer = replace(layer, id=_insert(session, TextLayer, {
        "document_id": doc_id, "version": 1, "extractor": ex.extractor,
        "extractor_version": ex.extractor_version, "method": ex.method,
        "languages": ex.languages, "text": text, "text_sha256": layer.text_sha256,
        "created_at": now}))
    _insert_pages(session, layer.id, ex, text, ranges)
    if req.collection:
        col = ensure_collection(session, req.collection)
        _insert(session, CollectionMember, {"collection_id": col.id, "document_id": doc_id})
    return doc, layer


_INSERTS: dict[str, Insert] = {}


def _insert_of(table: Table) -> Insert:
    stmt = _INSERTS.get(table.name)
    if stmt is None:
        stmt = _INSERTS[table.name] = insert(table)
    return stmt


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


def _insert(session: Session, model: Any, values: dict[str, Any]) -> int:
    """One row through the table (no ORM object, no flush); its new primary key. A None
    for a column with a default is left out, so the default applies, as the ORM does."""
    table = _table(model)
    values = {k: v for k, v in values.items()
              if v is not None or table.c[k].default is None}
    # One statement per table, its row as parameters: building ``.values(...)`` for each
    # row (coercing every value) and the session's dispatch cost more than the INSERT
    result = cast(CursorResult[Any], session.connection().execute(_insert_of(table), values))
    key = result.inserted_primary_key
    return int(key[0]) if key and key[0] is not None else 0


def language_of(ex: Extraction) -> str | None:
    """Detected offline from the text, else the one the file declares.

    The text wins: templates declare ``lang="en"`` or ``en-US`` on pages and files written in
    any language, while a declared language is the best we have for very short texts.
    """
    from .language import detect_language, normalise_code

    return detect_language(PAGE_SEPARATOR.join(ex.pages[:50])) or normalise_code(
        ex.metadata.get("language"))


def set_reading_metadata(doc: Document, extraction: Extraction, version: int) -> None:
    """Make ``extraction`` (text-layer ``version``) the document's current reading in its
    OCR metadata: the top-level keys are replaced (or dropped: no stale confidence), and the
    reading is kept by version, after the import's if it was not kept yet."""
    extra = dict(doc.extra or {})
    readings = extra.get(OCR_READINGS)
    if isinstance(readings, dict):
        readings = dict(readings)
    elif any(key in extra for key in OCR_METADATA):  # the first reading since the import
        readings = {"1": {key: extra[key] for key in OCR_METADATA if key in extra}}
    new = {key: value for key in OCR_METADATA
           if (value := extraction.metadata.get(key)) is not None and _jsonable(value)}
    for key in OCR_METADATA:
        extra.pop(key, None)
    extra.update(new)
    if is_ocr(extraction.method):
        readings = {**(readings or {}), str(version): new}
    if readings is not None:
        extra[OCR_READINGS] = readings
    doc.extra = extra  # a new dict: the JSON column only notices assignment


def _jsonable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | list | dict) or value is None
