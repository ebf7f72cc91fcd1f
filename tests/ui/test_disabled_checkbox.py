"""A disabled check box looks unavailable: the builder's "List corroborating sources" with no
exhibit chosen was drawn in the full text colour (the stylesheet gave QCheckBox its colour and
no disabled one), so a click on it seemed to do nothing (found walking issue 18)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QCheckBox


@pytest.mark.parametrize("dark", [False, True])
def test_a_disabled_check_box_is_drawn_muted(qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                            dark: bool) -> None:
    from ui import theme
    from ui.app import make_application

    make_application()
    monkeypatch.setenv("WORKBENCH_THEME", "dark" if dark else "light")
    theme.apply_theme(QApplication.instance())  # type: ignore[arg-type]
    try:
        box = QCheckBox("List corroborating sources")
        qtbot.addWidget(box)
        box.show()
        back = QColor(theme.colors()["window"])

        def strongest() -> int:
            """The label's contrast: the largest distance of a pixel from the window colour,
            right of the tick box."""
            img = box.grab().toImage()
            return max(abs(img.pixelColor(x, y).lightness() - back.lightness())
                       for x in range(24, img.width()) for y in range(1, img.height() - 1))

        enabled = strongest()
        box.setEnabled(False)
        disabled = strongest()
        assert disabled < enabled - 30, (disabled, enabled)
    finally:
        monkeypatch.delenv("WORKBENCH_THEME")
        theme.apply_theme(QApplication.instance())  # type: ignore[arg-type]
