"""A read-only table over rows of strings (a light model: building it costs nothing per row, so
a 10,000-file import summary opens as fast as a 3-file one)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from .. import theme

Row = tuple[Sequence[str], str | None]  # cells, tone (bad | warn | ok | None)
Index = QModelIndex | QPersistentModelIndex


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

    def set_rows(self, headers: Sequence[str], rows: Sequence[Row]) -> None:
        self.rows_model = RowsModel(headers, rows)
        self.setModel(self.rows_model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        if len(headers) > 2:
            self.setColumnWidth(0, 360)
            self.setColumnWidth(1, self._words_width(rows, 1))
        else:
            self.setColumnWidth(0, 320)

    def _words_width(self, rows: Sequence[Row], col: int) -> int:
        """Wide enough for the column's longest value in this font: its values are a few
        short words ("Duplicate, skipped"), so the distinct ones are measured, not the rows
        (at most 360 pixels: the last column stretches)."""
        metrics = self.fontMetrics()
        words = {cells[col] for cells, _tone in rows}
        widest = max((metrics.horizontalAdvance(w) for w in words), default=0)
        return min(360, max(90, widest + 2 * metrics.averageCharWidth() + 8))

    def text(self, row: int, col: int) -> str:
        assert self.rows_model is not None
        return str(self.rows_model.rows[row][0][col])

    def row_count(self) -> int:
        return len(self.rows_model.rows) if self.rows_model else 0


def readonly_table(name: str) -> RowsTable:
    return RowsTable(name)


def fill_table(table: RowsTable, headers: Sequence[str], rows: Sequence[Row]) -> None:
    table.set_rows(headers, rows)
