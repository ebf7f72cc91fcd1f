"""Applying redactions to text: cut it into plain segments and redaction marks.

What counts as a redacted text is decided by ``workbench.redact.matcher`` alone — the same
matcher the export's leak check and ``workbench leakscan`` use — so what the exports hide and
what the leak check looks for can never differ. ``apply`` maps matches back to offsets in the
original text, so the text around a redaction is left exactly as it was.

A redaction prints its label, never its reason: ``mark`` turns the label into the one printed
form every format uses (``[REDACTED]``, or ``[REDACTED: witness safety]`` for a category the
user picked). The reason is private — kept in the library, in the redaction and its audit
event — so it is not in a ``Rule`` at all, and cannot reach an exporter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import UserError
from ..redact.matcher import Matcher, matcher_for, readings

DEFAULT_LABEL = "REDACTED"
# Categories the GUI offers for the printed label; any other short text may be typed.
LABEL_CATEGORIES = ("witness safety", "personal data", "legal privilege",
                    "ongoing investigation")
# A label is a category, not an explanation: the explanation is the private reason.
LABEL_MAX = 40

# Words the exports print themselves: redacting one would make every export fail its leak
# check, so ``redact`` refuses them up front.
EXPORT_LABELS = (
    "Exhibit", "Excerpt", "Whole document", "Note", "Commentary", "Contents", "Page", "of",
    "Title", "Author", "Site", "Published", "URL", "Captured", "Imported", "SHA-256",
    "Provenance appendix", "Prepared by", "Case", "Dossier", "version", "Status", "draft",
    "frozen", "Generated", "exhibits from", "sources", "Redactions", "REDACTED", "Kind",
    "Size", "bytes", "Source URL", "Final URL", "Importer", "HTTP status", "File name",
    "Cited as", "Text was withheld from this dossier where these marks appear", "Workbench",
    "contains redacted text; its original is not distributed", "UTC",
    "as captured", "Language", "Facsimile: source pages", "following; source SHA-256",
    "of the source", "Corroborated by", "same event", "Date", "Statement",
)
FACSIMILE_LABEL = "Facsimile"


def mark(label: str) -> str:
    """What every export prints in place of a redacted text with this label."""
    return f"[{DEFAULT_LABEL}]" if label == DEFAULT_LABEL else f"[{DEFAULT_LABEL}: {label}]"


LRM = "\u200e"  # LEFT-TO-RIGHT MARK
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")


def printed_mark(mark_text: str, context: str) -> str:
    """``mark_text`` as printed inside ``context``. In right-to-left text (Arabic, Uyghur) the
    mark is fenced with left-to-right marks: its brackets are neutral characters, which the
    bidirectional algorithm otherwise gives the paragraph's direction, so a PDF printed
    ``]REDACTED: witness safety[``. Left-to-right text stays byte for byte as it was."""
    return f"{LRM}{mark_text}{LRM}" if mark_text and _RTL.search(context) else mark_text


def plain_context(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments)


def withheld_note(labels: Iterable[str]) -> str:
    """The sentence the exports' Redactions list prints: the marks used, never a reason."""
    marks = "; ".join(mark(label) for label in sorted(set(labels)))
    return f"Text was withheld from this dossier where these marks appear: {marks}."


def clean_label(label: str | None) -> str:
    """The label as stored: trimmed, one line, short, without brackets. Empty (or
    ``REDACTED``) is the default; a ``REDACTED:`` typed in front is dropped, as ``mark``
    prints it."""
    text = (label or "").strip()
    if re.search(r"[\x00-\x1f\x7f\u2028\u2029]", text):
        raise UserError("A printed label must be one line",
                        "a short category such as 'witness safety'")
    text = " ".join(text.split())
    typed_mark = re.fullmatch(rf"\[?\s*{DEFAULT_LABEL}\s*(?::(.*?))?\]?", text, re.IGNORECASE)
    if typed_mark:
        text = (typed_mark.group(1) or "").strip()
    if not text:
        return DEFAULT_LABEL
    if any(c in text for c in "[]"):
        raise UserError("A printed label cannot contain [ or ]",
                        f"it is printed inside the mark, as {mark('witness safety')}")
    if len(text) > LABEL_MAX:
        raise UserError(f"A printed label must be short (at most {LABEL_MAX} characters)",
                        "use a category such as 'witness safety'; say why in the private "
                        "reason, which is never exported")
    return text


@dataclass(frozen=True)
class Rule:
    """One redaction as the renderers use it: the text to hide and the label printed."""

    text: str
    label: str = DEFAULT_LABEL
    item_id: int | None = None


@dataclass(frozen=True)
class Segment:
    """A piece of displayed text: plain, or a redaction (``text`` is then empty, ``label``
    set)."""

    text: str
    label: str | None = None

    @property
    def redacted(self) -> bool:
        return self.label is not None

    @property
    def mark(self) -> str:
        """The printed mark of a redaction (empty for plain text)."""
        return "" if self.label is None else mark(self.label)


def matcher_of(rules: list[Rule]) -> Matcher:
    return matcher_for(tuple(r.text for r in rules))


def find_spans(text: str, term: str) -> list[tuple[int, int]]:
    """Every ``[start, end)`` in ``text`` where the matcher finds ``term``."""
    return [(s, e) for s, e, _ in matcher_for((term,)).spans(text)]


def apply(text: str, rules: list[Rule]) -> list[Segment]:
    """Cut ``text`` into plain segments and redaction marks.

    A plain stretch in which a term can still be read once decoded (``Ekpar%20Asat``,
    ``Ek&#112;ar``, ``Ek<b>par</b>``) is replaced by its decoded reading, redacted in turn:
    the export then shows the decoded text with the mark, never the encoding."""
    if not rules or not text:
        return [Segment(text)] if text else []
    matcher = matcher_of(rules)
    labels = {r.text: r.label for r in reversed(rules)}
    return _apply(text, matcher, labels, depth=0)


def _apply(text: str, matcher: Matcher, labels: dict[str, str], depth: int) -> list[Segment]:
    segments: list[Segment] = []

    def plain(piece: str) -> None:
        hit = matcher.find_in_readings(piece) if depth < 4 else None
        if hit is None:
            segments.append(Segment(piece))
        else:
            decoded = dict(readings(piece))[hit[0]]
            segments.extend(_apply(decoded, matcher, labels, depth + 1))

    pos = 0
    for start, end, term in matcher.spans(text):
        if start > pos:
            plain(text[pos:start])
        segments.append(Segment("", labels[matcher.terms[term]]))
        pos = max(pos, end)
    if pos < len(text):
        plain(text[pos:])
    return segments


_TOKEN = re.compile(r"\S+")
_ENCODED_MARKS = ("&", "%", "<")  # what ``matcher.readings`` decodes
_WINDOW = 8  # tokens: the longest encoded name a page can spell over (words and separators)


def page_spans(text: str, matcher: Matcher) -> list[tuple[int, int]]:
    """Every stretch of a page's ``text`` that reads as a redacted term, for boxes drawn on the
    page itself (a facsimile burns the characters in place, so it cannot substitute a decoded
    reading the way ``apply`` does for an excerpt).

    The matcher's own spans, plus each shortest run of whitespace-separated words that holds an
    encoded mark (an entity, a percent-escape, a tag) and one of whose readings holds a term:
    ``&#69;&#107;&#112;&#97;&#114;`` or ``Ek%70ar`` is boxed whole, the sentence around it not.
    """
    spans = [(start, end) for start, end, _term in matcher.spans(text)] if matcher else []
    if not matcher or not any(mark in text for mark in _ENCODED_MARKS):
        return spans
    words = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    hits: list[tuple[int, int]] = []  # (first word, last word), shortest end for each start
    for i in range(len(words)):
        for j in range(i, min(i + _WINDOW, len(words))):
            window = text[words[i][0]:words[j][1]]
            if any(mark in window for mark in _ENCODED_MARKS) \
                    and matcher.find_in_readings(window) is not None:
                hits.append((i, j))
                break
    for i, j in hits:  # a run holding a shorter hitting run is that run's context: dropped
        if not any((i2, j2) != (i, j) and i <= i2 and j2 <= j for i2, j2 in hits):
            spans.append((words[i][0], words[j][1]))
    return sorted(spans)


def redact_plain(text: str, rules: list[Rule]) -> str:
    """``text`` with each redaction replaced by its mark (``[REDACTED]``)."""
    return segments_text(apply(text, rules))


def segments_text(segments: list[Segment]) -> str:
    """Segments as plain text, each redaction as its mark, joined with nothing in between:
    the text around a mark keeps its own spacing (``[REDACTED], a``)."""
    context = plain_context(segments)
    return "".join(printed_mark(s.mark, context) if s.redacted else s.text for s in segments)


def contains(text: str, term: str) -> bool:
    """Whether ``term`` can be read in ``text``, also once entity- or percent-decoded."""
    return matcher_for((term,)).find_in_readings(text) is not None


def label_clash(term: str, labels: Iterable[str] = ()) -> str | None:
    """The printed text a term would hide (so every export would fail its leak check), else
    None: a word the exports print themselves, or one of ``labels`` (the redactions' printed
    labels, ``[REDACTED: field contacts]`` forbids redacting ``contacts``)."""
    matcher = matcher_for((term,))
    for label in (*EXPORT_LABELS, *labels):
        if matcher and matcher.find(label):
            return label
    return None
