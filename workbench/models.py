"""The library's tables, as SQLAlchemy 2.x declarative models.

This module owns the schema. Every change here needs an Alembic revision in ``migrations/``;
``tests/core/test_migrations.py`` fails when the two drift apart. Nothing here is SQLite-only,
so the same models serve a shared PostgreSQL later (SQLite specifics live in ``store.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: the same on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# --- documents and provenance -------------------------------------------------------------


class Document(Base):
    """One imported item; its original bytes live in ``originals/`` under ``sha256``."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(32))  # pdf, text, html, docx, email, image, ...
    media_type: Mapped[str] = mapped_column(String(128), default="application/octet-stream")
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)
    size: Mapped[int] = mapped_column(Integer)
    original_filename: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text, nullable=True)
    site: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Dates as ISO-8601 text: a source may give only a year or a month.
    published: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # ok | problems | no_text
    status: Mapped[str] = mapped_column(String(32), default="ok")
    problems: Mapped[list[str]] = mapped_column(JSON, default=list)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True, index=True
    )
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    collection_record: Mapped[CollectionRecord | None] = relationship(
        back_populates="document", cascade="all, delete-orphan", uselist=False
    )
    text_layers: Mapped[list[TextLayer]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="TextLayer.version"
    )


class CollectionRecord(Base):
    """Where and how a document was collected: the start of its chain of custody."""

    __tablename__ = "collection_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), unique=True
    )
    original_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    source_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    final_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    captured_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    importer: Mapped[str] = mapped_column(String(64))
    importer_version: Mapped[str] = mapped_column(String(32))
    os_user: Mapped[str] = mapped_column(String(128))
    http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    document: Mapped[Document] = relationship(back_populates="collection_record")


class TextLayer(Base):
    """One extraction of a document's text; never overwritten, a new version is added."""

    __tablename__ = "text_layers"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    extractor: Mapped[str] = mapped_column(String(64))
    extractor_version: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(16), default="text")  # text | ocr
    languages: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # SHA-256 of ``text`` (UTF-8), set when the layer is created; a database trigger clears it
    # when the text is updated, so the index's drift check and ``verify`` notice (0003).
    text_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)

    document: Mapped[Document] = relationship(back_populates="text_layers")
    pages: Mapped[list[Page]] = relationship(
        back_populates="layer", cascade="all, delete-orphan", order_by="Page.number"
    )


class Page(Base):
    """The character range ``[start, end)`` of one page inside its text layer."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("layer_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    layer_id: Mapped[int] = mapped_column(ForeignKey("text_layers.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1-based
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    has_text: Mapped[bool] = mapped_column(Boolean, default=True)

    layer: Mapped[TextLayer] = relationship(back_populates="pages")


class PageBoxes(Base):
    """Each character's box on one page of a text layer, aligned with that page's text.

    ``boxes`` is ``workbench.pages.boxes``' packed form; ``source`` is ``pdfium`` or ``ocr``.
    Derived from the original by the layer's extractor, so a new layer gets its own rows.
    """

    __tablename__ = "page_boxes"

    layer_id: Mapped[int] = mapped_column(
        ForeignKey("text_layers.id", ondelete="CASCADE"), primary_key=True
    )
    page: Mapped[int] = mapped_column(Integer, primary_key=True)
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16))
    boxes: Mapped[bytes] = mapped_column(LargeBinary)


class Collection(Base):
    """A case: a named set of documents."""

    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(256), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Row version (migration 0009): as for highlights and dossiers (workbench.shared.versions).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class CollectionMember(Base):
    __tablename__ = "collection_members"

    collection_id: Mapped[int] = mapped_column(
        ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )


# --- audit --------------------------------------------------------------------------------


class AuditEvent(Base):
    """Append-only, hash-chained record of every change (see ``audit.py``)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[str] = mapped_column(String(40))  # ISO-8601 UTC, part of the hashed record
    actor: Mapped[str] = mapped_column(String(128))
    event_type: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(128), nullable=True, index=True)
    details: Mapped[str] = mapped_column(Text)  # canonical JSON, hashed verbatim
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # who wrote it (revision 0006; None before): hashed with the event when present
    author: Mapped[str | None] = mapped_column(String(128), nullable=True)


# --- tags and highlights ------------------------------------------------------------------


