"""The main window's size and layout: fitted to the screen it opens on, remembered between runs.

The window used to open at 1360x840 whatever the screen; on a 1024x700 laptop its bottom and
right edges (the status bar, the reader's scroll bar) were off screen (issue 14, bug 10). It now
takes its preferred size only where that fits the screen's *available* area (without task bars),
and opens maximized where it does not. A size saved on a larger monitor is fitted the same way.
``PageStack`` is the list pane's stack: only the page it shows sets its minimum size;
``VerticalScroller`` lets a crowded part of a page scroll instead of raising the window's height.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QWidget

PREFERRED = QSize(1360, 840)
# Room for the title bar and frame, which the window system adds outside the window's size.
FRAME = QSize(16, 48)


def fitted_geometry(preferred: QSize, available: QRect) -> tuple[QSize, bool]:
    """(size, maximize): the preferred size where it fits ``available``, else as much as fits,
    and True to open maximized."""
    room = QSize(available.width() - FRAME.width(), available.height() - FRAME.height())
    fits = preferred.width() <= room.width() and preferred.height() <= room.height()
    return (preferred if fits else preferred.boundedTo(room)), not fits


def _available(window: Any) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: Any, preferred: QSize = PREFERRED) -> None:
    """Sizes a window not yet shown: centred on its screen, maximized when it does not fit."""
    available = _available(window)
    size, maximize = fitted_geometry(preferred, available)
    window.resize(size)
    frame = QRect(available.topLeft(), size + FRAME)
    frame.moveCenter(available.center())
    window.move(frame.topLeft())
    if maximize:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def restore_layout(window: Any) -> None:
    """The geometry, toolbars and pane sizes of the last run, fitted to today's screen."""
    s = QSettings()
    geo, state, split = (s.value("window/geometry"), s.value("window/state"),
                         s.value("window/splitter"))
    if isinstance(geo, QByteArray) and window.restoreGeometry(geo) and not window.isMaximized():
        on_screen = QRect(window.pos(), window.size() + FRAME)
        if not _available(window).contains(on_screen):  # saved on a larger or another screen
            fit_to_screen(window, window.size())
    if isinstance(state, QByteArray):
        window.restoreState(state)
    if isinstance(split, QByteArray):
        window.splitter.restoreState(split)


def save_layout(window: Any) -> None:
    s = QSettings()
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/state", window.saveState())
    s.setValue("window/splitter", window.splitter.saveState())


class PageStack(QStackedWidget):
    """A stack as small as the page it shows. ``QStackedWidget`` asks for the largest minimum of
    all its pages, so one wide page (a panel not shown) narrowed the sidebar and the reader
    while another page was shown, and could push the window past a small screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        if page is None:
            return super().minimumSizeHint()
        hint, fixed = page.minimumSizeHint(), page.minimumSize()
        return QSize(fixed.width() or hint.width(), fixed.height() or hint.height())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()


class VerticalScroller(QScrollArea):
    """Scrolls ``content`` up and down, never sideways, and is as narrow as the content allows.

    A plain ``QScrollArea`` with its horizontal bar off asks for almost no width, so a narrow
    pane cut its content at the right edge; this one asks for the content's minimum width (plus
    the bar's) and only a little height: on a short screen the content scrolls, it no longer
    pushes the window past the screen (the codebook at 200 % text asked for 710 px)."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # No Tab stop of its own (it shows no focus): Tab goes to its content's widgets, and
        # the area scrolls to the one that has the focus.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def minimumSizeHint(self) -> QSize:
        base = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return base
        width = (content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
                 + 2 * self.frameWidth())
        return QSize(max(width, base.width()), base.height())
