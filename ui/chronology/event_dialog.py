"""New or edit an event: the statement, the date as typed (with how it was read, live, or the
forms accepted), the dates suggested from the sources' quotes, the status, a private note and
the sources (highlights; add by searching, remove).

The forms accepted, shown under a date that cannot be read, take every line they need: the
dialog grows for them (to the screen's foot at most; beyond it the fields scroll, Save and
Cancel stay in view) and gives the height back once the date is read."""

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
from ..window_fit import FRAME, VerticalScroller
from ..wrapped_label import WrappedLabel
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
        self._initial_size()
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
        # the forms accepted, when the date cannot be read: every line of them is shown
        self.reading = WrappedLabel("")
        self.reading.setObjectName("secondary")
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
        # room for a source's two lines at any text size (the fields scroll where it is short)
        self.sources.setMinimumHeight(self.sources.fontMetrics().lineSpacing() * 3 + 8)
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
        self.fields = body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(form)
        body_layout.addWidget(QLabel("Sources (highlights):"))
        body_layout.addWidget(self.sources, 1)
        body_layout.addLayout(source_buttons)
        # Where the screen has no room for a long reading of the date, the fields scroll;
        # Save and Cancel stay in view.
        self.body = VerticalScroller(body)
        self.grown = 0  # the height added for the reading, given back when it is shorter
        layout = QVBoxLayout(self)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.statement.textChanged.connect(self._enable)
        self._fill(event, suggestion, sources or [])

    def _initial_size(self) -> None:
        """560 px square at the normal text size, larger with larger text (at 560 px, double
        text left the date's field and its reading 200 px), within the screen."""
        metrics = self.fontMetrics()
        screen = self.screen().availableGeometry()
        self.resize(min(max(560, metrics.averageCharWidth() * 70), screen.width() - FRAME.width()),
                    min(max(560, metrics.lineSpacing() * 28), screen.height() - FRAME.height()))

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
        self._fit_height()
        self._enable()

    def _fit_height(self) -> None:
        """Grow the dialog (to the bottom of the screen at most) so that the fields, the
        reading of the date among them, need not scroll; give that height back once the
        reading is shorter."""
        if not self.isVisible():
            return
        layout = self.fields.layout()
        if layout is not None:
            layout.activate()
        need = self.fields.minimumSizeHint().height() - self.body.viewport().height()
        if need < 0 and self.grown:
            back = min(-need, self.grown)
            self.grown -= back
            self.resize(self.width(), self.height() - back)
            return
        screen = self.screen().availableGeometry()
        room = screen.height() - FRAME.height() - self.height()
        more = min(need, room)
        if more <= 0:
            return  # it fits, or the screen is full: the fields scroll
        self.grown += more
        self.resize(self.width(), self.height() + more)
        frame = self.frameGeometry()
        if frame.bottom() > screen.bottom():  # grown past the screen's foot: move it up
            self.move(self.x(), max(screen.top(), self.y() - (frame.bottom() - screen.bottom())))

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