class Tag(Base):
    """A node in the tag tree; its path is the names from the root, joined by ``/``."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("tags.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    color: Mapped[str] = mapped_column(String(9), default="#f5d742")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Row version (migration 0009): as for highlights and dossiers (workbench.shared.versions).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class DocumentTag(Base):
    __tablename__ = "document_tags"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Highlight(Base):
    """A passage of a document: quote selector + position selector against one text layer."""

    __tablename__ = "highlights"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    layer_id: Mapped[int] = mapped_column(ForeignKey("text_layers.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    quote: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[str] = mapped_column(String(9), default="#f5d742")
    note: Mapped[str] = mapped_column(Text, default="")
    # anchored | orphan
    status: Mapped[str] = mapped_column(String(16), default="anchored")
    candidate: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    os_user: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Where it sits on the original page(s), PDF points from the top-left (migration 0004):
    # {"kind": "text"|"region", "pages": [{"page": N, "quads": [[x0, y0, x1, y1], ...]}]}.
    page_geometry: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Row version (migration 0008): one more per transaction that changes it, so an edit
    # made against an older one is refused (workbench.shared.versions).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class HighlightTag(Base):
    __tablename__ = "highlight_tags"

    highlight_id: Mapped[int] = mapped_column(
        ForeignKey("highlights.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


# --- dossiers ------------------------------------------------------------------------------


class Dossier(Base):
    __tablename__ = "dossiers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    collection_id: Mapped[int | None] = mapped_column(
        ForeignKey("collections.id", ondelete="SET NULL"), nullable=True
    )
    author: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    exhibit_prefix: Mapped[str] = mapped_column(String(32), default="Exhibit ")
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("dossiers.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Row version (migration 0008): one more per transaction that changes it, so an edit
    # made against an older one is refused (workbench.shared.versions).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class DossierSection(Base):
    __tablename__ = "dossier_sections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)


class DossierItem(Base):
    """An exhibit (highlight or whole document) or a free-text note, in order."""

    __tablename__ = "dossier_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("dossier_sections.id", ondelete="SET NULL"), nullable=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # highlight | document | note
    highlight_id: Mapped[int | None] = mapped_column(
        ForeignKey("highlights.id", ondelete="SET NULL"), nullable=True
    )
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True
    )
    note_text: Mapped[str] = mapped_column(Text, default="")
    commentary: Mapped[str] = mapped_column(Text, default="")
    exhibit_label: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # A copy of the quote at the time it was added, so a deleted source is reported, not lost.
    quote_snapshot: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Shown as the source's own pages (a facsimile), ``"3-4,7"`` or NULL for the default pages.
    facsimile: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    facsimile_pages: Mapped[str | None] = mapped_column(String(256), nullable=True)
    # A chronology section (kind ``chronology``, migration 0005): the filter its events are
    # chosen by, ``{"tags": [..], "entity_id": E, "collection_id": C}`` (all optional).
    chronology: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Whether a highlight exhibit lists the sources linked to it as corroborating (or
    # describing the same event); contradicting links are never listed automatically.
    corroboration: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Redaction(Base):
    """Text to remove from every export of a dossier: a term everywhere, or a quote in one item."""

    __tablename__ = "redactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("dossier_items.id", ondelete="CASCADE"), nullable=True
    )
    text: Mapped[str] = mapped_column(Text)
    # What every export prints in the text's place: ``REDACTED`` or a short category such as
    # ``witness safety`` (printed ``[REDACTED: witness safety]``). Rows from before labels
    # (migration 0002) get ``REDACTED``, so their reasons stop being printed.
    label: Mapped[str] = mapped_column(Text, default="REDACTED", server_default="REDACTED")
    # Why, for the library's own record (here and in the audit event): never exported.
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # An area rule (its ``text`` is empty): {"document_id": D, "page": N, "rect": [x0, y0, x1, y1]}.
    area: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # An entity rule (migration 0005; its ``text`` is empty): every name and alias the entity
    # has at export time. An entity a rule names cannot be deleted (RESTRICT), so a rule
    # never silently stops hiding anyone.
    entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="RESTRICT"), nullable=True
    )


# --- connections between sources (migration 0005) -----------------------------------------


class CopySignature(Base):
    """A document's MinHash signature over word shingles of its current text layer: what
    finding its other copies compares, kept so the library's signatures need not be derived
    again from every text. ``minhash`` is ``num_perm`` unsigned 32-bit values, little-endian."""

    __tablename__ = "copy_signatures"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    layer_id: Mapped[int] = mapped_column(ForeignKey("text_layers.id", ondelete="CASCADE"))
    num_perm: Mapped[int] = mapped_column(Integer)
    shingles: Mapped[int] = mapped_column(Integer)  # 0: too short to have copies found
    minhash: Mapped[bytes] = mapped_column(LargeBinary)


class DocumentCopy(Base):
    """Two documents whose texts are substantially the same (``first_id < second_id``); the
    copies of a document are the documents these pairs connect to it. ``status`` is ``found``
    (by the library), ``confirmed`` or ``rejected`` (by the user: a rejected pair is never
    found again)."""

    __tablename__ = "document_copies"

    first_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    second_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    similarity: Mapped[float] = mapped_column(Float)  # estimated Jaccard of the shingles
    status: Mapped[str] = mapped_column(String(16), default="found")
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Entity(Base):
    """A person, organisation, place or other thing the user registers, with its names."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # person | organisation | place | other
    name: Mapped[str] = mapped_column(Text)  # the name it is shown by (also in entity_names)
    # The user's own note: private, never exported.
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Row version (migration 0008): one more per transaction that changes it, so an edit
    # made against an older one is refused (workbench.shared.versions).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class EntityName(Base):
    """One name or alias of an entity, in any script (the shown name is one of them)."""

    __tablename__ = "entity_names"
    __table_args__ = (UniqueConstraint("entity_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EntityDocument(Base):
    """A document the user linked to an entity (about them, by them, ...)."""

    __tablename__ = "entity_documents"

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Event(Base):
    """A dated statement for the chronology, with its sources (``event_sources``).

    The date is kept as typed (``date_text``) and as the inclusive ISO bounds it means:
    ``date_kind`` exact (``2018-03-05``), month, year, range, before (only ``date_to``) or
    after (only ``date_from``); the chronology sorts by ``date_from`` (or ``date_to``)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement: Mapped[str] = mapped_column(Text)
    date_text: Mapped[str] = mapped_column(String(64))
    date_kind: Mapped[str] = mapped_column(String(16))
    date_from: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    date_to: Mapped[str | None] = mapped_column(String(10), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="unverified")
    # The user's own note: private, never exported.
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Row version (migration 0008): one more per transaction that changes it, so an edit
    # made against an older one is refused (workbench.shared.versions).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class EventSource(Base):
    """A highlight an event rests on; the event's tags are its highlights' tags."""

    __tablename__ = "event_sources"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    highlight_id: Mapped[int] = mapped_column(
        ForeignKey("highlights.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class HighlightLink(Base):
    """Two highlights that corroborate or contradict each other or describe the same event.
    ``corroborates`` and ``same-event`` are symmetric; ``contradicts`` too. The note is the
    user's own and is never exported."""

    __tablename__ = "highlight_links"
    __table_args__ = (UniqueConstraint("first_id", "second_id", "relation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_id: Mapped[int] = mapped_column(
        ForeignKey("highlights.id", ondelete="CASCADE"), index=True
    )
    second_id: Mapped[int] = mapped_column(
        ForeignKey("highlights.id", ondelete="CASCADE"), index=True
    )
    relation: Mapped[str] = mapped_column(String(16))  # corroborates | contradicts | same-event
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- search support and settings ----------------------------------------------------------


class AliasGroup(Base):
    """Spellings that mean the same thing (Urumqi / Ürümqi / Wulumuqi), expanded at query time."""

    __tablename__ = "alias_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(256), unique=True)
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)


class SavedSearch(Base):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(256), unique=True)
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Setting(Base):
    """Library-wide settings (OCR languages, index generation, ...), JSON values by key."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


Index("ix_documents_created_at", Document.created_at)
Index("ix_highlights_status", Highlight.status)
# Covers the index's drift check (latest layer and its hash per document) without reading
# the rows, whose text may run to megabytes of overflow pages.
Index("ix_text_layers_hash", TextLayer.document_id, TextLayer.id, TextLayer.text_sha256)
