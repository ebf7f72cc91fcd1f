"""The Chronology view: events in date order as a table (date, statement, status, tags,
sources), narrowed by tag, entity or collection, with the actions a litigation chronology needs:
new, edit, delete, change the status, open a source, export CSV or DOCX (one Export menu).

The actions take one row at 1600 px and two at 1024, each with an Alt-letter that nothing
else in the window uses (the menu bar has F, E, V, T, D and H, the viewer's Other copies C).
In a narrow pane the tags, then the sources step aside before the status (which events are
disputed is what a chronology is read for); the sources are then read under the statement.

The table is a thin adapter over the plain rows ``list_events`` returns, redrawn from the
``Changes`` that come back (events, highlights, tags, entities, documents). Every call is an
operation in ``chronology/ops.py``; exports run on the worker like every other call.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.changes import Changes

from ..delete_key import claim_delete_key
from ..dialogs.confirm import confirm
from ..dialogs.save_as import ask_save_path, saved
from ..flow_layout import FlowLayout
from ..lazy_panel import LazyPanel
from ..links.picker import short
from ..operations import highlights as highlight_ops
from ..quoting import quoted
from ..session import Session
from ..table_fit import ColumnFitter
from ..window_fit import VerticalScroller
from . import ops
from .event_dialog import EventDialog
from .reading import describe, shown_date

COLUMNS = ("Date", "Statement", "Status", "Tags", "Sources")
STATEMENT, STATUS, TAGS, SOURCES = 1, 2, 3, 4
ID_ROLE = Qt.ItemDataRole.UserRole
ANY = ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def sources_text(sources: list[dict[str, Any]]) -> str:
    parts = []
    for s in sources:
        page = f", p. {s['page']}" if s.get("page") else ""
        parts.append(f"{s.get('title') or ''}{page}")
    return "; ".join(parts) if parts else "(no source)"


def _labelled(text: str, widget: QWidget) -> QWidget:
    """A label and its field as one piece, so a wrapping row never parts them."""
    pair = QWidget()
    row = QHBoxLayout(pair)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    label = QLabel(text)
    label.setBuddy(widget)
    row.addWidget(label)
    row.addWidget(widget)
    return pair


class EventTable(QTableWidget):
    """Enter edits the chosen event (Delete is claimed by the panel, ``claim_delete_key``)."""

    enter_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.currentRow() >= 0 and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter_pressed.emit()
            return
        super().keyPressEvent(event)


class ChronologyPanel(LazyPanel):
    source_opened = Signal(int, object)  # document id, mark (start, end, words) or None
    message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName("Chronology")
        self.events: list[dict[str, Any]] = []
        self.dialog: EventDialog | None = None
        self._dirty = True
        self._last_export: str | None = None
        self._select_after: int | None = None  # an event just saved, chosen once it is shown
        session.changed.connect(self.on_changes)
        session.opened.connect(lambda _path: self.reset())

    def _build(self) -> None:
        """The page's widgets, when first shown or used (``LazyPanel``)."""
        title = QLabel("Chronology")
        title.setObjectName("paneTitle")
        self.tag = self._filter_combo("Filter by tag", "Any tag")
        self.entity = self._filter_combo("Filter by person, organisation or place",
                                         "Anyone")
        self.collection = self._filter_combo("Filter by collection", "Any collection")
        filters = FlowLayout(spacing=6)
        pairs = {}
        for label, combo in (("Ta&g:", self.tag), ("Entit&y:", self.entity),
                             ("Collectio&n:", self.collection)):
            pairs[label] = pair = _labelled(label, combo)
            filters.addWidget(pair)
        self.entity_label = pairs["Entit&y:"]  # the label and its combo, hidden together
        self.table = EventTable(0, len(COLUMNS))
        self.table.setTabKeyNavigation(False)  # Tab goes on to the next widget
        self.table.setAccessibleName("Events in date order")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(STATEMENT, QHeaderView.ResizeMode.Stretch)
        # Widths from the text: a date like "5 March 2018" on one line, the longest status,
        # a source's title wrapping over a few lines.
        fm = self.table.fontMetrics()
        pad = 2 * fm.averageCharWidth() + 4
        for col, width in ((0, fm.horizontalAdvance("5 March 2018") + pad),
                           (STATUS, max(fm.horizontalAdvance(s) for s in ops.STATUSES) + pad),
                           (TAGS, fm.averageCharWidth() * 14 + pad),
                           (SOURCES, fm.averageCharWidth() * 20 + pad)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, width)
        # In a narrow pane (1024 px) the tags, then the sources step aside for the statement;
        # the status stays (whether an event is disputed is what the page is read for), and
        # the sources are then read under the statement (``_show_rows``).
        self.fitter = ColumnFitter(self.table, [TAGS, SOURCES, STATUS], title=STATEMENT,
                                   title_min=150, on_change=self._columns_changed)
        # Rows as tall as their wrapped text at the columns' widths once they settle: measured
        # before (a narrower statement, the sources' column just gone) they cut text short.
        self._rows_fit = QTimer(self)
        self._rows_fit.setSingleShot(True)
        self._rows_fit.setInterval(0)
        self._rows_fit.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda *_: self._rows_fit.start())
        self.table.itemDoubleClicked.connect(lambda _i: self.edit_current())
        self.table.enter_pressed.connect(self.edit_current)
        claim_delete_key(self.table, self.delete_current)
        self.table.currentCellChanged.connect(lambda *_: self._chosen())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.status = QComboBox()
        self.status.setAccessibleName("Status of the chosen event")
        self.status.setToolTip("Sets the status of the chosen event (not a filter)")
        for s in ops.STATUSES:
            self.status.addItem(s, s)
        self.status.activated.connect(self._status_chosen)
        self.buttons: dict[str, QAbstractButton] = {}
        actions = FlowLayout(spacing=4)
        # A lambda: clicked(bool) and triggered(bool) would arrive as the dialog's suggestion.
        for key, text, slot in (("new", "Ne&w event…", lambda: self.new_event()),
                                ("edit", "Ed&it…", self.edit_current),
                                ("delete", "De&lete…", self.delete_current),
                                ("open", "&Open source", self.open_source)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons[key] = button
            actions.addWidget(button)
        actions.addWidget(_labelled("Set &status:", self.status))
        # CSV and DOCX in one menu: two buttons wrapped the row at 1600 px
        export_menu = QMenu(self)
        self.export_actions: dict[str, QAction] = {}
        for fmt, text in (("csv", "&CSV (spreadsheet)…"), ("docx", "&DOCX (Word document)…")):
            self.export_actions[fmt] = export_menu.addAction(text, partial(self.export, fmt))
        export = QToolButton(text="E&xport")
        export.setAccessibleName("Export the chronology")
        export.setToolTip("Export the events shown, as CSV or DOCX")
        export.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export.setMenu(export_menu)
        self.buttons["export"] = export
        actions.addWidget(export)
        self.empty = QLabel("No events yet. Make one from a highlight: in the viewer's "
                            "Highlights tab, choose “New event from highlight…”.")
        self.empty.setObjectName("emptyHint")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.info = QLabel("")
        self.info.setObjectName("secondary")
        self.info.setWordWrap(True)
        controls = QWidget()
        cl = QVBoxLayout(controls)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(title)
        cl.addLayout(filters)
        cl.addLayout(actions)
        # At 200 % text the filters and buttons wrap onto many rows: they scroll within at
        # most half the page, and the events keep the rest.
        self.controls = VerticalScroller(controls)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addWidget(self.controls)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.info)
        self._show_rows()  # the events read so far, or "No events yet…"

    def _filter_combo(self, name: str, any_text: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem(any_text, ANY)
        combo.setMinimumContentsLength(10)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.activated.connect(lambda _i: self.reload_events())
        return combo

    # --- loading ------------------------------------------------------------------------------

    def reset(self) -> None:
        self.events = []
        self._dirty = True
        if not self.built:  # built empty, and read, when first shown
            return
        self._show_rows()
        for combo in (self.tag, self.entity, self.collection):
            self._set_choices(combo, [])
        if self.isVisible():
            self.reload()

    def filters(self) -> ops.Filters:
        return ops.Filters(tag=str(self.tag.currentData() or ""),
                           entity=str(self.entity.currentData() or ""),
                           collection=str(self.collection.currentData() or ""))

    def reload(self) -> None:
        if not self.session.is_open:
            return
        self._dirty = False
        ops.load_choices(self.session, self._choices_loaded)
        self.reload_events()

    def reload_events(self) -> None:
        if self.session.is_open:
            ops.load_events(self.session, self.filters(), self._events_loaded)

    def _choices_loaded(self, choices: dict[str, list[str]]) -> None:
        self._set_choices(self.tag, choices.get("tags", []))
        self._set_choices(self.entity, choices.get("entities", []))
        self._set_choices(self.collection, choices.get("collections", []))
        self.entity_label.setVisible(self.session.has("list_entities"))

    @staticmethod
    def _set_choices(combo: QComboBox, values: list[str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for v in values:
            combo.addItem(v, v)
        index = combo.findData(current)
        combo.setCurrentIndex(index if index >= 0 else 0)
        combo.blockSignals(False)

    def _events_loaded(self, events: list[dict[str, Any]]) -> None:
        chosen = self.current_event()
        wanted = self._select_after if self._select_after is not None else (
            chosen["id"] if chosen is not None else None)
        self.events = events
        self._show_rows()
        if wanted is not None and self.select(wanted):
            self._select_after = None

    def _show_rows(self) -> None:
        table = self.table
        table.setRowCount(len(self.events))
        sources_aside = table.isColumnHidden(SOURCES)
        for row, ev in enumerate(self.events):
            date = ev.get("date") or {}
            sources = sources_text(ev.get("sources") or [])
            statement = ev.get("statement") or ""
            cells = (shown_date(date), statement, ev.get("status") or "",
                     ", ".join(ev.get("tags") or []), sources)
            for col, text in enumerate(cells):
                shown = short(text, 400)
                if col == STATEMENT and sources_aside:  # their column stepped aside
                    shown = f"{shown}\n— {short(sources, 200)}"
                    text = f"{text}\n\nSources: {sources}"
                item = QTableWidgetItem(shown)
                item.setData(ID_ROLE, ev["id"])
                item.setToolTip(text)
                table.setItem(row, col, item)
            date_item = table.item(row, 0)
            if date_item is not None:
                date_item.setToolTip(describe(str(date.get("kind") or ""), date.get("from"),
                                              date.get("to")))
        table.resizeRowsToContents()
        filtered = any(self.filters().kwargs().values())
        self.empty.setVisible(not self.events)
        if not self.events and filtered:
            self.empty.setText("No event matches these filters.")
        elif not self.events:
            self.empty.setText("No events yet. Make one from a highlight: in the viewer's "
                               "Highlights tab, choose “New event from highlight…”.")
        self.table.setVisible(bool(self.events))
        self.info.setText(_plural(len(self.events), "event") if self.events else "")
        self._chosen()

    def _columns_changed(self) -> None:
        """A column stepped aside or came back: the statements gain or lose their sources."""
        if self.events:
            chosen = self.current_event()
            self._show_rows()
            if chosen is not None:
                self.select(chosen["id"])

    def on_changes(self, changes: Changes) -> None:
        if (changes.events or changes.highlights or changes.tags or changes.entities
                or changes.documents or changes.collections):
            self._dirty = True
            if self.isVisible():
                self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_controls()
        if self._dirty:
            self.reload()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.built:  # a hidden page of the stack is resized too
            self._fit_controls()

    def _fit_controls(self) -> None:
        content = self.controls.widget()
        if content is None:
            return
        width = self.controls.viewport().width() or self.controls.width()
        layout = content.layout()
        needed = (layout.totalHeightForWidth(width) if layout is not None
                  and layout.hasHeightForWidth() else content.sizeHint().height())
        self.controls.setFixedHeight(max(60, min(needed, self.height() // 2)))

    # --- the chosen event ---------------------------------------------------------------------

    def current_event(self) -> dict[str, Any] | None:
        row = self.table.currentRow()
        return self.events[row] if 0 <= row < len(self.events) else None

    def select(self, event_id: int) -> bool:
        for row, ev in enumerate(self.events):
            if ev["id"] == event_id:
                self.table.setCurrentCell(row, 1)
                return True
        return False

    def _chosen(self) -> None:
        ev = self.current_event()
        for key in ("edit", "delete"):
            self.buttons[key].setEnabled(ev is not None)
        self.buttons["open"].setEnabled(bool(ev and ev.get("sources")))
        self.buttons["export"].setEnabled(bool(self.events))
        self.status.setEnabled(ev is not None)
        if ev is not None:
            self.status.setCurrentIndex(max(0, self.status.findData(ev.get("status"))))

    def _status_chosen(self, _index: int) -> None:
        ev = self.current_event()
        status = str(self.status.currentData())
        if ev is not None and status != ev.get("status"):
            ops.set_status(self.session, ev["id"], status)

    # --- acting -------------------------------------------------------------------------------

    def new_event(self, suggestion: dict[str, Any] | None = None,
                  sources: list[dict[str, Any]] | None = None) -> EventDialog:
        self.dialog = dialog = EventDialog(self.session, suggestion=suggestion,
                                           sources=sources, parent=self.window())
        dialog.save_requested.connect(lambda: ops.add_event(
            self.session, dialog.form(), lambda c: self._saved(dialog, c), dialog.refused))
        dialog.open()
        return dialog

    def edit_current(self) -> None:
        ev = self.current_event()
        if ev is None:
            return
        self.dialog = dialog = EventDialog(self.session, ev, parent=self.window())
        dialog.save_requested.connect(lambda: ops.edit_event(
            self.session, ev["id"], dialog.form(), dialog.before_sources(),
            lambda c: self._saved(dialog, c), dialog.refused))
        dialog.open()

    def _saved(self, dialog: EventDialog, changes: Any) -> None:
        dialog.saved()
        ids = list(getattr(changes, "event_ids", []) or [])
        if ids:
            self._select_after = ids[0]
        self.message.emit("Event saved.")

    def delete_current(self) -> None:
        ev = self.current_event()
        if ev is None:
            return
        if confirm(self, "Delete event", f"Delete the event “{short(ev['statement'], 120)}”? "
                   "Its sources (the highlights) stay."):
            ops.delete_event(self.session, ev["id"])

    def open_source(self) -> None:
        ev = self.current_event()
        sources = (ev or {}).get("sources") or []
        if len(sources) == 1:
            self._open(int(sources[0]["highlight_id"]))
        elif sources:
            menu = QMenu(self)
            for s in sources:
                page = f", p. {s['page']}" if s.get("page") else ""
                menu.addAction(f"{short(s.get('title') or '', 60)}{page}: "
                               f"{quoted(short(s.get('quote') or '', 60))}",
                               partial(self._open, int(s["highlight_id"])))
            self.last_menu = menu
            button = self.buttons["open"]
            menu.popup(button.mapToGlobal(button.rect().bottomLeft()))

    def _open(self, highlight_id: int) -> None:
        highlight_ops.highlight_mark(
            self.session, highlight_id,
            lambda where: self.source_opened.emit(where[0], where[1]), "open the source")

    def export(self, fmt: str) -> None:
        if not self.events:
            return
        filters = "CSV files (*.csv)" if fmt == "csv" else "Word documents (*.docx)"
        path = ask_save_path(self, "Export the chronology", f"Chronology.{fmt}", filters,
                             f".{fmt}")
        if path is None:
            return
        self.info.setText(f"Exporting the chronology to {path.name}…")
        ops.export(self.session, fmt, path, self.filters(), self._exported)

    def _exported(self, out: dict[str, Any]) -> None:
        self._last_export = str(out.get("path"))
        saved(self._last_export)  # the next save dialog opens in its folder
        text = f"Wrote {_plural(int(out.get('events', 0)), 'event')} to {out.get('path')}"
        self.info.setText(text)
        self.message.emit(text)

    def _menu(self, pos: Any) -> None:
        menu = QMenu(self)
        if self.table.itemAt(pos) is not None:
            menu.addAction("Edit…", self.edit_current)
            menu.addAction("Open source", self.open_source)
            status = menu.addMenu("Status")
            ev = self.current_event()
            for s in ops.STATUSES:
                act = status.addAction(s, partial(self._set_status, s))
                act.setCheckable(True)
                act.setChecked(bool(ev and ev.get("status") == s))
            menu.addSeparator()
            menu.addAction("Delete…", self.delete_current)
        else:
            menu.addAction("New event…", lambda: self.new_event())
        self.last_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _set_status(self, status: str) -> None:
        ev = self.current_event()
        if ev is not None:
            ops.set_status(self.session, ev["id"], status)
