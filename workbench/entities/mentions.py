"""Every mention of an entity's names across the library, with its context.

Two steps, so one entity never costs a read of every text in a large library:

1. the search index names the candidate documents: for each name, the documents holding all of
   its words as the search analysis folds them (case, accents, width, Arabic marks; CJK as
   character bigrams), through the index's own query path;
2. in those documents only, the redaction matcher (``workbench.redact.matcher``) finds each
   place a name can be read, so what is listed is exactly what a redaction of the entity
   would hide (a name inside a longer word too; a name split by a line break or a hyphen).

A document the index has not taken in yet (just imported, the index still busy) is found once
it has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..library import Library
from ..redact.matcher import matcher_for
from ..search import load_texts, page_of

CONTEXT = 60  # characters each side of a mention
PAGE = 1000  # search hits asked for at a time (the index's own maximum)
BATCH = 200  # texts read at a time

# A query word the parser would read as syntax: kept out of the name's query.
_SYNTAX = str.maketrans({c: " " for c in '"()[]{}:*?~^\\'})

Search = Callable[[str, int, int], tuple[list[int], int]]


def name_query(name: str) -> str | None:
    """The search query that finds documents holding every word of ``name``: each folded
    term of the search analysis as its own quoted word, so no word is read as syntax."""
    from ..search.analysis import terms

    words = terms(name.translate(_SYNTAX))
    return " ".join(f'"{w}"' for w in dict.fromkeys(words)) or None


def plain_words(text: str) -> str:
    """``text`` as plain query words (alias groups expand them), no syntax."""
    return " ".join(w for w in text.translate(_SYNTAX).split()
                    if w not in ("AND", "OR", "NOT", "TO"))


def candidates(search: Search, names: Iterable[str]) -> list[int]:
    """Ids of the documents the index finds for any of ``names``."""
    found: dict[int, None] = {}
    for name in names:
        query = name_query(name)
        if query is None:
            continue
        offset = 0
        while True:
            ids, total = search(query, PAGE, offset)
            found.update(dict.fromkeys(ids))
            offset += PAGE
            if not ids or offset >= total:
                break
    return list(found)


def _context(text: str, start: int, end: int) -> tuple[str, list[list[int]]]:
    a, b = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    lead = "…" if a > 0 else ""
    tail = "…" if b < len(text) else ""
    # Line breaks read as spaces; the length stays, so the span stays right.
    window = text[a:b].replace("\r", " ").replace("\n", " ")
    s = len(lead) + start - a
    return f"{lead}{window}{tail}", [[s, s + end - start]]


def find_mentions(library: Library, search: Search, names: list[str], *,
                  limit_per_document: int = 20) -> list[dict[str, Any]]:
    """The mentions of ``names`` by document (sorted by title), each document's in text
    order, at most ``limit_per_document`` of them (``mention_count`` says how many there are).
    """
    matcher = matcher_for(tuple(names))
    if not matcher:
        return []
    ids = candidates(search, names)
    out: list[dict[str, Any]] = []
    for i in range(0, len(ids), BATCH):
        texts = load_texts(library, ids[i:i + BATCH])
        for doc_id, (title, _kind, layer_id, text, pages) in texts.items():
            spans = matcher.spans(text)
            if not spans:
                continue  # the index's folding is looser than the matcher's here
            mentions = []
            for start, end, term in spans[:max(1, limit_per_document)]:
                context, context_spans = _context(text, start, end)
                mentions.append({"name": matcher.terms[term], "start": start, "end": end,
                                 "page": page_of(pages, start) if pages else None,
                                 "context": context, "context_spans": context_spans})
            out.append({"document_id": doc_id, "title": title, "layer_id": layer_id,
                        "mention_count": len(spans), "mentions": mentions})
    out.sort(key=lambda m: (m["title"].casefold(), m["document_id"]))
    return out
