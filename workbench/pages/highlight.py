"""Highlights and the page, inside the caller's session: geometry of a text range, a
highlight made on the page (text or region), and the geometry after re-anchoring.

A text highlight stays anchored to the text layer (quote, position, re-anchoring, orphans
as before); its ``page_geometry`` is derived from the layer's boxes whenever its range is
set, so it always describes the current range. A region highlight's anchor is its page and
rectangle: its quote is whatever text lies inside (possibly none: a photo, a face, a
signature), re-read from each new layer, and it is never orphaned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..annotate import highlights as H
from ..library import Library
from ..models import Document, Highlight, Page, TextLayer
from . import geometry as G
from .boxes import PageBoxes
from .store import boxes_in_session, layer_ranges


def text_geometry(session: Session, library: Library, doc: Document, layer: TextLayer,
                  start: int, end: int, *, keep: bool = True) -> dict[str, Any] | None:
    """``{"kind": "text", "pages": [...]}`` for ``[start, end)`` of ``layer``; None when no
    page it spans has boxes (not a PDF, or a page the layer reads differently)."""
    if doc.kind not in ("pdf", "image") or end <= start:
        return None
    found: list[tuple[int, list[list[float]]]] = []
    for page in layer_ranges(session, layer.id):
        if page.end <= start or page.start >= end:
            continue
        pb, _new = boxes_in_session(session, library, doc, layer, page.number, keep=keep)
        if pb is not None:
            found.append((page.number, G.quads(pb.boxes, max(start, page.start) - page.start,
                                               min(end, page.end) - page.start)))
    return G.geometry(G.TEXT, found)


def set_text_geometry(session: Session, library: Library | None, h: Highlight,
                      layer: TextLayer, doc: Document | None = None) -> None:
    """Refresh a text highlight's geometry after its range was set on ``layer``."""
    if G.is_region(h.page_geometry):
        return
    if library is None:
        h.page_geometry = None
        return
    doc = doc or session.get(Document, h.document_id)
    assert doc is not None
    h.page_geometry = text_geometry(session, library, doc, layer, h.start, h.end)


def place_region(session: Session, library: Library | None, h: Highlight, layer: TextLayer,
                 doc: Document, page_number: int, rect: G.Rect) -> None:
    """Point a region highlight at ``rect`` of ``page_number`` on ``layer``: its range is
    the text inside (or the page's start, empty), its geometry the rectangle. Without a
    ``library`` (a layer built in a test) no boxes are read: the region holds no text."""
    page = session.execute(select(Page).where(Page.layer_id == layer.id,
                                              Page.number == page_number)
                           ).scalar_one_or_none()
    a = b = page.start if page is not None else 0
    if page is not None and library is not None:
        pb, _new = boxes_in_session(session, library, doc, layer, page_number, keep=True)
        span = G.chars_in(pb, [rect]) if pb is not None else None
        if span is not None:
            a, b = page.start + span[0], page.start + span[1]
            while a < b and layer.text[a].isspace():
                a += 1
            while b > a and layer.text[b - 1].isspace():
                b -= 1
    H.place(h, layer, H.layer_pages(session, layer.id), a, b)
    h.page = page_number  # an empty page's start is also the next page's
    h.page_geometry = {"kind": G.REGION, "pages": [{"page": page_number,
                                                    "quads": [G.rounded(rect)]}]}


def region_of(h: Highlight) -> tuple[int, G.Rect] | None:
    geom = h.page_geometry
    if not G.is_region(geom):
        return None
    assert geom is not None
    first = geom["pages"][0]
    x0, y0, x1, y1 = first["quads"][0]
    return int(first["page"]), (x0, y0, x1, y1)


def text_span(pb: PageBoxes, rects: Sequence[G.Rect]) -> tuple[int, int] | None:
    """The page-text range the rects cover, trimmed of white space at both ends."""
    span = G.chars_in(pb, rects)
    if span is None:
        return None
    a, b = span
    while a < b and pb.text[a].isspace():
        a += 1
    while b > a and pb.text[b - 1].isspace():
        b -= 1
    return (a, b) if a < b else None
