"""A read-only table over rows of strings (a light model: building it costs nothing per row, so
a 10,000-file import summary opens as fast as a 3-file one)."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from .. import theme

Row = tuple[Sequence[str], str | None]  # cells, tone (bad | warn | ok | None)
Index = QModelIndex | QPersistentModelIndex
MEASURED = 50  # a column's longest values (by their characters) measured for its width


class RowsModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], rows: Sequence[Row]) -> None:
        super().__init__()
        self.headers = list(headers)
        self.rows = list(rows)
        self._brushes = {k: QBrush(QColor(theme.tone(k))) for k in theme.TONES}

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cells, tone = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cells[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1 and tone:
            return self._brushes.get(tone)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


class RowsTable(QTableView):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(28)
        self.setWordWrap(False)
        self.rows_model: RowsModel | None = None

    def set_rows(self, headers: Sequence[str], rows: Sequence[Row],
                 stretch: int | None = None) -> None:
        """``stretch``: the column that takes the room the others leave, each of them as wide
        as its longest value; by default the last, with the first 360 pixels wide. The
        import's tables stretch the file's path (0): at 360 pixels a long one was cut while
        the details beside it had room to spare (session 15)."""
        self.rows_model = RowsModel(headers, rows)
        self.setModel(self.rows_model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(stretch is None)
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
            for col in range(len(headers)):
                if col != stretch:
                    self.setColumnWidth(col, self._words_width(rows, col))
        elif len(headers) > 2:
            self.setColumnWidth(0, 360)
            self.setColumnWidth(1, self._words_width(rows, 1))
        else:
            self.setColumnWidth(0, 320)

    def _words_width(self, rows: Sequence[Row], col: int) -> int:
        """Wide enough for the column's longest value in this font, at most 360 pixels (another
        column stretches). Only the longest few distinct values are measured, not the rows:
        a result is a few words ("Duplicate, skipped"), and a 10,000-file import's details
        differ mostly by a size or a document number."""
        metrics = self.fontMetrics()
        words = heapq.nlargest(MEASURED, {cells[col] for cells, _tone in rows}, key=len)
        widest = max((metrics.horizontalAdvance(w) for w in words), default=0)
        return min(360, max(90, widest + 2 * metrics.averageCharWidth() + 8))

    def text(self, row: int, col: int) -> str:
        assert self.rows_model is not None
        return str(self.rows_model.rows[row][0][col])

    def row_count(self) -> int:
        return len(self.rows_model.rows) if self.rows_model else 0


def readonly_table(name: str) -> RowsTable:
    return RowsTable(name)


def fill_table(table: RowsTable, headers: Sequence[str], rows: Sequence[Row],
               stretch: int | None = None) -> None:
    table.set_rows(headers, rows, stretch)
