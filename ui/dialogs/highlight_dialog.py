"""Create or edit a highlight: the quote, a tag picker that filters as you type, and a note.

The picker lists every tag path with its colour; typing filters it. Enter in the tag field adds
the typed tag and stays in the field for another: it ticks an exact (case-insensitive) match or
the only match left, and otherwise adds the typed path as a new tag (the core creates it on
save). Text still in the field when the user saves or tabs on to the note is added the same way,
and a hint under the field says so as they type; text that only served to filter the list (a tag
was ticked from it since) is left alone. Down enters the list (Space ticks). Enter elsewhere,
Ctrl+Enter anywhere and the Save button save. In edit mode a Delete button removes the highlight
(after the caller confirms).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
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

from ..operations.highlights import new_tag_colors
from ..quoting import quoted
from ..sidebar import color_dot

NEW_TAG_COLOR = "#f5d742"  # a listed tag without a colour of its own


class HighlightDialog(QDialog):
    DELETE = 2  # done() code when the user asked to delete

    def __init__(self, quote: str, tags: list[dict[str, Any]], chosen: list[str] | None = None,
                 note: str = "", editing: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit highlight" if editing else "New highlight")
        self.setAccessibleName(self.windowTitle())
        self.resize(480, 520)
        # True once a listed tag was ticked while the field held its text: that text was a filter
        self._typed_used = False
        q = quote if len(quote) < 400 else quote[:400] + "…"
        self.quote = QLabel(quoted(q))
        self.quote.setWordWrap(True)
        self.quote.setObjectName("quote")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type to filter tags, Enter to pick or create…")
        self.filter.setAccessibleName("Filter tags")
        self.filter.textChanged.connect(self._filter)
        self.filter.installEventFilter(self)
        self.hint = QLabel("")
        self.hint.setObjectName("secondary")
        self.hint.setAccessibleName("What the typed tag will do")
        self.tag_list = QListWidget()
        self.tag_list.setAccessibleName("Tags")
        # In the empty list's place until the first tag: how to make one.
        self.no_tags = QLabel("No tags yet. Type a name above and press Enter to create the "
                              "first one; a / makes a sub-tag (Abuses/Detention).")
        self.no_tags.setObjectName("emptyHint")
        self.no_tags.setWordWrap(True)
        self.no_tags.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._tags = tags
        chosen_set = set(chosen or [])
        for tag in tags:
            self._add_tag_item(tag["path"], tag.get("color") or NEW_TAG_COLOR,
                               tag["path"] in chosen_set)
        for path in chosen_set - {t["path"] for t in tags}:
            self._add_tag_item(path, NEW_TAG_COLOR, True)
        self._color_new_tags()
        self.tag_list.itemChanged.connect(self._ticked)
        self.note = QPlainTextEdit(note)
        self.note.setPlaceholderText("Note (optional)")
        self.note.setAccessibleName("Note")
        self.note.setFixedHeight(90)
        self.note.setTabChangesFocus(True)  # a tab character in a note is never what was meant
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        if editing:
            delete = QPushButton("Delete highlight")
            delete.setAccessibleName("Delete highlight")
            delete.clicked.connect(lambda: self.done(self.DELETE))
            buttons.addButton(delete, QDialogButtonBox.ButtonRole.DestructiveRole)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.quote)
        layout.addWidget(QLabel("Tags"))
        layout.addWidget(self.filter)
        layout.addWidget(self.hint)
        layout.addWidget(self.tag_list, 1)
        layout.addWidget(self.no_tags, 1)
        self._empty_state()
        layout.addWidget(QLabel("Note"))
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        # Tab: tag field → note → buttons → tag list, so Shift+Tab from the field reaches the list
        chain: list[QWidget] = [self.filter, self.note, *buttons.buttons(), self.tag_list]
        for a, b in pairwise(chain):
            QWidget.setTabOrder(a, b)
        self.filter.setFocus()

    def _add_tag_item(self, path: str, color: str, checked: bool) -> QListWidgetItem:
        item = QListWidgetItem(color_dot(color), path)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.tag_list.addItem(item)
        if hasattr(self, "no_tags"):
            self._empty_state()
        return item

    def _empty_state(self) -> None:
        empty = self.tag_list.count() == 0
        self.tag_list.setVisible(not empty)
        self.no_tags.setVisible(empty)

    def _color_new_tags(self) -> None:
        """Paints each tag not yet in the library in the colour the core will give it (a new
        top-level tag the next unused palette colour, a sub-tag its parent's), not all yellow.
        Ticked ones first, in list order: the order in which saving creates them."""
        known = {t["path"] for t in self._tags}
        new = [self.tag_list.item(i) for i in range(self.tag_list.count())
               if self.tag_list.item(i).text() not in known]
        new.sort(key=lambda item: item.checkState() != Qt.CheckState.Checked)  # stable
        colors = new_tag_colors(self._tags, [item.text() for item in new])
        self.tag_list.blockSignals(True)  # an icon change is not a tick
        for item in new:
            item.setIcon(color_dot(colors.get(item.text(), NEW_TAG_COLOR)))
        self.tag_list.blockSignals(False)

    # --- the tag field --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key, mods = event.key(), event.modifiers()
            if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
                return False  # Ctrl+Enter is the save shortcut; Alt+… are mnemonics
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # consumed here: passed on, the dialog's default button would save as well
                self._enter()
                return True
            if key == Qt.Key.Key_Tab:
                self._add_typed()  # then Qt moves on to the note
            elif key == Qt.Key.Key_Down and self._enter_list():
                return True
        return super().eventFilter(watched, event)

    def _filter(self, text: str) -> None:
        self._typed_used = False
        low = text.strip().casefold()
        for i in range(self.tag_list.count()):
            item = self.tag_list.item(i)
            item.setHidden(bool(low) and low not in item.text().casefold())
        self._update_hint()

    def _ticked(self, _item: QListWidgetItem) -> None:
        if self.filter.text().strip():
            self._typed_used = True
        self._color_new_tags()  # what is ticked decides which new tags are made, in what order
        self._update_hint()

    def visible_tags(self) -> list[str]:
        return [self.tag_list.item(i).text() for i in range(self.tag_list.count())
                if not self.tag_list.item(i).isHidden()]

    def _typed(self) -> tuple[str, QListWidgetItem | None] | None:
        """The typed path and the listed tag it stands for (None: a new tag); None if empty."""
        text = self.filter.text().strip().strip("/")
        if not text:
            return None
        visible = [self.tag_list.item(i) for i in range(self.tag_list.count())
                   if not self.tag_list.item(i).isHidden()]
        exact = [i for i in visible if i.text().casefold() == text.casefold()]
        return text, exact[0] if exact else visible[0] if len(visible) == 1 else None

    def _update_hint(self) -> None:
        typed = self._typed()
        if typed is None:
            self.hint.setText("")
            return
        text, item = typed
        keys = "Enter" if self._typed_used else "Enter or Save"
        if item is None:
            self.hint.setText(f"{keys} adds the new tag “{text}”")
        elif item.checkState() == Qt.CheckState.Checked:
            self.hint.setText(f"“{item.text()}” is ticked")
        else:
            self.hint.setText(f"{keys} adds “{item.text()}”")

    def _apply_typed(self) -> None:
        typed = self._typed()
        if typed is not None:
            text, item = typed
            if item is None:
                item = self._add_tag_item(text, NEW_TAG_COLOR, False)
            item.setCheckState(Qt.CheckState.Checked)
        self.filter.clear()

    def _add_typed(self) -> None:
        """Save and Tab: the typed tag, unless the text was only used to filter the list."""
        if not self._typed_used:
            self._apply_typed()

    def _enter(self) -> None:
        if self._typed() is None:
            self.accept()
        else:
            self._apply_typed()

    def _enter_list(self) -> bool:
        visible = [self.tag_list.item(i) for i in range(self.tag_list.count())
                   if not self.tag_list.item(i).isHidden()]
        if not visible:
            return False
        current = self.tag_list.currentItem()
        if current is None or current.isHidden():
            self.tag_list.setCurrentItem(visible[0])
        self.tag_list.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def pick(self, path: str) -> None:
        """Type ``path`` and press Enter, as a user would (tests use this for any script)."""
        self.filter.setText(path)
        self._enter()

    # --- results --------------------------------------------------------------------------------

    def accept(self) -> None:
        self._add_typed()
        super().accept()

    def chosen_tags(self) -> list[str]:
        return [self.tag_list.item(i).text() for i in range(self.tag_list.count())
                if self.tag_list.item(i).checkState() == Qt.CheckState.Checked]

    def note_text(self) -> str:
        return self.note.toPlainText().strip()
