"""A normalised view of a text, with the way back to exact original offsets.

The view applies NFKC (ligatures, full-width forms, no-break spaces), folds curly quotes,
primes and dash variants to ASCII, drops soft hyphens and zero-width characters, joins words
hyphenated at a line end and drops intra-word hyphens (so ``inter-\\nnational``,
``international`` and ``inter-national`` all match), and collapses every whitespace run,
line breaks included, into one space (pypdf emits double spaces in justified text). Letter
case is kept. A match found in the view maps back to the exact span of the original.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

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
