"""Each character's box on a PDF page, aligned with the page's text as the import stores it.

``read_page_boxes`` reads one page with PDFium and returns its text cleaned exactly as the
import cleans it (``extract.pdf_text.clean_pdfium``: ``\\r\\n`` → ``\\n``, U+FFFE dropped,
NFKC) with one box per output character, so a layer offset names a place on the page. It is a
pure function of the PDF: the library derives a layer's boxes lazily with it (``service.py``),
and the facsimile renderer reads laid-out capture PDFs with it.

Coordinates are PDF points from the page's top-left corner as displayed: the crop box and the
page's ``/Rotate`` applied, which is what Qt PDF and the PDF open parameters' ``viewrect`` use.
PDFium gives boxes in user space (origin bottom-left, unrotated); ``Display`` converts (the
failed-redaction check, ``workbench.xray``, uses it too: one rule for page coordinates).
Boxes are PDFium's *loose* boxes (the font's ascent to descent), so the characters of one line
share a band: what a highlight's quads and the viewer's hit test want, where tight glyph boxes
would make "a" shorter than "l".

Alignment is exact: each source character is cleaned on its own and its box given to every
character its NFKC yields (ligature ﬁ → "fi", lam-alef → two letters); the result must equal
``clean_pdfium`` of the whole text. When it does not — NFKC composes across characters (``e`` +
U+0301 → ``é``) — the two strings are aligned with difflib and each changed run of output
characters gets the union of its source characters' boxes. Characters PDFium inserted (line
ends, spaces between words) have no box: ``(0, 0, 0, 0)``.

``pack``/``unpack`` store boxes in the ``page_boxes`` table: hundredths of a point as int32,
each column delta-coded against the previous character (characters of a line share their top
and bottom, and one's left is the last one's right), then zlib: 1.3 bytes per character on a full
page of text (3,900 characters; a one-line page about 2.5; tests/core/test_page_boxes.py).
"""

from __future__ import annotations

import array
import difflib
import sys
import unicodedata
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UserError
from .geometry import ZERO, Box

if TYPE_CHECKING:  # PDFium loads when a page is read: the facade and the CLI import this
    import pypdfium2 as pdfium

__all__ = ["ZERO", "Box", "PageBoxes", "clean_aligned", "pack", "read_page_boxes", "union",
           "unpack"]


@dataclass(frozen=True)
class PageBoxes:
    """One page's text and its characters' boxes: ``boxes[i]`` is the box of ``text[i]``."""

    page: int
    width: float
    height: float
    source: str  # "pdfium" | "ocr"
    text: str
    boxes: list[Box]


class Display:
    """User space → displayed page (top-left origin, rotation and crop box applied)."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        import pypdfium2.raw as pdfium_raw

        rect = pdfium_raw.FS_RECTF()
        # The crop box cut to the media box, inherited boxes included (pypdfium2's own
        # get_cropbox reads only the page's dictionary and falls back to US Letter).
        if pdfium_raw.FPDF_GetPageBoundingBox(page, rect):
            self.left, self.bottom = float(rect.left), float(rect.bottom)
            self.right, self.top = float(rect.right), float(rect.top)
        else:  # pragma: no cover - PDFium always has a box for a loaded page
            self.left, self.bottom = 0.0, 0.0
            self.right, self.top = float(page.get_width()), float(page.get_height())
        self.quarter = int(pdfium_raw.FPDFPage_GetRotation(page)) % 4
        if self.quarter % 2:
            self.width, self.height = self.top - self.bottom, self.right - self.left
        else:
            self.width, self.height = self.right - self.left, self.top - self.bottom

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.quarter == 1:  # turned a quarter clockwise: the bottom-left is now top-left
            return y - self.bottom, x - self.left
        if self.quarter == 2:
            return self.right - x, y - self.bottom
        if self.quarter == 3:
            return self.top - y, self.right - x
        return x - self.left, self.top - y

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        ax, ay = self.point(left, bottom)
        bx, by = self.point(right, top)
        return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))

    def rect(self, user: Box) -> Box:
        """``box`` of a user-space ``(left, bottom, right, top)``."""
        return self.box(*user)


@contextmanager
def _opened(pdf: Path | pdfium.PdfDocument) -> Iterator[pdfium.PdfDocument]:
    import pypdfium2 as pdfium

    if isinstance(pdf, pdfium.PdfDocument):
        yield pdf
        return
    try:
        doc = pdfium.PdfDocument(str(pdf))
    except (pdfium.PdfiumError, OSError) as exc:
        raise UserError(f"cannot read the PDF {Path(pdf).name} ({exc})") from exc
    try:
        yield doc
    finally:
        doc.close()


def read_page_boxes(pdf: Path | pdfium.PdfDocument, page: int) -> PageBoxes:
    """Page ``page`` (1-based) of ``pdf``: its cleaned text and each character's box."""
    with _opened(pdf) as doc:
        if not 1 <= page <= len(doc):
            raise UserError(f"page {page} does not exist: the PDF has {len(doc)} pages")
        pdfpage = doc[page - 1]
        try:
            display = Display(pdfpage)
            textpage = pdfpage.get_textpage()
            try:
                raw, raw_boxes = _raw_with_boxes(textpage, display)
            finally:
                textpage.close()
        finally:
            pdfpage.close()
    text, boxes = clean_aligned(raw, raw_boxes)
    return PageBoxes(page=page, width=round(display.width, 2), height=round(display.height, 2),
                     source="pdfium", text=text, boxes=boxes)


