"""The codebook's tag tree: colour dots, passage counts, rename in place, drag to re-parent.

A thin view over ``list_tags`` rows. It never changes a tag itself: a rename typed in place,
a drop or the Delete key becomes a signal, the panel runs the operation, and the redraw comes
from the ``Changes`` it returns (a refused drop or rename simply redraws as it was).

The names keep the room to be read (``name_width``): in a narrow pane (1024 px at 200 % text,
or a narrowed list pane) the "Passages" column, wide for its few digits, steps aside, and the
tree asks its layout for that room, so the memo beside it gives way, not the names. They had
shrunk to a colour dot and "…" beside their counts.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ..sidebar import color_dot
from ..table_fit import ColumnFitter

TAG_ID = Qt.ItemDataRole.UserRole
NAME = Qt.ItemDataRole.UserRole + 1


class CodebookTree(QTreeWidget):
    renamed = Signal(int, str)  # tag id, new name
    moved = Signal(int, object)  # tag id, new parent id (None = top level)
    delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codebookTree")
        self.setAccessibleName("Codebook: tags")
        self.setColumnCount(2)
        self.setHeaderLabels(["Tag", "Passages"])
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        # F2 is handled below: Qt's own trigger edits whichever column was clicked (the count).
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.itemChanged.connect(self._item_changed)
        self.rows: dict[int, dict[str, Any]] = {}
        self._filling = False
        self._name_width: int | None = None  # worked out again for new tags or a new text size
        self._remeasure_pending = False
        # The counts step aside for the names (the sidebar and the passages' heading count
        # the passages too), and come back, at the width they had, when there is room.
        self.fitter = ColumnFitter(self, [1], title=0, title_min=self.name_width)

    # --- room for the names -------------------------------------------------------------------

    def name_width(self) -> int:
        """The name column's width in which every tag's name can be read: its indentation (at
        most four levels' worth), its colour dot, and its name, or ten letters and "…" of a
        long one."""
        if self._name_width is None:
            metrics = self.fontMetrics()
            dot = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, self)
            widest = metrics.horizontalAdvance("Tag name…")
            for item, depth in self._walk():
                name = item.text(0)
                shown = name if len(name) <= 10 else name[:10] + "…"
                # the branch marks: one for a top-level tag, one more for each level under it
                indent = self.indentation() * (min(depth, 3) + 1)
                widest = max(widest, indent + dot + 12 + metrics.horizontalAdvance(shown))
            self._name_width = widest
        return self._name_width

    def _names_changed(self) -> None:
        self._name_width = None
        self.updateGeometry()
        self.fitter.fit()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        width = (self.name_width() + self.verticalScrollBar().sizeHint().width()
                 + 2 * self.frameWidth())
        return QSize(max(hint.width(), width), hint.height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) \
                and not getattr(self, "_remeasure_pending", True):  # (not while being made)
            # A new text size: the names need another width, and so do the counts (back at
            # 100 % from 200 %, they stayed aside, measured for 200 %). Once the theme has
            # reached every widget (hence later, from the event loop).
            self._remeasure_pending = True
            QTimer.singleShot(0, self, self._remeasure)

    def _remeasure(self) -> None:
        self._remeasure_pending = False
        self._name_width = None
        self.updateGeometry()
        self.fitter.measure_again()

    # --- content ------------------------------------------------------------------------------

    def set_tags(self, tags: list[dict[str, Any]]) -> None:
        current = self.current_id()
        collapsed = {tid for tid, it in self._items().items() if not it.isExpanded()}
        self._filling = True
        self.clear()
        self.rows = {t["id"]: t for t in tags}
        items: dict[int, QTreeWidgetItem] = {}
        for tag in sorted(tags, key=lambda t: t["path"].casefold()):
            parent = items.get(tag["parent_id"]) if tag["parent_id"] else None
            item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self)
            item.setText(0, tag["name"])
            item.setText(1, str(tag.get("highlights_total", 0)))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setIcon(0, color_dot(tag["color"]))
            item.setData(0, TAG_ID, tag["id"])
            item.setData(0, NAME, tag["name"])
            tip = tag["path"] + (f"\n\n{tag['description']}" if tag.get("description") else "")
            item.setToolTip(0, tip)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled
                          | Qt.ItemFlag.ItemIsDropEnabled)
            items[tag["id"]] = item
        for tid, item in items.items():
            item.setExpanded(tid not in collapsed)
        self._filling = False
        self._names_changed()
        if current in items:
            self.setCurrentItem(items[current])

    def _items(self) -> dict[int, QTreeWidgetItem]:
        out: dict[int, QTreeWidgetItem] = {}
        todo = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while todo:
            item = todo.pop()
            if item is None:
                continue
            out[int(item.data(0, TAG_ID))] = item
            todo.extend(item.child(i) for i in range(item.childCount()))
        return out

    def _walk(self) -> list[tuple[QTreeWidgetItem, int]]:
        """Every item, with its depth (0 for a top-level tag)."""
        out: list[tuple[QTreeWidgetItem, int]] = []
        todo = [(self.topLevelItem(i), 0) for i in range(self.topLevelItemCount())]
        while todo:
            item, depth = todo.pop()
            if item is None:
                continue
            out.append((item, depth))
            todo.extend((item.child(i), depth + 1) for i in range(item.childCount()))
        return out

    def item_for(self, tag_id: int) -> QTreeWidgetItem | None:
        return self._items().get(tag_id)

    def current_id(self) -> int | None:
        item = self.currentItem()
        return None if item is None else int(item.data(0, TAG_ID))

    def current_row(self) -> dict[str, Any] | None:
        tid = self.current_id()
        return None if tid is None else self.rows.get(tid)

    def select(self, tag_id: int) -> None:
        item = self.item_for(tag_id)
        if item is not None:
            self.setCurrentItem(item)

    # --- renaming in place, deleting by key ---------------------------------------------------

    def rename_current(self) -> None:
        item = self.currentItem()
        if item is not None:
            self.editItem(item, 0)

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0:
            return
        new, old = item.text(0).strip(), item.data(0, NAME)
        if new and new != old:
            self.renamed.emit(int(item.data(0, TAG_ID)), new)
        elif new != item.text(0) or not new:
            self._filling = True
            item.setText(0, old)
            self._filling = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F2 and self.state() != QAbstractItemView.State.EditingState:
            self.rename_current()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) \
                and self.state() != QAbstractItemView.State.EditingState:
            tid = self.current_id()
            if tid is not None:
                self.delete_requested.emit(tid)
                return
        super().keyPressEvent(event)

    # --- drag to re-parent --------------------------------------------------------------------

    def dropEvent(self, event: QDropEvent) -> None:
        """Report the wish and leave the tree as it is: the refresh redraws it from the core
        (on the empty area below the tags, the tag becomes a top-level one)."""
        dragged = self.currentItem()
        target = self.itemAt(event.position().toPoint())
        event.ignore()
        if dragged is None or target is dragged:
            return
        tag_id = int(dragged.data(0, TAG_ID))
        parent_id = None if target is None else int(target.data(0, TAG_ID))
        if parent_id != self.rows.get(tag_id, {}).get("parent_id"):
            self.moved.emit(tag_id, parent_id)
