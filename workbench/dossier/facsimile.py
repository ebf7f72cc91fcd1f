"""Which source pages a facsimile exhibit shows, and where an area redaction lies.

A facsimile item shows its source's own pages. Its pages are stored as typed (``"3-4,7"``) or
NULL for the default: the pages a highlight spans (its page geometry, else its page, else page
1) or every page of a whole document. Pages are checked against the document's page count
when it has pages (a PDF or a scan); a web page, an e-mail or a DOCX has pages only once its
capture is laid out at export, which checks them then.

An area rule is a rectangle on one page of one document, in PDF points from the page's
top-left corner as displayed (``[x0, y0, x1, y1]``, the contract of issue 13). It hides what
is drawn there on facsimile pages; it has no text, so it never reaches the text matcher.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..document_queries import latest_layer
from ..errors import UserError
from ..models import Document, DossierItem, Highlight, Page, Redaction

Rect = tuple[float, float, float, float]
_RUN = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")
MAX_PAGES = 10_000  # a typo such as "1-1000000" must not build a list of a million pages


def parse_pages(spec: str) -> list[int]:
    """``"3-4,7"`` as the sorted page numbers ``[3, 4, 7]``; a ``UserError`` otherwise."""
    pages: set[int] = set()
    for run in str(spec).split(","):
        m = _RUN.match(run)
        first = int(m.group(1)) if m else 0
        last = int(m.group(2)) if m and m.group(2) else first
        if not m or first < 1 or last < first or last - first > MAX_PAGES:
            raise UserError(f"Cannot read the pages {spec!r}",
                            "give page numbers and ranges from 1, e.g. 3-4,7")
        pages.update(range(first, last + 1))
    return sorted(pages)


def format_pages(pages: Iterable[int]) -> str:
    """Page numbers as the shortest ``"1,3-5,7"``."""
    runs: list[list[int]] = []
    for n in sorted(set(pages)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def page_count(session: Session, document_id: int) -> int | None:
    """A PDF's pages (those of its latest text layer), or None for any other document: a web
    page's, e-mail's or DOCX's pages are those of its capture laid out at export, not the
    one "page" its text layer has."""
    doc = session.get(Document, document_id)
    layer = latest_layer(session, document_id) if doc is not None and is_pdf(doc) else None
    if layer is None:
        return None
    n = session.execute(select(func.count(Page.id)).where(Page.layer_id == layer.id)).scalar()
    return int(n) if n else None


def check_pages(pages: list[int], count: int | None, document_id: int) -> None:
    if count is not None and pages and pages[-1] > count:
        raise UserError(f"Document {document_id} has {count} pages; there is no page "
                        f"{pages[-1]}", f"give pages from 1 to {count}")


def highlight_pages(h: Highlight) -> list[int]:
    """The pages a highlight spans: its page geometry's, else its page, else page 1."""
    geometry = h.page_geometry or {}
    found = sorted({int(p["page"]) for p in geometry.get("pages", []) if p.get("page")})
    return found or [h.page or 1]


def default_pages(session: Session, item: DossierItem) -> list[int] | None:
    """The pages a facsimile of ``item`` shows by default, or None when they are known only
    once the source is laid out (a web page's highlight: the pages its quote lands on)."""
    h = session.get(Highlight, item.highlight_id) if item.highlight_id else None
    doc_id = h.document_id if h is not None else item.document_id
    count = page_count(session, doc_id) if doc_id is not None else None
    if h is not None:
        return highlight_pages(h) if count is not None or h.page_geometry else None
    return list(range(1, count + 1)) if count else None


def item_pages(session: Session, item: DossierItem) -> list[int] | None:
    """The pages the item's facsimile shows (None: found at export, see ``default_pages``)."""
    if item.facsimile_pages:
        return parse_pages(item.facsimile_pages)
    return default_pages(session, item)


def set_item_facsimile(session: Session, item: DossierItem, facsimile: bool,
                       pages: str | None) -> None:
    """Switch the item's facsimile on (with ``pages`` or the default) or off."""
    if item.kind == "note":
        raise UserError("A note has no source pages to show", "choose an exhibit")
    if not facsimile:
        if pages:
            raise UserError("Pages are given only with a facsimile",
                            "add --facsimile, or leave out --pages")
        item.facsimile, item.facsimile_pages = False, None
        return
    chosen = parse_pages(pages) if pages else None
    h = session.get(Highlight, item.highlight_id) if item.highlight_id else None
    doc_id = h.document_id if h is not None else item.document_id
    if chosen and doc_id is not None:
        check_pages(chosen, page_count(session, doc_id), doc_id)
    item.facsimile = True
    item.facsimile_pages = format_pages(chosen) if chosen else None


# --- area rules --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaRule:
    """A rectangle to black out on one page of one document's facsimile, and its printed
    label (the private reason stays in the library, as for text rules)."""

    document_id: int
    page: int
    rect: Rect
    label: str


def area_of(r: Redaction) -> AreaRule | None:
    if not r.area:
        return None
    x0, y0, x1, y1 = (float(v) for v in r.area["rect"])
    return AreaRule(int(r.area["document_id"]), int(r.area["page"]), (x0, y0, x1, y1),
                    r.label)


def area_json(document_id: int, page: int, rect: Rect) -> dict[str, Any]:
    return {"document_id": document_id, "page": page, "rect": [float(v) for v in rect]}


def check_area(page: int, rect: Rect, count: int | None, size: tuple[float, float] | None,
               document_id: int) -> Rect:
    """The rectangle as floats, once it lies on an existing page; ``UserError`` otherwise."""
    if page < 1:
        raise UserError(f"There is no page {page}", "pages are numbered from 1")
    check_pages([page], count, document_id)
    try:
        x0, y0, x1, y1 = (float(v) for v in rect)
    except (TypeError, ValueError):
        raise UserError("An area is four numbers x0,y0,x1,y1 in PDF points") from None
    if not x0 < x1:
        raise UserError("An area needs x0 < x1", "x grows to the right, from the left edge")
    if not y0 < y1:
        raise UserError("An area needs y0 < y1", "y grows downwards, from the top edge")
    width, height = size if size else (float("inf"), float("inf"))
    if x0 < 0 or y0 < 0 or x1 > width + 0.5 or y1 > height + 0.5:
        where = f" ({width:g} x {height:g} points)" if size else ""
        raise UserError(f"The area lies outside page {page}{where}",
                        "give points from the page's top-left corner")
    return (x0, y0, x1, y1)


def pdf_page_size(path: Any, page: int) -> tuple[float, float] | None:
    """The displayed size of a PDF page in points (rotation applied), or None if unreadable."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
    except Exception:  # not a PDF PDFium can open: the export checks the area then
        return None
    try:
        if not 1 <= page <= len(pdf):
            return None
        p = pdf[page - 1]
        try:
            width, height = p.get_size()  # PDFium applies the rotation already
            return (width, height)
        finally:
            p.close()
    finally:
        pdf.close()


def is_pdf(doc: Document) -> bool:
    return doc.media_type == "application/pdf"
