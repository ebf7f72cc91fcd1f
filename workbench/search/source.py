"""Reading what the index needs from the database (the truth), in batches.

Tags of a document are its own tags plus the tags of its highlights, as full paths
(``Forced labour/Labour transfer``). Dates come from ``Document.published`` and fall back to
the import date. Sources are the site name and the host names of the collection record's URLs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import (
    Collection,
    CollectionMember,
    CollectionRecord,
    Document,
    DocumentTag,
    Highlight,
    HighlightTag,
    Tag,
    TextLayer,
)
from ..records import record_of
from .backend import IndexDoc

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def tag_paths(session: Session) -> dict[int, str]:
    rows = session.execute(select(Tag.id, Tag.name, Tag.parent_id)).all()
    by_id = {i: (n, p) for i, n, p in rows}
    paths: dict[int, str] = {}
    for tag_id in by_id:
        names: list[str] = []
        cur: int | None = tag_id
        seen: set[int] = set()
        while cur is not None and cur in by_id and cur not in seen:
            seen.add(cur)
            name, parent = by_id[cur]
            names.append(name)
            cur = parent
        paths[tag_id] = "/".join(reversed(names))
    return paths


def date_key(published: str | None, imported: datetime | None) -> tuple[str | None, int | None]:
    """``YYYYMMDD`` (unknown parts as 00) and the year, from ``published`` or the import date."""
    m = _DATE_RE.match((published or "").strip())
    if m:
        y, mo, d = m.group(1), int(m.group(2) or 0), int(m.group(3) or 0)
        return f"{y}{mo:02d}{d:02d}", int(y)
    if imported is not None:
        return imported.strftime("%Y%m%d"), imported.year
    return None, None


def hosts(url: str | None) -> list[str]:
    """``https://www.example.org/x`` gives ``www.example.org`` and ``example.org``."""
    if not url:
        return []
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return []
    parts = host.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)] if len(parts) > 1 else [host]


def all_index_state(session: Session) -> dict[int, tuple[int | None, str]]:
    """Every document id with the id of its latest text layer and that layer's stored text
    hash ("" when it has none): what the index must mirror.

    Both come from the covering index ``ix_text_layers_hash`` in one pass, never from the
    rows: reading a column stored after a long text walks its overflow pages.
    """
    state: dict[int, tuple[int | None, str]] = {
        int(i): (None, "") for i in session.execute(select(Document.id)).scalars()}
    rows = session.execute(select(TextLayer.document_id, TextLayer.id, TextLayer.text_sha256)
                           .order_by(TextLayer.document_id, TextLayer.id))
    for doc_id, layer_id, sha in rows:  # in id order: the last one per document wins
        if doc_id in state:
            state[doc_id] = (int(layer_id), sha or "")
    return state


def load_documents(session: Session, ids: list[int],
                   paths: dict[int, str] | None = None) -> list[IndexDoc]:
    """The ``IndexDoc`` of each id that still exists (missing ids are simply absent)."""
    if not ids:
        return []
    paths = tag_paths(session) if paths is None else paths
    docs = session.execute(select(Document).where(Document.id.in_(ids))).scalars().all()
    if not docs:
        return []
    found = [d.id for d in docs]
    latest = (select(func.max(TextLayer.version).label("v"), TextLayer.document_id)
              .where(TextLayer.document_id.in_(found)).group_by(TextLayer.document_id)
              .subquery())
    layers = {
        d: (lid, text, sha) for lid, d, text, sha in session.execute(
            select(TextLayer.id, TextLayer.document_id, TextLayer.text, TextLayer.text_sha256)
            .join(latest, (latest.c.document_id == TextLayer.document_id)
                  & (latest.c.v == TextLayer.version)))
    }
    records = {r.document_id: r for r in session.execute(
        select(CollectionRecord).where(CollectionRecord.document_id.in_(found))).scalars()}
    cols: dict[int, list[str]] = defaultdict(list)
    for doc_id, name in session.execute(
            select(CollectionMember.document_id, Collection.name).join(Collection)
            .where(CollectionMember.document_id.in_(found))):
        cols[doc_id].append(name)
    tags: dict[int, set[str]] = defaultdict(set)
    for doc_id, tag_id in session.execute(
            select(DocumentTag.document_id, DocumentTag.tag_id)
            .where(DocumentTag.document_id.in_(found))):
        tags[doc_id].add(paths.get(tag_id, ""))
    for doc_id, tag_id in session.execute(
            select(Highlight.document_id, HighlightTag.tag_id).join(
                HighlightTag, HighlightTag.highlight_id == Highlight.id)
            .where(Highlight.document_id.in_(found))):
        tags[doc_id].add(paths.get(tag_id, ""))
    out = []
    for d in docs:
        rec = records.get(d.id)
        layer_id, text, sha = layers.get(d.id, (None, "", None))
        date, year = date_key(d.published, rec.imported_at if rec else d.created_at)
        sources = [d.site] if d.site else []
        # The captured URLs and a corrected source URL: either finds the document.
        urls = [rec.source_url, rec.final_url] if rec is not None else []
        for url in [*urls, record_of(d, rec).value("source_url")]:
            sources += [h for h in hosts(url) if h not in sources]
        out.append(IndexDoc(
            doc_id=d.id, layer_id=layer_id, title=d.title or "", text=text or "",
            kind=d.kind or "", language=d.language, date=date, year=year, sources=sources,
            collections=sorted(cols.get(d.id, [])),
            tags=sorted(t for t in tags.get(d.id, set()) if t), text_sha256=sha,
        ))
    return out
