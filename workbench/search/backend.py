"""The search engine boundary: what a search backend must do, and the values it exchanges.

Everything above this file (the facade's ``SearchMixin``, the CLI, the UI, snippets and hit
assembly) is engine-neutral; everything below it lives in one backend package. Today that is
``workbench/search/whoosh/`` (Whoosh plus its sidecar engine), the only code that imports
Whoosh. A second backend (e.g. PostgreSQL for teams) implements ``SearchBackend`` and is
returned by ``workbench.search.attach``; it must pass the same query-equivalence cases
(``tests/core/test_search_equivalence.py``, parametrised by backend) and run under
``tests/bench/bench_search.py``.

What flows across:

- **In, the documents.** The library calls ``documents_changed`` / ``documents_removed``
  after each commit (the ``IndexHook`` part); the backend reads what it indexes from the
  database as ``IndexDoc`` values (``workbench.search.source.load_documents``), analysed by the
  shared ``workbench.search.analysis`` (folding, Arabic forms, CJK bigrams, ``~stem`` terms,
  pair grams of common words, tag and collection keys) so every backend indexes the same terms.
- **In, the query.** Already parsed (``workbench.search.parse``) into the small neutral tree
  re-exported here: ``Word`` (with ``fuzzy``), ``Wild`` (prefix and wildcards), ``Phrase``
  (exact, or ``slop`` for near/proximity), ``Range``, ``Field``, ``Not``, ``And``, ``Or``.
  Fields: ``body``, ``title``, ``tag``, ``collection``, ``kind``, ``lang``, ``source``,
  ``date`` (``FIELD_NAMES``). With it: ``Filters`` (facet values) and the alias groups
  (spelling key -> every spelling, ``alias_map``).
- **Out.** ``Matches``: the best ``want`` document ids with their scores (best first), the
  total, facet counts over every match, ``Marks`` (the exact terms, stems and phrases the
  query matched, from which the shared snippet code finds the matched positions in the text
  layer) and notices to show the user. ``DocumentMatch`` for find-in-document. ``IndexStatus``
  and ``Activity`` for the index's state.

Promises a backend keeps: the same ids and totals as the Whoosh backend for every case of the
equivalence tests (scores may differ, order by score only where the tests say so); a search
never writes; errors a person can meet are ``UserError`` (e.g. "the index is being built");
an index that cannot be used is reported by ``status`` rather than raised from it; ``rebuild``
leaves the old index in use until the new one is complete, and keeps it when cancelled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypedDict, runtime_checkable

from ..errors import UserError
from ..progress import CancelToken
from .parse import (
    FIELD_ALIASES,
    And,
    Field,
    Node,
    Not,
    Or,
    Phrase,
    Range,
    Wild,
    Word,
)
from .parse import FIELDS as _FIELDS

__all__ = ["FIELD_NAMES", "Activity", "And", "CancelFn", "DocumentMatch", "Field", "Filters",
           "IndexDoc", "IndexStatus", "Marks", "Matches", "Node", "Not", "Or", "Phrase",
           "ProgressFn", "Range", "SearchBackend", "Wild", "Word"]

# The field names a parsed query's ``Field`` nodes carry (aliases already resolved).
FIELD_NAMES = frozenset(_FIELDS) - set(FIELD_ALIASES)
FACETS = ("collection", "tag", "kind", "year", "language")

ProgressFn = Callable[[int, int], None]  # (done, total) documents
# Asked between steps: a ``progress.CancelToken`` (stops once ``cancelled``) or a callable
# returning True to stop.
CancelFn = CancelToken | Callable[[], bool] | None


@dataclass
class IndexDoc:
    """Everything an index needs about one document, read from the database."""

    doc_id: int
    layer_id: int | None
    title: str
    text: str
    kind: str
    language: str | None
    date: str | None  # YYYYMMDD (00 for an unknown month or day)
    year: int | None
    sources: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # full tag paths, as the user wrote them
    text_sha256: str | None = None  # the layer's stored hash (None: its text was updated)


@dataclass(frozen=True)
class Filters:
    """Facet values a search is narrowed to: any of each given set, all of the sets."""

    collections: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.collections or self.tags or self.kinds or self.languages
                    or self.years)

    @classmethod
    def from_dict(cls, filters: Mapping[str, Any] | None) -> Filters:
        """``{"collection": "Case A", "tag": [...], "kind": "pdf", "language": "en",
        "year": 2022}`` (a value or a list of values each), as the facade takes them."""
        out: dict[str, tuple[Any, ...]] = {}
        names = {"collection": "collections", "tag": "tags", "kind": "kinds",
                 "lang": "languages", "language": "languages", "year": "years"}
        for key, value in (filters or {}).items():
            if key not in names:
                raise UserError(f"Unknown search filter {key!r}",
                                "use collection, tag, kind, language or year")
            values = value if isinstance(value, list | tuple | set) else [value]
            conv: Callable[[Any], Any] = int if key == "year" else str
            out[names[key]] = out.get(names[key], ()) + tuple(conv(v) for v in values)
        return cls(**out)


@dataclass(frozen=True)
class Marks:
    """What the query matched, for marking the text: exact terms, stems of plain words
    (``analysis.stem``) and exact phrases (as term sequences)."""

    exact: frozenset[str] = frozenset()
    stems: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.exact or self.stems or self.phrases)


@dataclass(frozen=True)
class Matches:
    """A search's answer: ``ids`` and ``scores`` of the best ``want`` matches, best first;
    ``total`` matching documents; ``facets`` (facet -> ``((value, count), ...)``, most
    frequent first) over all of them when asked; ``notices`` for the user (an incomplete
    index, a phrase checked in part)."""

    ids: tuple[int, ...]
    scores: tuple[float, ...]
    total: int
    facets: Mapping[str, tuple[tuple[str, int], ...]]
    marks: Marks
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentMatch:
    """Whether one document satisfies a query as a whole (NOT and fields included), and what
    to mark in it."""

    matches: bool
    marks: Marks


class Activity(TypedDict, total=False):
    """The writer's progress only (cheap enough to poll): ``state`` is idle, checking,
    indexing, rebuilding, read-only or unavailable."""

    state: str
    done: int
    total: int
    pending: int
    last_error: str | None
    last_rebuild_reason: str | None


class IndexStatus(Activity, total=False):
    """``Activity`` plus what the index holds (``workbench index-status --json``). Engine
    details (``schema``, ``generation``, ``segments``...) may be added by a backend."""

    backend: str  # which index serves: "whoosh" or "postgres" (set by the facade)
    path: str
    indexed_documents: int | None
    database_documents: int
    size_bytes: int
    problem: str
    schema: int
    generation: Any
    segments: int
    segments_with_sidecar: int


@runtime_checkable
class SearchBackend(Protocol):
    """A library's search index. One instance per open library (``workbench.search.attach``);
    the library calls the first four methods, the facade the rest."""

    def documents_changed(self, ids: list[int]) -> None:
        """These documents were added or edited (text, title, tags...): index them soon."""

    def documents_removed(self, ids: list[int]) -> None:
        """These documents were deleted: drop them from the index soon."""

    def close(self) -> None:
        """Finish or abandon queued work and release the index's files."""

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until nothing is queued; False if ``timeout`` ran out first."""

    def search(self, query: Node, filters: Filters, *, want: int, facets: bool,
               aliases: Mapping[str, Sequence[str]]) -> Matches:
        """The documents matching ``query`` and ``filters``; the best ``want`` of them."""

    def document_matches(self, doc_id: int, query: Node,
                         aliases: Mapping[str, Sequence[str]]) -> DocumentMatch:
        """Whether document ``doc_id`` matches ``query``, and what to mark in it."""

    def rebuild(self, progress: ProgressFn | None = None, cancel: CancelFn = None) -> None:
        """Rebuild the index from the database and wait for it; searches keep working on
        the old one meanwhile. Raises ``Cancelled`` (old index kept) or ``UserError``."""

    def check(self) -> None:
        """Compare the index with the database and repair what drifted, in the background
        (``wait_idle`` waits for it)."""

    def status(self) -> IndexStatus:
        """State, progress, sizes and counts; never raises (``problem`` says what failed)."""

    def activity(self) -> Activity:
        """The writer's state and progress only."""
