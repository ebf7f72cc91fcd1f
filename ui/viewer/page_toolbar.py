"""The page view's tool bar: zoom, fit, the page indicator with go-to-page, and the tools.

One row of tool buttons. In a wide pane every tool has its own button; in a narrower one "Fit
width" and "Fit page" fold into a "Fit ▾" menu button, and in a narrow one (the viewer pane of
a 1024 px window) Region, Redact area… and OCR words into a "Tools ▾" one too, so the tools stay
on one row and the page keeps most of the tab (three rows of tools left it ~220 px at
1024×700). The buttons and
the menus show the same ``QAction``s, so a tool is triggered, checked and hidden as one, and a
menu button is reached by Tab and opened by Space like any button. The row is a ``FlowLayout``:
should even the folded row not fit (a very large text size) it wraps rather than hiding a tool
in an overflow box. (A ``QToolBar`` folded the last tools into an overflow button that showed
as an empty box: a new user never found them.) It only drives the ``PageView`` and follows its
signals.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIntValidator, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from ..flow_layout import FlowLayout
from .page_view import PageView

# Tighter than the application's tool buttons (4px 10px): "−" and "+" are icon-sized. The
# menu buttons carry their own "▾", so Qt's indicator (drawn over the text) is left out.
ROW_STYLE = ("QToolButton { padding: 3px 6px; } "
             "QToolButton::menu-indicator { image: none; width: 0px; } "
             "QToolButton[active=\"true\"] { border: 1px solid #4f86e8; font-weight: 600; }")
GAP = 4


class PageToolbar(QWidget):
    def __init__(self, view: PageView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setAccessibleName("Page tools")
        self.setStyleSheet(ROW_STYLE)
        self.flow = FlowLayout(self, spacing=GAP)
        self._buttons: dict[QAction, QToolButton] = {}
        self._folded: dict[QAction, QToolButton] = {}  # action -> its menu button
        self._tips: dict[QToolButton, str] = {}
        self.folded: tuple[QToolButton, ...] = ()  # the menu buttons shown for their tools
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
        self.fit_button = self._menu_button("Fit ▾", "Fit the page's width, or the whole page",
                                            [self.fit_width, self.fit_page])
        self.page_field = QLineEdit("1")
        self.page_field.setAccessibleName("Go to page")
        self.page_field.setToolTip("Type a page number and press Enter")
        self.page_field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.page_field.setMaximumWidth(self.page_field.fontMetrics().horizontalAdvance("0000")
                                        + 14)
        self.page_field.setValidator(QIntValidator(1, 1, self))
        self.page_field.returnPressed.connect(self._go)
        self.of_label = QLabel(" of 1")
        pager = QWidget()  # "Page [3] of 12" stays on one row, at its own width
        pager.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(pager)
        row.setContentsMargins(4, 0, 4, 0)
        row.setSpacing(2)
        self.page_word = QLabel("Page")  # left out when narrow: "[3] of 12" says it
        row.addWidget(self.page_word)
        row.addWidget(self.page_field)
        row.addWidget(self.of_label)
        self.flow.addWidget(pager)
        self.region = self._action("Region", "Drag a rectangle to highlight a region (a photo, "
                                   "a signature, a scan); Shift-drag does the same", None, True)
        self.redact = self._action("Redact area…", "Drag a rectangle to redact that area of "
                                   "the page in a dossier's exports", None, True)
        self.words = self._action("OCR words", "Outline the words OCR read on this page", None,
                                  True)
        self.tools_button = self._menu_button(
            "Tools ▾", "Region highlight, Redact area…, OCR words",
            [self.region, self.redact, self.words])
        self.region.toggled.connect(lambda on: self._tool("region", on))
        self.redact.toggled.connect(lambda on: self._tool("redact", on))
        view.tool_changed.connect(lambda _tool: self.sync_tool())
        view.page_changed.connect(self._page)
        view.zoom_changed.connect(self._zoom)
        self.set_page_count(view.page_count)
        self._show_buttons()

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
        action.visibleChanged.connect(self._show_buttons)
        self.flow.addWidget(button)
        return action

    def _menu_button(self, text: str, tip: str, actions: list[QAction]) -> QToolButton:
        """A button whose menu holds ``actions`` (shown instead of their buttons when narrow)."""
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        self._tips[button] = tip
        button.setAccessibleName(text.rstrip(" ▾"))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        menu.setToolTipsVisible(True)
        for action in actions:
            menu.addAction(action)
            self._folded[action] = button
            if action.isCheckable():
                action.toggled.connect(lambda _on, b=button: self._mark_active(b))
        button.setMenu(menu)
        self.flow.addWidget(button)
        return button

    def _mark_active(self, button: QToolButton) -> None:
        """A folded tool that is on (Region, Redact area…, OCR words) shows on its menu
        button: framed, and named in its tooltip, as the tool's own button would be."""
        menu = button.menu()
        on = [a.text().rstrip("…") for a in (menu.actions() if menu else []) if a.isChecked()]
        button.setProperty("active", bool(on))
        button.setToolTip(self._tips[button] + (f" — on: {', '.join(on)}" if on else ""))
        button.style().unpolish(button)
        button.style().polish(button)

    def button_for(self, action: QAction) -> QToolButton:
        return self._buttons[action]

    def menu_button_for(self, action: QAction) -> QToolButton | None:
        """The "Fit ▾" or "Tools ▾" button whose menu holds ``action`` (None: zoom)."""
        return self._folded.get(action)

    # --- one row, wide or narrow ------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fold_for(event.size().width()) != self.folded:
            self._show_buttons()

    def _fold_for(self, width: int) -> tuple[QToolButton, ...]:
        """The menu buttons to fold their tools into at ``width``: none when every button
        fits; first "Fit ▾" (zoom is also on keys), then "Tools ▾" too."""
        full = self._row_width(())
        if width >= full:
            return ()
        if width >= self._row_width((self.fit_button,)):
            return (self.fit_button,)
        return (self.fit_button, self.tools_button)

    def _row_width(self, folded: tuple[QToolButton, ...]) -> int:
        """The width the row needs with the tools of ``folded`` in their menus."""
        items: list[QWidget] = [self.zoom_label]
        items += [b for a, b in self._buttons.items()
                  if a.isVisible() and self._folded.get(a) not in folded]
        items += list(folded)
        pager = [self.page_field, self.of_label]  # one item, its margins 4 + 4, spacing 2
        if self.tools_button not in folded:
            pager.append(self.page_word)
        return (sum(_width(w) for w in items + pager) + 8 + 2 * (len(pager) - 1)
                + GAP * len(items))

    @property
    def narrow(self) -> bool:
        """Whether the tools (Region, Redact area…, OCR words) are in the "Tools ▾" menu."""
        return self.tools_button in self.folded

    def _show_buttons(self) -> None:
        if self.width() > 0:  # (unknown before the first resize: wide)
            self.folded = self._fold_for(self.width())
        for action, button in self._buttons.items():
            button.setVisible(action.isVisible() and self._folded.get(action) not in self.folded)
        for menu_button in (self.fit_button, self.tools_button):
            menu = menu_button.menu()
            offered = menu is not None and any(a.isVisible() for a in menu.actions())
            menu_button.setVisible(menu_button in self.folded and offered)
        self.page_word.setVisible(not self.narrow)

    # --- tools -------------------------------------------------------------------------------

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
                self._mark_active(self.tools_button)

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


def _width(widget: QWidget) -> int:
    """The width ``widget`` takes in the row, shown or not (a hidden button is polished
    first: the style sheet's padding only applies once it is)."""
    widget.ensurePolished()
    return min(widget.sizeHint().width(), widget.maximumWidth())
