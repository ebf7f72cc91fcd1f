"""The Original tab's hint under the page tools, wrapped so that it reads whole.

One elided line cut "Drag over text and press H to highlight · Shift-drag for a region" after
"Shift-dr…" at 1024 px, so the way to draw a region highlight was never read (session 17's
walk); at double text size less of it was left. The hint now takes the lines it needs at the
pane's width, and never widens the pane.

Its height never drops below what the *standing* hints need at the current width: the idle
hint and the selection's hint that replaces it as a drag ends. A hint appearing or shrinking
under the toolbar as a selection is made would move the page under the mouse (why this line is
there even when empty). A rarer, longer message (an area redacted, no text under a selection)
takes the lines it needs.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class HintLine(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setObjectName("secondary")
        self.setWordWrap(True)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.standing: list[str] = []  # the hints whose room is kept (set with the tools)

    def set_standing(self, hints: list[str]) -> None:
        self.standing = [h for h in hints if h]
        self.updateGeometry()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.updateGeometry()  # a longer message may need another line at this width

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return max(self._height(t, width) for t in [self.text(), *self.standing])

    def minimumSizeHint(self) -> QSize:
        # As narrow as its longest word: it never widens the pane. One line tall: the layout
        # gives it its height for the width it gets (``heightForWidth``) from the page's room;
        # its height at its narrowest would raise the window's minimum height.
        return QSize(super().minimumSizeHint().width(), self._height("", 0))

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.heightForWidth(hint.width()))

    def _height(self, text: str, width: int) -> int:
        """The height ``text`` takes wrapped at ``width``; one line's when empty."""
        margins = self.contentsMargins()
        inner = max(width - margins.left() - margins.right(), 1)
        metrics = self.fontMetrics()
        lines = metrics.boundingRect(QRect(0, 0, inner, 1 << 20),
                                     int(Qt.TextFlag.TextWordWrap), text).height() if text else 0
        return max(lines, metrics.height()) + margins.top() + margins.bottom() + 2
