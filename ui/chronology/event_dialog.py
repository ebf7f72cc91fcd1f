"""New or edit an event: the statement, the date as typed (with how it was read, live, or the
forms accepted), the dates suggested from the sources' quotes, the status, a private note and
the sources (highlights; add by searching, remove)."""

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
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..links.picker import HighlightPicker, short
from ..quoting import quoted
from ..session import Session
from .ops import STATUSES, EventForm
from .reading import read

ID_ROLE = Qt.ItemDataRole.UserRole


def source_line(src: dict[str, Any]) -> str:
    page = f", p. {src['page']}" if src.get("page") else ""
    title = src.get("title") or src.get("document_title") or ""
    return f"{quoted(short(src.get('quote') or '', 120))} — {title}{page}"


class SourcePickerDialog(QDialog):
    """“Add source…”: one highlight found by searching."""

    def __init__(self, session: Session, exclude: set[int], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a source")
        self.resize(520, 460)
        self.picker = HighlightPicker(session, exclude)
        self.picker.chosen.connect(self.accept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker, 1)
        layout.addWidget(buttons)
        self.picker.search.setFocus()
        self.picker.refresh()


class EventDialog(QDialog):
    """Save asks (``save_requested``); the dialog closes when the caller calls ``saved``, or
    stays open with the core's refusal shown (``refused``) so nothing typed is lost."""

    save_requested = Signal()

    def __init__(self, session: Session, event: dict[str, Any] | None = None, *,
                 suggestion: dict[str, Any] | None = None,
                 sources: list[dict[str, Any]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.original = event
        editing = event is not None
        self.setWindowTitle("Edit event" if editing else "New event")
        self.setAccessibleName(self.windowTitle())
        self.resize(560, 560)
        self.picker: SourcePickerDialog | None = None
        self.date_ok = False
        self.statement = QPlainTextEdit()
        self.statement.setAccessibleName("Statement")
        self.statement.setPlaceholderText("What happened, in one or two sentences")
        self.statement.setTabChangesFocus(True)
        self.statement.setMaximumHeight(self.statement.fontMetrics().lineSpacing() * 5 + 16)
        self.date = QLineEdit()
        self.date.setAccessibleName("Date")
        self.date.setPlaceholderText("e.g. 5 March 2018, March 2018, 2017–2019, before June 2018")
        self.reading = QLabel("")
        self.reading.setObjectName("secondary")
        self.reading.setWordWrap(True)
        self.reading.setAccessibleName("How the date was read")
        self.date.textChanged.connect(self._date_changed)
        self.suggested = QComboBox()
        self.suggested.setAccessibleName("Dates found in the sources")
        self.suggested.activated.connect(self._use_suggestion)
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        for s in STATUSES:
            self.status.addItem(s, s)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Note (private: never exported)")
        self.note.setPlaceholderText("Private: never exported")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(80)
        self.sources = QListWidget()
        self.sources.setAccessibleName("Sources")
        self.sources.setWordWrap(True)
        self.sources.currentItemChanged.connect(lambda *_: self._enable())
        self.add_source = QPushButton("Add source…")
        self.add_source.clicked.connect(self._pick_source)
        self.remove_source = QPushButton("Remove source")
        self.remove_source.clicked.connect(self._remove_source)
        source_buttons = QHBoxLayout()
        source_buttons.addWidget(self.add_source)
        source_buttons.addWidget(self.remove_source)
        source_buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("Statement:", self.statement)
        form.addRow("Date:", self.date)
        form.addRow("", self.reading)
        self.suggested_label = QLabel("Found in the quote:")
        form.addRow(self.suggested_label, self.suggested)
        form.addRow("Status:", self.status)
        form.addRow("Note (private: never exported):", self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save_requested)
        self.buttons.rejected.connect(self.reject)
        self.error = QLabel("")
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Sources (highlights):"))
        layout.addWidget(self.sources, 1)
        layout.addLayout(source_buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.statement.textChanged.connect(self._enable)
        self._fill(event, suggestion, sources or [])

    def _fill(self, event: dict[str, Any] | None, suggestion: dict[str, Any] | None,
              sources: list[dict[str, Any]]) -> None:
        dates = (suggestion or {}).get("dates") or []
        if event is not None:
            self.statement.setPlainText(event.get("statement") or "")
            self.date.setText((event.get("date") or {}).get("text") or "")
            self.status.setCurrentIndex(max(0, self.status.findData(event.get("status"))))
            self.note.setPlainText(event.get("note") or "")
            sources = list(event.get("sources") or []) + sources
        elif suggestion is not None:
            self.statement.setPlainText(suggestion.get("statement") or "")
            if dates:
                self.date.setText(str(dates[0].get("text") or ""))
        for d in dates:
            self.suggested.addItem(str(d.get("text") or ""), str(d.get("text") or ""))
        self.suggested.setVisible(bool(dates))
        self.suggested_label.setVisible(bool(dates))
        for src in sources:
            self._add_source_row(src)
        self._date_changed(self.date.text())
        (self.date if self.statement.toPlainText() else self.statement).setFocus()

    def _add_source_row(self, src: dict[str, Any]) -> None:
        hid = int(src.get("highlight_id") or src.get("id") or 0)
        if not hid or hid in self.source_ids():
            return
        item = QListWidgetItem(source_line(src))
        item.setData(ID_ROLE, hid)
        self.sources.addItem(item)

    def source_ids(self) -> list[int]:
        out = []
        for row in range(self.sources.count()):
            item = self.sources.item(row)
            if item is not None:
                out.append(int(item.data(ID_ROLE)))
        return out

    def _pick_source(self) -> None:
        self.picker = dialog = SourcePickerDialog(self.session, set(self.source_ids()), self)
        dialog.accepted.connect(lambda: self._picked(dialog))
        dialog.open()

    def _picked(self, dialog: SourcePickerDialog) -> None:
        row = dialog.picker.chosen_row()
        if row is not None:
            self._add_source_row(row)
            self._enable()

    def _remove_source(self) -> None:
        row = self.sources.currentRow()
        if row >= 0:
            self.sources.takeItem(row)
        self._enable()

    def _use_suggestion(self, index: int) -> None:
        self.date.setText(str(self.suggested.itemData(index) or ""))

    def _date_changed(self, text: str) -> None:
        self.date_ok, shown = read(text)
        self.reading.setText(shown)
        self._enable()

    def _enable(self) -> None:
        self.remove_source.setEnabled(self.sources.currentItem() is not None)
        self.save.setEnabled(bool(self.statement.toPlainText().strip()) and self.date_ok)

    def form(self) -> EventForm:
        return EventForm(statement=self.statement.toPlainText().strip(),
                         date=self.date.text().strip(), status=str(self.status.currentData()),
                         note=self.note.toPlainText().strip(), sources=self.source_ids())

    def before_sources(self) -> list[int]:
        return [int(s["highlight_id"]) for s in (self.original or {}).get("sources") or []]

    def saved(self, _result: object = None) -> None:
        self.accept()

    def refused(self, exc: BaseException) -> None:
        message = getattr(exc, "message", None) or str(exc)
        hint = getattr(exc, "hint", None)
        self.error.setText(f"{message} ({hint})" if hint else message)
        self.error.show()
