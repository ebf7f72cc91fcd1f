"""The resolved ``DossierView``: what every exporter and the GUI render, as plain dataclasses.

``build_view`` reads a dossier with its sections, items, sources and redactions in one session
and applies the redactions to every string that can reach an export: body text comes out as
``Segment`` lists (plain text and redaction marks, so a renderer can draw a black bar), and
single-line fields (titles, names, citation fields) as text with the redaction's mark
(``[REDACTED]``, ``[REDACTED: witness safety]``) in place. Exporters never see a redacted
string, except through ``rules`` for the leak check, nor a redaction's private reason: the
rules carry only the text and the printed label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..chronology.dossier_section import ChronologyTable, chronology_table
from ..chronology.dossier_section import raw_strings as chronology_strings
from ..document_queries import latest_layer
from ..models import (
    Collection,
    CollectionRecord,
    Document,
    Dossier,
    DossierItem,
    EntityName,
    Highlight,
    Redaction,
)
from . import editing
from .citations import Source, source_from
from .corroboration import Corroboration, corroborations
from .corroboration import raw_strings as corroboration_strings
from .facsimile import AreaRule, area_of, item_pages
from .redaction import Rule, Segment, apply, matcher_of, redact_plain


@dataclass(frozen=True)
class FacsimileSpec:
    """What an exporter needs to show an exhibit as its source's pages. ``pages`` is None
    when they are found at export (a web page's highlight: where its quote lands once laid
    out). ``quote`` and ``geometry`` only place the highlight's marks: never printed."""

    document_id: int
    sha256: str
    media_type: str
    kind: str
    pages: list[int] | None
    quote: str = ""
    geometry: dict[str, Any] | None = None
    color: str = "#ffd54f"  # the highlight's colour, for its marks


@dataclass
class ViewItem:
    id: int
    kind: str  # highlight | document | note
    label: str | None
    position: int
    body: list[Segment]
    commentary: list[Segment]
    source: Source | None = None
    page: int | None = None
    highlight_id: int | None = None
    document_id: int | None = None
    missing: str | None = None  # why the item's source can no longer be shown
    facsimile: FacsimileSpec | None = None  # shown as its source's own pages too
    # Set by the export once the source is open: (pages shown as "2-3", the source's pages).
    facsimile_shown: tuple[str, int] | None = None
    # "Corroborated by:" the sources linked to the exhibit's highlight (corroboration.py).
    corroborated_by: list[Corroboration] = field(default_factory=list)
    # A chronology section's table of events (kind ``chronology``; chronology/dossier_section).
    chronology: ChronologyTable | None = None

    @property
    def is_exhibit(self) -> bool:
        return self.kind in editing.EXHIBIT_KINDS

    @property
    def heading(self) -> str:
        if self.kind == "note":
            return "Note"
        if self.kind == "chronology":
            return self.chronology.title if self.chronology else "Chronology"
        title = self.source.title if self.source else "(source deleted)"
        return f"{self.label}: {title}"


@dataclass
class ViewSection:
    id: int | None
    title: str | None
    items: list[ViewItem] = field(default_factory=list)


@dataclass
class DossierView:
    id: int
    title: str
    author: str
    organisation: str
    case: str | None
    description: list[Segment]
    version: int
    version_of_id: int | None
    frozen_at: datetime | None
    created_at: datetime
    sections: list[ViewSection]
    sources: list[Source]
    rules: list[Rule]
    redacted_documents: set[int] = field(default_factory=set)
    areas: list[AreaRule] = field(default_factory=list)  # area rules: facsimile pages only
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def items(self) -> list[ViewItem]:
        return [it for sec in self.sections for it in sec.items]

    @property
    def exhibits(self) -> list[ViewItem]:
        return [it for it in self.items if it.is_exhibit]

    @property
    def missing(self) -> list[ViewItem]:
        return [it for it in self.items if it.missing]

    @property
    def byline(self) -> str:
        return " · ".join(x for x in (self.author, self.organisation) if x)

    @property
    def labels(self) -> list[str]:
        """The printed label of every rule, text and area (for the Redactions list)."""
        return [r.label for r in self.rules] + [a.label for a in self.areas]

    def plain(self, text: str) -> str:
        """Any extra string an exporter wants to write, passed through the redactions."""
        return redact_plain(text, self.rules)


def rules_for(session: Session, dossier_id: int) -> list[Rule]:
    """The text rules (area rules have no text: see ``areas_for``). An entity rule becomes
    one rule per name the entity has now, so an alias added after the rule is hidden too;
    this is the one place that happens, so exports, previews and leak checks all see it."""
    rows = session.execute(select(Redaction).where(Redaction.dossier_id == dossier_id)
                           .order_by(Redaction.id)).scalars()
    # The reason stays behind: nothing built from the view can print it.
    rules: list[Rule] = []
    for r in rows:
        if r.area:
            continue
        if r.entity_id is not None:
            rules += [Rule(name, r.label, r.item_id) for name in entity_names(session, r.entity_id)]
        else:
            rules.append(Rule(r.text, r.label, r.item_id))
    return rules


def entity_names(session: Session, entity_id: int) -> list[str]:
    """Every name and alias of an entity (its rule hides them all)."""
    return list(session.execute(select(EntityName.name).where(EntityName.entity_id == entity_id)
                                .order_by(EntityName.id)).scalars())


def areas_for(session: Session, dossier_id: int) -> list[AreaRule]:
    rows = session.execute(select(Redaction).where(Redaction.dossier_id == dossier_id)
                           .order_by(Redaction.id)).scalars()
    return [a for a in map(area_of, rows) if a is not None]


