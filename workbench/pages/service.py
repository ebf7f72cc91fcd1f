"""The page API of the facade (``PagesMixin``): a page's character boxes and words, the text
a drawn selection covers, the geometry of a layer range, and highlights made on the page.

Reads derive a page's boxes on first use (``store.py``) and keep them when the library is
open for writing: a cache of derived data, like the search index, so no audit event. A
highlight made on the page is one transaction with its audit event, as everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from .. import audit
from ..annotate import highlights as H
from ..annotate import tags as T
from ..changes import Changes
from ..document_queries import latest_layer, resolve_document
from ..errors import UserError, WorkbenchError
from ..library import Library
from ..models import Document, Highlight, TextLayer
from . import geometry as G
from .boxes import ZERO, PageBoxes
from .highlight import place_region, text_geometry, text_span
from .store import REEXTRACT, boxes_in_session, page_row, page_size, save

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class PagesMixin:
    library: Library

    if TYPE_CHECKING:  # provided by AnnotationsMixin
        def _highlight_changed(self, hid: int, doc_id: int, tags_changed: bool) -> Changes: ...

    def page_boxes(self, doc_ref: str | int, page: int) -> PageBoxes | None:
        """Page ``page`` of the document's current text layer with each character's box
        (points from the page's top-left); None for documents without pages or a page
        whose stored text is not the original's PDFium reading (re-extract it)."""
        with self.library.read() as s:
            doc, layer = _doc_layer(s, doc_ref)
            if layer is None:
                return None
            pb, new = boxes_in_session(s, self.library, doc, layer, page, keep=False)
            layer_id = layer.id
        if pb is not None and new and self.library.writable:
            try:
                with self.library.transaction() as s:
                    save(s, layer_id, pb)
            except (WorkbenchError, SQLAlchemyError):  # a cache not kept is read again
                pass
        return pb

    def geometry_for_range(self, doc_ref: str | int, start: int,
                           end: int) -> dict[str, Any] | None:
        """Where ``[start, end)`` of the current layer sits on the pages:
        ``{"kind": "text", "pages": [{"page": N, "quads": [[x0, y0, x1, y1], ...]}]}``."""
        with self.library.read() as s:
            doc, layer = _doc_layer(s, doc_ref)
            if layer is None:
                return None
            return text_geometry(s, self.library, doc, layer, start, end, keep=False)

    def page_text_at(self, doc_ref: str | int, page: int,
                     rects: Sequence[Sequence[float]]) -> tuple[int, int] | None:
        """The current layer's range that ``rects`` on ``page`` cover (the characters whose
        centres lie inside), or None."""
        pb = self.page_boxes(doc_ref, page)
        if pb is None:
            return None
        span = text_span(pb, [_rect(r, pb.width, pb.height) for r in rects])
        if span is None:
            return None
        with self.library.read() as s:
            _doc, layer = _doc_layer(s, doc_ref)
            row = page_row(s, layer.id, page) if layer is not None else None
            if row is None:
                return None
            return row.start + span[0], row.start + span[1]

    def page_words(self, doc_ref: str | int, page: int) -> dict[str, Any]:
        """The page's words and their boxes (runs of non-space characters on one line):
        ``{"page", "width", "height", "source": "pdfium"|"ocr"|None, "words": [{"text",
        "rect"}]}`` — what the viewer shows for "show OCR words"."""
        pb = self.page_boxes(doc_ref, page)
        if pb is None:
            return {"page": page, "width": None, "height": None, "source": None, "words": []}
        return {"page": page, "width": pb.width, "height": pb.height, "source": pb.source,
                "words": _words(pb)}

    def add_page_highlight(self, doc_ref: str | int, page: int,
                           rects: Sequence[Sequence[float]], *, region: bool = False,
                           tags: list[str] | None = None, note: str = "",
                           color: str | None = None) -> Changes:
        """A highlight made on the page. Text mode: the characters whose centres lie in
        ``rects`` (a selection's line rects or one dragged rectangle), from the first to the
        last, become a text highlight with its geometry. Region mode: one rectangle,
        anchored to the page; its quote is the text inside, possibly empty."""
        if not rects:
            raise UserError("Give at least one rectangle on the page",
                            "x0,y0,x1,y1 in points from the page's top-left corner")
        if region and len(rects) != 1:
            raise UserError("A region highlight is one rectangle",
                            f"{len(rects)} were given")
        color = T.check_color(color) or T.DEFAULT_COLOR
        with self.library.transaction() as s:
            doc, layer = _doc_layer(s, doc_ref)
            if layer is None or page_row(s, layer.id, page) is None:
                raise UserError(f"Document {doc.id} has no page {page}",
                                f"it has {doc.page_count or 0} page(s)")
            pb, _new = boxes_in_session(s, self.library, doc, layer, page, keep=True)
            size = (pb.width, pb.height) if pb is not None else page_size(
                self.library, doc, page)
            cut = [_rect(r, *(size or (float("inf"), float("inf")))) for r in rects]
            h = Highlight(document_id=doc.id, layer_id=layer.id, start=0, end=0, quote="",
                          color=color, note=note or "", status="anchored",
                          os_user=audit.current_actor())
            if region:
                place_region(s, self.library, h, layer, doc, page, cut[0])
            else:
                _place_text(s, self.library, h, doc, layer, page, pb, cut)
            s.add(h)
            s.flush()
            H.set_tags(s, h, add=list(tags or []))
            audit.record(s, audit.CREATION, "highlight", h.id,
                         H.audit_details(s, h, doc, on_page=page,
                                         kind=G.REGION if region else G.TEXT))
            hid, doc_id = h.id, doc.id
        return self._highlight_changed(hid, doc_id, bool(tags))


def _doc_layer(s: Session, doc_ref: str | int) -> tuple[Document, TextLayer | None]:
    doc = resolve_document(s, doc_ref)
    return doc, latest_layer(s, doc.id)


def _rect(r: Sequence[float], width: float, height: float) -> G.Rect:
    try:
        return G.check_rect(r, width, height)
    except (ValueError, TypeError) as exc:
        raise UserError(f"Bad rectangle {list(r)}: {exc}",
                        "x0,y0,x1,y1 in points from the page's top-left corner") from exc


def _place_text(s: Session, library: Library, h: Highlight, doc: Document, layer: TextLayer,
                page: int, pb: PageBoxes | None, rects: list[G.Rect]) -> None:
    if pb is None:
        raise UserError(f"Page {page} of document {doc.id} has no character positions",
                        "use a region highlight (--region), or " + REEXTRACT)
    span = text_span(pb, rects)
    if span is None:
        raise UserError(f"No text lies under the selection on page {page}",
                        "drag over the text, or use a region highlight (--region)")
    row = page_row(s, layer.id, page)
    assert row is not None
    a, b = row.start + span[0], row.start + span[1]
    H.place(h, layer, H.layer_pages(s, layer.id), a, b)
    h.page_geometry = text_geometry(s, library, doc, layer, a, b)


def _words(pb: PageBoxes) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    start = None
    for i in range(len(pb.text) + 1):
        boundary = i == len(pb.text) or pb.text[i].isspace() or pb.boxes[i] == ZERO or (
            start is not None and not G.same_line(pb.boxes[start], pb.boxes[i]))
        if boundary and start is not None:
            quads = G.quads(pb.boxes, start, i)
            if quads:
                out.append({"text": pb.text[start:i], "rect": quads[0]})
            start = None
        if i < len(pb.text) and not pb.text[i].isspace() and pb.boxes[i] != ZERO \
                and start is None:
            start = i
    return out
