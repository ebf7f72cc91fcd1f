"""The documents linked to the chosen entity (about them, by them…), under its names on the
Entities page: each one's title, opened by Enter or a double-click, and unlinked by "Unlink…"
or the Delete key. The panel asks before unlinking and runs the change (``ops.unlink_document``);
this widget only shows the rows and says what the user asked for.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..delete_key import claim_delete_key

DOC = Qt.ItemDataRole.UserRole
ROWS_SHOWN = 2  # the mentions below keep their room (1024x700 too); more rows scroll


class LinkedDocuments(QWidget):
    unlink_requested = Signal(int, str)  # document id, title
    open_requested = Signal(int)  # document id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Documents linked to the entity")
        self.title = QLabel("Linked documents: none")
        self.title.setObjectName("secondary")
        self.title.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Documents linked to the entity")
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        # A long title is cut with "…" (whole in its tooltip): a sideways scroll bar would take
        # the height of the rows it is measured for.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list.itemActivated.connect(lambda item: self.open_requested.emit(int(item.data(DOC))))
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        claim_delete_key(self.list, self.unlink_current)
        self.unlink_button = QPushButton("&Unlink…")
        self.unlink_button.setToolTip("Remove the chosen document's link to this entity "
                                      "(the document stays in the library)")
        self.unlink_button.clicked.connect(self.unlink_current)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.title, 1)
        head.addWidget(self.unlink_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(head)
        layout.addWidget(self.list)
        self.set_documents([])

    def set_documents(self, documents: list[dict[str, Any]]) -> None:
        keep = self.current()
        self.list.clear()
        for d in documents:
            title = d.get("title") or f"Document {d['document_id']}"
            item = QListWidgetItem(title, self.list)
            item.setData(DOC, int(d["document_id"]))
            item.setToolTip(title)
            if keep is not None and int(d["document_id"]) == keep[0]:
                self.list.setCurrentItem(item)
        n = len(documents)
        self.title.setText(f"Linked documents ({n})" if n else
                           "Linked documents: none (Link open document links the one you read)")
        self.list.setVisible(bool(n))
        self.unlink_button.setVisible(bool(n))
        if n:
            # Measured once the theme's style sheet (row padding) applies: a list not yet
            # polished measures its rows short, and the last one showed cut under a scroll bar.
            self.list.ensurePolished()
            rows = sum(self.list.sizeHintForRow(r) for r in range(min(n, ROWS_SHOWN)))
            self.list.setFixedHeight(rows + 2 * self.list.frameWidth())
        self._enable()

    def current(self) -> tuple[int, str] | None:
        item = self.list.currentItem()
        return None if item is None else (int(item.data(DOC)), item.text())

    def unlink_current(self) -> None:
        chosen = self.current()
        if chosen is not None:
            self.unlink_requested.emit(*chosen)

    def _enable(self) -> None:
        self.unlink_button.setEnabled(self.current() is not None)
