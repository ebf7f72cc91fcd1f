"""Citations for exhibits and their sources, as display text and as CSL-JSON.

A ``Source`` is one document's bibliographic and provenance facts, taken from the library and
then passed through the dossier's redactions. It deliberately leaves out what identifies the
researcher's computer: the collection record's local path and OS user never reach an export.
Bibliographic fields are the record's current values (``records.record_of``: corrected where a
user corrected them); ``captured`` keeps what was captured for those fields, which the
provenance appendix shows beside the corrected value (``provenance_rows``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import CollectionRecord, Document
from ..records import LABELS, record_of
from .redaction import FACSIMILE_LABEL, Rule, redact_plain

SHORT_HASH = 12


def _iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Source:
    document_id: int
    sha256: str
    title: str
    kind: str
    media_type: str
    author: str | None = None
    site: str | None = None
    published: str | None = None
    url: str | None = None
    final_url: str | None = None
    captured_at: str | None = None
    imported_at: str | None = None
    importer: str | None = None
    http_status: int | None = None
    filename: str | None = None
    size: int = 0
    language: str | None = None
    # (field, value as captured) for each field a user corrected, in ``records.FIELDS`` order.
    captured: tuple[tuple[str, str | None], ...] = ()
    # (label, SHA-256) of each other copy of the document (``copies.cite``).
    copies: tuple[tuple[str, str], ...] = ()

    @property
    def corrected(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.captured)

    @property
    def cited_url(self) -> str | None:
        """The address a citation gives: a corrected source URL wins over the address the
        capture ended at; otherwise the final URL (after redirects), else the source URL."""
        if "source_url" in self.corrected:
            return self.url
        return self.final_url or self.url

    def strings(self) -> list[str]:
        """Every text of this source an export may print (for redaction checks)."""
        return [v for v in (self.title, self.author, self.site, self.url, self.final_url,
                            self.filename, self.published, self.language,
                            *(c for _, c in self.captured),
                            *(label for label, _ in self.copies)) if v]

    @property
    def short_hash(self) -> str:
        return self.sha256[:SHORT_HASH]

    @property
    def key(self) -> str:
        """The CSL item id: stable for one original, whatever library it sits in."""
        return f"sha256-{self.sha256[:16]}"

    def redacted(self, rules: list[Rule]) -> Source:
        def r(value: str | None) -> str | None:
            return None if value is None else redact_plain(value, rules)

        return replace(self, title=redact_plain(self.title, rules), author=r(self.author),
                       site=r(self.site), url=r(self.url), final_url=r(self.final_url),
                       filename=r(self.filename), published=r(self.published),
                       language=r(self.language),
                       captured=tuple((name, r(value)) for name, value in self.captured),
                       copies=tuple((redact_plain(label, rules), sha)
                                    for label, sha in self.copies))


def source_from(doc: Document, rec: CollectionRecord | None) -> Source:
    from sqlalchemy.orm import object_session

    from ..copies.cite import cited_copies

    record = record_of(doc, rec)
    session = object_session(doc)
    return Source(
        document_id=doc.id, sha256=doc.sha256, title=record.value("title") or "(untitled)",
        kind=doc.kind, media_type=doc.media_type, author=record.value("author"),
        site=record.value("site"), published=record.value("published"),
        language=record.value("language"),
        captured=tuple((f.name, f.captured) for f in record.corrections),
        size=doc.size, filename=doc.original_filename.rsplit("/", 1)[-1],
        url=record.value("source_url"), final_url=rec.final_url if rec else None,
        captured_at=_iso(rec.captured_at) if rec else None,
        imported_at=_iso(rec.imported_at if rec else doc.created_at),
        importer=f"{rec.importer} {rec.importer_version}" if rec else None,
        http_status=rec.http_status if rec else None,
        copies=cited_copies(session, doc.id) if session is not None else (),
    )


def cached_source(session: Session, doc_id: int, cache: dict[int, Source]) -> Source | None:
    """The unredacted ``Source`` of a document (None when it is gone), read once per
    ``cache``: a listing cites the same document in many rows."""
    if doc_id not in cache:
        doc = session.get(Document, doc_id)
        if doc is None:
            return None
        rec = session.execute(select(CollectionRecord).where(
            CollectionRecord.document_id == doc_id)).scalar_one_or_none()
        cache[doc_id] = source_from(doc, rec)
    return cache[doc_id]


def citation_parts(src: Source, page: int | None) -> list[tuple[str, str]]:
    """Labelled citation fields in reading order (only those that are known)."""
    parts = [("Title", src.title)]
    if src.author or src.site:
        parts.append(("Author" if src.author else "Site", src.author or src.site or ""))
    if src.author and src.site:
        parts.append(("Site", src.site))
    if src.published:
        parts.append(("Published", src.published))
    if src.cited_url:
        parts.append(("URL", src.cited_url))
    if src.captured_at:
        parts.append(("Captured", src.captured_at))
    parts.append(("Imported", src.imported_at or "unknown"))
    if page:
        parts.append(("Page", str(page)))
    parts.append(("SHA-256", src.short_hash))
    if src.copies:  # every other capture of the same text, each checkable by its hash
        parts.append(("Other copies", "; ".join(f"{label} (SHA-256 {sha})"
                                                for label, sha in src.copies)))
    return parts


def facsimile_citation(src: Source, pages: str, total: int) -> str:
    """What a facsimile exhibit's citation adds: the source pages shown (after it) and the
    source's full SHA-256, against which a reader can check a copy of the original."""
    return (f"{FACSIMILE_LABEL}: source pages {pages} of {total}, following; source "
            f"SHA-256 {src.sha256}")


