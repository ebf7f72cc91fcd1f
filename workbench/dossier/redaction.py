"""Finding and removing redacted text: one normalisation shared by redaction and leak checks.

Matching is deliberately loose, because a miss leaks a witness's name while an extra match only
hides a little more: case-folded, NFKC (so Arabic presentation forms and full-width letters match
their base letters), combining marks dropped, every whitespace run one space, soft hyphens and
invisible format characters (zero-width, bidi controls) ignored. ``find_spans`` maps matches back
to offsets in the original text so the text around a redaction is left exactly as it was.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

REDACTED_MARK = "[REDACTED: {reason}]"

# Words the exports print themselves: redacting one would make every export fail its leak
# check, so ``redact`` refuses them up front.
EXPORT_LABELS = (
    "Exhibit", "Excerpt", "Whole document", "Note", "Commentary", "Contents", "Page", "of",
    "Title", "Author", "Site", "Published", "URL", "Captured", "Imported", "SHA-256",
    "Provenance appendix", "Prepared by", "Case", "Dossier", "version", "Status", "draft",
    "frozen", "Generated", "exhibits from", "sources", "Redactions", "REDACTED", "Kind",
    "Size", "bytes", "Source URL", "Final URL", "Importer", "HTTP status", "File name",
    "Cited as", "Text was withheld from this dossier for these reasons", "Workbench",
    "contains redacted text; its original is not distributed", "UTC",
)


@lru_cache(maxsize=4096)
def _norm_char(ch: str) -> str:
    """The normalised form of one character ('' when it is invisible)."""
    if ch.isspace():
        return " "
    cat = unicodedata.category(ch)
    if cat == "Cf" or ch == "\u00ad":  # zero-width, bidi controls, soft hyphen
        return ""
    out = []
    for c in unicodedata.normalize("NFKD", ch):
        if unicodedata.category(c) in ("Mn", "Me"):
            continue
        out.append(c)
    folded = unicodedata.normalize("NFKC", "".join(out)).casefold()
    # NFKC can turn one character into spaces (e.g. U+2002): keep them as single spaces.
    return re.sub(r"\s+", " ", folded)


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Normalised text, and for each of its characters the index of the source character."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in _norm_char(ch):
            if c == " " and (not chars or chars[-1] == " "):
                continue
            chars.append(c)
            origin.append(i)
    return "".join(chars), origin


def normalise(text: str) -> str:
    return normalise_with_map(text)[0].strip()


def find_spans(text: str, term: str) -> list[tuple[int, int]]:
    """Every ``[start, end)`` in ``text`` whose normalised form equals the normalised term."""
    return _spans_in(normalise_with_map(text), term)


def _spans_in(normalised: tuple[str, list[int]], term: str) -> list[tuple[int, int]]:
    needle = normalise(term)
    hay, origin = normalised
    if not needle:
        return []
    spans: list[tuple[int, int]] = []
    pos = hay.find(needle)
    while pos >= 0:
        spans.append((origin[pos], origin[pos + len(needle) - 1] + 1))
        pos = hay.find(needle, pos + 1)
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


@dataclass(frozen=True)
class Rule:
    """One redaction as the renderers use it: the text to hide and why."""

    text: str
    reason: str
    item_id: int | None = None


@dataclass(frozen=True)
class Segment:
    """A piece of displayed text: plain, or a redaction (``text`` is then empty)."""

    text: str
    reason: str | None = None

    @property
    def redacted(self) -> bool:
        return self.reason is not None


def apply(text: str, rules: list[Rule]) -> list[Segment]:
    """Cut ``text`` into plain segments and redaction marks, longest rules first."""
    if not rules or not text:
        return [Segment(text)] if text else []
    normalised = normalise_with_map(text)
    marks: list[tuple[int, int, str]] = []
    for rule in sorted(rules, key=lambda r: -len(r.text)):
        for start, end in _spans_in(normalised, rule.text):
            overlapping = [m for m in marks if m[0] < end and start < m[1]]
            if not overlapping:
                marks.append((start, end, rule.reason))
                continue
            # Overlapping matches: widen one mark over all of them so nothing slips out.
            keep = [m for m in marks if m not in overlapping]
            lo = min([start] + [m[0] for m in overlapping])
            hi = max([end] + [m[1] for m in overlapping])
            marks = [*keep, (lo, hi, overlapping[0][2])]
    marks.sort()
    segments: list[Segment] = []
    pos = 0
    for start, end, reason in marks:
        if start > pos:
            segments.append(Segment(text[pos:start]))
        segments.append(Segment("", reason))
        pos = max(pos, end)
    if pos < len(text):
        segments.append(Segment(text[pos:]))
    return segments


def redact_plain(text: str, rules: list[Rule]) -> str:
    """``text`` with each redaction replaced by ``[REDACTED: reason]``."""
    return "".join(s.text if not s.redacted else REDACTED_MARK.format(reason=s.reason)
                   for s in apply(text, rules))


def contains(text: str, term: str) -> bool:
    return bool(find_spans(text, term))


def label_clash(term: str) -> str | None:
    """The export label a term would hide (so every export would fail), else None."""
    needle = normalise(term)
    for label in EXPORT_LABELS:
        if needle and needle in normalise(label):  # substring, as the leak check matches
            return label
    return None
