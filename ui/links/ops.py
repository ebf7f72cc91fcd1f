"""Link actions: one worker call each (load a highlight's links, find highlights, link, unlink).

``find_highlights`` is the link dialog's search: the library's anchored highlights whose quote,
note, tags or document title hold every word typed (case- and accent-insensitive), so a user
finds "the other source" by what it says or where it is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from ..session import Session
from ..tasks import Task

RELATIONS = ("corroborates", "contradicts", "same-event")
RELATION_TEXT = {"corroborates": "corroborates", "contradicts": "contradicts",
                 "same-event": "same event"}
FIND_LIMIT = 200


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matches(row: dict[str, Any], words: list[str]) -> bool:
    hay = fold(" ".join([row.get("quote") or "", row.get("note") or "",
                         row.get("document_title") or "", " ".join(row.get("tags") or [])]))
    return all(w in hay for w in words)


def find_highlights(session: Session, text: str, exclude: set[int],
                    on_done: Callable[[list[dict[str, Any]]], None]) -> Task:
    words = fold(text).split()

    def work(wb: Any) -> list[dict[str, Any]]:
        rows = [r for r in wb.list_highlights(status="anchored")
                if r["id"] not in exclude and matches(r, words)]
        return rows[:FIND_LIMIT]

    return session.query(work, on_done, "find highlights")


def load_links(session: Session, highlight_id: int,
               on_done: Callable[[list[dict[str, Any]]], None]) -> Task:
    return session.query(lambda wb: wb.highlight_links(highlight_id), on_done,
                         "read the highlight's links")


def link(session: Session, a: int, b: int, relation: str, note: str,
         on_done: Callable[[Any], None] | None = None) -> Task:
    return session.mutate(lambda wb: wb.link_highlights(a, b, relation, note=note), on_done,
                          "link the highlights")


def unlink(session: Session, a: int, b: int, relation: str | None = None) -> Task:
    return session.mutate(lambda wb: wb.unlink_highlights(a, b, relation),
                          doing="unlink the highlights")
