"""The codebook's Colour button gives its menu arrow room: Fusion drew the arrow of a tool
button with a menu squeezed into its bottom-right corner, against the text (session 16's
walk). The button is wide enough for its text, a gap and the arrow, and the arrow is drawn
apart from the text, centred on it, in the light and the dark theme."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QPushButton, QToolButton

from tests.ui.test_codebook import click_tag, coded_window
from ui import theme

OFF = 60  # a pixel this far from the button's background (in any channel) is ink
ARROW = 10  # the arrow's width in the stylesheet
GAP = 6  # at least this much background between the text and the arrow
PAD = 14  # a push button's side padding (app.qss): the text's room on either side


def _ink_columns(button: QToolButton) -> tuple[list[int], dict[int, list[int]]]:
    """The columns inside the button's frame that hold ink, and each one's inked rows."""
    QApplication.processEvents()
    image = button.grab().toImage()
    back = QColor(theme.colors()["button" if button.isEnabled() else "window"])
    rows: dict[int, list[int]] = {}
    for x in range(3, image.width() - 3):  # inside the 1 px frame and its rounded corners
        for y in range(3, image.height() - 3):
            c = image.pixelColor(x, y)
            if max(abs(c.red() - back.red()), abs(c.green() - back.green()),
                   abs(c.blue() - back.blue())) > OFF:
                rows.setdefault(x, []).append(y)
    return sorted(rows), rows


def test_the_colour_buttons_arrow_has_room(window: Any, tmp_path: Path, qtbot: Any,
                                           theme_mode: str) -> None:
    coded_window(window, tmp_path)
    button = window.codebook.color_button
    qtbot.waitExposed(button)
    text = button.fontMetrics().horizontalAdvance(button.text())
    assert button.width() >= button.sizeHint().width()  # the row gives it what it asks
    assert button.sizeHint().width() >= PAD + text + GAP + ARROW + PAD, (button.sizeHint(), text)
    _assert_arrow_apart(button, text, theme_mode)  # disabled: no tag chosen yet
    click_tag(qtbot, window.codebook, "Abuse")
    assert button.isEnabled()
    _assert_arrow_apart(button, text, theme_mode)


def _assert_arrow_apart(button: QToolButton, text: int, theme_mode: str) -> None:
    columns, rows = _ink_columns(button)
    assert columns, "nothing drawn"
    # the arrow: the ink right of the widest gap between inked columns
    gaps = [(b - a, b) for a, b in pairwise(columns)]
    widest, arrow_left = max(gaps)
    assert widest > GAP, (theme_mode, "the arrow touches the text", columns)
    arrow = [x for x in columns if x >= arrow_left]
    letters = [x for x in columns if x < arrow_left]
    assert ARROW - 3 <= len(arrow) <= ARROW + 3, (theme_mode, arrow)  # the arrow alone, whole
    assert max(letters) - min(letters) + 1 >= text - 4  # and the text, whole, before it
    arrow_rows = [y for x in arrow for y in rows[x]]
    text_rows = [y for x in letters for y in rows[x]]
    arrow_middle = (min(arrow_rows) + max(arrow_rows)) / 2
    text_middle = (min(text_rows) + max(text_rows)) / 2
    assert abs(arrow_middle - text_middle) <= 3, (theme_mode, arrow_middle, text_middle)
    assert button.width() - 1 - max(arrow) >= GAP  # not in the corner either


def _fill(button: QToolButton | QPushButton) -> QColor:
    """The button's background, inside its frame, left of its text."""
    QApplication.processEvents()
    image = button.grab().toImage()
    return image.pixelColor(4, image.height() // 2)


def test_the_colour_button_greys_out_with_its_neighbours(window: Any, tmp_path: Path,
                                                         qtbot: Any, theme_mode: str) -> None:
    """Without a tag chosen every tag button is disabled; the Colour button kept the
    enabled buttons' white (light theme) beside its greyed neighbours."""
    coded_window(window, tmp_path)
    panel = window.codebook
    qtbot.waitExposed(panel.color_button)
    assert not panel.color_button.isEnabled() and not panel.buttons["rename"].isEnabled()
    assert _fill(panel.color_button) == _fill(panel.buttons["rename"]), theme_mode
    click_tag(qtbot, panel, "Abuse")
    assert panel.color_button.isEnabled()
    assert _fill(panel.color_button) == _fill(panel.buttons["rename"]), theme_mode
