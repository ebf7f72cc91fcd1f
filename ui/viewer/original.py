"""The "Original" tab: the document as it was collected, beside its reading text.

PDFs are rendered by Qt's PDF module (with Qt's own page search, so a search term is located on
the page); images are shown as images; HTML captures are never rendered (no scripts, no network):
their reading text is in the Text tab, and the original bytes are one click away to save.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..session import Session


class OriginalView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName("Original document")
        self.info: dict[str, Any] = {}
        self.path: str | None = None
        self._loaded_for: int | None = None
        self.pdf_doc: Any = None
        self.pdf_view: Any = None
        self.search_model: Any = None
        self.stack = QStackedWidget()
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setObjectName("emptyHint")
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setAccessibleName("Original image")
        scroll = QScrollArea()
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        self.stack.addWidget(self.message)  # 0
        self.stack.addWidget(scroll)  # 1
        self.save_button = QPushButton("Save original bytes…")
        self.save_button.setAccessibleName("Save original bytes")
        self.save_button.clicked.connect(self.save_original)
        self.caption = QLabel("")
        self.caption.setObjectName("secondary")
        bar = QHBoxLayout()
        bar.addWidget(self.caption, 1)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

    def set_document(self, info: dict[str, Any]) -> None:
        self.info = info
        self.path = None
        self._loaded_for = None
        name = info.get("original_filename") or ""
        self.caption.setText(f"{name} · {info.get('media_type', '')} · {_size(info.get('size'))}")
        self.message.setText("")
        self.stack.setCurrentIndex(0)

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

    def _show_image(self, result: tuple[str, QImage]) -> None:
        self.path, img = result
        if img.isNull():
            self.message.setText("This image cannot be displayed, but its original bytes are "
                                 "kept and can be saved.")
            self.stack.setCurrentIndex(0)
            return
        self.image.setPixmap(QPixmap.fromImage(img))
        self.stack.setCurrentIndex(1)

    def _show_pdf(self, path: str) -> None:
        from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
        from PySide6.QtPdfWidgets import QPdfView

        self.path = path
        if self.pdf_view is None:
            self.pdf_doc = QPdfDocument(self)
            self.pdf_view = QPdfView(self)
            self.pdf_view.setAccessibleName("PDF pages")
            self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.pdf_view.setDocument(self.pdf_doc)
            self.search_model = QPdfSearchModel(self)
            self.search_model.setDocument(self.pdf_doc)
            self.pdf_view.setSearchModel(self.search_model)
            self.stack.addWidget(self.pdf_view)  # 2
        self.pdf_doc.load(path)
        self.stack.setCurrentWidget(self.pdf_view)

    def locate(self, words: str, page: int | None) -> None:
        """Shows a search term on the PDF page where Qt can find it."""
        if self.search_model is not None and words:
            self.search_model.setSearchString(words)
        if self.pdf_view is not None and page:
            self.pdf_view.pageNavigator().jump(page - 1, self.pdf_view.pos().toPointF())

    def _show_other(self, path: str) -> None:
        self.path = path
        kind = self.info.get("kind", "")
        if kind == "html":
            text = ("Web captures are not rendered here: no scripts run and nothing is fetched "
                    "from the network. Their reading text is in the Text tab; the captured bytes "
                    "are kept unchanged and can be saved with the button above.")
        else:
            text = (f"This {kind or 'file'} is shown as reading text in the Text tab. The original "
                    "bytes are kept unchanged and can be saved with the button above.")
        self.message.setText(text)
        self.stack.setCurrentIndex(0)

    def save_original(self) -> None:
        doc_id = self.info.get("id")
        if doc_id is None:
            return
        name = self.info.get("original_filename") or f"document-{doc_id}"
        target, _ = QFileDialog.getSaveFileName(self, "Save original bytes",
                                                str(Path.home() / name))
        if target:
            self.session.query(lambda wb: _copy(wb.original_path(doc_id), target),
                               None, "save the original")


def _decode_image(path: str) -> tuple[str, QImage]:
    return path, QImage(path)  # QImage decoding is thread-safe: done on the worker


def _copy(src: str, dest: str) -> None:
    import shutil

    shutil.copyfile(src, dest)


def _size(n: Any) -> str:
    if not isinstance(n, int):
        return ""
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
