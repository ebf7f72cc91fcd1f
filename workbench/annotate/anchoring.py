"""Finding a quote in a text the way people copy it, and re-anchoring a highlight.

``NormText`` is a normalised view of a text plus, for every character of that view, the span
of the original it came from, so a match in the view maps back to exact original offsets.
The view applies NFKC (ligatures, full-width forms, no-break spaces), folds curly quotes,
primes and dash variants to ASCII, drops soft hyphens and zero-width characters, joins words
hyphenated at a line end and drops intra-word hyphens (so ``inter-\\nnational``,
``international`` and ``inter-national`` all match), and collapses every whitespace run,
line breaks included, into one space (pypdf emits double spaces in justified text).

``reanchor`` places a stored highlight in a new text: the same range if it still holds, else
the exact quote nearest its old position, else the quote where its context fits best, else
the best fuzzy match above ``FUZZY_THRESHOLD``; what cannot be placed is an orphan that keeps
its best candidate. ``fuzzy_find`` (difflib, seeded by exact word hits) serves the fuzzy step,
the "nearest match" hint and the search for a passage in other documents.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

FUZZY_THRESHOLD = 0.9
CONTEXT_CHARS = 32

_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "`": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
}
_DROP = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


@dataclass
class NormText:
    """A normalised text and the way back to the original.

    The map is a list of segments, each starting at normalised index ``seg_norm[i]`` and
    original offset ``seg_orig[i]``: a *run* (``seg_run[i]``) maps its characters one to one;
    any other segment is one normalised character that stands for the original span
    ``[seg_orig[i], seg_end[i])`` (a collapsed whitespace run, a ligature, a folded quote).
    """

    text: str
    seg_norm: array[int]  # compact arrays: a layer's map stays in memory while cached
    seg_orig: array[int]
    seg_end: array[int]
    seg_run: bytearray
    original_length: int

    def _span(self, k: int) -> tuple[int, int]:
        i = bisect_right(self.seg_norm, k) - 1
        if self.seg_run[i]:
            o = self.seg_orig[i] + k - self.seg_norm[i]
            return o, o + 1
        return self.seg_orig[i], self.seg_end[i]

    def to_original(self, a: int, b: int) -> tuple[int, int]:
        """The original span of the normalised span ``[a, b)`` (``b > a``)."""
        return self._span(a)[0], self._span(b - 1)[1]

    def from_original(self, offset: int) -> int:
        """The normalised index of an original offset (the nearest one at or before it)."""
        i = bisect_left(self.seg_orig, offset)
        if i < len(self.seg_orig) and self.seg_orig[i] == offset:
            return self.seg_norm[i]
        i -= 1
        if i < 0:
            return 0
        if self.seg_run[i]:
            return min(self.seg_norm[i] + offset - self.seg_orig[i],
                       self.seg_norm[i] + self.seg_end[i] - self.seg_orig[i] - 1)
        return self.seg_norm[i]


def _fold(ch: str) -> str:
    if ch in _DROP:
        return ""
    if ch.isspace():
        return " "
    return _FOLD.get(ch, ch)


def _hyphen_join(text: str, i: int) -> int | None:
    """If the hyphen at ``i`` joins a word (``inter-national``, ``inter-\\nnational``),
    the index of the next letter; else None."""
    j = i + 1
    n = len(text)
    if j < n and text[j].isalpha():
        return j
    k = j
    while k < n and text[k].isspace():
        k += 1
    if k > j and k < n and text[k].isalpha() and "\n" in text[j:k]:
        return k
    return None


_SPECIAL = "".join(sorted(set(_FOLD) | _DROP | {"-"}))
# Words separated by single spaces, free of anything the view changes: when such a run is
# already NFKC-normal it maps one to one, which is the bulk of most texts.
# Blocks where NFKC changes characters (Latin-1 symbols, general punctuation, ligatures,
# CJK compatibility and full-width forms) are kept out of runs, so a run that is not already
# normal is rare and the character-by-character path stays short.
_COMPAT = "\u00a0-\u00bf\u2000-\u206f\uf900-\ufaff\ufb00-\ufb4f\ufe30-\ufe6f\uff00-\uffef"
_WORD = f"[^\\s{re.escape(_SPECIAL)}{_COMPAT}]+"
_PLAIN = re.compile(f"{_WORD}(?: {_WORD})*")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> NormText:
    out: list[str] = []
    seg_norm: array[int] = array("q")
    seg_orig: array[int] = array("q")
    seg_end: array[int] = array("q")
    seg_run = bytearray()
    pos = 0  # length of the normalised text so far
    last = ""  # its last character
    i, n = 0, len(text)
    while i < n:
        m = _PLAIN.match(text, i)
        if m and unicodedata.is_normalized("NFKC", m.group()):
            j = m.end()
            out.append(m.group())
            seg_norm.append(pos)
            seg_orig.append(i)
            seg_end.append(j)
            seg_run.append(1)
            pos += j - i
            last = text[j - 1]
            i = j
            continue
        w = _SPACES.match(text, i)
        if w:  # a whitespace run becomes one space (or widens the one just written)
            j = w.end()
            if last == " ":
                seg_end[-1] = j
            else:
                out.append(" ")
                seg_norm.append(pos)
                seg_orig.append(i)
                seg_end.append(j)
                seg_run.append(0)
                pos += 1
                last = " "
            i = j
            continue
        ch = text[i]
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        if ch in "-\u2010\u2011\u00ad" and last.isalpha():
            nxt = _hyphen_join(text, i)
            if nxt is not None:
                i = nxt
                continue
        for c in "".join(_fold(c) for c in unicodedata.normalize("NFKC", text[i:j])):
            if c == " " and last == " ":
                seg_end[-1] = j  # one space stands for the whole whitespace run
                continue
            out.append(c)
            seg_norm.append(pos)
            seg_orig.append(i)
            seg_end.append(j)
            seg_run.append(0)
            pos += 1
            last = c
        i = j
    return NormText("".join(out), seg_norm, seg_orig, seg_end, seg_run, n)


@lru_cache(maxsize=8)
def normalize_cached(text: str) -> NormText:
    """``normalize`` for whole text layers, which are immutable: a highlight session on one
    document normalises its text once. Keyed by the text itself, so never stale."""
    return normalize(text)


def norm_quote(quote: str) -> str:
    return normalize(quote).text.strip()


def find_all(haystack: str, needle: str, limit: int = 10_000) -> list[int]:
    """Every start of ``needle`` in ``haystack`` (overlapping ones too)."""
    out: list[int] = []
    if not needle:
        return out
    pos = haystack.find(needle)
    while pos != -1 and len(out) < limit:
        out.append(pos)
        pos = haystack.find(needle, pos + 1)
    return out


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
    if not cands:
        return Anchor("orphan")
    best = max(cands[:8], key=lambda m: (round(m.score, 3),
                                         context_score(nt, m.start, m.end, pre, suf)))
    s, e = nt.to_original(best.start, best.end)
    if best.score >= FUZZY_THRESHOLD:
        return Anchor("fuzzy", s, e, best.score)
    return Anchor("orphan", candidate=Match(s, e, best.score, "fuzzy"))


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
