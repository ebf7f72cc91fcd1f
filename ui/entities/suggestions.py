"""Names the library suggests for the register, for the user to confirm or dismiss.

The core proposes capitalised names found in several documents, names already grouped as
aliases and tag names that look like names (``entity_suggestions``, registered names left
out). "Register…" opens the entity dialog filled with the name and the kind guessed;
"Dismiss" hides a suggestion in this library for good. The core keeps no "dismissed" record
(the register holds only what the user confirmed), so the dismissed names are remembered in
the window's settings, per library.
"""

from __future__ import annotations

import hashlib
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..delete_key import claim_delete_key
from .dialogs import kind_label

SOURCES = {"capitalised": "capitalised in the texts", "alias-group": "an alias group",
           "tag": "a tag"}
ROW = Qt.ItemDataRole.UserRole


def _key(library: str) -> str:
    return "entities/dismissed/" + hashlib.blake2b(library.encode(), digest_size=8).hexdigest()


def dismissed(library: str) -> set[str]:
    value: Any = QSettings().value(_key(library), [])
    if isinstance(value, str):  # QSettings returns a one-item list as its string
        value = [value]
    return {str(v) for v in value or []}


def dismiss(library: str, name: str) -> None:
    QSettings().setValue(_key(library), sorted(dismissed(library) | {name}))


class SuggestionsView(QWidget):
    register_requested = Signal(dict)  # the suggestion (name, kind_guess, ...)
    dismissed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Suggested entities")
        self.library = ""
        intro = QLabel("Names found in the library that are not in the register yet. "
                       "Register the ones that are people, organisations or places.")
        intro.setWordWrap(True)
        intro.setObjectName("secondary")
        self.table = QTreeWidget()
        # Delete dismisses the chosen suggestion, not the reader's document (Edit menu).
        claim_delete_key(self.table, self.dismiss_current)
        self.table.setAccessibleName("Suggestions")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels(["Name", "Kind", "Documents", "Found as"])
        self.table.setColumnWidth(0, 240)
        self.table.itemActivated.connect(lambda *_: self.register_current())
        self.table.currentItemChanged.connect(lambda *_: self._enable())
        self.register_button = QPushButton("&Register…")
        self.register_button.setToolTip("Add this name to the register (you choose its kind "
                                        "and its other names)")
        self.register_button.clicked.connect(self.register_current)
        self.dismiss_button = QPushButton("D&ismiss")
        self.dismiss_button.setToolTip("Not an entity: stop suggesting it in this library")
        self.dismiss_button.clicked.connect(self.dismiss_current)
        self.empty = QLabel("")
        self.empty.setObjectName("secondary")
        row = QHBoxLayout()
        row.addWidget(self.register_button)
        row.addWidget(self.dismiss_button)
        row.addWidget(self.empty, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.rows: list[dict[str, Any]] = []
        self._enable()

    def set_suggestions(self, rows: list[dict[str, Any]]) -> None:
        hidden = dismissed(self.library) if self.library else set()
        self.rows = [r for r in rows if r["name"] not in hidden]
        self.table.clear()
        for r in self.rows:
            item = QTreeWidgetItem(self.table, [
                r["name"], kind_label(r.get("kind_guess") or "other"),
                str(r.get("documents", 0)), SOURCES.get(r.get("source", ""), r.get("source", ""))])
            item.setData(0, ROW, r)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.empty.setText("" if self.rows else "No suggestions: the library's names are "
                                                "registered or dismissed.")
        first = self.table.topLevelItem(0)
        if first is not None:
            self.table.setCurrentItem(first)
        self._enable()

    def current(self) -> dict[str, Any] | None:
        item = self.table.currentItem()
        return dict(item.data(0, ROW)) if item is not None else None

    def _enable(self) -> None:
        on = self.table.currentItem() is not None
        self.register_button.setEnabled(on)
        self.dismiss_button.setEnabled(on)

    def register_current(self) -> None:
        row = self.current()
        if row is not None:
            self.register_requested.emit(row)

    def dismiss_current(self) -> None:
        item = self.table.currentItem()
        if item is None:
            return
        name = item.data(0, ROW)["name"]
        if self.library:
            dismiss(self.library, name)
        index = self.table.indexOfTopLevelItem(item)
        self.table.takeTopLevelItem(index)
        self.rows = [r for r in self.rows if r["name"] != name]
        self.dismissed.emit(name)
        self._enable()
