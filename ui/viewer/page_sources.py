"""What the page view shows: a PDF (pages rendered through Qt PDF) or one image as a page.

The page view asks a source for page sizes in points, for an image of a page at a pixel size
(``image`` answers from what it has; ``want`` asks for the rest, and ``ready`` says when it came),
and, for PDFs, for the text a drag covers (``selection``). An image document is one page whose
size in points is its size in pixels at 72 per inch (its own resolution is often missing or
wrong in scans, and nothing but the ratio matters on screen).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, QPointF, QSize, Signal, SignalInstance
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument

from .page_render import PageRenderer

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in points


class PageSource(Protocol):
    @property
    def ready(self) -> SignalInstance: ...

    def sizes(self) -> list[tuple[float, float]]: ...

    def image(self, index: int, size: QSize) -> tuple[QImage | None, bool]: ...

    def want(self, pages: list[tuple[int, QSize]]) -> None: ...

    def selection(self, index: int, start: QPointF, end: QPointF) -> tuple[list[Rect], str]:
        """The line rectangles and text of a text drag, or ([], "") where there is none."""
        ...


class PdfSource(QObject):
    ready = Signal(int)

    def __init__(self, document: QPdfDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.renderer = PageRenderer(document, self)
        self.renderer.ready.connect(self.ready)
        self._sizes: list[tuple[float, float]] = []

    def reload(self) -> None:
        """After the document loaded a file: read every page size once (300 pages take about
        10 ms; asking PDFium again while painting would wait on a render's lock)."""
        self.renderer.clear()
        self._sizes = []
        for i in range(self.document.pageCount()):
            s = self.document.pagePointSize(i)
            self._sizes.append((s.width(), s.height()))

    def sizes(self) -> list[tuple[float, float]]:
        return self._sizes

    def image(self, index: int, size: QSize) -> tuple[QImage | None, bool]:
        return self.renderer.image(index, size)

    def want(self, pages: list[tuple[int, QSize]]) -> None:
        self.renderer.want(pages)

    def selection(self, index: int, start: QPointF, end: QPointF) -> tuple[list[Rect], str]:
        sel = self.document.getSelection(index, start, end)
        if not sel.isValid():
            return [], ""
        rects = []
        for poly in sel.bounds():
            r = poly.boundingRect()
            if r.width() > 0 and r.height() > 0:
                rects.append((r.left(), r.top(), r.right(), r.bottom()))
        return rects, sel.text()


class ImageSource(QObject):
    ready = Signal(int)

    def __init__(self, image: QImage, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._image = image

    def sizes(self) -> list[tuple[float, float]]:
        return [(float(self._image.width()), float(self._image.height()))]

    def image(self, index: int, size: QSize) -> tuple[QImage | None, bool]:
        return self._image, True  # drawn scaled: an image has no sharper rendering

    def want(self, pages: list[tuple[int, QSize]]) -> None:
        return None

    def selection(self, index: int, start: QPointF, end: QPointF) -> tuple[list[Rect], str]:
        return [], ""
