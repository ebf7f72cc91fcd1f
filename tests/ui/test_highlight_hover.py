"""Hovering a highlight in the reading pane names its tags and note (session 15's walk: the
label was set on the painted format, which a text view never shows as a tooltip)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from ui.viewer.text_view import Painted, TextView

TEXT = "Before the passage. The tagged passage sits here. After the passage, more words."


def _hover(view: TextView, qt_pos: int, qtbot: Any) -> str:
    cur = view.textCursor()
    cur.setPosition(qt_pos)
    rect = view.cursorRect(cur)
    at = QPoint(rect.right() + 2, rect.center().y())
    QToolTip.hideText()  # hidden after a short fade: wait, or the last one is read
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=3000)
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, at,
                                                        view.viewport().mapToGlobal(at)))
    return QToolTip.text() if QToolTip.isVisible() else ""


@pytest.fixture
def view(qtbot: Any) -> TextView:
    shown = TextView()
    qtbot.addWidget(shown)
    shown.resize(600, 300)
    shown.show()
    shown.set_text(TEXT, [])
    return shown


def test_hovering_a_highlight_shows_its_tags_and_note(view: TextView, qtbot: Any) -> None:
    start = TEXT.index("The tagged")
    view.set_highlights([Painted(7, start, start + 29, "#f5d742",
                                 "Arbitrary detention, Witness — check the date")])
    tip = _hover(view, start + 5, qtbot)
    assert "Arbitrary detention, Witness" in tip and "check the date" in tip
    assert _hover(view, 3, qtbot) == ""  # plain text: no tooltip
    QToolTip.hideText()


def test_an_untagged_highlight_says_so(view: TextView, qtbot: Any) -> None:
    start = TEXT.index("The tagged")
    view.set_highlights([Painted(8, start, start + 29, "#f5d742", "")])
    assert "No tag" in _hover(view, start + 5, qtbot)
    QToolTip.hideText()
