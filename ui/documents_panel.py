"""The document list: a filter field over a sortable table backed by the lazy model.

Down or Up in the filter field enters the table on its current row (the first when none is),
so Ctrl+L, a few letters and Down reach a document without the mouse.

A new current row opens its document, so a row becomes current only by the user's hand: the
focus entering the list (as the library opens, back from a menu or another window, Ctrl+1)
opens nothing, and the first Down, Up or Home then opens the first row. The current row, the
selection and the document read agree: every key that moves the current row selects it too
(Home, End and Ctrl with the moving keys included), a row read before its rows arrived opens
once they do, a list read again chooses the same rows and the same current one, and a library
opened starts with none (``forget_selection``).

The columns other than the title are as wide as what they hold (``column_width``): their
header, or their widest value read so far, up to their usual width; the title stretches over
the rest. Text files have no date or source, and those empty columns kept their 88 and 100
pixels while every title was cut (session 15). A width the user drags a column to stays. In a
narrow list the columns with nothing to show step aside first (``table_fit.ColumnFitter``).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .elided_label import ElidedLabel
from .models.documents import COLUMNS, DocumentTableModel, cell_text, narrow_hide_order
from .session import Session
from .table_fit import ColumnFitter

# Keys that move the current row (with Ctrl too, ``DocumentTable.selectionCommand``).
_MOVING_KEYS = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
                Qt.Key.Key_Home, Qt.Key.Key_End}

# Each column's usual width, the most it is given (0: the title, which takes the rest). The
# Kind column's holds the longest kind's name, "Word document" (``kind_names``).
WIDTHS = [0, 120, 88, 100, 62, 96, 66, 130]


class DocumentTable(QTableView):
    """The list's table. Qt makes the first row current, without selecting it, when the focus
    enters a view that has no current row; here that would open the first document without
    the user asking (session 13: it opened by itself after an unlock, when the person went to
    the menu). The focus leaves the list without a current row instead, so the first key
    lands on the first row (not the second) and opens it."""

    quiet = False  # the current row is the focus's doing, not the user's

    def moveCursor(self, action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        # A table's Home and End go to the first or last column of the row: in a list of
        # rows, nowhere. Here they go to the first or last row (as Ctrl+Home and Ctrl+End),
        # in the same column, so the list does not scroll sideways to its last column.
        model = self.model()
        home, end = (QAbstractItemView.CursorAction.MoveHome,
                     QAbstractItemView.CursorAction.MoveEnd)
        if action in (home, end) and model is not None and model.rowCount() > 0:
            current = self.currentIndex()
            column = current.column() if current.isValid() else 0
            return model.index(0 if action == home else model.rowCount() - 1, column)
        return super().moveCursor(action, modifiers)

    def selectionCommand(self, index: QModelIndex | QPersistentModelIndex,
                         event: QEvent | None = None) -> QItemSelectionModel.SelectionFlag:
        # With Ctrl, Qt moves the current row without selecting it (to pick rows one by one
        # with Ctrl+Space); but the current row opens its document, and the highlight stayed
        # on a row no longer read (session 17: Ctrl+Home, Ctrl+End). Selected as without
        # Ctrl: the row alone, or with Shift the rows from where the selection started.
        ctrl = Qt.KeyboardModifier.ControlModifier
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and event.key() in _MOVING_KEYS and event.modifiers() & ctrl:
            event = QKeyEvent(QEvent.Type.KeyPress, event.key(), event.modifiers() & ~ctrl)
        return super().selectionCommand(index, event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        selection = self.selectionModel()
        had_current = selection is not None and selection.currentIndex().isValid()
        self.quiet = True
        try:
            super().focusInEvent(event)
            if selection is not None and not had_current:
                selection.clearCurrentIndex()
        finally:
            self.quiet = False


class DocumentsPanel(QWidget):
    document_chosen = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentTableModel(session)
        # A long collection name elides (the whole name in its tooltip): as a plain QLabel it
        # asked for its full width and widened the list pane past the sidebar and the reader.
        self.heading = ElidedLabel("All documents")
        self.heading.setObjectName("paneTitle")
        self.count = QLabel("")
        self.count.setObjectName("secondary")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by title, source, kind…  (Ctrl+L)")
        self.filter.setAccessibleName("Filter documents")
        self.filter.setClearButtonEnabled(True)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self._apply_filter)
        self.filter.textChanged.connect(lambda _t: self._debounce.start())
        self.filter.installEventFilter(self)
        # PDFs whose import found text under a box drawn over it (workbench.xray): the ones
        # to look at before passing a file on.
        self.failed_redactions = QCheckBox("Possible failed redactions")
        self.failed_redactions.setToolTip(
            "Only PDFs where text still lies under boxes, images or annotations drawn over "
            "it, or in its background's colour")
        self.failed_redactions.toggled.connect(self._apply_failed_redactions)
        self.table = DocumentTable()
        # Tab leaves the list for the next pane (arrows move within it): by default a table
        # keeps Tab to step through its cells, and keyboard only the focus never got out.
        self.table.setTabKeyNavigation(False)
        self.table.setAccessibleName("Documents")
        self.table.setModel(self.model)
        # no sort indicator at first: the natural (import) order keeps the model lazy
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in enumerate(WIDTHS):
            if width:
                self.table.setColumnWidth(col, width)
        self._widest: dict[int, tuple[int, int]] = {}  # column: (pixels, row), since a reload
        self._seen = False  # rows have been read since the last reload
        self._headers: dict[int, int] = {}  # column: its header's width, measured while shown
        self._by_hand: dict[int, int] = {}  # column: the width the user dragged it to
        self._dragging = False  # a mouse button is down on the header
        self.model.modelReset.connect(self._forget_widths)
        self.model.loaded.connect(lambda: self._measure(0, self.model.rowCount() - 1))
        self.model.dataChanged.connect(lambda top, bottom, *_: self._measure(top.row(),
                                                                              bottom.row()))
        header.viewport().installEventFilter(self)
        header.sectionResized.connect(self._resized)
        self.table.setColumnHidden(7, True)  # "Imported": sortable, but rarely worth the width
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        header.setSortIndicatorShown(True)
        header.sortIndicatorChanged.connect(lambda *_: header.setSortIndicatorShown(True))
        # In a narrow list the least useful columns step aside, the empty ones first.
        self.fitter = ColumnFitter(self.table, narrow_hide_order(), wanted=self.column_width,
                                   empty=self.column_empty)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.activated.connect(self._current_changed)
        self.model.loaded.connect(self._update_count)
        # A reload (a corrected record, an import) resets the model, which forgets the
        # selection: the rows the user had chosen are chosen again, by document, once their
        # block has arrived, without opening anything again.
        self._keep: list[int] = []
        self._keep_current: int | None = None  # of those, the current row's
        self._restoring = False
        self._opening_row: int | None = None  # current before its row had arrived
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        # A reload's rows come after the reset; a refresh (a tag added: the Tags column)
        # brings them with it: chosen again at once, or the row read lost its highlight.
        self.model.modelReset.connect(self._restore_selection)
        self.model.dataChanged.connect(lambda *_: self._restore_selection())
        self.model.dataChanged.connect(lambda *_: self._open_arrived())
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 0)
        layout.setSpacing(8)
        layout.addLayout(top)
        filters = QHBoxLayout()
        filters.addWidget(self.filter, 1)
        filters.addWidget(self.failed_redactions)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if (event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
                    and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
                self.enter_list()
                return True
        if watched is self.table.horizontalHeader().viewport() and event.type() in (
                QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
                QEvent.Type.MouseButtonRelease):
            self._dragging = event.type() != QEvent.Type.MouseButtonRelease
        return super().eventFilter(watched, event)

    def column_width(self, col: int) -> int:
        """The width column ``col`` is given: the one the user dragged it to, else its
        header's or its widest value's, whichever is wider, and at most ``WIDTHS[col]``."""
        if col in self._by_hand:
            return self._by_hand[col]
        header = self.table.horizontalHeader()
        if not header.isSectionHidden(col):  # Qt measures a hidden section's header as 0
            self._headers[col] = header.sectionSizeHint(col)
        need = self._headers.get(col) or self._header_estimate(col)
        if col in self._widest:
            index = self.model.index(self._widest[col][1], col)
            need = max(need, self.table.sizeHintForIndex(index).width())
        return min(WIDTHS[col], need)

    def _header_estimate(self, col: int) -> int:
        """A header never measured while shown (hidden from the start in a narrow window):
        its label and the sort arrow's room, not the column's usual width, which would give
        "TEXT" in a 100-pixel Kind column the title's room."""
        metrics = self.table.horizontalHeader().fontMetrics()
        label = str(self.model.headerData(col, Qt.Orientation.Horizontal) or "")
        return metrics.horizontalAdvance(label) + 4 * metrics.averageCharWidth()

    def column_empty(self, col: int) -> bool:
        """Whether column ``col`` has no value in any row read (none read: not known, no)."""
        return self._seen and col not in self._widest

    def _forget_widths(self) -> None:
        self._widest.clear()
        self._seen = False

    def _measure(self, first: int, last: int) -> None:
        """Notes each column's widest value in the rows read from ``first`` to ``last`` and
        sizes the columns again; with no row read yet (a reload on its way) they stay."""
        rows = self.model.loaded_rows(first, last)
        if not rows:
            return
        self._seen = True
        metrics = self.table.fontMetrics()
        for col, (key, _label) in enumerate(COLUMNS):
            if not WIDTHS[col]:
                continue  # the title: it takes what the others leave
            for n, row in rows:
                width = metrics.horizontalAdvance(cell_text(row, key))
                if width > self._widest.get(col, (0, 0))[0]:
                    self._widest[col] = (width, n)
        header = self.table.horizontalHeader()
        for col, usual in enumerate(WIDTHS):
            # a hidden one is given its width as it comes back (table_fit.ColumnFitter)
            if usual and not header.isSectionHidden(col):
                self.table.setColumnWidth(col, self.column_width(col))
        self.fitter.fit()  # a column may have become empty, or no longer be

    def _resized(self, col: int, _old: int, new: int) -> None:
        if self._dragging and WIDTHS[col]:
            self._by_hand[col] = new

    def enter_list(self) -> None:
        """Focus the table on its current row, or on the first row (opening it) when none is."""
        if self._debounce.isActive():  # typed a moment ago: list what the field now says
            self._debounce.stop()
            self._apply_filter()
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else 0
        if row < self.model.rowCount() and not self.table.selectionModel().isRowSelected(row):
            self.table.selectRow(row)  # before the focus, which would make row 0 current quietly
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_collection(self, name: str | None) -> None:
        self.model.collection = name
        self.heading.setText(name or "All documents")
        self.model.reload()

    def _apply_filter(self) -> None:
        self.model.needle = self.filter.text().strip()
        self.model.reload()

    def _apply_failed_redactions(self, on: bool) -> None:
        self.model.failed_redactions = on
        self.model.reload()

    def forget_selection(self) -> None:
        """A library is opened: nothing chosen in the list before (by document id, which in
        another library, or after a lock, names a document nobody chose) is chosen again."""
        self._keep, self._keep_current, self._opening_row = [], None, None
        self.table.selectionModel().clear()

    def _remember_selection(self) -> None:
        self._opening_row = None
        if self._keep:
            return  # still waiting for the rows of the last reset
        self._keep = self.selected_ids()
        current = self.table.currentIndex()
        row = self.model.loaded_rows(current.row(), current.row()) if current.isValid() else []
        self._keep_current = int(row[0][1]["id"]) if row else None

    def _restore_selection(self) -> None:
        if not self._keep or not self.model.loaded_rows(0, self.model.rowCount() - 1):
            return  # nothing chosen, or no rows yet: the first block to arrive decides
        # A document not in that block (filtered out, deleted, or far down a long list) is
        # simply no longer selected.
        rows = [r for r in (self.model.row_of(doc_id) for doc_id in self._keep)
                if r is not None]
        current = self.model.row_of(self._keep_current) if self._keep_current else None
        self._keep, self._keep_current = [], None
        if not rows:
            return
        flags = (QItemSelectionModel.SelectionFlag.Select
                 | QItemSelectionModel.SelectionFlag.Rows)
        selection = self.table.selectionModel()
        self._restoring = True
        try:
            for row in rows:
                selection.select(self.model.index(row, 0), flags)
            selection.setCurrentIndex(self.model.index(rows[0] if current is None else current,
                                                       0),
                                      QItemSelectionModel.SelectionFlag.NoUpdate)
        finally:
            self._restoring = False

    def _open_arrived(self) -> None:
        """The current row's block has arrived since it became current (End in a long
        list): its document opens now, as it would have then."""
        row, self._opening_row = self._opening_row, None
        if row is None or self.table.currentIndex().row() != row:
            return
        doc_id = self.model.document_id(row)
        if doc_id is None:
            self._opening_row = row  # another block arrived; this one is still on its way
        else:
            self.document_chosen.emit(doc_id)

    def _current_changed(self, current: QModelIndex, *_: object) -> None:
        if self._restoring or self.table.quiet:
            return
        doc_id = self.model.document_id(current.row()) if current.isValid() else None
        self._opening_row = current.row() if current.isValid() and doc_id is None else None
        if doc_id is not None:
            self.document_chosen.emit(doc_id)

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        self.count.setText(f"{shown:,} of {total:,}" if shown != total else
                           f"{total:,} document{'s' if total != 1 else ''}")

    def selected_ids(self) -> list[int]:
        rows = sorted({ix.row() for ix in self.table.selectionModel().selectedRows()})
        return [i for i in (self.model.document_id(r) for r in rows) if i is not None]

    def select_document(self, doc_id: int) -> None:
        row = self.model.row_of(doc_id)
        if row is not None:
            self.table.selectRow(row)
