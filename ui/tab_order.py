"""Tab order that follows the screen: the focusable widgets under a widget, in its layouts'
order (top to bottom, left to right), chained with ``QWidget.setTabOrder``.

Qt's default order is the order widgets were made or parented. A panel that features fill in
later (the chronology's "New event from highlight…" strip, the links box, both inserted into
the Highlights tab after it was built) then gets Tab in the order the features were installed,
not the order they show in. The feature pages of the middle stack (codebook, entities,
chronology) are made when first shown, so all their stops came after the rest of the window:
Tab from the sidebar jumped over the page to the reader. ``follow_layout(page, after=sidebar)``
puts the page's stops, in screen order, right after the sidebar.

Besides layouts it walks into a splitter's panes, a tab widget's tab bar then its pages, and a
scroll area's content (the area itself is no stop: it shows no focus of its own).
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLayout, QScrollArea, QSplitter, QTabWidget, QWidget


def _in_layout_order(layout: QLayout, out: list[QWidget]) -> None:
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item is None:
            continue
        child = item.widget()
        inner = item.layout()
        if child is not None:
            _collect(child, out)
        elif inner is not None:
            _in_layout_order(inner, out)


def _collect(widget: QWidget, out: list[QWidget]) -> None:
    if isinstance(widget, QTabWidget):  # it hands the focus to its tab bar: the tabs come first
        out.append(widget.tabBar())
        for i in range(widget.count()):
            page = widget.widget(i)
            if page is not None:
                _collect(page, out)
        return
    if widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus:
        out.append(widget)
        return  # a focusable widget's own parts (a list's viewport) are not stops of their own
    if isinstance(widget, QSplitter):
        for i in range(widget.count()):
            pane = widget.widget(i)
            if pane is not None:
                _collect(pane, out)
        return
    if isinstance(widget, QScrollArea):
        content = widget.widget()
        if content is not None:
            _collect(content, out)
        return
    layout = widget.layout()
    if layout is not None:
        _in_layout_order(layout, out)


def follow_layout(root: QWidget, after: QWidget | None = None) -> list[QWidget]:
    """Chains the focusable widgets laid out under ``root`` in screen order, right after
    ``after`` when given (what followed ``after`` then follows the last of them); returns
    them."""
    stops: list[QWidget] = []
    layout = root.layout()
    if layout is not None:
        _in_layout_order(layout, stops)
    chain = ([after] if after is not None and stops else []) + stops
    # Each call moves the second right after the first: in this order the whole run ends up
    # after ``after``, in screen order.
    for before, then in pairwise(chain):
        QWidget.setTabOrder(before, then)
    return stops
