"""The history table: a lazy Qt model over ``Workbench.history`` pages.

Rows arrive a page at a time on the worker (``fetchMore`` when the view scrolls near the end),
so a library of 100k events opens its history as fast as one of ten; a new filter or a change
to the library starts again from the newest. Answers to an older question (a filter since
changed) are dropped by their generation number.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from ..session import Session

PAGE = 200
COLUMNS = ["When", "Who", "What"]
Index = QModelIndex | QPersistentModelIndex


class HistoryModel(QAbstractTableModel):
    loaded = Signal()  # after each page: the view updates its count line

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.rows: list[Any] = []  # workbench.history.HistoryRow
        self.before: int | None = None
        self.more = False
        self.author: str | None = None
        self.kind: str | None = None
        self._loading = False
        self._generation = 0

    # --- the questions ----------------------------------------------------------------------

    def reload(self, author: str | None = None, kind: str | None = None) -> None:
        """Start again from the newest change, of ``author`` and ``kind`` when given."""
        self.author, self.kind = author, kind
        self._generation += 1
        self.beginResetModel()
        self.rows, self.before, self.more, self._loading = [], None, True, False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def reload_later(self) -> None:
        """Forget what was read (another library): the next ``reload`` reads afresh."""
        self._generation += 1
        self.beginResetModel()
        self.rows, self.before, self.more, self._loading = [], None, False, False
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self.more and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent) or not self.session.is_open:
            return
        self._loading = True
        generation, before, author, kind = self._generation, self.before, self.author, self.kind
        self.session.query(
            lambda wb: wb.history(limit=PAGE, before=before, author=author, kind=kind),
            lambda page: self._arrived(generation, page), "read the library's history",
            on_error=lambda exc: self._failed(generation, exc))

    def _arrived(self, generation: int, page: Any) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.more = page.before is not None
        self.before = page.before
        if page.rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self.rows.extend(page.rows)
            self.endInsertRows()
        self.loaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._loading, self.more = False, False
            self.loaded.emit()
        self.session.presenter.show(exc, "read the library's history")

    # --- the table --------------------------------------------------------------------------

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
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            from workbench.history import local_time

            return [local_time(row.at), row.who, row.what][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Event {row.id} ({row.event_type} of {row.object_type}): {row.sentence}"
        return None
