"""Engine-neutral parts of a search: alias groups in, hits with snippets out.

A backend answers with document ids and ``Marks``; this module turns them into the
``SearchHit`` values the facade returns, reading titles and text layers from the database
(the truth: a document deleted behind the index's back is dropped) and cutting snippets with
the shared analysis, so every backend's hits look alike. ``run_search`` is a whole search from
the query to the ``SearchResult``; the facade runs it over the ORM, and ``workbench search`` on
a plain library over ``workbench.fast_read`` (``read_only.py``): one code, the same answer.
SQLAlchemy is imported only by the functions that read through the ORM.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from .analysis import terms
from .backend import Filters, Marks, Matches, Node
from .results import SearchHit, SearchResult
from .snippets import make_snippets, match_spans, page_of
from .tagged import Highlights, merge, tagged_spans, wanted_tags

if TYPE_CHECKING:
    from ..library import Library

SNIPPET_SCAN = 2_000_000
MAX_LIMIT = 1000
# Title, kind, latest layer id, its text and its pages (number, start, end) of a document.
Texts = dict[int, tuple[str, str, int | None, str, list[tuple[int, int, int]]]]


class Searches(Protocol):
    """The one method of ``backend.SearchBackend`` a search runs."""

    def search(self, query: Node, filters: Filters, *, want: int, facets: bool,
               aliases: Mapping[str, Sequence[str]]) -> Matches: ...


def run_search(backend: Callable[[], Searches], query: str, limit: int, offset: int,
               filters: dict[str, Any] | None, *, facets: bool, snippets: bool,
               aliases: Callable[[], Mapping[str, Sequence[str]]],
               texts: Callable[[list[int]], Texts],
               highlights: Callable[[list[int]], Highlights] | None = None) -> SearchResult:
    """``SearchMixin.search`` without copies folded: the query read, the backend asked, the
    hits made from ``texts`` (the database's titles and text layers) and, for a query that
    asks for tags, ``highlights`` (``tagged.load_highlights``): their tagged passages are
    marked as matches are."""
    from .parse import parse

    started = time.perf_counter()
    limit, offset = max(0, min(int(limit), MAX_LIMIT)), max(0, int(offset))
    node, notice = parse(query)
    wanted = Filters.from_dict(filters)
    found = backend().search(node, wanted, want=offset + limit, facets=facets,
                             aliases=aliases())
    notice = " ".join(n for n in (notice, *found.notices) if n) or None
    page = list(zip(found.ids, found.scores, strict=True))[offset:offset + limit]
    ids = [i for i, _ in page]
    tags = wanted_tags(node, wanted.tags) if snippets and highlights is not None else []
    hits, gone = hits_of(texts(ids) if page else {}, page, found.marks, snippets,
                         tagged=highlights(ids) if tags and page and highlights else None,
                         tags=tags)
    return SearchResult(query, max(0, found.total - gone), hits,
                        {k: list(v) for k, v in found.facets.items()}, offset, limit,
                        notice, (time.perf_counter() - started) * 1000)


def alias_map(groups: list[list[str]]) -> dict[str, list[str]]:
    """Each spelling's folded key -> every spelling of its group."""
    out: dict[str, list[str]] = {}
    for group in groups:
        for term in group:
            key = " ".join(terms(term))
            if key:
                out.setdefault(key, [])
                out[key] += [t for t in group if t not in out[key]]
    return out


def library_aliases(library: Library) -> dict[str, list[str]]:
    """The library's alias groups as ``alias_map`` gives them to a backend."""
    from sqlalchemy import select

    from ..models import AliasGroup

    with library.read() as s:
        return alias_map([list(t or []) for t in s.execute(select(AliasGroup.terms)).scalars()])


def make_hits(library: Library, page: list[tuple[int, float]], marks: Marks,
              want_snippets: bool = True) -> tuple[list[SearchHit], int]:
    """The hits for ``(document id, score)`` pairs, and how many ids no longer exist."""
    if not page:
        return [], 0
    return hits_of(load_texts(library, [i for i, _ in page]), page, marks, want_snippets)


def hits_of(texts: Texts, page: list[tuple[int, float]], marks: Marks,
            want_snippets: bool = True, *, tagged: Highlights | None = None,
            tags: Sequence[str] = ()) -> tuple[list[SearchHit], int]:
    """``make_hits`` from the documents' ``texts`` as ``load_texts`` gives them; with
    ``tagged`` (the hits' highlights) the passages tagged with ``tags`` are spans too."""
    hits, gone = [], 0
    for doc_id, score in page:
        row = texts.get(doc_id)
        if row is None:  # deleted behind the index's back: the database wins
            gone += 1
            continue
        title, kind, layer_id, text, pages = row
        # Snippets come from the first SNIPPET_SCAN characters: a 50 MB text layer must not
        # cost seconds per hit (search_in_document still reads all of it).
        spans = match_spans(text[:SNIPPET_SCAN], marks) if want_snippets else []
        passages = tagged_spans(layer_id, tagged[doc_id], tags, len(text)) \
            if tagged and doc_id in tagged else []
        if passages:
            spans = merge(spans, passages)
        snips = make_snippets(text, spans, pages, prefer=passages) if spans else []
        first = snips[0] if snips else None
        hits.append(SearchHit(
            document_id=doc_id, title=title, score=score, layer_id=layer_id,
            page=first.page if first else (page_of(pages, 0) if pages else None),
            snippet=first.text if first else opening(text),
            spans=list(first.spans) if first else [], snippets=snips, kind=kind))
    return hits, gone


OPENING = 200  # characters of a hit's text shown when the query marks no word in it


def opening(text: str) -> str:
    """A hit's snippet when nothing in it is marked (a tag or a field filter alone): the text's
    opening, cut at a word, with an ellipsis when there is more."""
    if len(text) <= OPENING:
        return text
    cut = text.rfind(" ", 0, OPENING + 1)
    return text[:cut if cut > OPENING // 2 else OPENING].rstrip() + "…"


def load_texts(library: Library, ids: list[int]) -> Texts:
    """Title, kind, latest layer id, its text and its pages, for each id that still exists."""
    from sqlalchemy import func, select

    from ..models import Document, Page, TextLayer

    with library.read() as s:
        docs = {i: (t, k) for i, t, k in s.execute(
            select(Document.id, Document.title, Document.kind).where(Document.id.in_(ids)))}
        latest = (select(TextLayer.document_id, func.max(TextLayer.version).label("v"))
                  .where(TextLayer.document_id.in_(list(docs)))
                  .group_by(TextLayer.document_id).subquery())
        layers: dict[int, tuple[int, int, str]] = {}
        for lid, did, ver, text in s.execute(
                select(TextLayer.id, TextLayer.document_id, TextLayer.version, TextLayer.text)
                .join(latest, (latest.c.document_id == TextLayer.document_id)
                      & (latest.c.v == TextLayer.version))):
            layers[did] = (lid, ver, text)
        pages: dict[int, list[tuple[int, int, int]]] = {}
        layer_ids = [v[0] for v in layers.values()]
        for lid, n, a, b in s.execute(select(Page.layer_id, Page.number, Page.start, Page.end)
                                      .where(Page.layer_id.in_(layer_ids))
                                      .order_by(Page.number)):
            pages.setdefault(lid, []).append((n, a, b))
    out: Texts = {}
    for doc_id, (title, kind) in docs.items():
        lid, _v, text = layers.get(doc_id, (None, 0, ""))
        out[doc_id] = (title, kind, lid, text, pages.get(lid, []) if lid else [])
    return out