def _raw_with_boxes(textpage: pdfium.PdfTextPage, display: Display) -> tuple[str, list[Box]]:
    """PDFium's page text exactly as the import reads it, each character with its box.

    The text comes from the same call the extractor makes (``get_text_range``); its UTF-16
    text indices are mapped back to PDFium's character list, which may differ from it (chars
    left out of, or inserted into, the text)."""
    import pypdfium2.raw as pdfium_raw

    raw = str(textpage.get_text_range())
    boxes: list[Box] = []
    rect = pdfium_raw.FS_RECTF()
    unit = 0
    for ch in raw:
        index = pdfium_raw.FPDFText_GetCharIndexFromTextIndex(textpage, unit)
        unit += 2 if ord(ch) > 0xFFFF else 1
        if index < 0 or pdfium_raw.FPDFText_IsGenerated(textpage, index) == 1 \
                or not pdfium_raw.FPDFText_GetLooseCharBox(textpage, index, rect):
            boxes.append(ZERO)
            continue
        # Hundredths of a point, as stored: a derived reading equals its cached copy.
        x0, y0, x1, y1 = (round(v, 2) for v in display.box(rect.left, rect.bottom,
                                                             rect.right, rect.top))
        boxes.append((x0, y0, x1, y1) if x1 > x0 or y1 > y0 else ZERO)
    return raw, boxes


def clean_aligned(raw: str, raw_boxes: list[Box]) -> tuple[str, list[Box]]:
    """``clean_pdfium(raw)`` and one box per character of it (see the module docstring)."""
    chars: list[str] = []
    boxes: list[Box] = []
    for i, ch in enumerate(raw):
        if ch == "\r":
            if raw[i + 1:i + 2] == "\n":
                continue  # the "\n" that follows stands for both
            piece = "\n"
        elif ch in "\ufffe\x00":
            continue
        else:
            piece = unicodedata.normalize("NFKC", ch).replace("\x00", "")
        chars.extend(piece)
        boxes.extend([raw_boxes[i]] * len(piece))
    from ..extract.pdf_text import clean_pdfium

    mine = "".join(chars)
    expected = clean_pdfium(raw)
    if mine == expected:
        return mine, boxes
    return expected, _realign(mine, boxes, expected)


def _realign(mine: str, boxes: list[Box], expected: str) -> list[Box]:
    """Boxes for ``expected`` from the per-character reading ``mine`` (composition differs)."""
    out: list[Box] = []
    matcher = difflib.SequenceMatcher(None, mine, expected, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(boxes[i1:i2])
        elif op in ("replace", "insert"):
            out.extend([union(boxes[i1:i2])] * (j2 - j1))
    assert len(out) == len(expected)
    return out


def union(boxes: list[Box]) -> Box:
    """The smallest box holding every non-empty box of ``boxes``; ``ZERO`` when none."""
    real = [b for b in boxes if b != ZERO]
    if not real:
        return ZERO
    return (min(b[0] for b in real), min(b[1] for b in real),
            max(b[2] for b in real), max(b[3] for b in real))


def pack(boxes: list[Box]) -> bytes:
    """Boxes as stored in ``page_boxes.boxes`` (hundredths of a point, delta-coded, zlib)."""
    values = array.array("i")
    prev = [0, 0, 0, 0]
    for box in boxes:
        cur = [round(v * 100) for v in box]
        values.extend(c - p for c, p in zip(cur, prev, strict=True))
        prev = cur
    if sys.byteorder != "little":  # pragma: no cover - stored little-endian everywhere
        values.byteswap()
    return zlib.compress(values.tobytes(), 6)


def unpack(data: bytes) -> list[Box]:
    """The boxes ``pack`` stored."""
    values = array.array("i")
    values.frombytes(zlib.decompress(data))
    if sys.byteorder != "little":  # pragma: no cover
        values.byteswap()
    out: list[Box] = []
    prev = [0, 0, 0, 0]
    for i in range(0, len(values), 4):
        prev = [p + d for p, d in zip(prev, values[i:i + 4], strict=True)]
        out.append((prev[0] / 100, prev[1] / 100, prev[2] / 100, prev[3] / 100))
    return out
