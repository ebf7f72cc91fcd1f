"""The builder's split between its exhibits (above) and its editing area (below).

The split used to open at a fixed 3:2, which at 1024x700 left the editing area a sliver and
on a large screen still hid the redactions below its fold (session 16's walk). Until the user
drags the handle, the editing area now gets the height its content needs for the split's
width, as long as the exhibits keep ``EXHIBITS_SHARE`` of the split and at least
``EXHIBITS_LINES`` lines of text (two or three exhibits; at most the larger part of the
split, for large text); what does not fit scrolls in the editing area. Once dragged, the split
keeps the user's sizes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QScrollArea, QSplitter, QWidget

EXHIBITS_SHARE = 0.4  # the exhibits' least part of the split, before the user drags
EXHIBITS_LINES = 10  # and their least height, in lines of text


class EditingSplit(QSplitter):
    def __init__(self, exhibits: QWidget, editing: QScrollArea,
                 parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.editing = editing
        self.setChildrenCollapsible(False)
        self.addWidget(exhibits)
        self.addWidget(editing)
        self.setStretchFactor(0, 1)  # a taller window gives the exhibits more rows
        self.setStretchFactor(1, 0)
        self.dragged = False
        self.splitterMoved.connect(self._moved)
        # Refits once the content's layout has settled; owned by the split, so it dies with it.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit)
        content = editing.widget()
        if content is not None:
            content.installEventFilter(self)  # its rows change: a redaction added, a button

    def _moved(self, *_: object) -> None:
        self.dragged = True

    def needed(self) -> int:
        """The editing area's height showing all of its content at the split's width."""
        content = self.editing.widget()
        if content is None:
            return 0
        width = self.width() - self.editing.verticalScrollBar().sizeHint().width()
        layout = content.layout()
        if layout is not None and layout.hasHeightForWidth():
            return layout.totalHeightForWidth(width) + 2 * self.editing.frameWidth()
        return content.sizeHint().height() + 2 * self.editing.frameWidth()

    def fit(self) -> None:
        """The editing area as tall as its content needs, the exhibits keeping their part."""
        if self.dragged or self.count() != 2:
            return
        total = sum(self.sizes())
        if total <= 0:
            return
        lines = self.fontMetrics().lineSpacing() * EXHIBITS_LINES
        # Never more than the larger part: at a large text size ten lines are most of it.
        exhibits = min(max(int(total * EXHIBITS_SHARE), lines), int(total * (1 - EXHIBITS_SHARE)))
        edit = min(self.needed(), total - exhibits)
        edit = max(edit, self.editing.minimumSizeHint().height())
        sizes = [total - edit, edit]
        if self.sizes() != sizes:
            self.setSizes(sizes)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and not self.dragged:
            self._refit.start()
        return False
