"""The "Original" tab: the document as it was collected, beside its reading text.

PDFs and images are shown in the page view (``page_view.py``: zoom, page indicator, highlights
and search hits painted on the page, OCR word boxes on demand, possible failed redactions
outlined with a warning above the page). HTML captures are never rendered (no scripts, no
network): their reading text is in the Text tab, and the original bytes are one click away to
save. What is painted and what a drag on the page does are wired by ``page_highlights.py``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..dialogs.save_as import ask_save_path, saved
from ..elided_label import ElidedLabel
from ..kind_names import kind_phrase
from ..session import Session
from .hint_line import HintLine
from .page_marks import Overlays
from .page_sources import ImageSource, PdfSource, Rect
from .page_toolbar import PageToolbar
from .page_view import PageView
from .xray_banner import XrayBanner


class OriginalView(QWidget):
    xray_found = Signal(int)  # how many possible failed redactions the document has

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName("Original document")
        self.info: dict[str, Any] = {}
        self.path: str | None = None
        self._loaded_for: int | None = None
        self._pending_page: int | None = None
        self._pending_rect: Rect | None = None  # to bring into view on that page
        self._pending_words = ""
        self.pdf_doc: Any = None
        self.pdf_source: PdfSource | None = None
        self.search_model: Any = None
        self.xray: list[dict[str, Any]] = []
        # A dossier edit anywhere (this tab's Redact area…, the builder, another window's
        # change) may add or remove an area on this document's pages.
        session.changed.connect(self._on_changes)
        self.stack = QStackedWidget()
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setObjectName("emptyHint")
        self.page_view = PageView()
        self.toolbar = PageToolbar(self.page_view)
        self.toolbar.words.toggled.connect(self._show_words)
        self.page_view.words_wanted.connect(self._load_words)
        # One line kept for hints, even empty: a hint appearing under the toolbar moved the
        # page down under the mouse just as a selection was made.
        self.idle_hint = ""  # what the line says with nothing selected (set with the tools)
        self.hint = HintLine()  # wraps: the whole hint reads in a narrow pane, never widens it
        pages = QWidget()
        pl = QVBoxLayout(pages)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.setSpacing(2)
        pl.addWidget(self.toolbar)
        pl.addWidget(self.hint)
        pl.addWidget(self.page_view, 1)
        self.stack.addWidget(self.message)  # 0
        self.stack.addWidget(pages)  # 1
        # Short, so the file's caption keeps the row (the tooltip says what is saved).
        self.save_button = QPushButton("Save original…")
        self.save_button.setAccessibleName("Save original bytes")
        self.save_button.setToolTip("Save the original bytes of the file as it was collected, "
                                    "unchanged")
        self.save_button.clicked.connect(self.save_original)
        self.caption = ElidedLabel("")  # a long file name must not widen the viewer pane
        self.caption.setObjectName("secondary")
        self.banner = XrayBanner("Show")
        self.banner.linkActivated.connect(lambda _link: self.show_xray())
        bar = QHBoxLayout()
        bar.addWidget(self.caption, 1)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)

    # --- the document -------------------------------------------------------------------------

    def set_document(self, info: dict[str, Any]) -> None:
        same = (info.get("id") == self.info.get("id")
                and info.get("sha256") == self.info.get("sha256"))
        self.info = info
        name = info.get("original_filename") or ""
        self.caption.setText(f"{name} · {info.get('media_type', '')} · {_size(info.get('size'))}")
        self._load_areas()
        if same:
            return  # a reload after an edit: keep the pages, the place and the zoom
        self.path = None
        self._loaded_for = None
        self._pending_page, self._pending_words, self._pending_rect = None, "", None
        self.page_view.set_source(None)
        self.page_view.overlays = Overlays(show_words=self.toolbar.words.isChecked())
        self.set_hint("")
        self.message.setText("")
        self.stack.setCurrentIndex(0)
        self._set_xray([])
        doc_id = info.get("id")
        if info.get("kind") == "pdf" and doc_id is not None and self.session.has("xray"):
            self.session.query(lambda wb: _xray(wb, doc_id), self._xray_loaded,
                               "check the PDF for failed redactions", lambda _e: None)

    def ensure_loaded(self) -> None:
        """Loads lazily, when the tab is first shown for this document."""
        doc_id = self.info.get("id")
        if doc_id is None or self._loaded_for == doc_id:
            return
        self._loaded_for = doc_id
        kind = self.info.get("kind")
        if kind == "image":
            self.session.query(lambda wb: _decode_image(wb.original_path(doc_id)),
                               self._show_image, "open the original image")
        elif kind == "pdf":
            self.session.query(lambda wb: wb.original_path(doc_id), self._show_pdf,
                               "open the original PDF")
        else:
            self.session.query(lambda wb: wb.original_path(doc_id), self._show_other,
                               "find the original")

    @property
    def loaded(self) -> bool:
        return self.page_view.source is not None and self.page_view.page_count > 0

    def _show_image(self, result: tuple[str, QImage]) -> None:
        self.path, img = result
        if img.isNull():
            self.message.setText("This image cannot be displayed, but its original bytes are "
                                 "kept and can be saved.")
            self.stack.setCurrentIndex(0)
            return
        self._set_source(ImageSource(img, self))

    def _show_pdf(self, path: str) -> None:
        from PySide6.QtPdf import QPdfDocument, QPdfSearchModel

        self.path = path
        if self.pdf_doc is None:
            self.pdf_doc = QPdfDocument(self)
            self.pdf_source = PdfSource(self.pdf_doc, self)
            self.search_model = QPdfSearchModel(self)
            self.search_model.setDocument(self.pdf_doc)
            for signal in (self.search_model.rowsInserted, self.search_model.modelReset):
                signal.connect(self._hits_changed)
        assert self.pdf_source is not None
        self.pdf_doc.load(path)
        if self.pdf_doc.status() != QPdfDocument.Status.Ready or not self.pdf_doc.pageCount():
            self.message.setText("Qt cannot display this PDF (it may be damaged or need a "
                                 "password). Its reading text is in the Text tab, and its "
                                 "original bytes are kept and can be saved.")
            self.stack.setCurrentIndex(0)
            return
        self.pdf_source.reload()
        self._set_source(self.pdf_source)

    def _set_source(self, source: Any) -> None:
        self.page_view.set_source(source)
        self.toolbar.set_page_count(self.page_view.page_count)
        self.stack.setCurrentIndex(1)
        if self._pending_words and self.search_model is not None:
            self.search_model.setSearchString(self._pending_words)
        if self._pending_page and self._pending_rect:
            self.page_view.show_rect(self._pending_page, self._pending_rect)
        elif self._pending_page:
            self.page_view.go_to_page(self._pending_page)
        self._pending_page, self._pending_words, self._pending_rect = None, "", None

    # --- places on the page -------------------------------------------------------------------

    def current_page(self) -> int | None:
        return self.page_view.current + 1 if self.loaded else None

    def show_page(self, page: int) -> None:
        if self.loaded:
            if page != self.page_view.current + 1:
                self.page_view.go_to_page(page)
        else:
            self._pending_page, self._pending_rect = page, None

    def locate(self, words: str, page: int | None) -> None:
        """Shows a search term on the PDF page where Qt can find it."""
        if self.search_model is not None and words and self.loaded:
            self.search_model.setSearchString(words)
        elif words:
            self._pending_words = words
        if page:
            self.show_page(page)

    def _hits_changed(self, *_: object) -> None:
        hits: dict[int, list[tuple[float, float, float, float]]] = {}
        model = self.search_model
        if model is None or not model.searchString():
            return
        for row in range(model.rowCount(model.index(0, 0).parent())):
            link = model.resultAtIndex(row)
            for r in link.rectangles():
                hits.setdefault(link.page() + 1, []).append(
                    (r.left(), r.top(), r.right(), r.bottom()))
        self.page_view.overlays.hits = hits
        self.page_view.refresh()

    def set_hint(self, text: str) -> None:
        self.hint.setText(text or self.idle_hint)

    # --- OCR words ----------------------------------------------------------------------------

    def _show_words(self, on: bool) -> None:
        self.page_view.overlays.show_words = on
        if on:
            self.page_view.reset_words()
        self.page_view.refresh()

    def _load_words(self, page: int) -> None:
        doc_id = self.info.get("id")
        if doc_id is None or not self.session.has("page_words"):
            return
        self.session.query(lambda wb: wb.page_words(doc_id, page),
                           lambda words: self._words_loaded(doc_id, page, words),
                           "read the words on the page")

    def _words_loaded(self, doc_id: int, page: int, words: dict[str, Any]) -> None:
        if doc_id != self.info.get("id"):
            return
        rects = [tuple(w["rect"]) for w in words.get("words") or []]
        self.page_view.overlays.words[page] = _scaled(rects, words, self.page_view, page)
        if not rects and page == self.page_view.current + 1:
            self.set_hint("No OCR words are kept for this page: OCR reads scans and images, "
                          "and this page has text of its own.")
        self.page_view.refresh()

    # --- areas redacted in dossiers -----------------------------------------------------------

    def _on_changes(self, changes: Any) -> None:
        if getattr(changes, "dossiers", False):
            self._load_areas()

    def _load_areas(self) -> None:
        doc_id = self.info.get("id")
        if (doc_id is None or self.info.get("kind") not in ("pdf", "image")
                or not self.session.has("document_areas") or not self.session.is_open):
            self._set_areas(doc_id, [])
            return
        self.session.query(lambda wb: wb.document_areas(doc_id),
                           lambda areas: self._set_areas(doc_id, areas),
                           "show the areas redacted on the page", lambda _e: None)

    def _set_areas(self, doc_id: Any, areas: list[dict[str, Any]]) -> None:
        if doc_id != self.info.get("id"):
            return  # another document was opened meanwhile
        self.page_view.overlays.areas = list(areas)
        self.page_view.refresh()

    # --- possible failed redactions -----------------------------------------------------------

    def _xray_loaded(self, areas: list[dict[str, Any]]) -> None:
        self._set_xray(areas)

    def _set_xray(self, areas: list[dict[str, Any]]) -> None:
        self.xray = list(areas)
        self.page_view.overlays.xray = self.xray
        self.banner.set_areas(self.xray)
        self.page_view.refresh()
        self.xray_found.emit(len(self.xray))

    def show_xray(self) -> None:
        """Shows the first possible failed redaction on its page (once the pages are loaded,
        when they are not yet: the Text tab's banner switches tabs and asks at once)."""
        if self.xray:
            area = self.xray[0]
            b = area["bbox"]
            rect: Rect = (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
            if self.loaded:
                self.page_view.show_rect(int(area["page"]), rect)
            else:
                self._pending_page, self._pending_rect = int(area["page"]), rect

    # --- saving -------------------------------------------------------------------------------

    def save_original(self) -> None:
        doc_id = self.info.get("id")
        if doc_id is None:
            return
        name = self.info.get("original_filename") or f"document-{doc_id}"
        target = ask_save_path(self, "Save original bytes", name)
        if target is not None:
            # The core writes it (checked against its SHA-256, recorded as an export, never
            # into an encrypted library's folder); the folder is remembered once it is there.
            self.session.query(lambda wb: wb.export_original(doc_id, str(target)),
                               self._saved_original, "save the original")

    def _saved_original(self, result: dict[str, Any]) -> None:
        saved(result["path"])
        win = self.window()
        if isinstance(win, QMainWindow):
            win.statusBar().showMessage(
                f"Saved the original ({_size(result['bytes'])}, SHA-256 "
                f"{result['sha256'][:12]}…, as collected) to {result['path']}", 10000)

    def _show_other(self, path: str) -> None:
        self.path = path
        kind = self.info.get("kind", "")
        if kind == "html":
            text = ("Web captures are not rendered here: no scripts run and nothing is fetched "
                    "from the network. Their reading text is in the Text tab; the captured bytes "
                    "are kept unchanged and can be saved with the button above.")
        else:
            text = (f"This {kind_phrase(kind) or 'file'} is shown as reading text in the Text "
                    "tab. The original bytes are kept unchanged and can be saved with the button "
                    "above.")
        self.message.setText(text)
        self.stack.setCurrentIndex(0)


def _scaled(rects: list[Any], words: dict[str, Any], view: PageView,
            page: int) -> list[tuple[float, float, float, float]]:
    """Word boxes in the page view's points (the core measures an image page in its own
    units; a PDF page's sizes agree and nothing changes)."""
    w, h = words.get("width") or 0, words.get("height") or 0
    if not (w and h) or not 0 < page <= view.page_count:
        return [tuple(r) for r in rects]
    vw, vh = view.pages.sizes[page - 1]
    fx, fy = vw / w, vh / h
    return [(r[0] * fx, r[1] * fy, r[2] * fx, r[3] * fy) for r in rects]


def _xray(wb: Any, doc_id: int) -> list[dict[str, Any]]:
    return list(wb.xray(doc_id))  # the check's findings kept at import (no text)


def _decode_image(path: str) -> tuple[str, QImage]:
    return path, QImage(path)  # QImage decoding is thread-safe: done on the worker


def _size(n: Any) -> str:
    if not isinstance(n, int):
        return ""
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
