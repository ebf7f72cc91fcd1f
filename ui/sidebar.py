"""The sidebar: library, collections, tag tree (colours, counts), saved searches, dossiers.

A thin tree over plain data (``operations.library.sidebar_data`` builds it on the worker). Items
carry ``(kind, payload)``; choosing one emits ``chosen``. Tags can be dragged onto other tags to
reparent them when the core offers ``move_tag``; the move itself is an operation, not done here.
F2 on an entry asks for its renaming (``rename_requested``: collections, ui/collections_ui.py).

The rows the core's panels answer (Entities, Chronology under LIBRARY) are there from the first
paint, greyed until their panel claims them (``entry``), so nothing moves when the core
arrives after the early list (issue 16). A name too long for the sidebar is cut before its
count, which stays in view (``_CountDelegate``).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QFont,
    QIcon,
    QKeyEvent,
    QPainter,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from .actions import VIEW_KEYS

HIGHLIGHT_MIME = "application/x-workbench-highlights"
DOCUMENT_MIME = "application/x-workbench-documents"
KIND = Qt.ItemDataRole.UserRole
PAYLOAD = Qt.ItemDataRole.UserRole + 1
# Rows under LIBRARY that a panel of the core answers: (kind, label, tooltip), in this order.
ENTRIES = (("entities", "Entities",
            f"People, organisations and places ({VIEW_KEYS['entities']})"),
           ("chronology", "Chronology",
            f"Events in date order, with their sources ({VIEW_KEYS['chronology']})"))
_COUNTED = re.compile(r"^(.*)(  \(\d+\))$", re.DOTALL)  # "Name  (12)"


def color_dot(color: str, size: int = 12) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor(color))
    p.setPen(QColor(color).darker(130))
    p.drawEllipse(1, 1, size - 2, size - 2)
    p.end()
    return QIcon(pix)


class Sidebar(QTreeWidget):
    chosen = Signal(str, object)  # kind, payload
    tag_dropped = Signal(int, object)  # tag id, new parent id (None = top level)
    dossier_dropped = Signal(int, list, list)  # dossier id, highlight ids, document ids
    rename_requested = Signal(str, object)  # F2 on the chosen entry: kind, payload

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAccessibleName("Sidebar: collections, tags, saved searches, dossiers")
        self.setHeaderHidden(True)
        self.setIndentation(14)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        # Long collection, tag or dossier names elide ("Forced labour in the Xinj…", the whole
        # name in the tooltip) rather than scrolling the sidebar sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.header().setStretchLastSection(True)
        self.header().setMinimumSectionSize(0)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.itemSelectionChanged.connect(self._selected)
        self.sections: dict[str, QTreeWidgetItem] = {}
        for key, label in (("library", "LIBRARY"), ("collections", "COLLECTIONS"),
                           ("tags", "TAGS"), ("searches", "SAVED SEARCHES"),
                           ("dossiers", "DOSSIERS")):
            item = QTreeWidgetItem(self, [label])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setData(0, KIND, "section")
            item.setExpanded(True)
            self.sections[key] = item
        self._style_sections()
        self.all_item = self._leaf(self.sections["library"], "All documents", "all", None)
        self._entries: dict[str, QTreeWidgetItem] = {}
        for kind, label, tip in ENTRIES:
            item = self._leaf(self.sections["library"], label, kind, None)
            item.setToolTip(0, f"{tip}: once the library is open")
            item.setFlags(Qt.ItemFlag.NoItemFlags)  # greyed: nothing answers it yet
            self._entries[kind] = item
        self._counts = _CountDelegate(self)
        self.setItemDelegate(self._counts)

    def entry(self, kind: str) -> QTreeWidgetItem:
        """The reserved LIBRARY row of ``kind`` (``ENTRIES``), made choosable: the panel that
        answers it claims it when it is installed."""
        item = self._entries[kind]
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        item.setToolTip(0, next(tip for k, _label, tip in ENTRIES if k == kind))
        return item

    def _style_sections(self) -> None:
        for item in getattr(self, "sections", {}).values():
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * 0.85)
            font.setBold(True)
            item.setFont(0, font)

    def changeEvent(self, event: QEvent) -> None:
        # A text size chosen in Preferences reaches the widget as a font change; the section
        # headings carry their own font and the uniform row height is cached, so both would
        # keep the old size and clip the rows.
        if event.type() == QEvent.Type.FontChange:
            self._style_sections()
            self.scheduleDelayedItemsLayout()
        super().changeEvent(event)

    def _leaf(self, parent: QTreeWidgetItem, text: str, kind: str, payload: Any,
              count: int | None = None, icon: QIcon | None = None) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [text if count is None else f"{text}  ({count})"])
        item.setData(0, KIND, kind)
        item.setData(0, PAYLOAD, payload)
        item.setToolTip(0, text)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if kind == "tag":
            flags |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
        item.setFlags(flags)
        if icon is not None:
            item.setIcon(0, icon)
        return item

    def set_data(self, data: dict[str, Any]) -> None:
        current = self.current_choice()
        self.blockSignals(True)
        self.all_item.setText(0, f"All documents  ({data.get('total', 0)})")
        self._fill("collections", [(c["name"], "collection", c["name"], c.get("documents"), None)
                                   for c in data.get("collections", [])], "No collections yet")
        self._fill_tags(data.get("tags", []))
        self._fill("searches", [(s["name"], "saved_search", s, None, None)
                                for s in data.get("saved_searches", [])],
                   "Save a search to keep it here")
        self._fill("dossiers", [(d["title"], "dossier", d["id"], d.get("items"), None)
                                for d in data.get("dossiers", [])], "No dossiers yet")
        self.blockSignals(False)
        if current is not None:
            self.select(*current)

    def _fill(self, section: str, rows: list[tuple[str, str, Any, int | None, QIcon | None]],
              empty: str) -> None:
        parent = self.sections[section]
        parent.takeChildren()
        for text, kind, payload, count, icon in rows:
            self._leaf(parent, text, kind, payload, count, icon)
        if not rows:
            self._hint(parent, empty)

    def _fill_tags(self, tags: list[dict[str, Any]]) -> None:
        parent = self.sections["tags"]
        parent.takeChildren()
        items: dict[int, QTreeWidgetItem] = {}
        pending = sorted(tags, key=lambda t: (t.get("path") or t.get("name") or "").casefold())
        for tag in pending:
            container = items.get(tag.get("parent_id") or -1, parent)
            count = tag.get("highlights_total", tag.get("highlights"))
            item = self._leaf(container, tag["name"], "tag", tag["id"], count,
                              color_dot(tag.get("color") or "#f5d742"))
            item.setToolTip(0, tag.get("description") or tag.get("path") or tag["name"])
            items[tag["id"]] = item
            item.setExpanded(True)
        if not tags:
            self._hint(parent, "Tags you add to highlights appear here")

    @staticmethod
    def _hint(parent: QTreeWidgetItem, text: str) -> None:
        hint = QTreeWidgetItem(parent, [text])
        hint.setFlags(Qt.ItemFlag.NoItemFlags)
        hint.setData(0, KIND, "hint")
        hint.setToolTip(0, text)  # a narrow sidebar cuts it: the whole of it on hover

    def current_choice(self) -> tuple[str, Any] | None:
        items = self.selectedItems()
        if not items:
            return None
        return items[0].data(0, KIND), items[0].data(0, PAYLOAD)

    def select(self, kind: str, payload: Any) -> None:
        found = self._find(kind, payload)
        if found is not None:
            self.setCurrentItem(found)

    def follow(self, choice: tuple[str, Any] | None) -> None:
        """Highlights the entry of the page the window shows (None: no entry) without
        choosing it: no ``chosen``, so no navigation is triggered again."""
        if choice is not None and self.current_choice() == choice:
            return
        found = None if choice is None else self._find(*choice)
        self.blockSignals(True)
        try:
            if found is not None:
                self.setCurrentItem(found)
            else:
                self.clearSelection()
        finally:
            self.blockSignals(False)

    def _find(self, kind: str, payload: Any) -> QTreeWidgetItem | None:
        def walk(item: QTreeWidgetItem) -> QTreeWidgetItem | None:
            for i in range(item.childCount()):
                child = item.child(i)
                if child is None:
                    continue
                if child.data(0, KIND) == kind and child.data(0, PAYLOAD) == payload:
                    return child
                found = walk(child)
                if found is not None:
                    return found
            return None

        return walk(self.invisibleRootItem())

    def _selected(self) -> None:
        choice = self.current_choice()
        if choice is not None and choice[0] not in ("section", "hint"):
            self.chosen.emit(*choice)

    def focusInEvent(self, event: QFocusEvent) -> None:
        # Tabbed into with no current entry, the focus would sit on nothing visible: mark the
        # entry chosen (else "All documents") as current, without choosing it (no ``chosen``,
        # so the focus alone never navigates). The style sheet frames it while focused.
        if self.currentItem() is None and event.reason() != Qt.FocusReason.MouseFocusReason:
            chosen = self.selectedItems()
            item = chosen[0] if chosen else self.all_item
            model = self.selectionModel()
            if model is not None:
                model.setCurrentIndex(self.indexFromItem(item),
                                      QItemSelectionModel.SelectionFlag.NoUpdate)
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        choice = self.current_choice()
        if event.key() == Qt.Key.Key_F2 and choice is not None \
                and choice[0] not in ("section", "hint"):
            self.rename_requested.emit(*choice)  # whoever renames that kind answers
            return
        super().keyPressEvent(event)

    def _dossier_target(self, event: QDropEvent | QDragMoveEvent) -> QTreeWidgetItem | None:
        mime = event.mimeData()
        if not (mime.hasFormat(HIGHLIGHT_MIME) or mime.hasFormat(DOCUMENT_MIME)):
            return None
        item = self.itemAt(event.position().toPoint())
        return item if item is not None and item.data(0, KIND) == "dossier" else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(HIGHLIGHT_MIME) or mime.hasFormat(DOCUMENT_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(HIGHLIGHT_MIME) or mime.hasFormat(DOCUMENT_MIME):
            if self._dossier_target(event) is not None:
                event.acceptProposedAction()
            else:
                event.ignore()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """Reparenting is a core operation: report the wish, let the refresh redraw the tree.
        Highlights or documents dropped on a dossier are added to it, the same way."""
        dossier = self._dossier_target(event)
        if dossier is not None:
            mime = event.mimeData()
            event.acceptProposedAction()
            self.dossier_dropped.emit(int(dossier.data(0, PAYLOAD)),
                                      _ids(bytes(mime.data(HIGHLIGHT_MIME).data())),
                                      _ids(bytes(mime.data(DOCUMENT_MIME).data())))
            return
        dragged = self.currentItem()
        target = self.itemAt(event.position().toPoint())
        event.ignore()
        if dragged is None or dragged.data(0, KIND) != "tag":
            return
        if target is None or target.data(0, KIND) not in ("tag", "section"):
            return
        if target.data(0, KIND) == "section" and target is not self.sections["tags"]:
            return
        parent_id = target.data(0, PAYLOAD) if target.data(0, KIND) == "tag" else None
        if parent_id != dragged.data(0, PAYLOAD):
            self.tag_dropped.emit(dragged.data(0, PAYLOAD), parent_id)


class _CountDelegate(QStyledItemDelegate):
    """Paints "Name  (12)" with the name elided, never the count: a collection or tag's
    count is what a user reads the sidebar for. ``painted`` keeps the text last painted for
    each name (what a user sees)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.painted: dict[str, str] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        text = str(opt.text)
        counted = _COUNTED.match(text)
        if counted is not None:
            metrics = opt.fontMetrics
            # The style draws the text inside its rectangle less a margin on each side.
            margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None,
                                       widget) + 1
            room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt,
                                        widget).width() - 2 * margin
            if metrics.horizontalAdvance(text) > room:
                name, count = counted.group(1), counted.group(2)
                opt.text = metrics.elidedText(
                    name, Qt.TextElideMode.ElideRight,
                    max(0, room - metrics.horizontalAdvance(count))) + count
            self.painted[counted.group(1)] = str(opt.text)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)


def _ids(raw: bytes) -> list[int]:
    return [int(x) for x in raw.decode().split(",") if x.strip().isdigit()]
