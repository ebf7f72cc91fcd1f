"""“Link to highlight…”: choose the other highlight by searching, say how the two relate
(corroborates, contradicts, same event) and add a private note."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..quoting import quoted
from ..session import Session
from . import ops
from .picker import HighlightPicker, short


class LinkDialog(QDialog):
    def __init__(self, session: Session, source: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.setWindowTitle("Link to highlight")
        self.setAccessibleName("Link to highlight")
        self.resize(560, 520)
        head = QLabel(f"Link {quoted(short(source.get('quote') or '', 200))} to another "
                      "highlight.")
        head.setWordWrap(True)
        self.picker = HighlightPicker(session, {int(source["id"])})
        self.picker.changed.connect(self._enable)
        self.picker.chosen.connect(self._accept_if_ready)
        self.relation = QComboBox()
        self.relation.setAccessibleName("Relation")
        for key in ops.RELATIONS:
            self.relation.addItem(f"This highlight {ops.RELATION_TEXT[key]} the other", key)
        self.note = QLineEdit()
        self.note.setAccessibleName("Note (private: never exported)")
        self.note.setPlaceholderText("Why they agree or differ (optional)")
        form = QFormLayout()
        form.addRow("Relation:", self.relation)
        form.addRow("Note (private: never exported):", self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Link")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.picker, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._enable()
        self.picker.search.setFocus()
        self.picker.refresh()

    def _enable(self) -> None:
        self.ok.setEnabled(self.picker.chosen_id() is not None)

    def _accept_if_ready(self) -> None:
        if self.picker.chosen_id() is not None:
            self.relation.setFocus()

    def other_id(self) -> int | None:
        return self.picker.chosen_id()

    def chosen_relation(self) -> str:
        return str(self.relation.currentData())

    def note_text(self) -> str:
        return self.note.text().strip()
