"""Keyboard: H on a selection opens the highlight dialog; Ctrl+K focuses search; Ctrl+F finds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt


def test_keys_drive_the_main_actions(window: Any, tmp_path: Path, qtbot: Any) -> None:
    if window.highlighter is None:
        pytest.fail("this core build has no highlights")
    f = tmp_path / "k.txt"
    f.write_text("The guards moved the detainees at dawn.\n", encoding="utf-8")
    window.imports.start([f])
    window.imports.plan_dialog.accept()
    window.imports.summary_dialog.accept()
    window.documents.table.selectRow(0)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)
    view = window.viewer.text
    view.setFocus()
    view.select_range(4, 10)
    qtbot.keyClick(view, Qt.Key.Key_H)
    assert window.highlighter.dialog is not None
    assert "guards" in window.highlighter.dialog.quote.text()
    window.highlighter.dialog.reject()
    qtbot.keyClick(view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search_field.hasFocus()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.viewer.find_bar.isVisible()
    qtbot.keyClicks(window.viewer.find_bar.field, "dawn")
    assert window.viewer.find_bar.count.text() == "1 of 1"
