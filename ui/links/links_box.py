"""The selected highlight's links, under the viewer's Highlights list: each link's relation,
the other source and its quote (and the private note); open the other highlight, unlink, or
link the selected highlight to another one (“Link to highlight…”)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..delete_key import claim_delete_key
from ..flow_layout import FlowLayout
from ..quoting import quoted
from . import ops
from .picker import short

LINK_ROLE = Qt.ItemDataRole.UserRole


def link_line(link: dict[str, Any]) -> str:
    other = link.get("other") or {}
    page = f", p. {other['page']}" if other.get("page") else ""
    text = (f"{ops.RELATION_TEXT.get(link['relation'], link['relation']).capitalize()}: "
            f"{quoted(short(other.get('quote') or '', 140))}\n{other.get('title') or ''}{page}")
    if link.get("note"):
        text += f"\n✎ {link['note']} (private)"
    return text


class LinksList(QListWidget):
    """Enter opens the other highlight (Delete unlinks: ``claim_delete_key`` in the box)."""

    open_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.currentItem() is not None and event.key() in (Qt.Key.Key_Return,
                                                               Qt.Key.Key_Enter):
            self.open_pressed.emit()
            return
        super().keyPressEvent(event)


class LinksBox(QWidget):
    link_requested = Signal()
    open_requested = Signal(dict)  # the link
    unlink_requested = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Links of the selected highlight")
        self.highlight_id: int | None = None
        self.title = QLabel("Links")
        self.title.setObjectName("secondary")
        # Wrapped, so its sentence never sets the viewer's width: unwrapped, the box showing
        # with a document's first highlight widened the viewer and the text view rewrapped
        # under the reader (test_saving_a_highlight_keeps_the_reading_position).
        self.title.setWordWrap(True)
        self.list = LinksList()
        self.list.setAccessibleName("Links of the selected highlight")
        self.list.setWordWrap(True)
        # Each link's lines wrap to the pane's width instead of scrolling sideways.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setToolTip("Enter opens the other highlight; Delete unlinks")
        self.list.itemDoubleClicked.connect(lambda _i: self._open())
        self.list.open_pressed.connect(self._open)
        claim_delete_key(self.list, self._unlink)
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        self.link_button = QPushButton("Link to highlight…")
        self.link_button.setToolTip("Link the selected highlight to another as corroborating, "
                                    "contradicting or about the same event")
        self.link_button.clicked.connect(self.link_requested)
        self.open_button = QPushButton("Open")
        self.open_button.setToolTip("Open the other highlight")
        self.open_button.clicked.connect(self._open)
        self.unlink_button = QPushButton("Unlink")
        self.unlink_button.clicked.connect(self._unlink)
        # A row that wraps at a large text size rather than cutting the buttons' text.
        self.buttons = FlowLayout(spacing=4)
        for button in (self.link_button, self.open_button, self.unlink_button):
            self.buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addLayout(self.buttons)
        self.set_links(None, [])

    def set_links(self, highlight_id: int | None, links: list[dict[str, Any]]) -> None:
        self.highlight_id = highlight_id
        self.list.clear()
        for link in links:
            item = QListWidgetItem(link_line(link))
            item.setData(LINK_ROLE, link)
            self.list.addItem(item)
        n = len(links)
        if highlight_id is None:
            self.title.setText("Links: select a highlight above to see and make its links")
        else:
            self.title.setText(f"Links of the selected highlight ({n})" if n else
                               "Links of the selected highlight: none yet")
        self.list.setVisible(n > 0)
        self._enable()

    def current_link(self) -> dict[str, Any] | None:
        item = self.list.currentItem()
        return None if item is None else dict(item.data(LINK_ROLE))

    def _enable(self) -> None:
        self.link_button.setEnabled(self.highlight_id is not None)
        has = self.current_link() is not None
        self.open_button.setEnabled(has)
        self.unlink_button.setEnabled(has)

    def _open(self) -> None:
        link = self.current_link()
        if link is not None:
            self.open_requested.emit(link)

    def _unlink(self) -> None:
        link = self.current_link()
        if link is not None:
            self.unlink_requested.emit(link)
