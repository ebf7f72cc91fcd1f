"""Small dossier dialogs: new dossier, rename a section, redact a term or a quote in one item,
export progress.

The dialogs only collect input and show state; the builder runs the operations on the worker.
The redaction dialogs stay open until the core accepts the redaction, so a refused quote
("occurs nowhere in this item") can be corrected without starting over. Both ask for a printed
label (shown in the export) and a private reason (kept in the library), labelled so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.progress import Progress

from ..viewer.layout import DisplayText
from .progress import CancellableProgressDialog


class NewDossierDialog(QDialog):
    """A title and the exhibit prefix (pre-filled from Preferences), with the numbering shown."""

    def __init__(self, prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New dossier")
        self.setAccessibleName("New dossier")
        self.setMinimumWidth(420)
        self.title = QLineEdit()
        self.title.setAccessibleName("Dossier title")
        self.prefix = QLineEdit(prefix)
        self.prefix.setAccessibleName("Exhibit prefix")
        self.preview = QLabel("")
        self.preview.setObjectName("secondary")
        form = QFormLayout()
        form.addRow("Title:", self.title)
        form.addRow("Exhibit prefix:", self.prefix)
        form.addRow("", self.preview)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.title.textChanged.connect(self._check)
        self.prefix.textChanged.connect(self._check)
        self._check()

    def _check(self, *_: object) -> None:
        p = self.prefix.text()
        self.preview.setText(f"Exhibits numbered “{p}1”, “{p}2”…")
        self.ok.setEnabled(bool(self.title.text().strip()))

    def accept(self) -> None:
        if self.ok.isEnabled():
            super().accept()


class RenameSectionDialog(QDialog):
    """Pick a section (preselected from the list) and type its new name."""

    def __init__(self, sections: list[tuple[int, str]], current: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rename section")
        self.setAccessibleName("Rename section")
        self.setMinimumWidth(420)
        self.titles = {sid: title for sid, title in sections}
        self.section = QComboBox()
        self.section.setAccessibleName("Section to rename")
        for sid, title in sections:
            self.section.addItem(title, sid)
        if current is not None and self.section.findData(current) >= 0:
            self.section.setCurrentIndex(self.section.findData(current))
        self.title = QLineEdit()
        self.title.setAccessibleName("New section name")
        self.problem = QLabel("")
        self.problem.setObjectName("secondary")
        form = QFormLayout()
        form.addRow("Section:", self.section)
        form.addRow("New name:", self.title)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Rename")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.section.currentIndexChanged.connect(self._prefill)
        self.title.textChanged.connect(self._check)
        self._prefill()

    def _prefill(self, *_: object) -> None:
        self.title.setText(self.section.currentText())
        self.title.selectAll()
        self.title.setFocus()

    def _check(self, *_: object) -> None:
        new = self.new_title()
        clash = any(t == new and sid != self.section_id() for sid, t in self.titles.items())
        self.problem.setText("Another section already has this name." if clash else "")
        changed = bool(new) and new != self.titles.get(self.section_id() or -1)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(changed and not clash)

    def section_id(self) -> int | None:
        data = self.section.currentData()
        return None if data is None else int(data)

    def new_title(self) -> str:
        return self.title.text().strip()


class RedactionFields:
    """The two fields every redaction asks for, labelled for what each does: the printed label
    (an editable list of short categories, ``REDACTED`` first) with the mark it prints, and
    the private reason. Exports print the label, never the reason (issue 14)."""

    def __init__(self, form: QFormLayout, on_change: Callable[[], None]) -> None:
        from ..operations.dossiers import label_choices

        self.printed_label = QComboBox()
        self.printed_label.setEditable(True)
        self.printed_label.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.printed_label.addItems(label_choices())
        self.printed_label.setCurrentIndex(0)
        self.printed_label.setAccessibleName("Printed label (shown in the export)")
        self.printed_label.setToolTip("Printed in every export in place of the hidden text. "
                                      "Keep it a general category: it must not identify "
                                      "anyone.")
        self.mark = QLabel("")
        self.mark.setObjectName("secondary")
        self.mark.setAccessibleName("What the export prints")
        self.reason = QLineEdit()
        self.reason.setAccessibleName(
            "Private reason (kept in this library's log, never exported)")
        self.reason.setPlaceholderText("required — why this is hidden; only you see it")
        # Labels that say what each field does are long: above their fields, not beside them,
        # where they left the fields too narrow to read what was typed.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow("Printed label (shown in the export):", self.printed_label)
        form.addRow(self.mark)
        form.addRow("Private reason (kept in this library's log, never exported):",
                    self.reason)
        self.problem: str | None = None
        self.on_change = on_change
        self.printed_label.currentTextChanged.connect(self._label_changed)
        self.reason.textChanged.connect(lambda _t: on_change())
        self._show()

    def _label_changed(self, _text: str) -> None:
        self._show()
        self.on_change()

    def _show(self) -> None:
        from ..operations.dossiers import printed_mark

        shown, self.problem = printed_mark(self.printed_label.currentText())
        self.mark.setText(self.problem or f"Exports print {shown}")

    def ready(self) -> bool:
        return self.problem is None and bool(self.reason.text().strip())

    def values(self) -> tuple[str, str]:
        """(printed label, private reason)."""
        return self.printed_label.currentText().strip(), self.reason.text().strip()


class _RedactionDialog(QDialog):
    """What both redaction dialogs share: OK once the text and the two fields are filled,
    disabled while the core answers, and kept open with its input when the core refuses."""

    def _text_form(self, target: QLineEdit) -> QFormLayout:
        """The text to redact, the label and reason fields, and the Redact/Cancel buttons
        (``self.buttons``), wired to the checks below."""
        self.target = target
        target.setAccessibleName("Text to redact")
        form = QFormLayout()
        form.addRow("Text to redact:", target)
        self.fields = RedactionFields(form, self._check)
        self.printed_label, self.reason = self.fields.printed_label, self.fields.reason
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Redact")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        # Said beside the fields, not only by a disabled button: Enter with the reason
        # missing did nothing at all, and no one had said a reason was required.
        self.missing = QLabel("")
        self.missing.setObjectName("secondary")
        self.missing.setWordWrap(True)
        self.missing.hide()
        form.addRow(self.missing)
        target.textChanged.connect(self._check)
        target.returnPressed.connect(self._to_what_is_missing)
        self._check()
        return form

    def _to_what_is_missing(self) -> None:
        """Enter in the text field with the reason empty: say so and go there to type it."""
        if self._text() and not self.fields.reason.text().strip():
            self.missing.setText("Type a private reason to redact: it is required.")
            self.missing.show()
            self.fields.reason.setFocus()

    def _text(self) -> str:
        return self.target.text().strip()

    def _check(self, *_: object) -> None:
        self.ok.setEnabled(bool(self._text()) and self.fields.ready())
        if self.fields.reason.text().strip():
            self.missing.hide()

    def _submit(self) -> None:
        if self.ok.isEnabled():
            self.ok.setEnabled(False)  # until the core answers (see ``failed``)
            self.submitted.emit(self._text(), *self.fields.values())  # type: ignore[attr-defined]

    def failed(self) -> None:
        """The core refused: keep the dialog and its input so the user can correct it."""
        self._check()


class RedactTermDialog(_RedactionDialog):
    """A term to hide everywhere in the dossier, its printed label and its private reason.
    Stays open until the core accepts the redaction (see ``failed``)."""

    submitted = Signal(str, str, str)  # term, printed label, private reason

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Redact term")
        self.setAccessibleName("Redact a term")
        self.setMinimumWidth(560)
        intro = QLabel("Text to remove from every export of this dossier. It is found in any "
                       "case, spacing, hyphenation, look-alike letters or encoding, but only "
                       "as a whole: a first or family name on its own needs its own "
                       "redaction.")
        intro.setWordWrap(True)
        self.term = QLineEdit()
        form = self._text_form(self.term)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)


class RedactQuoteDialog(_RedactionDialog):
    """Shows one item's text; the words selected there (or typed) are redacted, with a
    printed label and a private reason."""

    submitted = Signal(str, str, str)  # quote, printed label, private reason

    def __init__(self, label: str, text: str, hidden: list[tuple[int, int]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Redact text in {label}")
        self.setAccessibleName("Redact text in this item")
        self.resize(640, 480)
        intro = QLabel("Select the words to hide in the text below, or type them. Every export "
                       "prints a black bar with the printed label instead, and checks that the "
                       "words appear nowhere in the file. So that they cannot leak through another "
                       "exhibit, they are hidden wherever they appear in this dossier."
                       + (" Text already hidden is shown dark." if hidden else ""))
        intro.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Item text")
        self.text.setTabChangesFocus(True)
        self.text.setPlainText(text)
        self._qt = DisplayText(text, [])  # code points -> Qt's UTF-16 positions (emoji)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.text.selectionChanged.connect(self._take_selection)
        self.quote = QLineEdit()
        self.quote.setPlaceholderText("select in the text above, or type")
        form = self._text_form(self.quote)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.hidden = hidden or []  # [start, end) already redacted, painted dark
        self._mark_hidden()

    def _mark_hidden(self) -> None:
        """Paints what is already redacted dark, so the user sees what exports will hide."""
        from ..dossier.items import redaction_colors

        ink, paper = redaction_colors()
        marks = []
        for start, end in self.hidden:
            sel = QTextEdit.ExtraSelection()
            sel.format.setBackground(QColor(ink))  # type: ignore[attr-defined]
            sel.format.setForeground(QColor(paper))  # type: ignore[attr-defined]
            cursor = self.text.textCursor()
            cursor.setPosition(self._qt.qt(start))
            cursor.setPosition(self._qt.qt(end), cursor.MoveMode.KeepAnchor)
            sel.cursor = cursor  # type: ignore[attr-defined]
            marks.append(sel)
        self.text.setExtraSelections(marks)

    def select_range(self, start: int, end: int) -> None:
        """Selects characters [start, end) of the item text, as a mouse drag would."""
        cursor = self.text.textCursor()
        cursor.setPosition(self._qt.qt(start))
        cursor.setPosition(self._qt.qt(end), cursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)

    def _take_selection(self) -> None:
        # The plain-text edit reports paragraph breaks as U+2029; the core matches whitespace
        # runs loosely, so a plain space is the faithful equivalent.
        picked = self.text.textCursor().selectedText().replace("\u2029", " ").strip()
        if picked:
            self.quote.setText(picked)



class ExportProgressDialog(CancellableProgressDialog):
    """The export's steps (write, leak check, done), elapsed time, and Cancel."""

    cancelling_text = ("Cancelling after the current step… Nothing will be left at the "
                       "destination.")

    def __init__(self, out: Path, fmt: str, on_cancel: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__("Exporting the dossier", "Export progress",
                         f"<b>Exporting to {out.name}</b>", on_cancel, parent,
                         first="Preparing…", width=480)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.fmt = fmt
        self.elapsed = QLabel("")
        self.elapsed.setObjectName("secondary")
        self.body.addWidget(self.elapsed)
        self.add_buttons()
        self.steps: list[str] = []  # every stage shown, in order (tests read this)
        self._started = time.monotonic()
        self._clock = QTimer(self)
        self._clock.setInterval(500)
        self._clock.timeout.connect(self._tick)
        self._clock.start()

    def show_progress(self, p: Progress) -> None:
        stage = p.stage or ""
        self.steps.append(stage)
        if stage.startswith("writing"):
            # One long step with no finer reports: a moving bar says the app is alive.
            self.bar.setRange(0, 0)
            text = f"Step 1 of 2: writing the {self.fmt.upper()} file"
        else:
            self.bar.setRange(0, max(p.total, 1))
            self.bar.setValue(p.done)
            text = ("Step 2 of 2: checking that no redacted text remains in the file"
                    if stage.startswith("checking") else stage.capitalize())
        if self.cancel_button.isEnabled():
            self.label.setText(text)

    def _tick(self) -> None:
        self.elapsed.setText(f"{time.monotonic() - self._started:.0f} s elapsed")

    def finish(self) -> None:
        self._clock.stop()
        self.done(0)
