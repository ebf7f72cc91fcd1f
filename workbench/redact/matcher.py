"""The one matcher: finds a redacted term in every spelling a reader would still recognise.

Redaction uses it to decide what to hide and the leak check uses it to decide what leaked, so
the two cannot disagree: whatever this matches, the exports redact, and a match the leak
check still finds afterwards is a real bug. Texts and terms are compared folded
(``fold.py``: case, width, marks, invisible characters, elongation, look-alike letters), and
a term is compiled to a pattern that also accepts

- whitespace and line breaks between the characters of unspaced scripts (Chinese, Japanese,
  Korean, Thai ...): ``艾 克 帕 尔``, ``艾克\\n帕尔``;
- a hyphenated break inside a word: ``Ek-\\npar``, ``Ek-par``;
- a word written letter-spaced: ``E k p a r``;
- between the words of a multi-word term, any run of spaces, ``_ - + . ·`` or ``%20``, or
  nothing at all: ``Ekpar_Asat``, ``ekpar-asat``, ``Ekpar%20Asat``, ``EkparAsat``;
- a right-to-left term in reversed (visual) order, as some PDF extractors emit it.

Matching is by substring, not by whole word: a name inside a longer word is still the name.
Encoded forms (HTML entities, percent-encoding) are readings of a text, found by
``readings``; the decoding of whole files is ``decode.py``'s job.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from .fold import fold, fold_with_map

# What may stand between the words of a multi-word term.
_WORD_SEP = r"(?:[ \-_+.\u00b7\u30fb\u2027\u2022/]|%20)*"
_SPLIT = re.compile(r"(?:[ \-_+.\u00b7\u30fb\u2027\u2022/]|%20)+")
_TAG = re.compile(r"<[^>]*>")
# Tags that end a line or a block (HTML, WordprocessingML, OpenDocument): removed, they leave
# a space, so "a<br>satellite" stays two words; inline tags leave nothing ("Ek<b>par</b>").
_BREAK_TAG = re.compile(
    r"<(?:/?(?:br|p|div|li|tr|td|th|h[1-6]|table|ul|ol|dl|dt|dd|section|article|header|"
    r"footer|nav|aside|main|blockquote|pre|hr|title|caption|figcaption|option)\b[^>]*"
    r"|w:(?:br|cr|tab)\b[^>]*|/w:p|text:(?:line-break|tab|s)\b[^>]*|/text:[ph])>",
    re.IGNORECASE)


def _unspaced(ch: str) -> bool:
    """A letter of a script written without spaces between words (or syllables)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return True
    name = unicodedata.name(ch, "")
    return name.startswith(("THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN"))


def _is_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _word_pattern(word: str) -> str:
    tight = [re.escape(word[0])]
    for prev, ch in pairwise(word):
        # A soft hyphen folds to "-", so a hyphen may sit on either side of a space.
        gap = "[ -]{0,3}" if _unspaced(prev) or _unspaced(ch) else "(?:- ?)?"
        tight.append(gap + re.escape(ch))
    alternatives = ["".join(tight)]
    if len(word) >= 3 and not any(_unspaced(c) for c in word):
        alternatives.append("-? -?".join(re.escape(c) for c in word))  # letter-spaced
    return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"


def term_pattern(term: str) -> str | None:
    """The regular expression (over folded text) for one term, or None if it folds to nothing."""
    words = [w for w in _SPLIT.split(fold(term).strip()) if w]
    if not words:
        return None
    forms = [words]
    if _is_rtl("".join(words)):
        forms.append([w[::-1] for w in reversed(words)])
    return "|".join(_WORD_SEP.join(_word_pattern(w) for w in ws) for ws in forms)


@dataclass(frozen=True)
class Hit:
    """Where a term was found: its index among the matcher's terms, and the text found."""

    term: int
    start: int
    end: int
    found: str


