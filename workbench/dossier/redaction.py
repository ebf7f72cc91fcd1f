"""Applying redactions to text: cut it into plain segments and redaction marks.

What counts as a redacted text is decided by ``workbench.redact.matcher`` alone — the same
matcher the export's leak check and ``workbench leakscan`` use — so what the exports hide and
what the leak check looks for can never differ. ``apply`` maps matches back to offsets in the
original text, so the text around a redaction is left exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..redact.matcher import Matcher, matcher_for, readings

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
    "as captured", "Language",
)


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
    reasons = {r.text: r.reason for r in reversed(rules)}
    return _apply(text, matcher, reasons, depth=0)


def _apply(text: str, matcher: Matcher, reasons: dict[str, str], depth: int) -> list[Segment]:
    segments: list[Segment] = []

    def plain(piece: str) -> None:
        hit = matcher.find_in_readings(piece) if depth < 4 else None
        if hit is None:
            segments.append(Segment(piece))
        else:
            decoded = dict(readings(piece))[hit[0]]
            segments.extend(_apply(decoded, matcher, reasons, depth + 1))

    pos = 0
    for start, end, term in matcher.spans(text):
        if start > pos:
            plain(text[pos:start])
        segments.append(Segment("", reasons[matcher.terms[term]]))
        pos = max(pos, end)
    if pos < len(text):
        plain(text[pos:])
    return segments


def redact_plain(text: str, rules: list[Rule]) -> str:
    """``text`` with each redaction replaced by ``[REDACTED: reason]``."""
    return "".join(s.text if not s.redacted else REDACTED_MARK.format(reason=s.reason)
                   for s in apply(text, rules))


def contains(text: str, term: str) -> bool:
    """Whether ``term`` can be read in ``text``, also once entity- or percent-decoded."""
    return matcher_for((term,)).find_in_readings(text) is not None


def label_clash(term: str) -> str | None:
    """The export label a term would hide (so every export would fail), else None."""
    matcher = matcher_for((term,))
    for label in EXPORT_LABELS:
        if matcher and matcher.find(label):
            return label
    return None
