"""Reading a chronology event's date, as typed or as found in a quote.

A date is kept as the user typed it and as the inclusive ISO bounds it means (``EventDate``):
``exact`` (a day), ``month``, ``year``, ``range`` (from the start of one date to the end of
another), ``before`` (only an upper bound: the day before the date) and ``after`` (only a lower
bound: the day after it ends). Reading is strict: a text that is not one of the forms in
``ACCEPTED`` is refused with those forms named, never guessed; a numeric day/month order
(``05/03/2018``) is refused as ambiguous. "early / mid / late 2018" are ranges of four months
each (January-April, May-August, September-December), the one convention here, documented in
docs/cli/chronology.md.

Our own patterns rather than ``dateparser``: measured on a 2 KB quote, ``search_dates`` took
0.9 s to import and 0.2-0.4 s a call, and it filled missing days silently ("In March 2018" came
back as 2018-03-07, today's day of the month) -- the guessing a chronology must not do. These
patterns read English month names, ISO and Chinese (年月日) dates in ~1 ms.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import UserError

KINDS = ("exact", "month", "year", "range", "before", "after")
MAX_TEXT = 64  # events.date_text

ACCEPTED = ("2018-03-05, 2018-03, 2018, 5 March 2018, March 5, 2018, March 2018, "
            "2017–2019, between March 2018 and June 2018, 2018-03-05 to 2018-04-02, "
            "March–June 2018, before June 2018, after 2019, early/mid/late 2018, "
            "2018年3月5日, 2018年3月, 2018年")

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
_SEASONS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}

_MON = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"[12]\d{3}"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_ZH = rf"{_YEAR}\s*年(?:\s*(?:1[0-2]|0?[1-9])\s*月(?:\s*(?:[12]\d|3[01]|0?[1-9])\s*[日号])?)?"
# One date, each form a named group so ``_single`` knows which it read.
_SINGLE = (
    rf"(?P<iso_d>{_YEAR}-\d{{2}}-\d{{2}})(?![\d-])"
    rf"|(?P<iso_m>{_YEAR}-\d{{2}})(?![\d-])"
    rf"|(?P<dmy>{_DAY}\s+{_MON}\s*,?\s+{_YEAR})"
    rf"|(?P<mdy>{_MON}\s+{_DAY}\s*,?\s+{_YEAR})"
    rf"|(?P<my>{_MON}\s*,?\s+{_YEAR})"
    rf"|(?P<season>(?:early|mid|late)[\s-]+{_YEAR})"
    rf"|(?P<zh>{_ZH})"
    rf"|(?P<y>{_YEAR})"
)
_SINGLE_RE = re.compile(rf"(?:{_SINGLE})", re.IGNORECASE)
_DASH = r"\s*[–—-]\s*"
_SPACED_DASH = r"\s+[–—-]\s+|\s*[–—]\s*"  # a bare "-" joins only years (2018-03 is a month)
_RANGE_WORDS = re.compile(r"^(?:between\s+(?P<a1>.+?)\s+and\s+(?P<b1>.+)"
                          r"|from\s+(?P<a2>.+?)\s+(?:to|until|till)\s+(?P<b2>.+)"
                          r"|(?P<a3>.+?)\s+(?:to|until|till)\s+(?P<b3>.+))$", re.IGNORECASE)
_MONTH_RANGE = re.compile(rf"^(?P<m1>{_MON}){_DASH}(?P<m2>{_MON})\s+(?P<y>{_YEAR})$",
                          re.IGNORECASE)
_YEAR_RANGE = re.compile(rf"^(?P<a>{_YEAR}){_DASH}(?P<b>{_YEAR})$")
_ZH_RANGE = re.compile(r"^(?P<a>.+?年.*?)\s*(?:至|到|—|–|-|~|～)\s*(?P<b>.+?年.*)$")
_BEFORE_AFTER = re.compile(r"^(?P<w>before|after|prior to)\s+(?P<d>.+)$", re.IGNORECASE)
_ZH_BEFORE_AFTER = re.compile(r"^(?P<d>.+?)\s*(?P<w>以前|之前|以后|以後|之后|之後)$")
_NUMERIC_DMY = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$")


@dataclass(frozen=True)
class EventDate:
    """A date as typed (``text``) and the inclusive ISO bounds it means."""

    kind: str
    date_from: str | None
    date_to: str | None
    text: str

    def to_json(self) -> dict[str, str | None]:
        return {"text": self.text, "kind": self.kind, "from": self.date_from,
                "to": self.date_to}

    @property
    def sort_key(self) -> str:
        """Where the event sits in the chronology: its start, or for "before X" its end."""
        return self.date_from or self.date_to or ""

    @property
    def width(self) -> int:
        """How many days the date may be (open-ended: very wide), for "most specific"."""
        if self.date_from is None or self.date_to is None:
            return 10**6
        return (date.fromisoformat(self.date_to) - date.fromisoformat(self.date_from)).days


def refused(text: str, why: str | None = None) -> UserError:
    shown = text if len(text) <= 40 else text[:37] + "…"
    message = f"Cannot read the date {shown!r}" + (f": {why}" if why else "")
    return UserError(message, f"write it in one of these forms: {ACCEPTED}")


def _fold(text: str) -> str:
    # Full-width digits and 年 forms (２０１８年) read as the ASCII ones.
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _bounds(y: int, m: int | None = None, d: int | None = None) -> tuple[date, date]:
    if m is None:
        return date(y, 1, 1), date(y, 12, 31)
    if d is None:
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    day = date(y, m, d)
    return day, day


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _single(text: str) -> tuple[str, date, date] | None:
    """One date (not a range, not before/after): its kind and bounds; None if not one."""
    m = _SINGLE_RE.fullmatch(text)
    if m is None:
        return None
    form = m.lastgroup
    s = m.group(0)
    try:
        if form == "iso_d":
            y, mo, d = (int(x) for x in s.split("-"))
            return ("exact", *_bounds(y, mo, d))
        if form == "iso_m":
            y, mo = (int(x) for x in s.split("-"))
            return ("month", *_bounds(y, mo))
        if form in ("dmy", "mdy", "my"):
            words = re.findall(r"[A-Za-z]+|\d+(?:st|nd|rd|th)?", s)
            month = next(_MONTHS[w.lower()] for w in words if w.lower() in _MONTHS)
            nums = [w for w in words if w[0].isdigit()]
            year = int(nums[-1])
            if form == "my":
                return ("month", *_bounds(year, month))
            return ("exact", *_bounds(year, month, _day(nums[0])))
        if form == "season":
            word, digits = re.split(r"[\s-]+", s.lower())
            lo, hi = _SEASONS[word]
            return ("range", _bounds(int(digits), lo)[0], _bounds(int(digits), hi)[1])
        if form == "zh":
            nums = [int(x) for x in re.findall(r"\d+", s)]
            kind = ("year", "month", "exact")[len(nums) - 1]
            return (kind, *_bounds(*nums))
        return ("year", *_bounds(int(s)))
    except ValueError:  # 2018-13, 31 February: not a day of the calendar
        return None


def _read(text: str) -> tuple[str, date | None, date | None] | None:
    one = _single(text)
    if one is not None:
        return one
    m = _MONTH_RANGE.match(text)
    if m:
        y = int(m["y"])
        a = _single(f"{m['m1']} {y}")
        b = _single(f"{m['m2']} {y}")
        if a and b:
            return "range", a[1], b[2]
    pair: tuple[str, str] | None = None
    if (m := _YEAR_RANGE.match(text)) or (m := _ZH_RANGE.match(text)):
        pair = (m["a"], m["b"])
    elif m := _RANGE_WORDS.match(text):
        pair = next((m[f"a{i}"], m[f"b{i}"]) for i in (1, 2, 3) if m[f"a{i}"])
    else:
        parts = re.split(_SPACED_DASH, text)
        if len(parts) == 2:
            pair = (parts[0], parts[1])
    if pair is not None:
        a, b = _single(pair[0].strip()), _single(pair[1].strip())
        if a is None or b is None:
            return None
        if a[1] > b[2]:
            raise refused(text, "the range ends before it starts")
        return "range", a[1], b[2]
    if m := _BEFORE_AFTER.match(text):
        word, inner = m["w"].lower(), _single(m["d"].strip())
        if inner is None:
            return None
        if word == "after":
            return "after", inner[2] + timedelta(days=1), None
        return "before", None, inner[1] - timedelta(days=1)
    if m := _ZH_BEFORE_AFTER.match(text):
        inner = _single(m["d"].strip())
        if inner is None:
            return None
        if m["w"] in ("以前", "之前"):
            return "before", None, inner[1] - timedelta(days=1)
        return "after", inner[2] + timedelta(days=1), None
    return None


def parse_date(text: str) -> EventDate:
    """The date ``text`` means, or a ``UserError`` naming the forms that are accepted."""
    typed = " ".join(str(text).split())
    if not typed:
        raise refused(typed, "an event needs a date")
    if len(typed) > MAX_TEXT:
        raise refused(typed, f"a date is at most {MAX_TEXT} characters")
    folded = _fold(typed)
    if _NUMERIC_DMY.match(folded):
        raise refused(typed, "a numeric date is ambiguous (is 05/03 the 5th of March or "
                             "the 3rd of May?)")
    read = _read(folded)
    if read is None:
        raise refused(typed)
    kind, lo, hi = read
    return EventDate(kind, lo.isoformat() if lo else None, hi.isoformat() if hi else None,
                     typed)


# --- dates found in a quote ---------------------------------------------------------------

_ANY = re.sub(r"\(\?P<\w+>", "(?:", _SINGLE)  # the same forms, without group names
_IN_TEXT = re.compile(
    rf"(?:\b(?:between)\s+(?:{_ANY})\s+and\s+(?:{_ANY})"
    rf"|\b(?:before|after|prior to)\s+(?:{_ANY})"
    rf"|(?:{_MON}){_DASH}(?:{_MON})\s+{_YEAR}"
    rf"|{_YEAR}{_DASH}{_YEAR}(?![\d-])"
    rf"|{_ZH}\s*(?:至|到|[–—~～-])\s*{_ZH}"
    rf"|(?:{_ANY}))",
    re.IGNORECASE,
)
_YEARS_IN_TEXT = range(1800, 2101)  # a lone 4-digit number outside this is not a year here


def _inside_a_number(text: str, start: int, end: int) -> bool:
    """Whether the match is part of a longer word, number or reference ("x2018",
    "2018-0345", "12,2018.5"), not a date of its own."""
    prev = text[start - 1:start]
    if prev.isascii() and prev.isalnum():
        return True
    nxt = text[end:end + 2]
    return bool(re.match(r"\d|[,./-]\d", nxt))


def suggest_dates(quote: str) -> list[EventDate]:
    """The dates a quote states, most specific (narrowest) first, each once."""
    text = unicodedata.normalize("NFKC", quote)
    found: dict[tuple[str, str | None, str | None], tuple[int, EventDate]] = {}
    for m in _IN_TEXT.finditer(text):
        s, start, end = m.group(0), m.start(), m.end()
        if _inside_a_number(text, start, end):
            continue
        if re.fullmatch(_YEAR, s) and int(s) not in _YEARS_IN_TEXT:
            continue
        try:
            d = parse_date(" ".join(s.split()))
        except UserError:
            continue
        key = (d.kind, d.date_from, d.date_to)
        found.setdefault(key, (start, d))
    return [d for _, d in sorted(found.values(), key=lambda p: (p[1].width, p[0]))]
