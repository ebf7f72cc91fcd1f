"""The codebook's one question: which tag? (for "Move to…" and "Merge into…").

A list of tag paths with their colours that filters as you type; for a move it starts with
"(top level)". Tags that cannot be chosen (the tag itself, its own sub-tags) are left out, so
the core's refusal is the rare case rather than the usual one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..sidebar import color_dot

TOP_LEVEL = -1  # the "(top level)" entry's id


class TagPickerDialog(QDialog):
    def __init__(self, title: str, prompt: str, tags: list[dict[str, Any]],
                 exclude: set[int], top_level: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(420, 460)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type to filter…")
        self.filter.setAccessibleName("Filter tags")
        self.filter.textChanged.connect(self._filter)
        self.list = QListWidget()
        self.list.setAccessibleName("Tags")
        if top_level:
            item = QListWidgetItem("(top level)")
            item.setData(Qt.ItemDataRole.UserRole, TOP_LEVEL)
            self.list.addItem(item)
        for t in tags:
            if t["id"] in exclude:
                continue
            item = QListWidgetItem(color_dot(t["color"]), t["path"])
            item.setData(Qt.ItemDataRole.UserRole, t["id"])
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self._enable()
        self.filter.setFocus()

    def _filter(self, text: str) -> None:
        low = text.strip().casefold()
        first: QListWidgetItem | None = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(low) and low not in item.text().casefold())
            if first is None and not item.isHidden():
                first = item
        current = self.list.currentItem()
        if first is not None and (current is None or current.isHidden()):
            self.list.setCurrentItem(first)
        self._enable()

    def _enable(self) -> None:
        current = self.list.currentItem()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(current is not None and not current.isHidden())

    def choose(self, path: str) -> None:
        """Select the entry reading ``path`` (tests, and typing the full path)."""
        for i in range(self.list.count()):
            if self.list.item(i).text() == path:
                self.list.setCurrentRow(i)
                return
        raise KeyError(path)

    def chosen_id(self) -> int | None:
        """The chosen tag's id; None for "(top level)"."""
        current = self.list.currentItem()
        if current is None:
            return None
        value = int(current.data(Qt.ItemDataRole.UserRole))
        return None if value == TOP_LEVEL else value
