"""What a mutation changed, so each panel of a UI redraws only what it must."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Changes:
    documents: bool = False
    collections: bool = False
    highlights: bool = False
    tags: bool = False
    dossiers: bool = False
    searches: bool = False
    index: bool = False
    # A document's record (title, author, ... source URL) was corrected: it still exists, so a
    # view showing it reloads rather than closes.
    records: bool = False
    # Connections between sources (issue 18): copy pairs, the entity register, the
    # chronology's events, links between highlights.
    copies: bool = False
    entities: bool = False
    events: bool = False
    links: bool = False
    document_ids: list[int] = field(default_factory=list)
    highlight_ids: list[int] = field(default_factory=list)
    dossier_ids: list[int] = field(default_factory=list)

    def merge(self, other: Changes) -> Changes:
        return Changes(
            documents=self.documents or other.documents,
            collections=self.collections or other.collections,
            highlights=self.highlights or other.highlights,
            tags=self.tags or other.tags,
            dossiers=self.dossiers or other.dossiers,
            searches=self.searches or other.searches,
            index=self.index or other.index,
            records=self.records or other.records,
            copies=self.copies or other.copies,
            entities=self.entities or other.entities,
            events=self.events or other.events,
            links=self.links or other.links,
            document_ids=self.document_ids + other.document_ids,
            highlight_ids=self.highlight_ids + other.highlight_ids,
            dossier_ids=self.dossier_ids + other.dossier_ids,
        )
