"""The index schema (private): which fields the index holds and how one document fills them.

The index holds no document text: only terms with positions (for phrases), the fields that
queries filter on, and one small column per document with the facet values, so facet counts
never touch the database. ``SCHEMA_VERSION`` changes whenever a field or the analysis changes;
an index with another version is rebuilt.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

from whoosh import columns, fields
from whoosh.analysis import Token, Tokenizer

from ..analysis import (  # noqa: F401 (keyword, tag_keys, common_words: read from here too)
    DEFAULT_COMMON,
    STEM_MARK,
    common_words,
    fold,
    gram,
    keyword,
    source_keys,
    stem,
    tag_keys,
    tokens,
)
from ..backend import IndexDoc

SCHEMA_VERSION = 6  # 6: positions in the sidecars only (bulk.py)
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


# Whoosh keeps the schema pickled in each index's table of contents, so an index written
# before the engine moved to workbench/search/whoosh/ names this module by its old name: the
# old name finds it, and those indexes open without a rebuild.
sys.modules.setdefault("workbench.index.schema", sys.modules[__name__])


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
