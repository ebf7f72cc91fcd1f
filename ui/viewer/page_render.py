"""Page images for the page view: rendered off the GUI thread, only when wanted, and cached.

Qt's ``QPdfPageRenderer`` in multi-threaded mode renders on its own thread, but it renders every
request it was given, in order: scrolling through 300 pages would queue 300 renders the reader no
longer looks at. So this keeps its own list of wanted pages (the visible ones first, replaced on
every paint) and hands Qt at most ``IN_FLIGHT`` of them at a time; a page scrolled past before its
turn is simply never rendered. Images are kept in a least-recently-used cache with a byte budget;
a page without an image at the current zoom is painted from any other image of it (scaled) until
the sharp one arrives, so zooming shows the page at once. A render is capped at ``MAX_PIXELS``
(beyond it, the image is drawn scaled up): one giant render at 800 % would hold PDFium's lock,
and with it every text selection on the GUI thread, for too long.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions, QPdfPageRenderer

IN_FLIGHT = 2
MAX_PIXELS = 12_000_000  # about 3,000 x 4,000: an A4 page at 400 %
CACHE_BYTES = 192 * 1024 * 1024


def capped_size(width: int, height: int) -> QSize:
    """The size to render a ``width`` x ``height`` page at, within ``MAX_PIXELS``."""
    width, height = max(1, width), max(1, height)
    area = width * height
    if area <= MAX_PIXELS:
        return QSize(width, height)
    f = (MAX_PIXELS / area) ** 0.5
    return QSize(max(1, int(width * f)), max(1, int(height * f)))


class PageRenderer(QObject):
    ready = Signal(int)  # a page index whose image arrived

    def __init__(self, document: QPdfDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._renderer = QPdfPageRenderer(self)
        self._renderer.setRenderMode(QPdfPageRenderer.RenderMode.MultiThreaded)
        self._renderer.setDocument(document)
        self._renderer.pageRendered.connect(self._rendered)
        self._options = QPdfDocumentRenderOptions()
        # The page as a reader of the file sees it, annotations included (a box drawn as an
        # annotation over a name is part of what the viewer must show).
        self._options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
        self._cache: OrderedDict[tuple[int, int, int], QImage] = OrderedDict()
        self._bytes = 0
        self._wanted: list[tuple[int, QSize]] = []
        self._in_flight: dict[int, tuple[int, int, int]] = {}  # request id -> key
        self.generation = 0  # bumped by clear(): answers for an older document are dropped

    def clear(self) -> None:
        self._cache.clear()
        self._bytes = 0
        self._wanted = []
        self._in_flight.clear()
        self.generation += 1

    @property
    def busy(self) -> bool:
        return bool(self._in_flight or self._wanted)

    # --- asking -------------------------------------------------------------------------------

    def image(self, index: int, size: QSize) -> tuple[QImage | None, bool]:
        """The best image of page ``index`` for ``size`` device pixels, and whether it is sharp
        (rendered at this size, or at the cap for a larger one)."""
        target = capped_size(size.width(), size.height())
        key = (index, target.width(), target.height())
        img = self._cache.get(key)
        if img is not None:
            self._cache.move_to_end(key)
            return img, True
        best: QImage | None = None
        for (page, w, _h), other in self._cache.items():
            if page == index and (best is None or abs(w - target.width())
                                  < abs(best.width() - target.width())):
                best = other
        return best, False

    def want(self, pages: list[tuple[int, QSize]]) -> None:
        """Replaces the wish list (most wanted first) and starts what it can."""
        wanted = []
        for index, size in pages:
            target = capped_size(size.width(), size.height())
            key = (index, target.width(), target.height())
            if key not in self._cache and key not in self._in_flight.values():
                wanted.append((index, target))
        self._wanted = wanted
        self._pump()

    def _pump(self) -> None:
        while self._wanted and len(self._in_flight) < IN_FLIGHT:
            index, size = self._wanted.pop(0)
            rid = self._renderer.requestPage(index, size, self._options)
            self._in_flight[rid] = (index, size.width(), size.height())

    def _rendered(self, page: int, size: QSize, image: QImage, _options: object,
                  request_id: int) -> None:
        key = self._in_flight.pop(request_id, None)
        if key is not None and not image.isNull():
            self._store(key, image)
            self.ready.emit(page)
        self._pump()

    def _store(self, key: tuple[int, int, int], image: QImage) -> None:
        self._cache[key] = image
        self._bytes += image.sizeInBytes()
        while self._bytes > CACHE_BYTES and len(self._cache) > 1:
            _k, old = self._cache.popitem(last=False)
            self._bytes -= old.sizeInBytes()
