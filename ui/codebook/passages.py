"""Passages by tag: a sortable, filterable table of the highlights coded with a tag.

``PassagesModel`` is a thin adapter over the plain rows ``tag_passages`` returns; a
``QSortFilterProxyModel`` sorts (page numbers as numbers) and filters across every column.
What the table shows, in the order it shows it, is what the export buttons write and what
"Add to dossier" adds: the user sorts and narrows, then hands on exactly that.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..flow_layout import FlowLayout
from ..sidebar import color_dot
from ..table_fit import ColumnFitter

COLUMNS = ("Quote", "Note", "Source", "Page", "Tags")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


def _short(text: str, n: int = 300) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= n else flat[:n] + "…"


class PassagesModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, col = self.rows[index.row()], index.column()
        if role == ID_ROLE:
            return r["id"]
        if role == Qt.ItemDataRole.DisplayRole:
            return [_short(r["quote"]), _short(r["note"], 160), r["document_title"] or "",
                    "" if r.get("page") is None else str(r["page"]),
                    ", ".join(r["tags"])][col]
        if role == SORT_ROLE:
            return [r["quote"].casefold(), (r["note"] or "").casefold(),
                    (r["document_title"] or "").casefold(), r.get("page") or 0,
                    ", ".join(r["tags"]).casefold()][col]
        orphan = r["status"] == "orphan"
        if role == Qt.ItemDataRole.ToolTipRole:
            if orphan:  # it cannot be shown in place: say so (italics, not a theme colour)
                return ("Orphaned: the document's text changed and this passage could not be "
                        "placed again; see the document's Highlights tab")
            return r["quote"] if col == 0 else (r["note"] or None) if col == 1 else None
        if role == Qt.ItemDataRole.FontRole and orphan:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return color_dot(r.get("display_color") or r["color"])
        return None


class PassagesTable(QTableView):
    """Enter opens the current passage, as a double-click does."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Return and self.currentIndex().isValid():
            self.doubleClicked.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class PassagesView(QWidget):
    """The table with its filter, count and buttons; the panel acts on its signals."""

    opened = Signal(dict)  # a passage's row: open the document at it
    export_requested = Signal(str)  # "csv" or "docx"
    add_requested = Signal(bool)  # commentary from the note

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PassagesModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.title = QLabel("Choose a tag to see its passages")
        self.title.setObjectName("viewerTitle")
        self.title.setWordWrap(True)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter passages: words of a quote, note or source…")
        self.filter.setAccessibleName("Filter passages")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.table = PassagesTable()
        self.table.setTabKeyNavigation(False)  # Tab goes on to the next widget
        self.table.setAccessibleName("Passages with this tag")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the core's order first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        for col, width in ((1, 130), (2, 130), (3, 44), (4, 110)):
            self.table.setColumnWidth(col, width)
        # At 1024 px the list pane leaves the table ~400 px, less than these columns want: it
        # scrolled sideways, the quote squeezed to a sliver. The tags (the chosen one, mostly),
        # then the page, then the note step aside instead, and come back when there is room.
        ColumnFitter(self.table, [4, 3, 1], title=0, title_min=140)
        # Three lines of a quote per row, wrapped: enough to recognise a passage, and a fixed
        # height keeps a long list cheap (no per-row measuring).
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() * 3 + 10)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.doubleClicked.connect(self._open)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.count = QLabel("")
        self.count.setObjectName("secondary")
        self.csv_button = QPushButton("Export CSV…")
        self.docx_button = QPushButton("Export DOCX…")
        self.add_button = QPushButton("Add to dossier")
        self.add_button.setToolTip("Add the selected passages (or all shown) to the open "
                                   "dossier, in this order")
        self.csv_button.clicked.connect(lambda: self.export_requested.emit("csv"))
        self.docx_button.clicked.connect(lambda: self.export_requested.emit("docx"))
        self.add_button.clicked.connect(lambda: self.add_requested.emit(False))
        # The row wraps in a narrow pane or at large text: never cut, never wider than the pane.
        self.count.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        buttons = FlowLayout()
        buttons.addWidget(self.count)
        for b in (self.add_button, self.csv_button, self.docx_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.set_rows(None, [])

    def minimumSizeHint(self) -> QSize:
        """Tall enough for the button row as wrapped at today's width: the splitter above asks
        only for a minimum, not a height for a width, and cut a wrapped row off at 200 %."""
        hint = super().minimumSizeHint()
        layout = self.layout()
        if layout is None or self.width() <= 0:
            return hint
        return QSize(hint.width(), max(hint.height(), layout.minimumHeightForWidth(self.width())))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # the buttons may wrap onto more or fewer rows

    def set_rows(self, tag: dict[str, Any] | None, rows: list[dict[str, Any]]) -> None:
        self.model.set_rows(rows)
        self.title.setText("Choose a tag to see its passages" if tag is None else
                           f"Passages: {tag['path']}")
        self._update_count()
        for b in (self.csv_button, self.docx_button, self.add_button):
            b.setEnabled(bool(rows))

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        docs = len({r["document_id"] for r in self.shown_rows()})
        passages = f"{shown} of {total} passages" if shown != total else \
            f"{total} passage{'s' if total != 1 else ''}"
        self.count.setText(f"{passages} · {docs} document{'s' if docs != 1 else ''}"
                           if total else "")

    # --- what the user sees, in order ---------------------------------------------------------

    def shown_rows(self) -> list[dict[str, Any]]:
        return [self.model.rows[self.proxy.mapToSource(self.proxy.index(i, 0)).row()]
                for i in range(self.proxy.rowCount())]

    def shown_ids(self) -> list[int]:
        return [r["id"] for r in self.shown_rows()]

    def selected_ids(self) -> list[int]:
        """Selected passages in the table's order; all shown ones when none is selected."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows:
            return self.shown_ids()
        return [int(self.proxy.index(r, 0).data(ID_ROLE)) for r in rows]

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.opened.emit(self.model.rows[self.proxy.mapToSource(index).row()])

    def _menu(self, pos: Any) -> None:
        menu = QMenu(self)
        index = self.table.indexAt(pos)
        if index.isValid():
            menu.addAction("Open in the document", lambda: self._open(index))
            menu.addSeparator()
        menu.addAction("Add to the open dossier", lambda: self.add_requested.emit(False))
        menu.addAction("Add to the open dossier, notes as commentary",
                       lambda: self.add_requested.emit(True))
        menu.addSeparator()
        menu.addAction("Export CSV…", lambda: self.export_requested.emit("csv"))
        menu.addAction("Export DOCX…", lambda: self.export_requested.emit("docx"))
        for a in menu.actions():
            a.setEnabled(self.model.rowCount() > 0)
        self.last_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(pos))
