"""Citations for exhibits and their sources, as display text and as CSL-JSON.

A ``Source`` is one document's bibliographic and provenance facts, taken from the library and
then passed through the dossier's redactions. It deliberately leaves out what identifies the
researcher's computer: the collection record's local path and OS user never reach an export.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ..models import CollectionRecord, Document
from .redaction import Rule, redact_plain

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
                       filename=r(self.filename), published=r(self.published))


def source_from(doc: Document, rec: CollectionRecord | None) -> Source:
    return Source(
        document_id=doc.id, sha256=doc.sha256, title=doc.title or "(untitled)",
        kind=doc.kind, media_type=doc.media_type, author=doc.author, site=doc.site,
        published=doc.published, size=doc.size, filename=doc.original_filename.rsplit("/", 1)[-1],
        url=rec.source_url if rec else None, final_url=rec.final_url if rec else None,
        captured_at=_iso(rec.captured_at) if rec else None,
        imported_at=_iso(rec.imported_at if rec else doc.created_at),
        importer=f"{rec.importer} {rec.importer_version}" if rec else None,
        http_status=rec.http_status if rec else None,
    )


def citation_parts(src: Source, page: int | None) -> list[tuple[str, str]]:
    """Labelled citation fields in reading order (only those that are known)."""
    parts = [("Title", src.title)]
    if src.author or src.site:
        parts.append(("Author" if src.author else "Site", src.author or src.site or ""))
    if src.author and src.site:
        parts.append(("Site", src.site))
    if src.published:
        parts.append(("Published", src.published))
    if src.url or src.final_url:
        parts.append(("URL", src.final_url or src.url or ""))
    if src.captured_at:
        parts.append(("Captured", src.captured_at))
    parts.append(("Imported", src.imported_at or "unknown"))
    if page:
        parts.append(("Page", str(page)))
    parts.append(("SHA-256", src.short_hash))
    return parts


def citation_text(src: Source, page: int | None) -> str:
    return "; ".join(f"{k}: {v}" for k, v in citation_parts(src, page))


def _date_parts(value: str | None) -> dict[str, Any] | None:
    if not value:
        return None
    parts = []
    for piece in value[:10].split("-"):
        if not piece.isdigit():
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
    if src.final_url or src.url:
        item["URL"] = src.final_url or src.url
    issued = _date_parts(src.published)
    if issued:
        item["issued"] = issued
    accessed = _date_parts(src.captured_at or src.imported_at)
    if accessed:
        item["accessed"] = accessed
    return item


def csl_json(sources: list[Source]) -> list[dict[str, Any]]:
    return [csl_item(s) for s in sources]
