"""What the page view paints over a page, and how: highlights, search hits, the selection, OCR
word boxes, possible failed redactions and the areas redacted in dossiers.

Every mark is given in page points (top-left origin, as the core's page geometry and Qt PDF use)
and painted through the layout's scale. A highlight is the tag colour multiplied into the page,
as a marker pen on paper: the print under it stays black, and a dark tag colour is lightened
first, so a highlight never looks like a redaction bar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from .page_layout import PageLayout
from .page_sources import Rect

MIN_LIGHTNESS = 170  # a tag colour darker than this is lightened before it is painted


@dataclass
class PageMark:
    """A highlight as the page view paints it."""

    id: int
    color: str
    label: str = ""
    pages: dict[int, list[Rect]] = field(default_factory=dict)  # 1-based page -> quads
    region: bool = False


@dataclass
class Selection:
    """What a drag on the page chose: text line rects, a region, or an area to redact."""

    page: int  # 1-based
    rects: list[Rect]
    mode: str  # "text" | "region" | "redact"
    text: str = ""  # Qt's reading of a text drag (a preview; the core decides the quote)


@dataclass
class Overlays:
    marks: list[PageMark] = field(default_factory=list)
    marked: int | None = None  # the highlight chosen in the Highlights tab or by a click
    hits: dict[int, list[Rect]] = field(default_factory=dict)  # search hits by 1-based page
    words: dict[int, list[Rect]] = field(default_factory=dict)  # OCR word boxes, when shown
    show_words: bool = False
    xray: list[dict[str, object]] = field(default_factory=list)  # {"page", "bbox", ...}
    # Area redactions of this document in any dossier: {"page", "rect", "dossier", "label"}
    areas: list[dict[str, object]] = field(default_factory=list)

    def marks_at(self, page: int, x: float, y: float) -> list[int]:
        """Ids of the highlights whose quads on ``page`` hold the point, topmost first."""
        found = []
        for m in reversed(self.marks):
            if any(r[0] <= x <= r[2] and r[1] <= y <= r[3] for r in m.pages.get(page, [])):
                found.append(m.id)
        return found

    def first_rect(self, highlight_id: int) -> tuple[int, Rect] | None:
        m = next((m for m in self.marks if m.id == highlight_id), None)
        if m is None or not m.pages:
            return None
        page = min(m.pages)
        rects = m.pages[page]
        return (page, rects[0]) if rects else None


def marker_color(color: str) -> QColor:
    c = QColor(color)
    if not c.isValid():
        c = QColor("#f5d742")
    if c.lightness() < MIN_LIGHTNESS:
        c = QColor.fromHsl(c.hslHue(), c.hslSaturation(), MIN_LIGHTNESS)
    return c


def paint_page_marks(p: QPainter, layout: PageLayout, index: int, ov: Overlays,
                     selection: Selection | None, offset: tuple[float, float]) -> None:
    """Paints page ``index``'s marks; ``offset`` is the scroll position (content -> viewport)."""
    page = index + 1
    ox, oy = offset

    def box(r: Rect | list[float]) -> QRectF:
        x, y, w, h = layout.rect_to_content(index, r)
        return QRectF(x - ox, y - oy, w, h)

    p.save()
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
    for m in ov.marks:
        for r in m.pages.get(page, []):
            p.fillRect(box(r), marker_color(m.color))
    for r in ov.hits.get(page, []):
        p.fillRect(box(r), QColor("#ffb454"))
    p.restore()
    p.save()
    p.setBrush(Qt.BrushStyle.NoBrush)
    if ov.marked is not None:
        p.setPen(QPen(QColor("#2f6fde"), 2))
        for m in ov.marks:
            if m.id == ov.marked:
                for r in m.pages.get(page, []):
                    p.drawRect(box(r).adjusted(-2, -2, 2, 2))
    for m in ov.marks:
        if m.region and m.id != ov.marked:
            p.setPen(QPen(marker_color(m.color).darker(160), 1.5))
            for r in m.pages.get(page, []):
                p.drawRect(box(r))
    if ov.show_words:
        p.setPen(QPen(QColor(20, 120, 220, 200), 1))
        for r in ov.words.get(page, []):
            p.drawRect(box(r))
    for area in ov.areas:
        if area.get("page") == page and isinstance(area.get("rect"), list | tuple):
            # Hatched, not solid: the original stays readable here; exports burn it in.
            shade = box(area["rect"])  # type: ignore[arg-type]
            p.fillRect(shade, QBrush(QColor(0, 0, 0, 150), Qt.BrushStyle.BDiagPattern))
            p.setPen(QPen(QColor("#111111"), 2, Qt.PenStyle.DashLine))
            p.drawRect(shade)
    red = QPen(QColor("#d7263d"), 2.5)
    for area in ov.xray:
        if area.get("page") == page and isinstance(area.get("bbox"), list | tuple):
            p.setPen(red)
            p.drawRect(box(area["bbox"]).adjusted(-3, -3, 3, 3))  # type: ignore[arg-type]
    if selection is not None and selection.page == page:
        _paint_selection(p, selection, box)
    p.restore()


def _paint_selection(p: QPainter, sel: Selection,
                     to_box: Callable[[Rect | list[float]], QRectF]) -> None:
    if sel.mode == "text":
        p.setPen(Qt.PenStyle.NoPen)
        for r in sel.rects:
            p.fillRect(to_box(r), QColor(47, 111, 222, 80))
        return
    color = QColor("#111111") if sel.mode == "redact" else QColor("#2f6fde")
    pen = QPen(color, 1.5, Qt.PenStyle.DashLine)
    p.setPen(pen)
    fill = QColor(0, 0, 0, 70) if sel.mode == "redact" else QColor(47, 111, 222, 40)
    for r in sel.rects:
        rect = to_box(r)
        p.fillRect(rect, fill)
        p.drawRect(rect)