def facsimile_spec(session: Session, it: DossierItem, raw: RawItem) -> FacsimileSpec | None:
    if not it.facsimile or raw.source is None:
        return None
    h = session.get(Highlight, it.highlight_id) if it.highlight_id else None
    doc = session.get(Document, raw.source.document_id)
    if doc is None:
        return None
    return FacsimileSpec(doc.id, doc.sha256, doc.media_type, doc.kind, item_pages(session, it),
                         quote=h.quote if h is not None else "",
                         geometry=h.page_geometry if h is not None else None,
                         **({"color": h.color} if h is not None and h.color else {}))


def version_number(session: Session, dossier: Dossier) -> int:
    n, seen, cur = 1, {dossier.id}, dossier.version_of_id
    while cur is not None and cur not in seen:
        seen.add(cur)
        parent = session.get(Dossier, cur)
        if parent is None:
            break
        n, cur = n + 1, parent.version_of_id
    return n


@dataclass
class RawItem:
    """An item's unredacted content, used to build the view and to validate redactions."""

    item: DossierItem
    text: str
    page: int | None
    source: Source | None
    missing: str | None


def raw_item(session: Session, it: DossierItem,
             cache: dict[int, Source] | None = None) -> RawItem:
    """The item's text and source; ``cache`` shares sources between items of one document."""
    if it.kind == "note":
        return RawItem(it, it.note_text, None, None, None)
    if it.kind == "chronology":  # its events are read by chronology.dossier_section
        return RawItem(it, "", None, None, None)
    h = session.get(Highlight, it.highlight_id) if it.highlight_id else None
    doc_id = h.document_id if h else it.document_id
    doc = session.get(Document, doc_id) if doc_id else None
    if doc is None or (it.kind == "highlight" and h is None):
        what = "document" if doc is None else "highlight"
        return RawItem(it, it.quote_snapshot or "", None, None, f"its source {what} was deleted")
    src = cache.get(doc.id) if cache is not None else None
    if src is None:
        rec = session.execute(select(CollectionRecord)
                              .where(CollectionRecord.document_id == doc.id)).scalar_one_or_none()
        src = source_from(doc, rec)
        if cache is not None:
            cache[doc.id] = src
    if h is not None:
        return RawItem(it, h.quote, h.page, src, None)
    layer = latest_layer(session, doc.id)
    return RawItem(it, layer.text if layer else "", None, src, None)


def dossier_strings(session: Session, dossier: Dossier) -> list[tuple[int | None, str]]:
    """Every unredacted string of the dossier, with the item it belongs to (None: the dossier)."""
    out: list[tuple[int | None, str]] = [(None, dossier.title), (None, dossier.description),
                                         (None, dossier.author), (None, dossier.organisation)]
    for sec in editing.sections(session, dossier.id):
        out.append((None, sec.title))
    cache: dict[int, Source] = {}
    for it in editing.ordered_items(session, dossier.id):
        raw = raw_item(session, it, cache)
        out += [(it.id, raw.text), (it.id, it.commentary)]
        if raw.source:
            out += [(it.id, v) for v in raw.source.strings()]
        out += [(it.id, v) for v in corroboration_strings(session, it, cache)]
        out += [(it.id, v) for v in chronology_strings(session, it, cache)]
    return out


def build_view(session: Session, dossier: Dossier) -> DossierView:
    rules = rules_for(session, dossier.id)
    areas = areas_for(session, dossier.id)
    case = session.get(Collection, dossier.collection_id) if dossier.collection_id else None
    secs = editing.sections(session, dossier.id)
    view_sections: dict[int | None, ViewSection] = {None: ViewSection(None, None)}
    for sec in secs:
        view_sections[sec.id] = ViewSection(sec.id, redact_plain(sec.title, rules))
    sources: dict[int, Source] = {}
    raw_sources: dict[int, Source] = {}
    # An area hides something the original's bytes still show (a face, a drawn name).
    redacted_docs: set[int] = {a.document_id for a in areas}
    matcher = matcher_of(rules)
    for it in editing.ordered_items(session, dossier.id):
        raw = raw_item(session, it, raw_sources)
        src = raw.source
        if src is not None:
            if matcher.find_in_readings(raw.text) is not None or any(
                    r.item_id == it.id for r in rules):
                redacted_docs.add(src.document_id)
            src = sources.setdefault(src.document_id, src.redacted(rules))
        vi = ViewItem(
            id=it.id, kind=it.kind, label=it.exhibit_label, position=it.position,
            body=apply(raw.text, rules), commentary=apply(it.commentary, rules), source=src,
            page=raw.page, highlight_id=it.highlight_id,
            document_id=src.document_id if src else None, missing=raw.missing,
            facsimile=facsimile_spec(session, it, raw),
        )
        vi.corroborated_by = corroborations(session, it, rules, matcher, sources, raw_sources,
                                            redacted_docs)
        vi.chronology = chronology_table(session, it, rules, matcher, sources, raw_sources,
                                         redacted_docs)
        view_sections.get(it.section_id, view_sections[None]).items.append(vi)
    return DossierView(
        id=dossier.id, title=redact_plain(dossier.title, rules),
        author=redact_plain(dossier.author, rules),
        organisation=redact_plain(dossier.organisation, rules),
        case=redact_plain(case.name, rules) if case else None,
        description=apply(dossier.description, rules),
        version=version_number(session, dossier), version_of_id=dossier.version_of_id,
        frozen_at=dossier.frozen_at, created_at=dossier.created_at,
        sections=[s for s in view_sections.values() if s.items or s.id is not None],
        sources=list(sources.values()), rules=rules, redacted_documents=redacted_docs,
        areas=areas,
    )

