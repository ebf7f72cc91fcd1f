"""Selected text in the reading pane never looks like a saved highlight: in light, the
selection (#cfe0fb under dark text) and a highlight in the second tag's colour (#7fc8f8 at
alpha 120 on white: #c3e5fc) were near twins, and after saving one could not tell the
highlight from text still selected (session 15's walk)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from ui import theme
from ui.viewer.text_view import TextView
from workbench.annotate.tags import DEFAULT_COLOR, PALETTE


def _over(color: QColor, base: QColor) -> tuple[int, int, int]:
    a = color.alpha() / 255
    return tuple(round(a * c + (1 - a) * b)  # type: ignore[return-value]
                 for c, b in zip(color.getRgb()[:3], base.getRgb()[:3], strict=True))


@pytest.mark.parametrize("name", ["light", "dark"])
def test_a_selection_is_unlike_every_highlight_colour(name: str, qtbot: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    app = QApplication.instance()
    before = os.environ.get("WORKBENCH_THEME")
    monkeypatch.setenv("WORKBENCH_THEME", name)
    assert isinstance(app, QApplication)
    theme.apply_theme(app)
    try:
        view = TextView()
        qtbot.addWidget(view)
        view.setPlainText("A witness saw the trucks leave the camp at night.")
        view.show()
        qtbot.waitExposed(view)
        palette = view.palette()
        selection = palette.color(QPalette.ColorRole.Highlight).getRgb()[:3]
        base = palette.color(QPalette.ColorRole.Base)
        for color in (*PALETTE, DEFAULT_COLOR):
            painted = _over(theme.highlight_colors(color)[0], base)
            distance = sum((a - b) ** 2 for a, b in zip(painted, selection, strict=True)) ** 0.5
            assert distance > 80, (color, painted, selection, round(distance))
    finally:  # the theme the other tests run in (monkeypatch.undo would also undo the
        # settings' isolation the conftest set up for this test)
        if before is None:
            monkeypatch.delenv("WORKBENCH_THEME")
        else:
            monkeypatch.setenv("WORKBENCH_THEME", before)
        theme.apply_theme(app)
