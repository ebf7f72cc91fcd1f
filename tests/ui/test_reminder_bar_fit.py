"""The backup reminder beside the panes at 1024x700: one slim line, and its buttons and the
window's other push buttons and check boxes show where the keyboard focus is.

Session 16's walk: with the bar shown after a first import, the entity mentions were left
69 px, the codebook's Export DOCX fell outside its pane and the search filters overlapped
(at 200 % text the bar wrapped to three lines, 116 px); Tab onto "Back up now" or a check box
was hard to see.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QCheckBox, QPushButton, QWidget

from tests.ui.conftest import backup_reminder_shown
from tests.ui.test_window_fit import scaled_window  # noqa: F401  (the fixture)


def _first_import(win: Any, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Statement about the camp.", encoding="utf-8")
    win.imports.start([src])
    win.imports.plan_dialog.accept()
    if win.imports.summary_dialog is not None:
        win.imports.summary_dialog.accept()


def test_the_reminder_is_one_slim_line_at_1024(scaled_window: Any,  # noqa: F811
                                               tmp_path: Path, qtbot: Any) -> None:
    win = scaled_window
    win.resize(1024, 700)
    _first_import(win, tmp_path)
    assert backup_reminder_shown(win)
    qtbot.wait(30)
    bar = win.backups.reminder
    label = bar.label
    # no taller than its buttons and a few pixels: one line, whatever the text size
    assert bar.height() <= bar.backup_button.height() + 8, (bar.height(),
                                                            bar.backup_button.height())
    assert label.height() <= label.fontMetrics().height() + 4
    assert "never been backed up" in label.text()
    assert label.toolTip() == label.text()  # cut with "…", the whole in its tooltip
    if win.width() < label.fontMetrics().horizontalAdvance(label.text()):
        assert label.is_elided()


def _shot(w: QWidget) -> QImage:
    QApplication.processEvents()
    return w.grab().toImage()


@pytest.mark.parametrize("theme_mode", ["light", "dark"], indirect=True)
def test_tab_focus_shows_on_buttons_and_check_boxes(theme_mode: str, qtbot: Any) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    plain = QPushButton("Not now", host)
    default = QPushButton("Back up now", host)
    default.setDefault(True)
    box = QCheckBox("Collapse copies", host)
    other = QPushButton("elsewhere", host)
    for i, w in enumerate((plain, default, box, other)):
        w.move(10, 10 + 50 * i)
        w.resize(160, 40)
    host.resize(200, 220)
    host.show()
    qtbot.waitExposed(host)
    for w in (plain, default, box):
        other.setFocus(Qt.FocusReason.TabFocusReason)
        unfocused = _shot(w)
        w.setFocus(Qt.FocusReason.TabFocusReason)
        assert w.hasFocus()
        assert _shot(w) != unfocused, f"{w.text()}: the focus draws nothing ({theme_mode})"
