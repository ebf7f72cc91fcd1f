"""The page view's tool bar: zoom, fit, the page indicator with go-to-page, and the tools.

A row of tool buttons in a ``FlowLayout``: in a narrow viewer pane it wraps onto a second row
instead of widening the pane. (A ``QToolBar`` folded the last tools, Redact area… and OCR
words, into an overflow button that showed as an empty box: a new user never found them.)
Each button shows a ``QAction``, so the actions can be triggered, checked and hidden as one.
It only drives the ``PageView`` and follows its signals.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIntValidator
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from ..flow_layout import FlowLayout
from .page_view import PageView


class PageToolbar(QWidget):
    def __init__(self, view: PageView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setAccessibleName("Page tools")
        self.flow = FlowLayout(self, spacing=4)
        self._buttons: dict[QAction, QToolButton] = {}
        self.zoom_out = self._action("−", "Zoom out (Ctrl+-)", lambda: view.zoom_step(-1))
        self.zoom_label = QLabel("100 %")
        self.zoom_label.setAccessibleName("Zoom")
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("800 %"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.flow.addWidget(self.zoom_label)
        self.zoom_in = self._action("+", "Zoom in (Ctrl+=)", lambda: view.zoom_step(1))
        self.fit_width = self._action("Fit width", "Fit the page's width to the view",
                                      view.fit_width)
        self.fit_page = self._action("Fit page", "Show the whole page", view.fit_page)
        self.page_field = QLineEdit("1")
        self.page_field.setAccessibleName("Go to page")
        self.page_field.setToolTip("Type a page number and press Enter")
        self.page_field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.page_field.setMaximumWidth(self.page_field.fontMetrics().horizontalAdvance("00000")
                                        + 16)
        self.page_field.setValidator(QIntValidator(1, 1, self))
        self.page_field.returnPressed.connect(self._go)
        self.of_label = QLabel(" of 1")
        pager = QWidget()  # "Page [3] of 12" stays on one row, at its own width
        pager.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(pager)
        row.setContentsMargins(6, 0, 6, 0)
        row.setSpacing(2)
        row.addWidget(QLabel("Page"))
        row.addWidget(self.page_field)
        row.addWidget(self.of_label)
        self.flow.addWidget(pager)
        self.region = self._action("Region", "Drag a rectangle to highlight a region (a photo, "
                                   "a signature, a scan); Shift-drag does the same", None, True)
        self.redact = self._action("Redact area…", "Drag a rectangle to redact that area of "
                                   "the page in a dossier's exports", None, True)
        self.words = self._action("OCR words", "Outline the words OCR read on this page", None,
                                  True)
        self.region.toggled.connect(lambda on: self._tool("region", on))
        self.redact.toggled.connect(lambda on: self._tool("redact", on))
        view.page_changed.connect(self._page)
        view.zoom_changed.connect(self._zoom)
        self.set_page_count(view.page_count)

    def _action(self, text: str, tip: str, slot: object, checkable: bool = False) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setCheckable(checkable)
        if slot is not None:
            action.triggered.connect(slot)
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(not checkable)
        self._buttons[action] = button
        action.visibleChanged.connect(lambda: button.setVisible(action.isVisible()))
        self.flow.addWidget(button)
        return action

    def button_for(self, action: QAction) -> QToolButton:
        return self._buttons[action]

    def _tool(self, tool: str, on: bool) -> None:
        if on:
            for other in (self.region, self.redact):
                if other.isChecked() and other is not (self.region if tool == "region"
                                                       else self.redact):
                    other.setChecked(False)
            self.view.set_tool(tool)
        elif self.view.tool == tool:
            self.view.set_tool("text")

    def sync_tool(self) -> None:
        """Unchecks the tool buttons once the view is back to selecting text."""
        for action, tool in ((self.region, "region"), (self.redact, "redact")):
            if action.isChecked() and self.view.tool != tool:
                action.blockSignals(True)
                action.setChecked(False)
                action.blockSignals(False)

    def set_page_count(self, n: int) -> None:
        validator = self.page_field.validator()
        if isinstance(validator, QIntValidator):
            validator.setTop(max(1, n))
        self.of_label.setText(f" of {max(n, 1)}")

    def _go(self) -> None:
        text = self.page_field.text().strip()
        if text.isdigit():
            self.view.go_to_page(int(text))
        self.view.setFocus()

    def _page(self, page: int) -> None:
        if not self.page_field.hasFocus():
            self.page_field.setText(str(page))

    def _zoom(self, zoom: float) -> None:
        self.zoom_label.setText(f"{round(zoom * 100)} %")

    def indicator(self) -> str:
        """What the page indicator reads, e.g. "Page 3 of 12"."""
        return f"Page {self.page_field.text()}{self.of_label.text()}"
