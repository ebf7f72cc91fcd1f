"""Create or edit a highlight: the quote, a tag picker that filters as you type, and a note.

The picker lists every tag path with its colour; typing filters it; Enter ticks the only match,
or, when nothing matches, adds the typed path as a new tag (the core creates it on save).
In edit mode a Delete button removes the highlight (after the caller confirms).
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
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..sidebar import color_dot


class HighlightDialog(QDialog):
    DELETE = 2  # done() code when the user asked to delete

    def __init__(self, quote: str, tags: list[dict[str, Any]], chosen: list[str] | None = None,
                 note: str = "", editing: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit highlight" if editing else "New highlight")
        self.setAccessibleName(self.windowTitle())
        self.resize(480, 520)
        q = quote if len(quote) < 400 else quote[:400] + "…"
        self.quote = QLabel(f"“{q}”")
        self.quote.setWordWrap(True)
        self.quote.setObjectName("quote")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type to filter tags, Enter to pick or create…")
        self.filter.setAccessibleName("Filter tags")
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self._enter)
        self.tag_list = QListWidget()
        self.tag_list.setAccessibleName("Tags")
        chosen_set = set(chosen or [])
        for tag in tags:
            self._add_tag_item(tag["path"], tag.get("color") or "#f5d742",
                               tag["path"] in chosen_set)
        for path in chosen_set - {t["path"] for t in tags}:
            self._add_tag_item(path, "#f5d742", True)
        self.note = QPlainTextEdit(note)
        self.note.setPlaceholderText("Note (optional)")
        self.note.setAccessibleName("Note")
        self.note.setFixedHeight(90)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        if editing:
            delete = QPushButton("Delete highlight")
            delete.setAccessibleName("Delete highlight")
            delete.clicked.connect(lambda: self.done(self.DELETE))
            buttons.addButton(delete, QDialogButtonBox.ButtonRole.DestructiveRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.quote)
        layout.addWidget(QLabel("Tags"))
        layout.addWidget(self.filter)
        layout.addWidget(self.tag_list, 1)
        layout.addWidget(QLabel("Note"))
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.filter.setFocus()

    def _add_tag_item(self, path: str, color: str, checked: bool) -> QListWidgetItem:
        item = QListWidgetItem(color_dot(color), path)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.tag_list.addItem(item)
        return item

    def _filter(self, text: str) -> None:
        low = text.strip().casefold()
        for i in range(self.tag_list.count()):
            item = self.tag_list.item(i)
            item.setHidden(bool(low) and low not in item.text().casefold())

    def visible_tags(self) -> list[str]:
        return [self.tag_list.item(i).text() for i in range(self.tag_list.count())
                if not self.tag_list.item(i).isHidden()]

    def _enter(self) -> None:
        text = self.filter.text().strip().strip("/")
        if not text:
            self.accept()
            return
        visible = [self.tag_list.item(i) for i in range(self.tag_list.count())
                   if not self.tag_list.item(i).isHidden()]
        exact = [i for i in visible if i.text().casefold() == text.casefold()]
        target = exact[0] if exact else visible[0] if len(visible) == 1 else None
        if target is None:
            target = self._add_tag_item(text, "#f5d742", False)
        target.setCheckState(Qt.CheckState.Checked)
        self.filter.clear()

    def pick(self, path: str) -> None:
        """Type ``path`` and press Enter, as a user would (tests use this for any script)."""
        self.filter.setText(path)
        self._enter()

    def chosen_tags(self) -> list[str]:
        return [self.tag_list.item(i).text() for i in range(self.tag_list.count())
                if self.tag_list.item(i).checkState() == Qt.CheckState.Checked]

    def note_text(self) -> str:
        return self.note.toPlainText().strip()
