"""The chronology's reads below the facade, on a caller's session: events as plain dicts in
date order, chosen by tag, entity or collection (``events``), and the filter as stored in a
dossier's chronology section (``resolve_filter``). The facade (``service``), the exports
(``export``) and the dossier section (``dossier_section``) all read events through here, so
the window, a CSV and a dossier list the same events in the same order.

Filters: ``tags`` (a tag counts with its sub-tags; an event matches when one of its source
highlights carries any of the tags), ``entity`` (its statement or a source quote names one
of the entity's names, read by the redaction matcher so case, script look-alikes and spacing
match, or a source document is linked to it), ``collection`` (a source document is in it).
Filters of different kinds all apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..annotate import tags as T
from ..errors import NotFound
from ..ids import row_id
from ..models import (
    Collection,
    CollectionMember,
    CollectionRecord,
    Document,
    Entity,
    EntityDocument,
    EntityName,
    Event,
    EventSource,
    Highlight,
    HighlightTag,
)
from ..records import record_of


@dataclass(frozen=True)
class EventFilter:
    """Which events: tag ids (with their sub-tags), an entity, a collection (all resolved)."""

    tag_ids: frozenset[int] = frozenset()
    entity_id: int | None = None
    collection_id: int | None = None
    named_tags: frozenset[int] = frozenset()  # the tags given (``tag_ids`` adds sub-tags)

    def to_json(self, session: Session) -> dict[str, Any]:
        """As a dossier section stores it (the given tags' paths)."""
        paths = T.path_map(session)
        return {"tags": sorted(paths[t] for t in self.named_tags if t in paths),
                "entity_id": self.entity_id, "collection_id": self.collection_id}


def find_entity(session: Session, ref: str | int) -> Entity:
    """An entity by id or by any of its names (case-blind)."""
    text = str(ref).strip()
    if (key := row_id(text)) is not None and (ent := session.get(Entity, key)) is not None:
        return ent
    folded = text.casefold()
    for entity_id, name in session.execute(select(EntityName.entity_id, EntityName.name)):
        if name.casefold() == folded:
            found = session.get(Entity, entity_id)
            if found is not None:
                return found
    for ent in session.execute(select(Entity)).scalars():
        if ent.name.casefold() == folded:
            return ent
    raise NotFound(f"No entity {text[:80]}", "see `workbench entity list`")


def find_collection(session: Session, ref: str | int) -> Collection:
    text = str(ref).strip()
    col = session.execute(select(Collection).where(Collection.name == text)).scalar_one_or_none()
    if col is None and (key := row_id(text)) is not None:
        col = session.get(Collection, key)
    if col is None:
        raise NotFound(f"No collection {text[:80]}", "see `workbench collections`")
    return col


def make_filter(session: Session, *, tags: Iterable[str | int] = (),
                entity: str | int | None = None,
                collection: str | int | None = None) -> EventFilter:
    tag_ids: set[int] = set()
    named: set[int] = set()
    for ref in tags:
        tag = T.get_tag(session, ref)
        named.add(tag.id)
        tag_ids.update([tag.id, *T.descendants(session, tag.id)])
    return EventFilter(
        frozenset(tag_ids),
        find_entity(session, entity).id if entity not in (None, "") else None,
        find_collection(session, collection).id if collection not in (None, "") else None,
        frozenset(named))


def resolve_filter(session: Session, stored: dict[str, Any] | None) -> EventFilter:
    """A dossier section's stored filter. A tag, entity or collection deleted since matches
    nothing rather than everything: a section never widens silently."""
    stored = stored or {}
    tag_ids: set[int] = set()
    missing = False
    for path in stored.get("tags") or []:
        tag = T.find_tag(session, path)
        if tag is None:
            missing = True
            continue
        tag_ids.update([tag.id, *T.descendants(session, tag.id)])
    ent, col = stored.get("entity_id"), stored.get("collection_id")
    if (ent is not None and session.get(Entity, ent) is None) or (
            col is not None and session.get(Collection, col) is None) or (
            missing and not tag_ids):
        return EventFilter(frozenset({-1}))  # no highlight carries tag -1
    return EventFilter(frozenset(tag_ids), ent, col)


def entity_names(session: Session, entity_id: int) -> list[str]:
    names = set(session.execute(select(EntityName.name)
                                .where(EntityName.entity_id == entity_id)).scalars())
    ent = session.get(Entity, entity_id)
    if ent is not None:
        names.add(ent.name)
    return sorted(n for n in names if n.strip())


def _sources(session: Session, event_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {e: [] for e in event_ids}
    if not event_ids:
        return out
    rows = session.execute(
        select(EventSource.event_id, Highlight, Document)
        .join(Highlight, Highlight.id == EventSource.highlight_id)
        .join(Document, Document.id == Highlight.document_id)
        .where(EventSource.event_id.in_(event_ids))
        .order_by(EventSource.event_id, Document.id, Highlight.start)).all()
    records: dict[int, CollectionRecord | None] = {}
    for event_id, h, doc in rows:
        if doc.id not in records:
            records[doc.id] = session.execute(
                select(CollectionRecord).where(CollectionRecord.document_id == doc.id)
            ).scalar_one_or_none()
        title = record_of(doc, records[doc.id]).value("title") or "(untitled)"
        out[event_id].append({"highlight_id": h.id, "document_id": doc.id, "title": title,
                              "page": h.page, "quote": h.quote, "sha256": doc.sha256})
    return out


def event_dict(ev: Event, sources: list[dict[str, Any]], tags: list[str]) -> dict[str, Any]:
    return {"id": ev.id, "statement": ev.statement,
            "date": {"text": ev.date_text, "kind": ev.date_kind, "from": ev.date_from,
                     "to": ev.date_to},
            "status": ev.status, "note": ev.note, "tags": tags, "sources": sources,
            "version": ev.version}


def sort_key(ev: dict[str, Any]) -> tuple[str, str, int]:
    """Date order: by the first day an event may be (for "before X", its last), then the
    narrower first, then as added."""
    d = ev["date"]
    return (d["from"] or d["to"] or "", d["to"] or "9999-99-99", ev["id"])


def events(session: Session, flt: EventFilter | None = None,
           event_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Events as dicts (sources, tags of their highlights) in date order."""
    q = select(Event)
    if event_ids is not None:
        q = q.where(Event.id.in_(list(event_ids)))
    rows = list(session.execute(q).scalars())
    srcs = _sources(session, [e.id for e in rows])
    hids = sorted({s["highlight_id"] for lst in srcs.values() for s in lst})
    tag_paths = T.highlight_tag_paths(session, hids)
    out = []
    for ev in rows:
        tags = sorted({p for s in srcs[ev.id] for p in tag_paths.get(s["highlight_id"], [])})
        out.append(event_dict(ev, srcs[ev.id], tags))
    if flt is not None:
        out = _filtered(session, out, flt)
    return sorted(out, key=sort_key)


def _filtered(session: Session, rows: list[dict[str, Any]],
              flt: EventFilter) -> list[dict[str, Any]]:
    if flt.tag_ids:
        hids = {s["highlight_id"] for r in rows for s in r["sources"]}
        tagged = set(session.execute(
            select(HighlightTag.highlight_id).where(HighlightTag.highlight_id.in_(hids),
                                                   HighlightTag.tag_id.in_(flt.tag_ids))
        ).scalars()) if hids else set()
        rows = [r for r in rows if any(s["highlight_id"] in tagged for s in r["sources"])]
    if flt.collection_id is not None:
        members = set(session.execute(select(CollectionMember.document_id).where(
            CollectionMember.collection_id == flt.collection_id)).scalars())
        rows = [r for r in rows if any(s["document_id"] in members for s in r["sources"])]
    if flt.entity_id is not None:
        from ..redact.matcher import matcher_for

        matcher = matcher_for(tuple(entity_names(session, flt.entity_id)))
        linked = set(session.execute(select(EntityDocument.document_id).where(
            EntityDocument.entity_id == flt.entity_id)).scalars())

        def names_it(r: dict[str, Any]) -> bool:
            texts = [r["statement"], *(s["quote"] for s in r["sources"])]
            return any(s["document_id"] in linked for s in r["sources"]) or (
                bool(matcher) and any(matcher.find(t) is not None for t in texts))

        rows = [r for r in rows if names_it(r)]
    return rows
