"""The Original tab's hint under the page tools reads whole at 1024x700, at normal and at double
text size: "Drag over text and press H to highlight · Shift-drag for a region" was cut after
"Shift-dr…" (fresh-user walk), hiding how to draw a region highlight. It wraps instead, and a
selection's shorter hint does not move the page under the mouse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QLabel

from tests.support.files import make_pdf
from tests.ui.conftest import backup_reminder_shown
from tests.ui.test_chronology_ui import double_window  # noqa: F401 (a fixture)
from tests.ui.test_page_highlights import _drag, _vp, _word_rect
from tests.ui.test_page_viewer import _open_original
from ui.elided_label import ElidedLabel

PAGES = ["Report on the camp. The witness Ekpar Asat described the night transfer.",
         "Page two: the road to the county seat and the factory gate."]


def _reads_whole(label: QLabel) -> bool:
    """Whether the label draws all of its text: nothing elided, every wrapped line inside it."""
    if isinstance(label, ElidedLabel) and label.is_elided():
        return False
    rect = label.contentsRect()
    flags = int(Qt.TextFlag.TextWordWrap) if label.wordWrap() else 0
    need = label.fontMetrics().boundingRect(QRect(0, 0, rect.width(), 100000), flags,
                                            label.text())
    return need.width() <= rect.width() and need.height() <= rect.height()


def _check(win: Any, qtbot: Any, tmp_path: Path, *, reminder: bool = True) -> None:
    if win.highlighter is None or not win.session.has("add_page_highlight", "page_words"):
        pytest.fail("this core build has no page highlights")
    win.showNormal()
    win.resize(1024, 700)
    view = _open_original(win, make_pdf(tmp_path / "r.pdf", PAGES), qtbot)
    assert backup_reminder_shown(win)  # the first import brings it
    if not reminder:
        # At double text the viewer is 300 px wide on this screen and the page tools wrap:
        # the hint's three lines fit once "Not now" gives the reminder's room back (with it
        # shown, the hint's last line is cut and its tooltip holds the whole hint).
        win.backups.reminder.dismiss_button.click()
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow(), timeout=3000)
    QApplication.processEvents()
    original = win.viewer.original
    hint = original.hint
    assert win.size() == QSize(1024, 700)
    assert "Shift-drag" in hint.text() and "press H" in hint.text()  # how to draw a region
    assert hint.isVisible() and _reads_whole(hint), hint.text()
    # inside the tab: the hint does not widen the pane
    assert hint.mapTo(original, QPoint(hint.width(), 0)).x() <= original.width()

    # A region drawn with Shift-drag: its hint reads whole too, and the page stays put.
    a, b = _word_rect(win, 1, "Ekpar"), _word_rect(win, 1, "Asat")
    view.show_rect(1, a)
    top = view.mapTo(win, QPoint(0, 0)).y()
    _drag(qtbot, view, _vp(view, 1, a[0] - 2, a[1] - 2), _vp(view, 1, b[2] + 2, b[3] + 2),
          Qt.KeyboardModifier.ShiftModifier)
    QApplication.processEvents()
    assert view.selection is not None and view.selection.mode == "region"
    assert "Press H to highlight the region" in hint.text()
    assert _reads_whole(hint), hint.text()
    assert view.mapTo(win, QPoint(0, 0)).y() == top  # the page did not jump under the mouse


def test_the_page_hint_reads_whole_at_1024(window: Any, qtbot: Any, tmp_path: Path) -> None:
    _check(window, qtbot, tmp_path)


def test_the_page_hint_reads_whole_at_1024_at_double_text(
        double_window: Any, qtbot: Any, tmp_path: Path) -> None:  # noqa: F811
    _check(double_window, qtbot, tmp_path, reminder=False)
