"""A document's rows in the server's index: the shared analysis written as ``tsvector`` literals.

PostgreSQL's text parser never sees the text: every lexeme is a term of
``workbench.search.analysis`` exactly as the Whoosh backend indexes it (the exact term, its
``~stem`` at the same position), quoted in the ``tsvector`` input syntax, so folding, Arabic
forms and CJK bigrams are the project's own.

Each document has one row of its distinct lexemes without positions (``words``): every term,
its ``~stem``, and every pair of neighbouring words (``analysis.gram``; the Whoosh index keeps
only pairs of common words). Matches are counted and filtered there, one row per document: a
word, a prefix or a two-word phrase (its pair) without reading a window; a longer phrase is
checked for positions only in the documents holding all its pairs. The windows hold the
terms with their positions, not the pairs (format 2 kept them there too: 3.2x the index), and
are read to rank the best candidates and to check positions.

``FORMAT`` says what the rows hold; the index stores it (``hook.py``), and a query is compiled
for the format the rows have, so an index written before is never misread (its phrases are
the words' positions) until the check rebuilds it.

The body is cut into overlapping windows of ``WINDOW`` positions, ``STRIDE`` apart: PostgreSQL
keeps at most 256 positions of one lexeme in a value (and none past 16,383), and a window of
256 positions can never hold more, so no position is ever dropped. A phrase or a ``near`` of
up to ``OVERLAP`` words lies wholly inside one window wherever it starts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..analysis import (
    GRAM_MARK,
    STEM_MARK,
    fold,
    gram,
    keyword,
    source_keys,
    stem,
    tag_keys,
    tokens,
)
from ..backend import IndexDoc

WINDOW = 256
OVERLAP = 64
STRIDE = WINDOW - OVERLAP
TITLE_GAP = 50  # as the Whoosh index: no phrase spans the title and the text
MAX_LEXEME = 2046  # bytes: PostgreSQL refuses longer lexemes (a run of letters that long)
MAX_TITLE_POS = 16383
MARKS = (STEM_MARK, GRAM_MARK)  # index-only terms: never in the vocabulary
# What the rows hold: 1, windows with pairs of common words only; 2, with every pair of
# neighbouring words; 3, windows without pairs and one row of lexemes per document (words,
# stems, every pair) without positions. A change of what the rows hold must bump it (the
# check rebuilds).
FORMAT = 3


@lru_cache(maxsize=200_000)
def quote(term: str) -> str:
    """``term`` as one quoted lexeme of the ``tsvector``/``tsquery`` input syntax."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _fits(term: str) -> bool:
    return len(term) * 4 <= MAX_LEXEME or len(term.encode("utf-8")) <= MAX_LEXEME


def pair(first: str, second: str) -> str | None:
    """The lexeme of two neighbouring words, or None when it would be too long for one."""
    g = gram(first, second)
    return g if _fits(g) else None


def positioned(parts: Iterable[str]) -> Iterator[tuple[str, int]]:
    """``(term, position)`` of the parts of a field (0-based, ``TITLE_GAP`` between parts), as
    the Whoosh backend's tokenizer gives them, and each pair of neighbouring words (``pair``)
    at the first one's position. A term too long to be a lexeme (a run of 500 letters and
    more) is left out."""
    pos = 0
    for n, part in enumerate(parts):
        if n:
            pos += TITLE_GAP
        prev = None
        for term, _start, _end in tokens(part):
            if not _fits(term):
                prev = None
                pos += 1
                continue
            yield term, pos
            s = stem(term)
            if s != term:
                yield STEM_MARK + s, pos
            if prev is not None and (g := pair(prev, term)) is not None:
                yield g, pos - 1
            prev = term
            pos += 1


def _render(where: dict[str, list[int]]) -> str:
    return " ".join(f"{quote(t)}:{','.join(map(str, ps))}" for t, ps in where.items())


def vector(pairs: Iterable[tuple[str, int]]) -> str:
    """A ``tsvector`` literal of ``(term, 1-based position)`` pairs (each term's positions in
    increasing order)."""
    where: dict[str, list[int]] = defaultdict(list)
    for term, pos in pairs:
        where[term].append(pos)
    return _render(where)


def stripped(terms: Iterable[str]) -> str:
    """A ``tsvector`` literal of these lexemes without positions (the counting row)."""
    return " ".join(quote(t) for t in dict.fromkeys(terms))


def windows(pairs: list[tuple[str, int]]) -> list[str]:
    """The body's ``tsvector`` literals, one per window (at least one, maybe empty)."""
    if not pairs:
        return [""]
    count = max(p for _t, p in pairs) // STRIDE + 1
    out: list[dict[str, list[int]]] = [defaultdict(list) for _ in range(count)]
    for term, pos in pairs:
        k = pos // STRIDE  # the last window starting at or before ``pos``
        rel = pos - k * STRIDE
        out[k][term].append(rel + 1)
        if k and rel < OVERLAP:  # the window before reaches it too (no other does)
            out[k - 1][term].append(rel + STRIDE + 1)
    return [_render(w) for w in out]


@dataclass
class Row:
    """What the index stores of one document."""

    doc_id: int
    layer_id: int | None
    text_sha: str
    title: str  # tsvector literal
    body: list[str]  # tsvector literals, one per window (terms and stems, no pairs)
    words: str  # tsvector literal without positions: every lexeme, pairs too (FORMAT 3)
    kind: str
    lang: str | None
    date: str | None
    year: int | None
    sources: list[str]
    collections: list[str]
    tags: list[str]
    facet_kind: str
    facet_language: str
    facet_collections: list[str]
    facet_tags: list[str]
    vocabulary: dict[str, set[str]]  # field -> its terms (index-only terms left out)


STAMP_HASH = 16  # hex digits of the layer's text hash kept, as the Whoosh index's stamp


def row_of(doc: IndexDoc) -> Row:
    body = list(positioned([doc.title, doc.text]))
    title = [(t, min(p + 1, MAX_TITLE_POS)) for t, p in positioned([doc.title])]
    vocab = {"body": {t for t, _p in body if not t.startswith(MARKS)},
             "title": {t for t, _p in title if not t.startswith(MARKS)}}
    return Row(
        doc_id=doc.doc_id, layer_id=doc.layer_id,
        text_sha=(doc.text_sha256 or "")[:STAMP_HASH],
        title=vector(title),
        body=windows([(t, p) for t, p in body if not t.startswith(GRAM_MARK)]),
        words=stripped(t for t, _p in body),
        kind=fold(doc.kind or "") or "unknown",
        lang=fold(doc.language) if doc.language else None,
        date=doc.date, year=doc.year,
        sources=source_keys(doc.sources) if doc.sources else [],
        collections=sorted({keyword(c) for c in doc.collections}),
        tags=tag_keys(doc.tags) if doc.tags else [],
        facet_kind=doc.kind or "unknown", facet_language=doc.language or "",
        facet_collections=list(doc.collections), facet_tags=list(doc.tags),
        vocabulary=vocab,
    )