def citation_text(src: Source, page: int | None) -> str:
    return "; ".join(f"{k}: {v}" for k, v in citation_parts(src, page))


def short_citation(src: Source, page: int | None, sep: str = "; ") -> str:
    """Title, page and short hash: a source cited inside a listing (a chronology's row, an
    exhibit's corroborating sources), whose full citation is in the appendix."""
    parts = [("Title", src.title)]
    if page:
        parts.append(("Page", str(page)))
    parts.append(("SHA-256", src.short_hash))
    return sep.join(f"{k}: {v}" for k, v in parts)


def _date_parts(value: str | None) -> dict[str, Any] | None:
    if not value:
        return None
    parts = []
    for piece in value[:10].split("-"):
        if not (piece.isascii() and piece.isdigit()):  # "²".isdigit(), but int("²") fails
            break
        parts.append(int(piece))
    return {"date-parts": [parts]} if parts else {"raw": value}


def csl_item(src: Source) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": src.key,
        "type": "webpage" if src.kind == "html" or src.url else "document",
        "title": src.title,
        "note": f"SHA-256: {src.sha256}",
        "medium": src.media_type,
    }
    if src.author:
        item["author"] = [{"literal": src.author}]
    if src.site:
        item["container-title"] = src.site
    if src.cited_url:
        item["URL"] = src.cited_url
    if src.language:
        item["language"] = src.language
    issued = _date_parts(src.published)
    if issued:
        item["issued"] = issued
    accessed = _date_parts(src.captured_at or src.imported_at)
    if accessed:
        item["accessed"] = accessed
    return item


CAPTURED_SUFFIX = " as captured"  # "Title as captured": a label the exports print


def provenance_rows(src: Source) -> list[tuple[str, Any]]:
    """The provenance appendix's rows for one source (empty values included; renderers drop
    them). A corrected field is followed by its value as captured, so a reader sees both."""
    rows: list[tuple[str, Any]] = [
        ("Title", src.title), ("SHA-256", src.sha256), ("Kind", src.media_type),
        ("Size", f"{src.size} bytes"), ("Author", src.author), ("Site", src.site),
        ("Published", src.published), ("Source URL", src.url), ("Final URL", src.final_url),
        ("Captured", src.captured_at), ("Imported", src.imported_at), ("Importer", src.importer),
        ("HTTP status", src.http_status), ("File name", src.filename)]
    if "language" in src.corrected:  # otherwise not shown: the appendix is about provenance
        rows.insert(rows.index(("Published", src.published)) + 1, ("Language", src.language))
    for name, value in src.captured:
        label = LABELS[name]
        at = next(i for i, (k, _) in enumerate(rows) if k == label)
        # "—" says there is none: an empty row would be dropped and hide half the correction.
        rows[at] = (label, _or_dash(rows[at][1]))
        rows.insert(at + 1, (label + CAPTURED_SUFFIX, _or_dash(value)))
    return rows


def _or_dash(value: Any) -> Any:
    return "—" if value in (None, "") else value


def csl_json(sources: list[Source]) -> list[dict[str, Any]]:
    return [csl_item(s) for s in sources]
