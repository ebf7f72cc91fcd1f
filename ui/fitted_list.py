"""A list that is as tall as its rows (at least a few), for a list inside a scrolled page.

A list with a height cap inside a ``QScrollArea`` is a scroll area inside a scroll area: the
wheel over it scrolled the list, not the page, and at 1024x700 the dossier builder's
redactions list (capped at 90 px, with a horizontal bar for its long rows) showed less than
one row (session 16's walk). This one asks for the height of all its rows, never less than
``min_rows``, so it never scrolls itself and the wheel over it goes on to the page; each row
is one line, cut with "…" at the list's width instead of scrolling sideways (the caller puts
the whole text in the row's tooltip).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QListWidget,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)


class _ViewportWide(QStyledItemDelegate):
    """Rows no wider than the view: the view then elides their text instead of widening."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(min(hint.width(), self.view.viewport().width()), hint.height())


class FittedList(QListWidget):
    def __init__(self, min_rows: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.min_rows = min_rows
        self.setItemDelegate(_ViewportWide(self))
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setResizeMode(QListView.ResizeMode.Adjust)  # rows follow the width
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        model = self.model()
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset,
                       model.layoutChanged):
            signal.connect(self.updateGeometry)

    def row_height(self) -> int:
        """The height of one row as this list draws it (its style sheet's padding included),
        measured on an example row while the list is empty."""
        if self.count():
            return max(self.sizeHintForRow(0), 1)
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.text = "Xg"
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
        size = self.style().sizeFromContents(QStyle.ContentsType.CT_ItemViewItem, option,
                                             QSize(), self)
        return max(size.height(), self.fontMetrics().height())

    def rows_height(self) -> int:
        rows = max(self.count(), self.min_rows)
        return rows * (self.row_height() + 2 * self.spacing()) + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.rows_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.rows_height())
