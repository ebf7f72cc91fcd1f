"""The arithmetic of a comparison (pure Python, no Qt): where a place in one copy lies in the
other, which change is at a place, and how a change reads in a list.

``changes`` are the core's ``compare()["changes"]``: ``{"kind", "left": [s, e], "right": [s, e],
"left_text", "right_text"}`` in text order, offsets in code points of each side's text. Between
two changes the texts are equal, so a place there maps by the shift the last change left.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

Change = dict[str, Any]
KIND_WORDS = {"delete": "Only in this copy", "insert": "Only in the other copy",
              "replace": "Changed"}


def other_side(side: str) -> str:
    return "right" if side == "left" else "left"


def map_offset(changes: Sequence[Change], pos: int, side: str,
               starts: Sequence[int] | None = None,
               lengths: dict[str, int] | None = None) -> int:
    """The offset in the other side's text that matches ``pos`` in ``side``'s text.

    ``starts`` (each change's start on ``side``, as ``starts_of`` gives) saves a pass over a
    long list on every scroll step. With ``lengths`` (each side's text length) a place between
    two changes maps proportionally: the core compares the texts with their whitespace folded,
    so a PDF's line breaks make an "equal" stretch longer on one side than on the other."""
    other = other_side(side)
    if starts is None:
        starts = starts_of(changes, side)
    k = bisect.bisect_right(starts, pos) - 1
    if k >= 0:
        a, b = changes[k][side]
        c, d = changes[k][other]
        if pos < b:  # inside the change: proportionally into the other side's part of it
            return int(c + min(pos - a, d - c))
    else:
        b = d = 0
    if lengths is None:
        return int(d + (pos - b))
    if k + 1 < len(changes):
        end, other_end = changes[k + 1][side][0], changes[k + 1][other][0]
    else:
        end, other_end = lengths[side], lengths[other]
    if end <= b:
        return int(d)
    return int(d + round((pos - b) * (other_end - d) / (end - b)))


def starts_of(changes: Sequence[Change], side: str) -> list[int]:
    return [int(ch[side][0]) for ch in changes]


def change_at(changes: Sequence[Change], pos: int, side: str) -> int | None:
    """The index of the change that covers ``pos`` (or starts at it, for an empty range)."""
    starts = starts_of(changes, side)
    k = bisect.bisect_right(starts, pos) - 1
    while k >= 0:
        a, b = changes[k][side]
        if a <= pos < b or a == b == pos:
            return k
        if b <= pos:
            return None
        k -= 1
    return None


def describe(change: Change, width: int = 60) -> str:
    """One line for a change, as a screen reader and a tooltip say it."""
    def cut(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    kind = change["kind"]
    if kind == "delete":
        return f"{KIND_WORDS[kind]}: “{cut(change['left_text'])}”"
    if kind == "insert":
        return f"{KIND_WORDS[kind]}: “{cut(change['right_text'])}”"
    return f"Changed: “{cut(change['left_text'])}” → “{cut(change['right_text'])}”"
