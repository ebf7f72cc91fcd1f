"""The viewer pane: a header, then tabs for the reading text, the original and the record.

It loads a document on the worker (``show_document`` + ``document_text`` + highlights when the
core offers them) and shows it; highlight creation and editing live in ``viewer/highlights.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..elided_label import ElidedLabel
from ..kind_names import kind_name
from ..session import Session
from .direction import follow_text_direction
from .find_bar import FindBar
from .original import OriginalView
from .record import RecordView
from .text_view import TextView
from .xray_banner import XrayBanner


class DocumentViewer(QWidget):
    loaded = Signal(int)  # document id, after text and highlights are shown

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName("Document viewer")
        self.doc_id: int | None = None
        self.info: dict[str, Any] = {}
        self.text_info: Any = None
        self._pending_mark: tuple[int, int, str] | None = None
        self._loading: int | None = None  # the document being fetched on the worker
        self.extra_loaders: list[Callable[[Any, int], Any]] = []  # worker-side add-ons
        self.on_extras: list[Callable[[Any], None]] = []  # GUI-side, same order

        # One line each, elided: a long web-page title or source must never widen the pane and
        # squeeze the sidebar (the whole text is in the tooltip, and in the Record tab).
        self.title = ElidedLabel("")
        self.title.setObjectName("viewerTitle")
        self.meta = ElidedLabel("")
        self.meta.setObjectName("secondary")
        # No "Record" button here: it repeated the Record tab and took the title's room.
        self.header_buttons = QHBoxLayout()
        self.header_buttons.setSpacing(6)
        head_row = QHBoxLayout()
        head_text = QVBoxLayout()
        head_text.setSpacing(2)
        head_text.addWidget(self.title)
        head_text.addWidget(self.meta)
        head_row.addLayout(head_text, 1)
        head_row.addLayout(self.header_buttons)

        self.text = TextView()
        follow_text_direction(self.text)  # right-to-left paragraphs right-aligned
        self.find_bar = FindBar(self.text)
        # The Text tab shows the very text a box on the page hides: it warns too.
        self.text_banner = XrayBanner("Show on the page")
        self.text_banner.linkActivated.connect(lambda _link: self.show_xray())
        text_page = QWidget()
        tl = QVBoxLayout(text_page)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setSpacing(4)  # (between the widgets shown: the banner and the find bar come and go)
        tl.addWidget(self.text_banner)
        tl.addWidget(self.find_bar)
        tl.addWidget(self.text, 1)
        self.original = OriginalView(session)
        self.record = RecordView(session)
        # The file an item was found in, an e-mail's attachments: opened here, on the Record
        # tab still, so a reader follows where a document came from one link at a time.
        self.record.open_requested.connect(lambda doc_id: self.open_document(doc_id))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Viewer tabs")
        self.tabs.setDocumentMode(True)
        # The arrows a narrow pane gives the tab bar are for the mouse (the keyboard changes
        # tabs with the arrow keys): as Tab stops they came between the tabs and their page.
        for arrow in self.tabs.tabBar().findChildren(QToolButton):
            arrow.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.text_page = text_page
        self._last_tab: QWidget | None = text_page
        # The reader chose the Original tab and a document without pages (a web capture, a
        # text) showed its Text tab instead: the next PDF or image opens on its pages again.
        self._pages_wanted = False
        self._switching = False  # a tab change made here, not by the reader
        self.tabs.addTab(text_page, "Text")
        self.tabs.addTab(self.original, "Original")
        self.tabs.addTab(self.record, "Record")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.original.xray_found.connect(self._xray_found)

        content = QWidget()
        cl = QVBoxLayout(content)
        cl.setContentsMargins(16, 12, 16, 8)
        cl.setSpacing(8)
        cl.addLayout(head_row)
        cl.addWidget(self.tabs, 1)

        self.placeholder = QLabel("Select a document to read it here.\n\n"
                                  "Search with Ctrl+K; select text and press H to highlight.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setObjectName("emptyHint")
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

    def show_record(self) -> None:
        self.tabs.setCurrentWidget(self.record)

    # --- loading ------------------------------------------------------------------------------

    def open_document(self, doc_id: int, mark: tuple[int, int, str] | None = None) -> None:
        """Loads on the worker; ``mark`` = (start, end, words) scrolls to and marks a hit."""
        if doc_id == self.doc_id and self.text_info is not None:
            if mark:
                self._apply_mark(mark)
            return
        self._pending_mark = mark
        if doc_id == self._loading:
            return  # already on its way (a click on a row also makes it current: one load)
        self._loading = doc_id
        loaders = list(self.extra_loaders)

        def work(wb: Any) -> tuple[dict[str, Any], Any, list[Any]]:
            info = wb.show_document(doc_id)
            try:
                text = wb.document_text(doc_id)
            except Exception:  # a document without a text layer still has a record and original
                text = None
            return info, text, [load(wb, doc_id) for load in loaders]

        self.session.query(work, self._show, "open the document", self._load_failed)

    def reload(self) -> None:
        if self.doc_id is not None:
            doc_id, self.doc_id = self.doc_id, None
            self.open_document(doc_id)

    def _load_failed(self, exc: BaseException) -> None:
        self._loading = None
        self.session.presenter.show(exc, "open the document")

    def clear(self) -> None:
        self.doc_id, self.info, self.text_info, self._loading = None, {}, None, None
        self.stack.setCurrentIndex(0)

    def _show(self, result: tuple[dict[str, Any], Any, list[Any]]) -> None:
        info, text, extras = result
        if self._loading not in (None, info["id"]):
            return  # another document was asked for meanwhile; its answer follows
        self._loading = None
        self.doc_id, self.info, self.text_info = info["id"], info, text
        self.title.setText(info.get("title") or info.get("original_filename") or "Untitled")
        self.meta.setText(_meta_line(info))
        if text is not None:
            self.text.set_text(text.text, text.pages, key=info["id"])  # same doc: keeps place
        else:
            self.text.set_text("(This document has no text layer.)", [])
        self.original.set_document(info)
        self.record.set_document(info)
        for apply, extra in zip(self.on_extras, extras, strict=False):
            apply(extra)
        self.stack.setCurrentIndex(1)
        self._tab_for(info.get("kind") in PAGED_KINDS)
        if self.tabs.currentWidget() is self.original:
            self.original.ensure_loaded()
        if self._pending_mark:
            self._apply_mark(self._pending_mark)
            self._pending_mark = None
        self.loaded.emit(self.doc_id)

    def _apply_mark(self, mark: tuple[int, int, str]) -> None:
        start, end, words = mark
        self.tabs.setCurrentIndex(0)
        self.text.mark(start, end)
        page = self.text_info.page_of(start) if self.text_info is not None else None
        self.original.locate(words, page)

    def _xray_found(self, areas: int) -> None:
        # Seen from the Text tab too: the import's warning is about the original's pages.
        # (The areas the Original tab fetched: one query per document.)
        self.text_banner.set_areas(self.original.xray)
        i = self.tabs.indexOf(self.original)
        self.tabs.setTabText(i, "Original ⚠" if areas else "Original")
        self.tabs.setTabToolTip(i, "Text may lie hidden under boxes drawn on the pages: see "
                                   "the outlined areas" if areas else "")

    def show_xray(self) -> None:
        """The Text tab's "Show on the page": the Original tab at the first area, outlined."""
        self.tabs.setCurrentWidget(self.original)  # (which first follows the text's page)
        self.original.show_xray()

    def _tab_for(self, paged: bool) -> None:
        """The Original tab only for a document with pages to show; its notice for the others
        (their original is not rendered) read as an empty document when switching to one."""
        current = self.tabs.currentWidget()
        target = None
        if current is self.original and not paged:
            target, self._pages_wanted = self.text_page, True
        elif current is self.text_page and paged and self._pages_wanted:
            target = self.original
        if target is not None:
            self._switching = True
            try:
                self.tabs.setCurrentWidget(target)
            finally:
                self._switching = False

    def _tab_changed(self, index: int) -> None:
        if not self._switching:
            self._pages_wanted = False  # the reader's own choice from now on
        # The Text and Original tabs stay on one page: each opens where the other was.
        was, self._last_tab = self._last_tab, self.tabs.widget(index)
        if self.tabs.widget(index) is self.original:
            self.original.ensure_loaded()
            page = self.text.visible_page() if was is self.text_page else None
            if page:
                self.original.show_page(page)
        elif self.tabs.widget(index) is self.text_page and was is self.original:
            page = self.original.current_page()
            if page:
                self.text.scroll_to_page(page)


PAGED_KINDS = ("pdf", "image")  # what the Original tab draws as pages


def _meta_line(info: dict[str, Any]) -> str:
    parts = [kind_name(str(info.get("kind") or ""))]
    pages = info.get("pages")
    if pages:
        parts.append(f"{pages} page{'s' if pages != 1 else ''}")
    if info.get("site"):
        parts.append(str(info["site"]))
    if info.get("published"):
        parts.append(f"published {info['published']}")
    if info.get("imported_at"):
        parts.append(f"imported {str(info['imported_at'])[:10]}")
    if info.get("status") and info["status"] != "ok":
        parts.append({"problems": "imported with problems", "no_text": "no text"}.get(
            info["status"], info["status"]))
    return " · ".join(p for p in parts if p)
