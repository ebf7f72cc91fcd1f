"""Keeps a table's columns inside its width: the least useful columns step aside when narrow.

The document list's columns (title, kind, date, source, pages, tags, status) want ~650 px; at
1024 px the list gets ~420, and the table scrolled sideways, hiding the status and the tags
off to the right (issue 14, bug 10). ``ColumnFitter`` hides columns, least useful first, while the
title would be narrower than ``title_min``, and brings them back, in reverse order, when there
is room again, at the width they had or the one ``wanted`` gives (the document list's columns
follow what the rows hold: a column's content may have changed while it was hidden). Columns
hidden by anyone else are left as they are.

A column with nothing to show (``empty``) steps aside first, comes back last, and gives its
place to a stepped-aside column that has something: at 1024 px the list showed its empty Date,
Source and Tags columns while the kind, pages and status of every row were hidden.

A tree fits the same way (the codebook's tag names before their counts); ``title_min`` may be
a function, for a minimum that follows the text size or what the rows hold. ``on_change`` is
called after a fit that hid or brought back a column (the chronology then reads the sources
under the statement while their column is aside).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QTreeView


class ColumnFitter(QObject):
    def __init__(self, table: QTableView | QTreeView, hide_order: list[int], title: int = 0,
                 title_min: int | Callable[[], int] = 160,
                 wanted: Callable[[int], int] | None = None,
                 empty: Callable[[int], bool] | None = None,
                 on_change: Callable[[], None] | None = None) -> None:
        super().__init__(table)
        self.table = table
        self.header: QHeaderView = (table.horizontalHeader() if isinstance(table, QTableView)
                                    else table.header())
        self.hide_order = hide_order  # column numbers, the first hidden first
        self.title = title
        self._title_min = title_min
        self.wanted = wanted  # a column's width when it comes back, if not the one it had
        self.empty = empty or (lambda _column: False)  # whether a column has nothing to show
        self.stepped_aside: list[tuple[int, int]] = []  # (column, width), in hiding order
        self.on_change = on_change
        self._fitting = False
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.viewport().installEventFilter(self)
        self.header.sectionResized.connect(self._resized)

    @property
    def title_min(self) -> int:
        return self._title_min() if callable(self._title_min) else self._title_min

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if column != self.title:  # the title only follows the viewport, already watched
            self.fit()

    def _others(self) -> int:
        """The width of the shown columns other than the title."""
        header = self.header
        return sum(header.sectionSize(c) for c in range(header.count())
                   if c != self.title and not header.isSectionHidden(c))

    def fit(self) -> None:
        width = self.table.viewport().width()
        if width <= 0 or self._fitting:
            return
        self._fitting = True
        aside = [c for c, _size in self.stepped_aside]
        try:
            self._fit(width)
        finally:
            self._fitting = False
        if self.on_change is not None and aside != [c for c, _size in self.stepped_aside]:
            self.on_change()

    def _fit(self, width: int) -> None:
        header = self.header
        title_min = self.title_min
        shown = [c for c in self.hide_order if not header.isSectionHidden(c)]
        if any(not self.empty(c) for c, _size in self.stepped_aside):
            for column in [c for c in shown if self.empty(c)]:
                self._step_aside(column)  # its place to one with something to show
        while self._others() + title_min > width:
            shown = [c for c in self.hide_order if not header.isSectionHidden(c)]
            if not shown:
                break
            self._step_aside(next((c for c in shown if self.empty(c)), shown[0]))
        while self.stepped_aside:
            # the last stepped aside comes back first, one with something to show before any
            n = max((i for i, (c, _size) in enumerate(self.stepped_aside) if not self.empty(c)),
                    default=len(self.stepped_aside) - 1)
            column, size = self.stepped_aside[n]
            if self.wanted is not None:
                size = self.wanted(column)
            if self._others() + size + title_min > width:
                break
            del self.stepped_aside[n]
            self.table.setColumnHidden(column, False)
            header.resizeSection(column, size)

    def measure_again(self) -> None:
        """Brings every stepped-aside column back and fits again: for a new text size, at
        which the widths they had no longer hold (a column sized to its contents then
        measures itself afresh, and steps aside again if it must)."""
        if self._fitting:
            return
        aside, self.stepped_aside = self.stepped_aside, []
        self._fitting = True  # no fit at each column shown: once, when all are
        try:
            for column, _size in aside:
                self.table.setColumnHidden(column, False)
        finally:
            self._fitting = False
        self.fit()
        if self.on_change is not None and aside and not self.stepped_aside:
            self.on_change()  # (fit saw none aside before it, so it did not tell)

    def _step_aside(self, column: int) -> None:
        self.stepped_aside.append((column, self.header.sectionSize(column)))
        self.table.setColumnHidden(column, True)
