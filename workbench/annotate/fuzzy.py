"""Fuzzy placement of a quote in a normalised text (stdlib difflib).

Windows are seeded by exact hits of the quote's longer words and fixed-size chunks (which
cover scripts written without spaces), ranked by how many pieces agree, then aligned: by
characters for ordinary quotes, by words with character-exact edges for long ones. Serves the
fuzzy re-anchoring step, the "nearest match" hint and the search for a passage elsewhere.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from workbench.annotate.normtext import NormText, find_all, norm_quote


@dataclass
class Match:
    """A span of the original text, with how well it matched (1.0 = exact)."""

    start: int
    end: int
    score: float
    method: str = "exact"


def _ratio(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def context_score(nt: NormText, a: int, b: int, prefix: str, suffix: str) -> float:
    """How well the normalised context around ``[a, b)`` fits the stored prefix/suffix (0-1)."""
    scores = []
    if prefix:
        scores.append(_ratio(prefix, nt.text[max(0, a - len(prefix)):a]))
    if suffix:
        scores.append(_ratio(suffix, nt.text[b:b + len(suffix)]))
    return sum(scores) / len(scores) if scores else 0.0


def _seeds(q: str) -> list[tuple[str, int]]:
    """Pieces of the quote to look up exactly: its longer words and fixed-size chunks
    (the chunks cover scripts written without spaces)."""
    seeds: dict[str, int] = {}
    pos = 0
    for word in q.split(" "):
        if len(word) >= 4:
            seeds.setdefault(word, pos)
        pos += len(word) + 1
    k = max(4, min(10, len(q) // 4))
    for off in range(0, max(1, len(q) - k + 1), k):
        seeds.setdefault(q[off:off + k], off)
    return list(seeds.items())


LONG_QUOTE = 600  # characters; longer quotes are compared word by word


def _best_in_window(q: str, window: str) -> tuple[float, int, int]:
    """The best-matching span of ``window`` for ``q``: (score, start, end) in window."""
    if len(q) > LONG_QUOTE:
        return _best_in_window_words(q, window)
    m = SequenceMatcher(None, q, window, autojunk=False)
    blocks = [b for b in m.get_matching_blocks() if b.size >= 3] or [
        b for b in m.get_matching_blocks() if b.size]
    if not blocks:
        return 0.0, 0, 0
    first, last = blocks[0], blocks[-1]
    spans = {(first.b, last.b + last.size),
             (max(0, first.b - first.a),
              min(len(window), last.b + last.size + len(q) - last.a - last.size))}
    best = (0.0, 0, 0)
    for a, b in spans:
        a, b = _trim(window, a, b)
        if b > a:
            score = _ratio(q, window[a:b])
            if score > best[0]:
                best = (score, a, b)
    return best


def _best_in_window_words(q: str, window: str) -> tuple[float, int, int]:
    """As ``_best_in_window``, over words: character-level difflib is quadratic, and a
    page-long highlight would take seconds per window."""
    qw = q.split(" ")
    toks = [(m.start(), m.end()) for m in re.finditer(r"\S+", window)]
    ww = [window[a:b] for a, b in toks]
    m = SequenceMatcher(None, qw, ww, autojunk=False)
    blocks = [b for b in m.get_matching_blocks() if b.size]
    if not blocks:
        return 0.0, 0, 0
    first, last = blocks[0], blocks[-1]
    i = max(0, first.b - first.a)
    j = min(len(toks), last.b + last.size + len(qw) - last.a - last.size)
    best = (0.0, 0, 0)
    for lo, hi in {(first.b, last.b + last.size), (i, j)}:
        if hi > lo:
            score = SequenceMatcher(None, qw, ww[lo:hi], autojunk=False).ratio()
            if score > best[0]:
                best = (score, toks[lo][0], toks[hi - 1][1])
    score, a, b = best
    if score == 0:
        return best
    # Words give the place; characters give the exact edges (a quote may start mid-word).
    edge = 120
    lo = max(0, a - edge)
    s_head, ha, _ = _best_in_window(q[:edge], window[lo:a + 2 * edge])
    hi = max(0, b - 2 * edge)
    s_tail, _, tb = _best_in_window(q[-edge:], window[hi:b + edge])
    if s_head >= 0.8:
        a = lo + ha
    if s_tail >= 0.8:
        b = hi + tb
    return (score, a, b) if b > a else best


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] == " ":
        a += 1
    while b > a and text[b - 1] == " ":
        b -= 1
    return a, b


def fuzzy_candidates(nt: NormText, q: str, *, max_windows: int = 24) -> list[Match]:
    """Best fuzzy placements of normalised quote ``q`` in ``nt``, best first (normalised
    offsets in ``start``/``end``), seeded by exact hits of its words and chunks."""
    text = nt.text
    if not q or not text:
        return []
    seeds = [(s, off) for s, off in _seeds(q) if s in text]
    seeds.sort(key=lambda so: text.count(so[0]))
    bucket = max(8, len(q) // 2)
    votes: Counter[int] = Counter()
    guesses: dict[int, list[int]] = {}
    for seed, off in seeds[:12]:
        for hit in find_all(text, seed, limit=40):
            g = hit - off
            votes[g // bucket] += 1
            guesses.setdefault(g // bucket, []).append(g)
    slack = max(12, len(q) // 4)
    out: list[Match] = []
    ranked = votes.most_common(max_windows)
    for key, n_votes in ranked:
        if n_votes * 3 < ranked[0][1]:
            break  # far fewer of the quote's pieces here than at the best place
        gs = sorted(guesses[key])
        g = gs[len(gs) // 2]
        lo = max(0, g - slack)
        score, a, b = _best_in_window(q, text[lo:g + len(q) + slack])
        if score > 0:
            out.append(Match(lo + a, lo + b, score, "fuzzy"))
    out.sort(key=lambda m: -m.score)
    return out


def fuzzy_find(nt: NormText, quote: str, max_windows: int = 24) -> Match | None:
    """The best fuzzy placement of ``quote`` in ``nt`` in ORIGINAL offsets, or None."""
    cands = fuzzy_candidates(nt, norm_quote(quote), max_windows=max_windows)
    if not cands:
        return None
    best = cands[0]
    s, e = nt.to_original(best.start, best.end)
    return Match(s, e, best.score, "fuzzy")


# --- re-anchoring ---------------------------------------------------------------------------
