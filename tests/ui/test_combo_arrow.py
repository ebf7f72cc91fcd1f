"""A combo box's drop-down arrow sits on the theme's own background: in the light theme the
collection combo box (the import plan's "Add to collection", the chronology's collection
filter) showed a dark bar beside its arrow (session 15's walk under Xvfb). The stylesheet
gave QComboBox a background and no drop-down rule, so the drop-down was drawn as a bevelled
button shaded from that white: grey and near-black lines at its right and bottom edges. In
the dark theme the same shades are near-black on near-black and did not show."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QComboBox, QStyle, QStyleOptionComboBox

from ui import theme

OFF = 40  # a pixel this far from the background (in any channel) is drawn on it
BAR = 0.8  # a line of such pixels this long across the arrow's area is a bar, not a glyph


def _arrow_area(combo: QComboBox) -> tuple[QImage, list[list[bool]]]:
    """The combo box's picture and, over its arrow's sub-control (inside the frame), which
    pixels stand out from the combo box's background."""
    QApplication.processEvents()
    image = combo.grab().toImage()
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    rect = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                        QStyle.SubControl.SC_ComboBoxArrow, combo)
    rect = rect.intersected(combo.rect().adjusted(1, 1, -1, -1))  # not the frame's 1 px
    assert rect.width() >= 8 and rect.height() >= 8, rect
    back = QColor(theme.colors()["base" if combo.isEnabled() else "window"])

    def off(x: int, y: int) -> bool:
        c = image.pixelColor(x, y)
        return max(abs(c.red() - back.red()), abs(c.green() - back.green()),
                   abs(c.blue() - back.blue())) > OFF

    return image, [[off(x, y) for x in range(rect.left(), rect.right() + 1)]
                   for y in range(rect.top(), rect.bottom() + 1)]


def _assert_arrow_on_background(combo: QComboBox) -> None:
    _image, grid = _arrow_area(combo)
    height, width = len(grid), len(grid[0])
    assert any(any(row) for row in grid), "no arrow drawn"
    bars = [("column", x) for x in range(width) if sum(r[x] for r in grid) >= BAR * height]
    bars += [("row", y) for y in range(height) if sum(grid[y]) >= BAR * width]
    assert not bars, (combo.accessibleName(), bars, (width, height))


def test_the_collection_combo_arrow_has_no_bar(window: Any, tmp_path: Path, qtbot: Any,
                                               theme_mode: str) -> None:
    (tmp_path / "statement.txt").write_text("A statement about the camp.\n", encoding="utf-8")
    window.imports.start([tmp_path / "statement.txt"])
    dialog = window.imports.plan_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    _assert_arrow_on_background(dialog.collection)  # editable: a name can be typed
    dialog.reject()
    if getattr(window, "chronology", None) is None:
        pytest.fail("this core build has no chronology")
    window.show_chronology()
    chooser = window.chronology.collection  # a plain choice, in the chronology's filter bar
    qtbot.waitExposed(chooser)
    _assert_arrow_on_background(chooser)
    chooser.setEnabled(False)  # drawn on the window's colour
    _assert_arrow_on_background(chooser)
