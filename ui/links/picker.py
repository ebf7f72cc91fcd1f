"""Choose a highlight by searching: a field (quote, note, tags or document title) over a list of
matching highlights, each shown with its source and page. Used by "Link to highlight…" and by the
event dialog's "Add source…"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ..quoting import quoted
from ..session import Session
from . import ops


def short(text: str, n: int = 160) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= n else flat[:n] + "…"


def highlight_line(row: dict[str, Any]) -> str:
    page = f", p. {row['page']}" if row.get("page") else ""
    tags = f"  [{', '.join(row['tags'])}]" if row.get("tags") else ""
    return f"{quoted(short(row.get('quote') or ''))}\n{row.get('document_title') or ''}{page}{tags}"


class SearchField(QLineEdit):
    """Enter runs the search and goes to the results; it never presses the dialog's default
    button (which would link to whatever happened to be chosen)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.returnPressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class HighlightPicker(QWidget):
    chosen = Signal()  # a highlight was double-clicked or Enter pressed on it
    changed = Signal()  # the current highlight changed

    def __init__(self, session: Session, exclude: set[int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.exclude = set(exclude)
        self.search = SearchField()
        self.search.setPlaceholderText("Search highlights: words of the quote, a tag, a title…")
        self.search.setAccessibleName("Search highlights")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Highlights found")
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(lambda _item: self.chosen.emit())
        self.list.currentItemChanged.connect(lambda *_: self.changed.emit())
        self.count = QLabel("")
        self.count.setObjectName("secondary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count)
        # A search per pause in typing, not per key: each runs on the worker.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._enter)

    def refresh(self) -> None:
        self._timer.stop()
        ops.find_highlights(self.session, self.search.text(), self.exclude, self._found)

    def _enter(self) -> None:
        self.refresh()
        if self.list.count():
            self.list.setFocus()
            if self.list.currentRow() < 0:
                self.list.setCurrentRow(0)

    def _found(self, rows: list[dict[str, Any]]) -> None:
        self.list.clear()
        for row in rows:
            item = QListWidgetItem(highlight_line(row))
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            item.setData(Qt.ItemDataRole.UserRole + 1, row)
            self.list.addItem(item)
        n = len(rows)
        self.count.setText("No highlight matches." if not n else
                           f"{n} highlight{'s' if n != 1 else ''}"
                           + (" (the first shown; type more words)" if n >= ops.FIND_LIMIT
                              else ""))
        if n == 1:
            self.list.setCurrentRow(0)
        self.changed.emit()

    def chosen_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def chosen_row(self) -> dict[str, Any] | None:
        item = self.list.currentItem()
        return None if item is None else dict(item.data(Qt.ItemDataRole.UserRole + 1))
