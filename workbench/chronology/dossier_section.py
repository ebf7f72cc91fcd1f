"""A dossier's chronology section: a ``DossierItem`` of kind ``chronology`` whose stored
filter (``{"title", "tags", "entity_id", "collection_id"}``) chooses the events it lists,
read again at every export; resolved here into a ``ChronologyTable`` every exporter renders
(date, statement, status, and each source's quote with its citation).

The table passes through the dossier's redactions like every other text: statements and
quotes come out as ``Segment`` lists, the date, status and title as redacted plain text, and
the sources redacted; the sources join the dossier's cited sources (provenance appendix,
CSL-JSON, a bundle's originals, withheld when they hold a redacted text), and every string of
the table counts as the dossier's when a redaction is checked for an occurrence. Events'
notes are private and never reach the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from ..dossier.citations import Source, cached_source, short_citation
from ..dossier.redaction import Rule, Segment, apply, redact_plain
from ..models import DossierItem
from ..redact.matcher import Matcher
from . import queries

KIND = "chronology"
DEFAULT_TITLE = "Chronology"
# What the table prints itself (the dossier refuses to redact these words; see
# dossier.redaction.EXPORT_LABELS).
HEADERS = ("Date", "Statement", "Status", "Sources")


@dataclass(frozen=True)
class TableSource:
    source: Source  # redacted
    page: int | None
    quote: list[Segment]

    @property
    def citation(self) -> str:
        return short_citation(self.source, self.page)


@dataclass(frozen=True)
class TableRow:
    date: str
    statement: list[Segment]
    status: str
    sources: list[TableSource] = field(default_factory=list)


@dataclass(frozen=True)
class ChronologyTable:
    title: str
    rows: list[TableRow]

    @property
    def weight(self) -> int:
        """Layout cost in ``html._weight`` units: the text and a share per row and source."""
        return sum(200 + sum(len(s.text) for s in r.statement)
                   + sum(150 + sum(len(s.text) for s in src.quote) for src in r.sources)
                   for r in self.rows)


def title_of(item: DossierItem) -> str:
    return str((item.chronology or {}).get("title") or DEFAULT_TITLE)


def section_events(session: Session, item: DossierItem) -> list[dict[str, Any]]:
    """The events the section lists now, unredacted (notes included: never printed)."""
    if item.kind != KIND:
        return []
    return queries.events(session, queries.resolve_filter(session, item.chronology))


def raw_strings(session: Session, item: DossierItem, cache: dict[int, Source]) -> list[str]:
    """Every unredacted string the section may print."""
    if item.kind != KIND:
        return []
    out = [title_of(item)]
    for ev in section_events(session, item):
        out += [ev["date"]["text"], ev["statement"]]
        for s in ev["sources"]:
            src = cached_source(session, s["document_id"], cache)
            out += [s["quote"], *(src.strings() if src else [])]
    return out


def section_documents(session: Session, items: Iterable[DossierItem]) -> set[int]:
    """The documents the items' chronology sections cite."""
    return {s["document_id"] for it in items for ev in section_events(session, it)
            for s in ev["sources"]}


def chronology_table(session: Session, item: DossierItem, rules: list[Rule], matcher: Matcher,
                     sources: dict[int, Source], raw_sources: dict[int, Source],
                     redacted_docs: set[int]) -> ChronologyTable | None:
    """The section as exporters render it, redacted. Adds the cited sources to ``sources``
    (redacted, by document) and the documents whose quotes hold a redacted text to
    ``redacted_docs``, as ``model.build_view`` does for exhibits."""
    if item.kind != KIND:
        return None
    rows = []
    for ev in section_events(session, item):
        cited = []
        for s in ev["sources"]:
            raw = cached_source(session, s["document_id"], raw_sources)
            if raw is None:
                continue
            if matcher and matcher.find_in_readings(s["quote"]) is not None:
                redacted_docs.add(raw.document_id)
            src = sources.setdefault(raw.document_id, raw.redacted(rules))
            cited.append(TableSource(src, s["page"], apply(s["quote"], rules)))
        rows.append(TableRow(redact_plain(ev["date"]["text"], rules),
                             apply(ev["statement"], rules),
                             redact_plain(ev["status"], rules), cited))
    return ChronologyTable(redact_plain(title_of(item), rules), rows)
