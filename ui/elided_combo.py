"""A combo box that elides a long current item ("Submission to the UN…") and names it whole
in its tooltip.

``QComboBox`` draws its current text cut off at the arrow without an ellipsis (session 16's walk
at 1024x700: a dossier's title read "Submission to the UN Special"), so nobody could tell the
title went on. This one draws what fits with "…", and its tooltip and each item's tooltip in the
popup carry the full text. The items themselves are untouched: ``currentText()`` is the whole
text, as callers and tests read it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPaintEvent, QPalette
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QWidget


class ElidedComboBox(QComboBox):
    def __init__(self, parent: QWidget | None = None,
                 mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> None:
        super().__init__(parent)
        self.mode = mode
        self.currentIndexChanged.connect(self._tip)
        self.model().rowsInserted.connect(self._item_tips)
        self.model().dataChanged.connect(self._item_tips)

    def _tip(self, *_: object) -> None:
        if self.toolTip() != self.currentText():
            self.setToolTip(self.currentText())

    def _item_tips(self, *_: object) -> None:
        self._tip()
        for row in range(self.count()):  # the popup is as narrow as the box: name them whole
            if self.itemData(row, Qt.ItemDataRole.ToolTipRole) != self.itemText(row):
                self.setItemData(row, self.itemText(row), Qt.ItemDataRole.ToolTipRole)

    def event(self, event: QEvent) -> bool:
        # A caller may change the current item with signals blocked (the builder fills its
        # chooser so): the tooltip is brought up to date before it shows, and at each paint.
        if event.type() == QEvent.Type.ToolTip:
            self._tip()
        return super().event(event)

    def _label_width(self, option: QStyleOptionComboBox) -> int:
        field = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxEditField, self)
        return max(field.width() - 2, 0)  # the style draws the label 1 px in on each side

    def shown_text(self) -> str:
        """The current text as drawn: whole when it fits, else cut with "…"."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self.fontMetrics().elidedText(self.currentText(), self.mode,
                                             self._label_width(option))

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.isEditable():  # a line edit shows the text; nothing to elide here
            super().paintEvent(event)
            return
        self._tip()
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        if self.currentIndex() < 0 and self.placeholderText():  # as QComboBox draws it
            option.palette.setBrush(QPalette.ColorRole.ButtonText,
                                    option.palette.placeholderText())
            option.currentText = self.placeholderText()
        option.currentText = self.fontMetrics().elidedText(option.currentText, self.mode,
                                                           self._label_width(option))
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
