"""The index schema (private): which fields the index holds and how one document fills them.

The index holds no document text: only terms with positions (for phrases), the fields that
queries filter on, and one small column per document with the facet values, so facet counts
never touch the database. ``SCHEMA_VERSION`` changes whenever a field or the analysis changes;
an index with another version is rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from whoosh import columns, fields
from whoosh.analysis import Token, Tokenizer

from .analysis import DEFAULT_COMMON, STEM_MARK, fold, gram, is_cjk, stem, terms, tokens

SCHEMA_VERSION = 5
TITLE_GAP = 50  # positions between the title and the text in ``body``: no phrase spans both


class WorkbenchTokenizer(Tokenizer):  # type: ignore[misc]
    """Whoosh adapter over ``analysis.tokens``: exact terms, ``~stem`` at the same position,
    and a gram for each pair of adjacent ``common`` words (at the first word's position)."""

    def __init__(self, common: frozenset[str] = DEFAULT_COMMON) -> None:
        self.common = frozenset(common)

    def __call__(self, value: Any, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: Any) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        common = self.common
        parts = value.split("\x00") if "\x00" in value else [value]
        for n, part in enumerate(parts):
            if n:
                pos += TITLE_GAP
            prev = None
            for term, start, end in tokens(part):
                t.text = term
                t.boost = 1.0
                t.stopped = False
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar, t.endchar = start_char + start, start_char + end
                yield t
                s = stem(term)
                if s != term:
                    t.text = STEM_MARK + s
                    yield t
                if prev is not None and term in common:
                    t.text = gram(prev, term)
                    if positions:
                        t.pos = pos - 1
                    yield t
                prev = term if term in common else None
                pos += 1


def build_schema(common: frozenset[str] = DEFAULT_COMMON) -> fields.Schema:
    analyzer = WorkbenchTokenizer(common)
    return fields.Schema(
        id=fields.ID(unique=True),
        body=fields.TEXT(analyzer=analyzer, phrase=True),
        title=fields.TEXT(analyzer=analyzer, phrase=True),
        source=fields.KEYWORD(commas=True),
        tag=fields.KEYWORD(commas=True),
        collection=fields.KEYWORD(commas=True),
        kind=fields.ID(),
        lang=fields.ID(),
        date=fields.ID(),
        year=fields.ID(),  # date:2022 is one term, not a set of 365 day terms
        meta=fields.COLUMN(columns.VarBytesColumn()),
        stamp=fields.COLUMN(columns.VarBytesColumn()),
    )


@dataclass
class IndexDoc:
    """Everything the index needs about one document, read from the database."""

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


def keyword(value: str) -> str:
    """How a tag or collection name is stored and looked up: folded words, ``/`` kept."""
    return "/".join(" ".join(terms(part)) for part in value.split("/"))


def source_keys(sources: list[str]) -> list[str]:
    """Host names as they are (lower case); a site name folded, whole and word by word."""
    keys: set[str] = set()
    for s in sources:
        if "." in s and " " not in s.strip():
            keys.add(s.strip().lower())
        keys.add(keyword(s))
        keys.update(terms(s))
    return sorted(k for k in keys if k)


def tag_keys(paths: list[str]) -> list[str]:
    """Each tag path, its ancestors (a parent matches its children) and its own name."""
    keys: set[str] = set()
    for path in paths:
        parts = [p for p in keyword(path).split("/") if p]
        for i in range(1, len(parts) + 1):
            keys.add("/".join(parts[:i]))
        if parts:
            keys.add(parts[-1])
    return sorted(keys)


def common_words(texts: list[str], limit: int = 96, share: float = 0.5) -> frozenset[str]:
    """The words in at least ``share`` of ``texts`` (at most ``limit``, most frequent first):
    the archive's own common words, whose pairs get grams. Chinese bigrams are left out."""
    from collections import Counter

    df: Counter[str] = Counter()
    for text in texts:
        df.update({w for w in terms(text) if not is_cjk(w)})
    floor = max(1, int(share * len(texts)))
    return frozenset(w for w, n in df.most_common(limit) if n >= floor)


SEP, SUB = "\x1f", "\x1e"


def encode_meta(doc: IndexDoc) -> bytes:
    """Facet values as one short string per document (cheap to split for every hit)."""
    parts = [doc.kind or "", doc.language or "", str(doc.year or ""),
             SUB.join(doc.collections), SUB.join(doc.tags)]
    return SEP.join(p.replace(SEP, " ").replace(SUB, " ") if i < 3 else p
                    for i, p in enumerate(parts)).encode("utf-8")


def decode_meta(raw: bytes | None) -> tuple[str, str, str, list[str], list[str]]:
    """``(kind, language, year, collections, tags)``; empty values for a missing column."""
    parts = (raw or b"").decode("utf-8", "replace").split(SEP)
    parts += [""] * (5 - len(parts))
    return (parts[0], parts[1], parts[2], [c for c in parts[3].split(SUB) if c],
            [t for t in parts[4].split(SUB) if t])


STAMP_HASH = 16  # hex digits of the layer's text hash kept in the stamp


def encode_stamp(doc_id: int, layer_id: int | None, text_sha256: str | None = None) -> bytes:
    """``doc:layer:hash``: what was indexed, so the drift check can tell a layer whose text
    changed (its stored hash is cleared when the text is updated, see migration 0003)."""
    return f"{doc_id}:{layer_id or 0}:{(text_sha256 or '')[:STAMP_HASH]}".encode("ascii")


def decode_stamp(raw: bytes | None) -> tuple[int, int] | None:
    full = decode_stamp_hash(raw)
    return None if full is None else (full[0], full[1])


def decode_stamp_hash(raw: bytes | None) -> tuple[int, int, str | None] | None:
    """``(doc, layer, hash prefix)``; the hash is None in stamps written before it was kept
    ("" when the layer had no stored hash)."""
    try:
        parts = (raw or b"").decode("ascii").split(":")
        if len(parts) == 2:
            return int(parts[0]), int(parts[1]), None
        a, b, h = parts
        return int(a), int(b), h
    except ValueError:
        return None


def to_fields(doc: IndexDoc) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(doc.doc_id),
        "body": f"{doc.title}\x00{doc.text}",
        "title": doc.title,
        "kind": fold(doc.kind or "") or "unknown",
        "meta": encode_meta(doc),
        "stamp": encode_stamp(doc.doc_id, doc.layer_id, doc.text_sha256),
    }
    if doc.language:
        out["lang"] = fold(doc.language)
    if doc.date:
        out["date"] = doc.date
        out["year"] = doc.date[:4]
    if doc.sources:
        out["source"] = ",".join(k.replace(",", " ") for k in source_keys(doc.sources))
    if doc.collections:
        out["collection"] = ",".join(keyword(c).replace(",", " ") for c in doc.collections)
    if doc.tags:
        out["tag"] = ",".join(k.replace(",", " ") for k in tag_keys(doc.tags))
    return out
