"""A row of widgets that wraps onto further rows when the pane is too narrow for it.

Rows of buttons in a ``QHBoxLayout`` ask for the sum of their widths as the pane's minimum; at
1024 px, or at a larger text size, that pushed the window past the screen and Qt then cut the
buttons' text ("commer", "nove exh") and let neighbours overlap (issue 14, bug 10). Here each
widget keeps its full size hint, rows wrap instead, and the layout reports the height it needs
for a width (``heightForWidth``), so the parent makes room. Widgets whose horizontal size policy
expands (a combo box, a line edit) share what is left of their row.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget, QWidgetItem


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    # --- the QLayout interface ------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def insertWidget(self, index: int, widget: QWidget) -> None:
        """As ``QBoxLayout.insertWidget``, for features that add a widget beside another
        (``index`` out of range: at the end)."""
        self.addChildWidget(widget)
        at = index if 0 <= index <= len(self._items) else len(self._items)
        self._items.insert(at, QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        """Everything on one row."""
        items = self._visible()
        width = sum(i.sizeHint().width() for i in items) + self._gap * max(len(items) - 1, 0)
        height = max((i.sizeHint().height() for i in items), default=0)
        return self._with_margins(QSize(width, height))

    def minimumSize(self) -> QSize:
        """The widest single widget: narrower than that, a row cannot wrap any further."""
        items = self._visible()
        width = max((i.minimumSize().width() for i in items), default=0)
        height = max((i.sizeHint().height() for i in items), default=0)
        return self._with_margins(QSize(width, height))

    # --- arranging ------------------------------------------------------------------------------

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _with_margins(self, size: QSize) -> QSize:
        m = self.contentsMargins()
        return QSize(size.width() + m.left() + m.right(), size.height() + m.top() + m.bottom())

    def _arrange(self, rect: QRect, apply: bool) -> int:
        """Places the items in rows inside ``rect``; returns the height used."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        rows: list[list[tuple[QLayoutItem, int]]] = [[]]
        used = 0
        for item in self._visible():
            width = max(min(item.sizeHint().width(), area.width()), item.minimumSize().width())
            if rows[-1] and used + self._gap + width > area.width():
                rows.append([])
                used = 0
            used += (self._gap if rows[-1] else 0) + width
            rows[-1].append((item, width))
        y = area.top()
        for row in rows:
            if not row:
                continue
            height = max(item.sizeHint().height() for item, _w in row)
            if apply:
                self._place(row, area, y, height)
            y += height + self._gap
        return max(y - self._gap - area.top(), 0) + m.top() + m.bottom()

    def _place(self, row: list[tuple[QLayoutItem, int]], area: QRect, y: int,
               height: int) -> None:
        spare = area.width() - sum(w for _i, w in row) - self._gap * (len(row) - 1)
        growing = [item for item, _w in row
                   if item.expandingDirections() & Qt.Orientation.Horizontal]
        share, extra = divmod(max(spare, 0), len(growing)) if growing else (0, 0)
        x = area.left()
        for item, width in row:
            if item in growing:
                width += share + (1 if extra > 0 else 0)
                extra -= 1
            h = min(max(item.sizeHint().height(), item.minimumSize().height()), height)
            item.setGeometry(QRect(QPoint(x, y + (height - h) // 2), QSize(width, h)))
            x += width + self._gap
