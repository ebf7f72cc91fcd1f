"""The entity register's dialogs: add or edit an entity, and redact a person from a dossier.

``EntityDialog`` asks for the kind, the shown name, the other names one per line in any
script (each line laid out in its own direction, so a Uyghur or Arabic name reads from the
right) and the private note. ``RedactPersonDialog`` picks an entity and asks for the printed
label and the private reason with the same fields as every other redaction. Both stay open
until the core accepts what was typed (``failed`` keeps the input to correct it).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..dialogs.dossier_dialogs import RedactionFields
from ..viewer.direction import follow_text_direction
from .ops import KINDS

PRIVATE = "Private: never exported"


def kind_label(kind: str) -> str:
    return {"organisation": "Organisation"}.get(kind, kind.capitalize())


def names_text(n: int) -> str:
    return f"{n} name{'' if n == 1 else 's'}"


class EntityDialog(QDialog):
    """Add (``entity`` None) or edit an entity. ``submitted`` carries what the core needs."""

    submitted = Signal(str, str, list, str)  # kind, shown name, other names, note

    def __init__(self, entity: dict[str, Any] | None = None, name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = "Edit entity" if entity else "Register an entity"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(480)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind")
        for k in KINDS:
            self.kind.addItem(kind_label(k), k)
        self.name = QLineEdit(name)
        self.name.setAccessibleName("Shown name")
        self.name.setPlaceholderText("the name it is listed by, e.g. Ekpar Asat")
        self.aliases = QPlainTextEdit()
        self.aliases.setAccessibleName("Other names, one per line")
        self.aliases.setTabChangesFocus(True)
        self.aliases.setPlaceholderText(
            "one per line, in any script:\nئەكبەر ئاسات\n艾克拜尔·阿沙特")
        follow_text_direction(self.aliases)  # before any text: Uyghur lines sit on the right
        self.aliases.setMinimumHeight(96)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(f"Note ({PRIVATE.lower()})")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(90)
        private = QLabel(PRIVATE)
        private.setObjectName("secondary")
        note_row = QHBoxLayout()
        note_row.addWidget(self.note, 1)
        note_row.addWidget(private)
        form = QFormLayout()
        form.addRow("&Kind:", self.kind)
        form.addRow("&Name:", self.name)
        form.addRow("Other &names:", self.aliases)
        note_label = QLabel("N&ote:")
        note_label.setBuddy(self.note)  # a row of two widgets gets no buddy of its own
        form.addRow(note_label, note_row)
        self.problem = QLabel("")
        self.problem.setObjectName("secondary")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Save" if entity else "Register")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        if entity:
            self.kind.setCurrentIndex(max(self.kind.findData(entity.get("kind")), 0))
            self.name.setText(entity.get("name", ""))
            self.aliases.setPlainText("\n".join(
                n for n in entity.get("names", []) if n != entity.get("name")))
            self.note.setPlainText(entity.get("note", ""))
        self.name.textChanged.connect(self._check)
        self.aliases.textChanged.connect(self._check)
        self._check()

    def other_names(self) -> list[str]:
        lines = (line.strip() for line in self.aliases.toPlainText().splitlines())
        shown = self.name.text().strip()
        return [n for n in dict.fromkeys(lines) if n and n != shown]

    def _check(self) -> None:
        self.ok.setEnabled(bool(self.name.text().strip()))

    def _submit(self) -> None:
        if self.ok.isEnabled():
            self.ok.setEnabled(False)  # until the core answers
            self.problem.setText("")
            self.submitted.emit(self.kind.currentData(), self.name.text().strip(),
                                self.other_names(), self.note.toPlainText().strip())

    def failed(self, message: str = "") -> None:
        self.problem.setText(message)
        self._check()


class RedactPersonDialog(QDialog):
    """Which entity to hide (every name and alias it has at export time), the printed label
    and the private reason."""

    submitted = Signal(int, str, str)  # entity id, printed label, private reason

    def __init__(self, entities: list[dict[str, Any]], chosen: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Redact person")
        self.setAccessibleName("Redact a person")
        self.setMinimumWidth(560)
        intro = QLabel("Every name and alias of the entity is removed from every export of "
                       "this dossier, in whatever script it is written, including names "
                       "added to the entity later.")
        intro.setWordWrap(True)
        self.entity = QComboBox()
        self.entity.setAccessibleName("Person or entity to redact")
        for e in sorted(entities, key=lambda e: (e["kind"] != "person", e["name"].casefold())):
            names = e.get("names", [])
            self.entity.addItem(f"{e['name']} — {kind_label(e['kind']).lower()}, "
                                f"{names_text(len(names))}", e["id"])
            self.entity.setItemData(self.entity.count() - 1, ", ".join(names),
                                    Qt.ItemDataRole.ToolTipRole)  # every name it hides
        if chosen is not None:
            self.entity.setCurrentIndex(max(self.entity.findData(chosen), 0))
        self.names = QLabel("")
        self.names.setObjectName("secondary")
        self.names.setWordWrap(True)
        self._names = {e["id"]: e.get("names", []) for e in entities}
        form = QFormLayout()
        form.addRow("&Entity:", self.entity)
        form.addRow(self.names)
        self.fields = RedactionFields(form, self._check)
        self.printed_label, self.reason = self.fields.printed_label, self.fields.reason
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Redact")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.entity.currentIndexChanged.connect(lambda _i: self._check())
        self._check()

    def _check(self, *_: object) -> None:
        chosen = self.entity.currentData()
        names = self._names.get(chosen, []) if chosen is not None else []
        self.names.setText(("Hides: " + ", ".join(names)) if names else
                           "Register the person first (View → Entities).")
        self.ok.setEnabled(chosen is not None and self.fields.ready())

    def _submit(self) -> None:
        if self.ok.isEnabled():
            self.ok.setEnabled(False)
            self.submitted.emit(int(self.entity.currentData()), *self.fields.values())

    def failed(self) -> None:
        self._check()
