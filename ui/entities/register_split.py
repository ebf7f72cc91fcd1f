"""The Entities page's split between the register and the chosen entity: how much height the
register gets until the user drags the handle.

The register is given the rows it has, two at least and a third of the split at most, and
the chosen entity's names, linked documents and mentions the rest. A fixed first split gave
the register of one entity three rows' room, taken from the mentions: at 1024x700 with the
backup reminder shown they were left 69 px, not three lines.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter, QTreeWidget, QWidget

ROWS_AT_LEAST = 2
SHARE_AT_MOST = 3  # a third of the split's height


class RegisterSplit(QSplitter):
    def __init__(self, table: QTreeWidget, detail: QWidget,
                 parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.table = table
        self.detail = detail
        self.setChildrenCollapsible(False)
        self.addWidget(table)
        self.addWidget(detail)
        self.setStretchFactor(1, 1)
        self.dragged = False  # the user's own split is kept
        # The whole register's, not the filter's: typing a filter does not move the split.
        self.rows = 0
        self.splitterMoved.connect(self._moved)

    def _moved(self, _pos: int, _index: int) -> None:
        self.dragged = True

    def register_height(self, total: int) -> int:
        """The register's share of ``total`` pixels for the rows it has now."""
        table = self.table
        row = max(table.sizeHintForRow(0), table.fontMetrics().height() + 6)
        chrome = table.header().sizeHint().height() + 2 * table.frameWidth()
        bar = table.horizontalScrollBar()
        if bar.isVisible():
            chrome += bar.sizeHint().height()
        wanted = chrome + max(self.rows, ROWS_AT_LEAST) * row
        least = chrome + ROWS_AT_LEAST * row
        return max(least, min(wanted, total // SHARE_AT_MOST))

    def fit(self, rows: int | None = None) -> None:
        """Splits again for the register's ``rows`` (not once the user has dragged the handle)."""
        if rows is not None:
            self.rows = rows
        total = sum(self.sizes())
        if self.dragged or total <= 0:
            return
        top = min(self.register_height(total), total - self.detail.minimumSizeHint().height())
        self.setSizes([top, total - top])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()
