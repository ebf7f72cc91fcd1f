"""Which reading of a PDF page's text is kept: PDFium's, or pypdf's as the second opinion.

PDFium (pypdfium2) reads every page; pypdf is asked about a page only when PDFium's reading
of it looks wrong, so a normal text PDF is parsed once. The rule:

- PDFium failed on the page (it could not load the page or its text) → pypdf's reading;
- PDFium's text is empty → pypdf's, if pypdf finds any (text drawn in a way PDFium does not
  extract); when both are empty the page is a scan, and OCR (``pdf.py``) takes over;
- PDFium's text holds characters no real text has — U+FFFD (a glyph it could not map), C0/C1
  control characters, private-use code points — or UTF-8 read as Latin-1 (``Ã©``, ``â€``)
  → pypdf's, when it has fewer of them per character and is not empty; else PDFium's stays.

Either way the text is cleaned the same: PDFium's line ends (``\\r\\n``) become ``\\n``; the
U+FFFE it puts where a word was hyphenated across a line is dropped, so the word reads whole
(``manipulation``, not ``manip-`` + ``ulation``: what search and quotes need); and everything
is NFKC-normalised, because PDFs carry Arabic and Uyghur as presentation forms and ligatures
as single code points, which neither search nor quotes would match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

# Characters no page of real text holds, and the marks of UTF-8 decoded as Latin-1.
_WRONG = re.compile("[\ufffd\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ue000-\uf8ff]|Ã[\x80-\xbf]|â€")


def normalise(text: str) -> str:
    """NFKC, ``\\n`` line ends, no NULs."""
    return unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\x00", "")


def clean_pdfium(raw: str) -> str:
    """PDFium's page text as stored: line ends, hyphenation marks, then ``normalise``."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "")
    return normalise(text)


def wrongness(text: str) -> float:
    """The share of ``text``'s characters that are signs of a wrong reading (0 when none)."""
    found = len(_WRONG.findall(text))
    return found / max(1, len(text)) if found else 0.0


def looks_wrong(text: str) -> str | None:
    """Why this reading needs a second opinion, or None when it looks like text."""
    if not text.strip():
        return "empty"
    if _WRONG.search(text):
        return "unmapped or garbled characters"
    return None


@dataclass
class PageReading:
    """The text kept for one page, and what the user should hear about how it was read."""

    text: str
    problem: str | None = None


def read_page(number: int, pdfium: Callable[[], str], pypdf: Callable[[], str]) -> PageReading:
    """Page ``number``'s text (1-based, for messages) by the rule in the module docstring.

    ``pdfium`` and ``pypdf`` return that page's raw text or raise; pypdf is called only when
    PDFium failed or its reading looks wrong.
    """
    try:
        first: str | None = clean_pdfium(pdfium())
    except Exception as exc:  # one bad page in PDFium: the second opinion may read it
        first, failure = None, type(exc).__name__
    why = "PDFium failed" if first is None else looks_wrong(first)
    if why is None:
        assert first is not None
        return PageReading(first)
    try:
        second: str | None = normalise(pypdf() or "")
    except Exception as exc:  # its failure changes nothing when PDFium read the page
        second = None
        if first is None:
            return PageReading("", f"page {number}: text could not be extracted "
                                   f"({failure}, {type(exc).__name__})")
    if first is None:
        assert second is not None
        return PageReading(second, f"page {number}: read with pypdf after PDFium failed")
    if second is None or not second.strip():
        return PageReading(first)
    if why == "empty":
        return PageReading(second, f"page {number}: read with pypdf (PDFium found no text)")
    if wrongness(second) < wrongness(first):
        return PageReading(second, f"page {number}: read with pypdf (PDFium's text had "
                                   f"{why})")
    return PageReading(first)
