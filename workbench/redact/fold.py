"""Character folding: the one definition of "the same text" for redaction and leak checks.

Each character folds to a short string (often itself, often empty) independently of its
neighbours, so a folded text can be mapped back to offsets in the original. The fold is
deliberately loose, because a miss leaks a witness's name while an extra match only hides a
little more:

- case (``casefold``) and compatibility forms (NFKC: full-width letters, ligatures, Arabic
  presentation forms, mathematical alphanumerics);
- combining marks (accents, Arabic harakat, hamza above, variation selectors) are dropped;
- invisible characters are dropped: format characters (zero-width, joiners, bidi controls),
  control characters and elongation (Arabic tatweel, NKo lajanyalan);
- every whitespace character is one space, and every dash or hyphen is ``-``; a soft hyphen is
  invisible, and so is the line break after one (``Ek\u00ad⏎par`` is hyphenation, not two
  words);
- look-alike letters fold to one representative (Unicode TR39 confusable classes, from the
  ``confusable-homoglyphs`` package's copy of ``confusables.txt``), so Cyrillic ``Е`` in
  ``Еkpar`` is the Latin ``e``; plus the Arabic-script letter variants that keyboards of
  different languages type for one letter (Farsi yeh, alef maksura, keheh).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters of these scripts take part in look-alike folding. Han, kana and the like are left
# alone: their confusable classes join ideographs with punctuation (一 with a dash).
_CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC")

# Elongation and other characters that change how a word looks but not what it says.
_INVISIBLE = {"\u00ad", "\u0640", "\u07fa", "\u180e", "\u3164", "\uffa0", "\u115f", "\u1160"}

_DASHES = set("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d\u058a"
              "\u05be\u1400\u1806\u2053\u30a0")

# One Arabic letter typed differently by Persian, Urdu, Uyghur or Arabic keyboards.
_ARABIC_VARIANTS = {"\u06cc": "\u064a", "\u0649": "\u064a", "\u06d2": "\u064a",
                    "\u06a9": "\u0643", "\u06aa": "\u0643"}

# TR39 maps Cyrillic к and Greek κ to Latin kra (ĸ), not k; in most fonts they read as k.
_EXTRA_LOOKALIKES = {"\u0138": "k"}


def _script(ch: str) -> str:
    try:
        return unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return ""


@lru_cache(maxsize=1)
def _lookalikes() -> dict[str, str]:
    """Each look-alike letter's representative: an ASCII letter where its class has one."""
    import json
    from importlib import resources

    data = json.loads(resources.files("confusable_homoglyphs")
                      .joinpath("confusables.json").read_text(encoding="utf-8"))
    parent: dict[str, str] = {}

    def find(c: str) -> str:
        while parent.setdefault(c, c) != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    def is_letter(c: str) -> bool:
        return unicodedata.category(c).startswith("L") and _script(c) in _CONFUSABLE_SCRIPTS

    # Only letter-to-letter edges: a path through a digit or a symbol (l, 1, |, I, i) would
    # join letters no reader confuses.
    for ch, entries in data.items():
        if len(ch) != 1 or not is_letter(ch):
            continue
        for entry in entries:
            other = entry["c"].strip("\u200e\u200f")
            if len(other) == 1 and is_letter(other):
                parent[find(ch)] = find(other)
    classes: dict[str, list[str]] = {}
    for c in list(parent):
        classes.setdefault(find(c), []).append(c)
    out: dict[str, str] = {}
    for members in classes.values():
        letters = members
        if len(letters) < 2:
            continue
        ascii_letters = sorted(c for c in letters if c.isascii())
        rep = ascii_letters[0] if ascii_letters else min(letters)
        rep = _EXTRA_LOOKALIKES.get(rep, rep)
        for c in letters:
            if c != rep:
                out[c] = rep
    for c, rep in _EXTRA_LOOKALIKES.items():
        out[c] = rep
    return out


def _lookalike(ch: str) -> str:
    return _lookalikes().get(ch, ch)


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """The folded form of one character: '' when invisible, ' ' for whitespace."""
    if ch.isspace():
        return " "
    if ch.isascii():  # ASCII letters are the look-alikes' prototypes: only case folds
        return "" if unicodedata.category(ch) == "Cc" else ch.casefold()
    if ch in _DASHES:
        return "-"
    if ch in _INVISIBLE or unicodedata.category(ch) in ("Cf", "Cc"):
        return ""
    # An upper-case look-alike of an ASCII capital (Cyrillic В for B) reads as that capital;
    # fold it before case folding turns it into a small letter with no Latin twin (в).
    direct = _lookalike(ch)
    if direct.isascii() and direct != ch:
        return direct.casefold()
    out = []
    for c in unicodedata.normalize("NFKD", ch):
        if unicodedata.category(c) in ("Mn", "Me"):
            continue
        out.append(c)
    folded = unicodedata.normalize("NFKC", "".join(out)).casefold()
    result = []
    for c in folded:
        if c.isspace():
            result.append(" ")
        elif c in _INVISIBLE or unicodedata.category(c) in ("Cf", "Mn", "Me"):
            continue
        elif c in _DASHES:
            result.append("-")
        else:
            c = _ARABIC_VARIANTS.get(c, c)
            result.append(c if c.isascii() else _lookalike(c).casefold())
    return "".join(result)


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that folds each character on first sight."""

    def __missing__(self, cp: int) -> str:
        value = fold_char(chr(cp))
        self[cp] = value
        return value


_TABLE = _FoldTable()
_SPACES = re.compile(r" {2,}")
# A soft hyphen then a line break is hyphenation; a soft hyphen then a space is not.
_ZW = "\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u00ad"
_SOFT_BREAK = re.compile(rf"\u00ad(?:[^\S\n\r\x0b\x0c\x85\u2028\u2029]|[{_ZW}])*"
                         rf"[\n\r\x0b\x0c\x85\u2028\u2029](?:\s|[{_ZW}])*")


def _join_soft_breaks(text: str) -> str:
    """A line break after a soft hyphen made invisible, keeping every offset in place."""
    if "\u00ad" not in text:
        return text
    return _SOFT_BREAK.sub(lambda m: "\u00ad" + "\u200b" * (len(m.group()) - 1), text)


def fold(text: str) -> str:
    """``text`` folded, whitespace runs as one space (fast: ``str.translate`` in C)."""
    return _SPACES.sub(" ", _join_soft_breaks(text).translate(_TABLE))


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Folded text as ``fold`` gives it, and for each of its characters the source index."""
    chars: list[str] = []
    origin: list[int] = []
    table = _TABLE
    for i, ch in enumerate(_join_soft_breaks(text)):
        for c in table[ord(ch)]:
            if c == " " and chars and chars[-1] == " ":
                continue
            chars.append(c)
            origin.append(i)
    return "".join(chars), origin
