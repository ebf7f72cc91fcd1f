"""Find in document (Ctrl+F): a query field, match count, previous/next; Escape closes it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from .text_view import TextView


class FindBar(QWidget):
    def __init__(self, view: TextView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setObjectName("findBar")
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find in document")
        self.field.setAccessibleName("Find in document")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self._search)
        self.field.returnPressed.connect(lambda: self._step(1))
        self.count = QLabel("")
        self.count.setObjectName("secondary")
        self.count.setMinimumWidth(90)
        prev = QToolButton(text="▲", toolTip="Previous match (Shift+Enter)")
        prev.setAccessibleName("Previous match")
        prev.clicked.connect(lambda: self._step(-1))
        nxt = QToolButton(text="▼", toolTip="Next match (Enter)")
        nxt.setAccessibleName("Next match")
        nxt.clicked.connect(lambda: self._step(1))
        close = QToolButton(text="✕", toolTip="Close (Esc)")
        close.setAccessibleName("Close find bar")
        close.clicked.connect(self.close_bar)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.field, 1)
        row.addWidget(self.count)
        row.addWidget(prev)
        row.addWidget(nxt)
        row.addWidget(close)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        cur = self.view.textCursor()
        if cur.hasSelection() and len(cur.selectedText()) < 80:
            self.field.setText(cur.selectedText())
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.field.clear()
        self.hide()
        self.view.setFocus()

    def _search(self, text: str) -> None:
        n = self.view.find_all(text)
        self._update_count(n)

    def _step(self, step: int) -> None:
        self.view.find_step(step)
        self._update_count(len(self.view.find_matches))

    def _update_count(self, n: int) -> None:
        if not self.field.text():
            self.count.setText("")
        elif n == 0:
            self.count.setText("No matches")
        else:
            self.count.setText(f"{self.view.find_current + 1} of {n}")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
        elif (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
              and event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self._step(-1)
        else:
            super().keyPressEvent(event)
