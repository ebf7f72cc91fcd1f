"""The mark of a search hit (or an entity's mention) opened in the reading pane is unlike a
selection and every highlight colour: it was the selection's blue (#3d8bfd under white), so
after saving a highlight the hit still looked selected (a walk)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from tests.ui.test_reading_selection import _over
from ui import theme
from ui.viewer.text_view import TextView
from workbench.annotate.tags import DEFAULT_COLOR, PALETTE

TEXT = "A witness saw the trucks leave the camp at night."


def _far(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    return float(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5)


@pytest.mark.parametrize("name", ["light", "dark"])
def test_the_mark_is_unlike_a_selection_and_every_highlight(
        name: str, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = os.environ.get("WORKBENCH_THEME")
    monkeypatch.setenv("WORKBENCH_THEME", name)
    theme.apply_theme(app)
    try:
        view = TextView()
        qtbot.addWidget(view)
        view.set_text(TEXT, [])
        view.show()
        view.mark(TEXT.index("trucks"), TEXT.index("trucks") + 6)
        marks = [s for s in view.extraSelections()
                 if s.cursor.selectedText() == "trucks"]
        assert marks, "the mark is painted"
        fmt = marks[-1].format
        mark = fmt.background().color().getRgb()[:3]
        ink = fmt.foreground().color()
        palette = view.palette()
        base = palette.color(QPalette.ColorRole.Base)
        assert _far(mark, palette.color(QPalette.ColorRole.Highlight).getRgb()[:3]) > 80
        for color in (*PALETTE, DEFAULT_COLOR):
            painted = _over(theme.highlight_colors(color)[0], base)
            assert _far(mark, painted) > 80, (color, painted, mark)
        # and its words stay readable on it (WCAG AA, 4.5:1)
        assert _contrast(QColor(*mark), ink) >= 4.5
    finally:
        if before is None:
            monkeypatch.delenv("WORKBENCH_THEME")
        else:
            monkeypatch.setenv("WORKBENCH_THEME", before)
        theme.apply_theme(app)


def _contrast(a: QColor, b: QColor) -> float:
    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
