"""Text analysis shared by indexing, querying and snippets: one tokenizer, one normaliser.

Engine-neutral (it loads no search engine): every backend indexes and queries the same terms.

Why our own rather than Whoosh's analyzers: the same function must run over the document when
it is indexed, over the query when it is parsed, and over the text layer when snippets and spans
are cut, and every token must carry offsets into the *original* text. So tokens are found on
the raw text and normalised one by one (NFKC, bidi and format controls removed, case folded,
Latin accents stripped, Arabic diacritics and tatweel dropped); CJK runs become overlapping
character bigrams (``新疆`` is one term of ``新疆维吾尔自治区``).

English stemming keeps phrases exact: every token is indexed under its exact form, and a token
whose Porter stem differs also gets ``~stem`` at the same position. A plain word query looks for
``stem`` or ``~stem``; a quoted phrase uses exact forms only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from .porter import stem as _porter

STEM_MARK = "~"
# Two adjacent common words are also indexed as one term, ``GRAM_MARK + "of the"``, at the
# first word's position, so a phrase of common words needs no position check (CommonGrams).
GRAM_MARK = "\x1e"
# Until a rebuild measures the archive's own common words, a new index uses these.
DEFAULT_COMMON = frozenset((
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "as", "by",
    "at", "from", "it", "be", "are", "were", "this", "has", "have", "an", "or", "not", "which",
    "his", "her", "their", "its", "had", "been", "they", "he", "she", "we", "who"))


def gram(first: str, second: str) -> str:
    return f"{GRAM_MARK}{first} {second}"

# Bidi controls, zero-width joiners, soft hyphen, BOM: invisible, and they must not split words.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# The same characters one by one, for str.strip (how many lead or trail a word)
_INVISIBLE_CHARS = ("\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff")
# Combining marks that belong inside a word (Latin accents, Arabic harakat, Indic signs).
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0670" \
         "\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0900-\u0903\u093a-\u094f"
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\uff66-\uff9f"
_WORD = rf"(?:[^\W{_CJK}]|[{_MARKS}{_INVISIBLE}])"
TOKEN_RE = re.compile(rf"[{_CJK}]+|{_WORD}+")
_CJK_RE = re.compile(f"[{_CJK}]")
_ARABIC_STRIP = re.compile("[\u0640\u064b-\u065f\u0670]")  # tatweel and harakat


def clean(text: str) -> str:
    """NFKC and no invisible controls: what queries and metadata go through before parsing."""
    text = unicodedata.normalize("NFKC", text)
    return _INVISIBLE_RE.sub("", text)


@lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """The comparable form of one raw token: ``Ürümqi`` and ``URUMQI`` both give ``urumqi``."""
    t = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", token)).casefold()
    if t.isascii():
        return t.replace("_", "")
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", t):
        if unicodedata.combining(ch) and out and out[-1] < "\u0590":
            continue  # an accent on a Latin/Greek/Cyrillic letter
        out.append(ch)
    t = unicodedata.normalize("NFC", "".join(out))
    t = _ARABIC_STRIP.sub("", t)
    return "".join(t.split()).replace("_", "")


@lru_cache(maxsize=200_000)
def stem(term: str) -> str:
    """English Porter stem of an ASCII term; other scripts are returned unchanged."""
    if not term.isascii() or len(term) < 4 or not term.isalpha():
        return term
    return str(_porter(term))


def is_cjk(term: str) -> bool:
    return bool(_CJK_RE.match(term))


_ASCII_RE = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """``(term, start, end)`` for each token of ``text``; offsets point into ``text`` itself.

    A CJK run of n > 1 characters gives its n - 1 overlapping bigrams at consecutive positions.
    """
    if text.isascii():  # the common case, ten times faster: lower-casing keeps offsets
        for m in _ASCII_RE.finditer(text.lower()):
            yield m.group(), m.start(), m.end()
        return
    for m in TOKEN_RE.finditer(text):
        raw = m.group()
        start = m.start()
        if _CJK_RE.match(raw):
            folded = unicodedata.normalize("NFKC", raw)
            if len(folded) != len(raw):  # compatibility forms changed length: keep whole
                yield folded, start, m.end()
                continue
            if len(raw) == 1:
                yield raw, start, start + 1
                continue
            for i in range(len(raw) - 1):
                yield folded[i:i + 2], start + i, start + i + 2
            continue
        term, lead, trail = _word(raw)
        if term:
            yield term, start + lead, m.end() - trail


@lru_cache(maxsize=200_000)
def _word(raw: str) -> tuple[str, int, int]:
    """A word's term and how many invisible controls lead and trail it (a span never starts
    or ends on one): once per distinct word, not per occurrence (the two were regular
    expressions run on every non-ASCII word of a text)."""
    if raw.isascii():
        return fold(raw), 0, 0
    lead = len(raw) - len(raw.lstrip(_INVISIBLE_CHARS))
    trail = len(raw) - len(raw.rstrip(_INVISIBLE_CHARS))
    return fold(raw), lead, trail


def terms(text: str) -> list[str]:
    """Just the folded terms of ``text`` (queries, metadata values)."""
    return [t for t, _s, _e in tokens(text)]


def stem_key(term: str) -> str | None:
    """The marker term indexed next to ``term`` when its stem differs, else None."""
    s = stem(term)
    return None if s == term else STEM_MARK + s


def keyword(value: str) -> str:
    """How a tag or collection name is stored and looked up: folded words, ``/`` kept."""
    return "/".join(" ".join(terms(part)) for part in value.split("/"))


def source_keys(sources: list[str]) -> list[str]:
    """Host names as they are (lower case); a site name folded, whole and word by word."""
    keys: set[str] = set()
    for s in sources:
        if "." in s and " " not in s.strip():
            keys.add(s.strip().lower())
        keys.add(keyword(s))
        keys.update(terms(s))
    return sorted(k for k in keys if k)


def tag_keys(paths: list[str]) -> list[str]:
    """Each tag path, its ancestors (a parent matches its children) and its own name."""
    keys: set[str] = set()
    for path in paths:
        parts = [p for p in keyword(path).split("/") if p]
        for i in range(1, len(parts) + 1):
            keys.add("/".join(parts[:i]))
        if parts:
            keys.add(parts[-1])
    return sorted(keys)


def common_words(texts: list[str], limit: int = 96, share: float = 0.5) -> frozenset[str]:
    """The words in at least ``share`` of ``texts`` (at most ``limit``, most frequent first):
    the archive's own common words, whose pairs get grams. Chinese bigrams are left out."""
    from collections import Counter

    df: Counter[str] = Counter()
    for text in texts:
        df.update({w for w in terms(text) if not is_cjk(w)})
    floor = max(1, int(share * len(texts)))
    return frozenset(w for w, n in df.most_common(limit) if n >= floor)
