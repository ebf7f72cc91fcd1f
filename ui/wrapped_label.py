"""A wrapped label whose whole text is its minimum height, at the width it is given.

A ``QLabel`` with word wrap asks for its height through height-for-width, which a layout
short of room ignores: the event dialog's list of accepted date forms was squeezed into a
third of the lines it needed and drawn cut at its top and bottom (session 17's walk). This
label sets its minimum height to what its text needs at its width, so a layout gives way
elsewhere first, and reports no height-for-width of its own, so that a scroll area around it
sizes its content by minimums (with height-for-width, ``QScrollArea`` takes the content's
*preferred* height and scrolls a dialog that fits).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class WrappedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._fit()

    def hasHeightForWidth(self) -> bool:
        return False

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def needed_height(self, width: int) -> int:
        """The height the text takes wrapped at ``width`` (one line's when empty)."""
        margins = self.contentsMargins()
        inner = max(width - margins.left() - margins.right(), 1)
        metrics = self.fontMetrics()
        text = self.text()
        lines = metrics.boundingRect(QRect(0, 0, inner, 1 << 20),
                                     int(Qt.TextFlag.TextWordWrap), text).height() if text else 0
        return max(lines, metrics.height()) + margins.top() + margins.bottom()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def _fit(self) -> None:
        width = self.width() if self.width() > 1 else self.sizeHint().width()
        self.setMinimumHeight(self.needed_height(width))
