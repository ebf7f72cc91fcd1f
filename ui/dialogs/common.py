"""Small shared pieces for dialogs: a read-only table filled from rows of strings."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

STATUS_COLORS = {
    "bad": "#c0392b",
    "warn": "#b9770e",
    "ok": "#1e8449",
}


def fill_table(table: QTableWidget, headers: Sequence[str],
               rows: Sequence[tuple[Sequence[str], str | None]]) -> None:
    """Rows are (cells, tone) where tone is bad | warn | ok | None (colours the status cell)."""
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setRowCount(len(rows))
    for r, (cells, tone) in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if c == 1 and tone in STATUS_COLORS:
                item.setForeground(QBrush(QColor(STATUS_COLORS[tone])))
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.resizeColumnsToContents()
    header.setStretchLastSection(True)
    table.setColumnWidth(0, min(max(table.columnWidth(0), 200), 360))


def readonly_table(name: str) -> QTableWidget:
    table = QTableWidget()
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    return table
