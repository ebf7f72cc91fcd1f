"""Keyboard focus shows on combo boxes and tab bars, in both themes.

Session 17's walk: three Tabs through the Chronology's filters (Tag, Entity, Collection) changed
nothing on screen, and the viewer's tab bar (Text, Highlights, Original, Record) showed its
focus as a faint box, unseen in the dark theme. A focused one now paints clearly differently
from an unfocused one: many pixels change, and by much (as a focused line edit's border does).
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton, QTabWidget, QWidget

from ui.elided_combo import ElidedComboBox


def _shot(w: QWidget) -> QImage:
    QApplication.processEvents()
    return w.grab().toImage()


def _changed(a: QImage, b: QImage) -> int:
    """How many pixels differ in lightness by 25 or more (a faint dotted box does not count)."""
    return sum(1 for x in range(a.width()) for y in range(a.height())
               if abs(a.pixelColor(x, y).lightness() - b.pixelColor(x, y).lightness()) >= 25)


@pytest.mark.parametrize("theme_mode", ["light", "dark"], indirect=True)
def test_tab_focus_shows_on_combo_boxes_and_tab_bars(theme_mode: str, qtbot: Any) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    combo = QComboBox(host)
    combo.addItems(["Any tag", "Detention"])
    elided = ElidedComboBox(host)  # the filters' kind
    elided.addItems(["Any collection", "Field mail"])
    tabs = QTabWidget(host)
    for name in ("Text", "Highlights", "Original", "Record"):
        tabs.addTab(QWidget(), name)
    other = QPushButton("elsewhere", host)
    for i, w in enumerate((combo, elided, tabs, other)):
        w.move(10, 10 + 60 * i)
        w.resize(360, 40 if w is not tabs else 50)
    host.resize(400, 300)
    host.show()
    qtbot.waitExposed(host)
    for w, focus in ((combo, combo), (elided, elided), (tabs, tabs.tabBar())):
        other.setFocus(Qt.FocusReason.TabFocusReason)
        unfocused = _shot(w)
        focus.setFocus(Qt.FocusReason.TabFocusReason)
        assert focus.hasFocus()
        changed = _changed(unfocused, _shot(w))
        assert changed >= 60, f"{type(focus).__name__}: the focus shows in {changed} pixels " \
            f"({theme_mode})"
