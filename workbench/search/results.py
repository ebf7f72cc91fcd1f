"""What a search returns: plain dataclasses with ``to_json`` (the CLI's public shape)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importing the results must not load the query engine
    from .snippets import Snippet

FACETS = ("collection", "tag", "kind", "year", "language")


@dataclass
class SearchHit:
    """One document that matched: where to open it and what to show.

    ``spans`` are ``[start, end)`` character offsets into the document's latest text layer
    (``layer_id``) for the matches inside ``snippet``; ``snippets`` holds 1-3 windows, each with
    its own spans and page. ``page`` is the page of the first match (1-based) or None.
    """

    document_id: int
    title: str
    score: float
    layer_id: int | None
    page: int | None
    snippet: str
    spans: list[tuple[int, int]]
    snippets: list[Snippet] = field(default_factory=list)
    kind: str = ""
    # Documents that are copies of this one, folded into it (``collapse_copies``).
    copies: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "title": self.title,
                "score": round(self.score, 4), "page": self.page, "snippet": self.snippet,
                "spans": [list(s) for s in self.spans], "layer_id": self.layer_id,
                "kind": self.kind, "snippets": [s.to_json() for s in self.snippets],
                "copies": list(self.copies)}


@dataclass
class SearchResult:
    """``total`` matching documents; ``hits`` is the requested page of them, best first.

    ``facets`` maps each of collection, tag, kind, year, language to ``[(value, count)]``
    over all matching documents. ``notice`` says when the query was read differently from how
    it was typed (broken syntax read as plain words).
    """

    query: str
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[tuple[str, int]]]
    offset: int = 0
    limit: int = 20
    notice: str | None = None
    elapsed_ms: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "offset": self.offset,
                "limit": self.limit, "notice": self.notice,
                "elapsed_ms": round(self.elapsed_ms, 1),
                "hits": [h.to_json() for h in self.hits],
                "facets": {k: [[v, n] for v, n in vals] for k, vals in self.facets.items()}}


@dataclass
class DocumentMatches:
    """Every match of a query inside one document, in text order (for find-in-document)."""

    document_id: int
    layer_id: int
    query: str
    matches: bool  # the document as a whole satisfies the query (NOT and fields included)
    spans: list[tuple[int, int]]
    pages: list[int | None]

    def to_json(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "layer_id": self.layer_id,
                "query": self.query, "matches": self.matches, "count": len(self.spans),
                "spans": [list(s) for s in self.spans], "pages": self.pages}
