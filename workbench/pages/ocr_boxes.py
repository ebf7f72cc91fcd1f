"""OCR'd pages' character boxes, from the word boxes Tesseract gave when it read them.

Unlike a PDF's own text, an OCR reading cannot be derived again cheaply or identically later,
so its word boxes are kept when the layer is written (``persist.add_text_layer``), as
``page_boxes`` rows with source ``ocr``. Each word is found in the page's stored text in
reading order; its characters split the word's box evenly from left to right (Tesseract gives
no character boxes in its TSV); spaces and line ends between words have no box. A word the
text does not hold (the text was cleaned, e.g. a bidi mark removed) is skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .boxes import PageBoxes
from .geometry import ZERO, Box
from .store import save

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..extract.base import Extraction

# How far ahead of the last word the next one may be found: further is a different word.
_LOOKAHEAD = 200
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
                                    "\u2068\u2069\x0c"))


def align(text: str, words: list[list[Any]]) -> list[Box]:
    """One box per character of ``text`` from ``[x0, y0, x1, y1, word]`` in reading order."""
    boxes: list[Box] = [ZERO] * len(text)
    pos = 0
    for x0, y0, x1, y1, word in words:
        word = str(word).translate(_INVISIBLE)
        if not word:
            continue
        at = text.find(word, pos, pos + _LOOKAHEAD + len(word))
        if at < 0:
            continue
        step = (float(x1) - float(x0)) / len(word)
        for k in range(len(word)):
            boxes[at + k] = (round(x0 + step * k, 2), float(y0),
                             round(x0 + step * (k + 1), 2), float(y1))
        pos = at + len(word)
    return boxes


def store_ocr_words(session: Session, layer_id: int, extraction: Extraction) -> None:
    """Keep each OCR'd page's boxes for the layer just written (inside its transaction)."""
    for entry in extraction.ocr_words:
        number = int(entry["page"])
        if not 1 <= number <= len(extraction.pages):
            continue
        text = extraction.pages[number - 1]
        boxes = align(text, entry.get("words") or [])
        if any(b != ZERO for b in boxes):
            save(session, layer_id, PageBoxes(page=number, width=float(entry["width"]),
                                              height=float(entry["height"]), source="ocr",
                                              text=text, boxes=boxes))