class Matcher:
    """A set of redacted terms, compiled once; ``find`` and ``spans`` run over any text."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms: list[str] = []
        self._patterns: list[re.Pattern[str]] = []
        for term in terms:
            pattern = term_pattern(term)
            if pattern is None:
                continue
            self.terms.append(term)
            self._patterns.append(re.compile(pattern))
        # Longest first, so "Ekpar Asat" names a match where "Ekpar" also starts. One search
        # per term: each pattern starts with a literal, which ``re`` finds fast, while one
        # alternation of all terms tests every position (5x slower with ten terms).
        self._order = sorted(range(len(self.terms)), key=lambda i: -len(fold(self.terms[i])))

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def _first(self, folded: str) -> int | None:
        """The term that occurs first in a folded text (the longest where two start)."""
        best: tuple[int, int] | None = None
        for i in self._order:
            m = self._patterns[i].search(folded)
            if m is not None and (best is None or m.start() < best[0]):
                best = (m.start(), i)
        return None if best is None else best[1]

    def find(self, text: str) -> Hit | None:
        """The first place a term occurs in ``text`` itself (no decoding), else None."""
        if not self._patterns or not text:
            return None
        term = self._first(fold(text))
        return None if term is None else self._hit(text, term)

    def _hit(self, text: str, term: int) -> Hit:
        folded, origin = fold_with_map(text)
        m = self._patterns[term].search(folded)
        assert m is not None  # the folded text is the same string ``find`` searched
        start, end = origin[m.start()], origin[m.end() - 1] + 1
        return Hit(term, start, end, text[start:end])

    def spans(self, text: str) -> list[tuple[int, int, int]]:
        """Every ``(start, end, term)`` in ``text``; overlapping matches merged into one."""
        if not self._patterns or not text or self._first(fold(text)) is None:
            return []
        folded, origin = fold_with_map(text)
        found: list[tuple[int, int, int]] = []
        for term, pattern in enumerate(self._patterns):
            for m in pattern.finditer(folded):
                if m.end() > m.start():
                    found.append((origin[m.start()], origin[m.end() - 1] + 1, term))
        found.sort(key=lambda f: (f[0], -f[1]))  # the longest match at a place names it
        merged: list[tuple[int, int, int]] = []
        for start, end, term in found:
            if merged and start < merged[-1][1]:
                s0, e0, t0 = merged[-1]
                merged[-1] = (s0, max(e0, end), t0)
            else:
                merged.append((start, end, term))
        return merged

    def find_in_readings(self, text: str) -> tuple[str, Hit] | None:
        """The first term found in any reading of ``text`` (as is, entity- or
        percent-decoded, without markup), with the reading's name."""
        if not self._patterns or not text:
            return None
        for name, reading in readings(text):
            hit = self.find(reading)
            if hit is not None:
                return name, hit
        return None


_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});?")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _run_decoded(match: re.Match[str]) -> str:
    return bytes.fromhex(match.group().replace("%", "")).decode("utf-8", "replace")


def percent_decoded(text: str, *, plus: bool = False) -> str:
    """``urllib.parse.unquote`` (``unquote_plus`` with ``plus``), the same reading, but only
    the runs of ``%XX`` are touched: urllib splits the text at every non-ASCII character and
    decodes each piece, which took 0.6 s on a 4 MB PDF read as latin-1. Decoding run by run
    gives the same text, because UTF-8 never joins an ASCII byte to a sequence."""
    if plus:
        text = text.replace("+", " ")
    return _PERCENT_RUN.sub(_run_decoded, text) if "%" in text else text


def readings(text: str) -> Iterator[tuple[str, str]]:
    """``text`` as a recipient could read it: as is, and each decoding that changes it.

    Lazily, and only the decodings whose marks are in the text (an entity, a tag, a
    percent-escape): the leak check runs this over every page of a 500-exhibit export."""
    yield "text", text
    seen = {text}

    def new(name: str, value: str) -> Iterator[tuple[str, str]]:
        if value not in seen:
            seen.add(value)
            yield name, value

    if "&" in text and _ENTITY.search(text):
        yield from new("HTML entities decoded", html.unescape(text))
    if "<" in text and _TAG.search(text):
        yield from new("markup removed",
                       html.unescape(_TAG.sub("", _BREAK_TAG.sub(" ", text))))
        yield from new("markup as spaces", html.unescape(_TAG.sub(" ", text)))
    if "%" in text and _PERCENT.search(text):
        decoded = percent_decoded(text)
        yield from new("percent-decoded", decoded)
        yield from new("percent-decoded", percent_decoded(text, plus=True))
        yield from new("percent-decoded", percent_decoded(decoded))
        if "&" in decoded:  # an entity inside the percent-encoding: Ekpar%20%26%2365%3Bsat
            yield from new("percent- and entity-decoded", html.unescape(decoded))


def describe_form(found: str, term: str) -> str:
    """How the text found differs from the term, in words (without repeating either)."""
    if found == term:
        return "exactly as redacted"
    ways = []
    f, t = fold(found), fold(term)
    if found.casefold() == term.casefold():
        return "in other letter case"
    if any(unicodedata.category(c) == "Cf" or c in "\u00ad\u0640" for c in found):
        ways.append("with invisible or elongation characters")
    if any(not c.isascii() and c.isalpha() for c in found) and t.isascii():
        ways.append("with look-alike or compatibility letters")
    if re.sub(r"[\s\-_+.]", "", f) == re.sub(r"[\s\-_+.]", "", t) and f != t:
        ways.append("with other spacing, hyphens or separators")
    if _is_rtl(term) and f.replace(" ", "") == t.replace(" ", "")[::-1]:
        ways.append("reversed (visual order)")
    return "; ".join(ways) if ways else "in another spelling"


@lru_cache(maxsize=256)
def matcher_for(terms: tuple[str, ...]) -> Matcher:
    """A compiled matcher, shared between the many strings of one dossier."""
    return Matcher(terms)
