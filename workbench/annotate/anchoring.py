"""Re-anchoring a highlight on a new text, and the W3C selectors of a span.

``reanchor`` places a stored highlight in a new text: the same range if it still holds, else
the exact quote (in the normalised view of ``normtext``) whose context is unchanged or fits
clearly best, or the one nearest the old position; else the best fuzzy match (``fuzzy``) above
``FUZZY_THRESHOLD``; what cannot be placed is an orphan that keeps its best candidate.
The names of ``normtext`` and ``fuzzy`` are re-exported here for callers.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.annotate.fuzzy import (
    LONG_QUOTE,
    Match,
    context_score,
    fuzzy_candidates,
    fuzzy_find,
)
from workbench.annotate.normtext import (
    NormText,
    find_all,
    norm_quote,
    normalize,
    normalize_cached,
)

FUZZY_THRESHOLD = 0.9
CONTEXT_CHARS = 32

__all__ = ["CONTEXT_CHARS", "FUZZY_THRESHOLD", "LONG_QUOTE", "Anchor", "Match", "NormText",
           "context_score", "find_all", "fuzzy_candidates", "fuzzy_find", "norm_quote",
           "normalize", "normalize_cached", "reanchor", "selectors", "split_candidate"]


@dataclass
class Anchor:
    """Where a highlight goes in a new text. ``status``: ``same`` (its old range holds),
    ``moved`` (same quote elsewhere), ``fuzzy`` (close match above the threshold) or
    ``orphan`` (nothing good enough: ``candidate`` is the best try, or None)."""

    status: str
    start: int = 0
    end: int = 0
    score: float = 0.0
    candidate: Match | None = None

    @property
    def placed(self) -> bool:
        return self.status != "orphan"


def reanchor(quote: str, prefix: str, suffix: str, start: int, end: int, old_length: int,
             new_text: str, nt: NormText | None = None) -> Anchor:
    """Place a highlight (quote selector + old position) in ``new_text``."""
    nt = nt or normalize_cached(new_text)
    q = norm_quote(quote)
    if not q:
        return Anchor("orphan")
    if 0 <= start < end <= len(new_text) and norm_quote(new_text[start:end]) == q:
        return Anchor("same", start, end, 1.0)
    pre, suf = normalize(prefix).text.lstrip(), normalize(suffix).text.rstrip()
    scale = len(new_text) / old_length if old_length else 1.0
    expected = nt.from_original(int(start * scale))
    hits = find_all(nt.text, q)
    if hits:
        chosen, ctx = _choose(nt, hits, q, pre, suf, expected)
        s, e = nt.to_original(chosen, chosen + len(q))
        if ctx is not None:
            return Anchor("same" if (s, e) == (start, end) else "moved", s, e, 1.0)
        # Several equal occurrences and nothing tells them apart: do not guess.
        return Anchor("orphan", candidate=Match(s, e, 1.0, "ambiguous"))
    cands = fuzzy_candidates(nt, q)
    split = split_candidate(nt, q, expected)
    if not cands:
        return Anchor("orphan", candidate=_original(nt, split))
    best = max(cands[:8], key=lambda m: (round(m.score, 3),
                                         context_score(nt, m.start, m.end, pre, suf)))
    s, e = nt.to_original(best.start, best.end)
    if best.score >= FUZZY_THRESHOLD:
        return Anchor("fuzzy", s, e, best.score)
    if split is not None and split.score > best.score:
        return Anchor("orphan", candidate=_original(nt, split))
    return Anchor("orphan", candidate=Match(s, e, best.score, "fuzzy"))


def _original(nt: NormText, m: Match | None) -> Match | None:
    if m is None:
        return None
    s, e = nt.to_original(m.start, m.end)
    return Match(s, e, m.score, m.method)


SPLIT_GAP = 300  # normalised characters a page header or footer may add inside a passage


def split_candidate(nt: NormText, q: str, expected: int) -> Match | None:
    """The passage cut in two by inserted text (a running header or footer inside a quote
    that crosses a page): its longest leading words found exactly, then the remaining words
    found exactly within ``SPLIT_GAP`` characters after them. Normalised offsets; the score is
    the share of the quote found. Only ever offered as an orphan's candidate."""
    words = q.split(" ")
    if len(words) < 2:
        return None
    text = nt.text
    lo, hi = 1, len(words) - 1  # the largest k whose first k words occur
    if " ".join(words[:1]) not in text:
        return None
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if " ".join(words[:mid]) in text:
            lo = mid
        else:
            hi = mid - 1
    head, tail = " ".join(words[:lo]), " ".join(words[lo:])
    best: Match | None = None
    for h in find_all(text, head, limit=50):
        after = h + len(head)
        t = text.find(tail, after, after + SPLIT_GAP + len(tail))
        if t == -1:
            continue
        cand = Match(h, t + len(tail), (len(head) + len(tail)) / len(q), "split")
        if best is None or abs(h - expected) < abs(best.start - expected):
            best = cand
    return best


def _choose(nt: NormText, hits: list[int], q: str, pre: str, suf: str,
            expected: int) -> tuple[int, float | None]:
    """Pick one exact occurrence: the only one; else the one whose context is unchanged;
    else the one whose context fits clearly best; else the one nearest the old position if
    its context fits. The score is None when the occurrences cannot be told apart."""
    if len(hits) == 1:
        return hits[0], 1.0
    n = len(q)
    window = max(64, 2 * n)

    def dist(h: int) -> int:
        return abs(h - expected)

    text = nt.text
    same = [h for h in hits
            if text[max(0, h - len(pre)):h] == pre and text[h + n:h + n + len(suf)] == suf
            ] if pre or suf else []
    if len(same) == 1:
        return same[0], 1.0
    if same:  # repeated passages with repeated context: only the position can tell
        near = min(same, key=dist)
        return near, (1.0 if dist(near) <= window else None)
    # Scoring every occurrence of a common phrase would be slow: the nearest ones suffice.
    pool = sorted(hits, key=dist)[:64]
    scored = sorted(((context_score(nt, h, h + n, pre, suf), -dist(h), h) for h in pool),
                    reverse=True)
    best, second = scored[0], scored[1]
    if best[0] >= 0.5 and best[0] - second[0] >= 0.05:
        return best[2], best[0]
    near = pool[0]
    near_ctx = context_score(nt, near, near + n, pre, suf)
    if near_ctx >= 0.5 and dist(near) <= window:
        return near, near_ctx
    return best[2], None


def selectors(text: str, start: int, end: int,
              width: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """Quote, prefix and suffix (W3C TextQuoteSelector) of ``text[start:end]``."""
    return text[start:end], text[max(0, start - width):start], text[end:end + width]
