"""Match spans and snippets, cut from the text layer in the database (no Whoosh here).

The text is tokenised with the same function the index used, so a span is exactly the word (or
phrase) the query matched, as character offsets ``[start, end)`` into the layer text. Folding is
cached per distinct word, which keeps this to about a millisecond for an 8 KB document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .analysis import stem, tokens
from .backend import Marks

WINDOW = 200  # characters of context per snippet
LEAD = 60  # characters before the first match of a snippet
MAX_SNIPPETS = 3


@dataclass
class Snippet:
    start: int
    end: int
    text: str
    spans: list[tuple[int, int]]
    page: int | None = None

    def to_json(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text, "page": self.page,
                "spans": [list(s) for s in self.spans]}


def match_spans(text: str, plan: Marks) -> list[tuple[int, int]]:
    """Every place in ``text`` the plan's words and phrases occur, in order, overlaps merged."""
    if plan.empty or not text:
        return []
    toks = list(tokens(text))
    first: dict[str, list[tuple[str, ...]]] = {}
    for ph in plan.phrases:
        first.setdefault(ph[0], []).append(ph)
    found: list[tuple[int, int]] = []
    exact, stems = plan.exact, plan.stems
    for i, (term, start, end) in enumerate(toks):
        if term in exact or (stems and stem(term) in stems):
            found.append((start, end))
        for ph in first.get(term, ()):
            k = len(ph)
            if i + k <= len(toks) and all(toks[i + j][0] == ph[j] for j in range(1, k)):
                found.append((start, toks[i + k - 1][2]))
    found.sort()
    merged: list[tuple[int, int]] = []
    for s, e in found:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _snap_back(text: str, pos: int) -> int:
    cut = text.rfind(" ", max(0, pos - 20), pos)
    return cut + 1 if cut >= 0 else max(0, pos)


def _snap_forward(text: str, pos: int) -> int:
    cut = text.find(" ", pos, pos + 20)
    return cut if cut >= 0 else min(len(text), pos)


def page_of(pages: list[tuple[int, int, int]], offset: int) -> int | None:
    for number, start, end in pages:
        if start <= offset <= end:
            return number
    return None


def make_snippets(text: str, spans: list[tuple[int, int]],
                  pages: list[tuple[int, int, int]], limit: int = MAX_SNIPPETS,
                  prefer: Sequence[tuple[int, int]] = ()) -> list[Snippet]:
    """Up to ``limit`` windows around the densest groups of matches, in text order; windows
    that hold a span of ``prefer`` (a tag search's tagged passages) come before the rest."""
    windows: list[tuple[int, int, list[tuple[int, int]]]] = []
    i = 0
    while i < len(spans):
        ws = _snap_back(text, spans[i][0] - LEAD) if spans[i][0] > LEAD else 0
        we = max(ws + WINDOW, spans[i][1])
        inside = [sp for sp in spans[i:] if sp[1] <= we]
        i += max(1, len(inside))
        windows.append((ws, _snap_forward(text, we), inside))
    best = sorted(windows, key=lambda w: (
        not any(a < w[1] and b > w[0] for a, b in prefer),
        -len({text[s:e].casefold() for s, e in w[2]}), -len(w[2]), w[0]))[:limit]
    best.sort(key=lambda w: w[0])
    return [Snippet(ws, we, text[ws:we], sp, page_of(pages, sp[0][0]) if sp else None)
            for ws, we, sp in best]
