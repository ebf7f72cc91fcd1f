"""Tab order that follows the screen: the focusable widgets under a widget, in its layouts'
order (top to bottom, left to right), chained with ``QWidget.setTabOrder``.

Qt's default order is the order widgets were made or parented. A panel that features fill in
later (the chronology's "New event from highlight…" strip, the links box, both inserted into
the Highlights tab after it was built) then gets Tab in the order the features were installed,
not the order they show in.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLayout, QWidget


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
    if widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus:
        out.append(widget)
        return  # a focusable widget's own parts (a list's viewport) are not stops of their own
    layout = widget.layout()
    if layout is not None:
        _in_layout_order(layout, out)


def follow_layout(root: QWidget) -> list[QWidget]:
    """Chains the focusable widgets laid out under ``root`` in screen order; returns them."""
    stops: list[QWidget] = []
    layout = root.layout()
    if layout is not None:
        _in_layout_order(layout, stops)
    for before, after in pairwise(stops):
        QWidget.setTabOrder(before, after)
    return stops
