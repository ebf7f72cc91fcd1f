"""A text layer's character boxes, page by page: cached in ``page_boxes`` or derived lazily.

Import does not compute PDFium character boxes (they cost 3-5 ms a page against an import
target of 200 pages/s, and most pages are never highlighted on). The first time a page's
boxes are asked for, the original is read again for that one page with the extractor's own
reading (PDFium + ``clean_pdfium``, ``boxes.read_page_boxes``) and the result is kept only
when its text equals the layer's stored page text, character for character: then every
offset of the layer names a box. A page the layer holds in another reading (pypdf's second
opinion, another PDFium version, an OCR'd page) gives None, and the user hears "re-extract
to get page positions". Rows belong to one layer, so a re-extraction's layer derives its own.

OCR'd pages are the exception: their word boxes exist only while Tesseract runs, so the
import keeps them (``ocr_boxes.py``) as rows with source ``ocr``.

The original is read in the library's process, as the page viewer already does with Qt PDF
(also PDFium) on the same file, and only after the isolated import read it without harm.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import UserError
from ..library import Library
from ..models import Document, Page, TextLayer
from ..models import PageBoxes as PageBoxesRow
from .boxes import PageBoxes, pack, read_page_boxes, unpack

# PDFium is imported where a page is read: the facade (and every CLI command) imports this.

REEXTRACT = "re-extract the document to get page positions"


def page_row(session: Session, layer_id: int, number: int) -> Page | None:
    return session.execute(select(Page).where(Page.layer_id == layer_id,
                                              Page.number == number)).scalar_one_or_none()


def cached(session: Session, layer: TextLayer, page: Page) -> PageBoxes | None:
    row = session.get(PageBoxesRow, (layer.id, page.number))
    if row is None:
        return None
    text = layer.text[page.start:page.end]
    boxes = unpack(row.boxes)
    if len(boxes) != len(text):  # not this layer's page any more: never trust a misfit
        return None
    return PageBoxes(page=page.number, width=row.width, height=row.height, source=row.source,
                     text=text, boxes=boxes)


def derive(library: Library, doc: Document, layer: TextLayer, page: Page) -> PageBoxes | None:
    """The page's boxes read from the original, when that reading is the layer's text."""
    if doc.kind != "pdf" or not page.has_text:
        return None
    import pypdfium2 as pdfium

    text = layer.text[page.start:page.end]
    try:
        with library.originals.open(doc.sha256) as fh:
            pdf = pdfium.PdfDocument(fh)
            try:
                fresh = read_page_boxes(pdf, page.number)
            finally:
                pdf.close()
    except (pdfium.PdfiumError, UserError, OSError):
        return None
    lead = len(fresh.text) - len(fresh.text.lstrip("\n"))  # the extractor strips "\n"
    if fresh.text.strip("\n") != text:
        return None
    return replace(fresh, text=text, boxes=fresh.boxes[lead:lead + len(text)])


def save(session: Session, layer_id: int, pb: PageBoxes) -> None:
    if session.get(PageBoxesRow, (layer_id, pb.page)) is None:
        session.add(PageBoxesRow(layer_id=layer_id, page=pb.page, width=pb.width,
                                 height=pb.height, source=pb.source, boxes=pack(pb.boxes)))
        session.flush()


def boxes_in_session(session: Session, library: Library, doc: Document, layer: TextLayer,
                     number: int, *, keep: bool) -> tuple[PageBoxes | None, bool]:
    """The page's boxes and whether they were derived just now (and so not yet stored).
    ``keep``: the session writes, so a derived reading is stored in it at once."""
    page = page_row(session, layer.id, number)
    if page is None:
        return None, False
    found = cached(session, layer, page)
    if found is not None:
        return found, False
    fresh = derive(library, doc, layer, page)
    if fresh is not None and keep:
        save(session, layer.id, fresh)
        return fresh, False
    return fresh, fresh is not None


def page_size(library: Library, doc: Document, number: int) -> tuple[float, float] | None:
    """The displayed size of a PDF page in points (rotation applied), None when unknown."""
    if doc.kind != "pdf":
        return None
    import pypdfium2 as pdfium

    try:
        with library.originals.open(doc.sha256) as fh:
            pdf = pdfium.PdfDocument(fh)
            try:
                if not 1 <= number <= len(pdf):
                    return None
                page = pdf[number - 1]
                try:
                    return float(page.get_width()), float(page.get_height())
                finally:
                    page.close()
            finally:
                pdf.close()
    except (pdfium.PdfiumError, OSError):
        return None


def layer_ranges(session: Session, layer_id: int) -> list[Any]:
    return list(session.execute(select(Page).where(Page.layer_id == layer_id)
                                .order_by(Page.number)).scalars())
