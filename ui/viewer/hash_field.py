"""A hash shown whole: every digit on screen, in even groups, copied unbroken.

The Record tab showed a document's SHA-256 in a one-line field that held 40 of its 64 digits
and scrolled (session 16's walk); in an evidence tool the hash is read and compared at a
glance. ``HashField`` is a read-only monospace text field that wraps the hash into lines of
64, 32 or 16 digits, the longest that fit its width (at the narrowest, wherever the width
ends), and is as high as those lines: nothing scrolls. (A QTextEdit: a QPlainTextEdit cannot
wrap at a number of characters.) The wrapping is the text field's own,
so a selection across lines, a double-click (the hash is one word) or Select All copies the
digits without a line break.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent, QTextOption
from PySide6.QtWidgets import QSizePolicy, QTextEdit, QWidget

GROUPS = (64, 32, 16)  # digits per line, the first that fits


class HashField(QTextEdit):
    def __init__(self, digits: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptRichText(False)
        self.setPlainText(digits)
        self.setObjectName("hash")  # monospace, on the window's colour (app.qss)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setTabChangesFocus(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)  # hex has no word breaks
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(digits)
        self.per_line = 0  # digits on each line as last laid out (0: to the widget's width)
        self._fit()

    def _room(self) -> float:
        return self.viewport().width() - 2 * self.document().documentMargin()

    def _fit(self) -> None:
        """Lines of the longest group that fits, and the height of exactly those lines."""
        digits = len(self.toPlainText())
        advance = max(self.fontMetrics().horizontalAdvance("0"), 1)  # one advance: monospace
        fits = max(int(self._room() // advance), 1)
        group = next((g for g in GROUPS if g <= fits), 0)
        if group:
            self.setLineWrapMode(QTextEdit.LineWrapMode.FixedColumnWidth)
            self.setLineWrapColumnOrWidth(group)  # columns: characters, not pixels
        else:
            self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.per_line = group
        # the document as laid out now, or (not laid out yet) its lines at the font's spacing
        lines = max(math.ceil(digits / (group or fits)), 1)
        text_height = max(self.document().size().height(),
                          lines * self.fontMetrics().lineSpacing()
                          + 2 * self.document().documentMargin())
        margins = self.contentsMargins().top() + self.contentsMargins().bottom()
        height = math.ceil(text_height) + margins
        if self.height() != height or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # the stylesheet's font arrives after construction; a text size change changes it
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()
