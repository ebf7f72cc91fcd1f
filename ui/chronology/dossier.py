"""The dossier builder's “Add chronology section…”: a table of the events a filter chooses (tag,
entity, collection), read again at every export and redacted like every other text."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..session import Session
from . import ops

NEEDS = ("add_chronology_section",)


class ChronologySectionDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add chronology section")
        self.setAccessibleName("Add chronology section")
        self.title = QLineEdit("Chronology")
        self.title.setAccessibleName("Section title")
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        form.addRow("Title:", self.title)
        for key, label, any_text in (("tags", "Tag:", "Any tag"),
                                     ("entities", "Entity:", "Anyone"),
                                     ("collections", "Collection:", "Any collection")):
            combo = QComboBox()
            combo.setAccessibleName(f"Only events: {label.rstrip(':').lower()}")
            combo.addItem(any_text, "")
            self.combos[key] = combo
            form.addRow(label, combo)
        info = QLabel("The table lists the chosen events in date order with their sources' "
                      "citations, read again at every export; the dossier's redactions apply "
                      "to it. Events' notes are never exported.")
        info.setWordWrap(True)
        info.setObjectName("secondary")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(info)
        layout.addWidget(self.buttons)
        ops.load_choices(session, self._choices)

    def _choices(self, choices: dict[str, list[str]]) -> None:
        for key, combo in self.combos.items():
            for value in choices.get(key, []):
                combo.addItem(value, value)
        entities = self.combos["entities"]
        entities.setEnabled(entities.count() > 1)

    def section(self) -> dict[str, Any]:
        tag = str(self.combos["tags"].currentData() or "")
        return {"title": self.title.text().strip() or "Chronology",
                "tags": (tag,) if tag else (),
                "entity": str(self.combos["entities"].currentData() or "") or None,
                "collection": str(self.combos["collections"].currentData() or "") or None}


def install_in_builder(window: Any) -> None:
    window.builder.when_built(lambda: _add_button(window))  # the builder is built on first use


def _add_button(window: Any) -> None:
    builder = window.builder
    button = QPushButton("Add chronology section…")
    button.setToolTip("A table of the chronology's events (all, or by tag, entity or "
                      "collection) with their sources' citations")

    def ask() -> None:
        did = builder.dossier_id
        if did is None:
            builder.status.setText("Create a dossier first.")
            return
        dialog = ChronologySectionDialog(window.session, window)
        builder.chronology_dialog = dialog
        dialog.accepted.connect(lambda: _add(window, did, dialog.section()))
        dialog.open()

    button.clicked.connect(ask)
    builder.edit_row.addWidget(button)
    builder.chronology_button = button


def _add(window: Any, dossier_id: int, section: dict[str, Any]) -> None:
    window.session.mutate(lambda wb: wb.add_chronology_section(dossier_id, **section),
                          doing="add the chronology section")
