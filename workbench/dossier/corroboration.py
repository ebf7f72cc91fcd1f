"""What a highlight exhibit lists after its citation: "Corroborated by:" the highlights linked
to its own as corroborating it or describing the same event (``annotate/links.py``), each with
its quote and its source's citation (title, page, SHA-256).

The listing passes through the dossier's redactions like every other text: quotes come out as
``Segment`` lists and sources redacted; the sources join the dossier's cited sources (the
provenance appendix, CSL-JSON, and a bundle's originals, withheld when they hold a redacted
text); and their strings count as the dossier's when a redaction is checked for an occurrence.
Contradicting links are never listed. An item's ``corroboration`` flag turns it off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..annotate.links import CORROBORATING, links_of
from ..models import DossierItem, Highlight
from ..redact.matcher import Matcher
from .citations import Source, cached_source, short_citation
from .redaction import Rule, Segment, apply

HEADING = "Corroborated by:"
SAME_EVENT = "same event"  # printed after the citation of a link describing the same event


@dataclass(frozen=True)
class Corroboration:
    relation: str  # corroborates | same-event
    highlight_id: int
    source: Source  # redacted
    page: int | None
    quote: list[Segment]

    @property
    def citation(self) -> str:
        text = short_citation(self.source, self.page, " · ")  # as an exhibit's citation
        return f"{text} · {SAME_EVENT}" if self.relation == "same-event" else text


def linked(session: Session, item: DossierItem) -> list[tuple[str, Highlight]]:
    """The (relation, highlight) pairs the item lists, in the order the links were made."""
    if item.kind != "highlight" or not item.corroboration or item.highlight_id is None:
        return []
    return [(link.relation, other)
            for link, other in links_of(session, item.highlight_id, CORROBORATING)]


def raw_strings(session: Session, item: DossierItem,
                cache: dict[int, Source]) -> list[str]:
    """Every unredacted string the item's listing may print (quotes and source fields)."""
    out: list[str] = []
    for _, h in linked(session, item):
        src = cached_source(session, h.document_id, cache)
        out += [h.quote, *(src.strings() if src else [])]
    return out


def linked_documents(session: Session, items: Iterable[DossierItem]) -> set[int]:
    """The documents the items' listings cite."""
    return {h.document_id for it in items for _, h in linked(session, it)}


def corroborations(session: Session, item: DossierItem, rules: list[Rule], matcher: Matcher,
                   sources: dict[int, Source], raw_sources: dict[int, Source],
                   redacted_docs: set[int]) -> list[Corroboration]:
    """The item's listing, redacted. Adds each linked source to ``sources`` (redacted) and,
    when its quote holds a redacted text, its document to ``redacted_docs``."""
    out = []
    for relation, h in linked(session, item):
        raw = cached_source(session, h.document_id, raw_sources)
        if raw is None:
            continue
        if matcher.find_in_readings(h.quote) is not None:
            redacted_docs.add(raw.document_id)
        src = sources.setdefault(raw.document_id, raw.redacted(rules))
        out.append(Corroboration(relation, h.id, src, h.page, apply(h.quote, rules)))
    return out
