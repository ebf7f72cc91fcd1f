"""Chronology → "New event…": the button (mouse or Space) and the table's menu entry open an
empty event dialog. The button's clicked(bool) was passed on as the dialog's suggestion and
every click ended in "Unexpected error" (found walking the chronology, session 17)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.test_chronology_ui import library


def _panel(win: Any, qtbot: Any, tmp_path: Path) -> Any:
    library(win, tmp_path)  # an empty library shows its first-run page instead
    win.show_chronology()
    QApplication.processEvents()
    panel = win.chronology
    assert panel is not None and panel.isVisible()
    return panel


def test_the_new_event_button_opens_an_empty_dialog(window: Any, qtbot: Any,
                                                    tmp_path: Path) -> None:
    panel = _panel(window, qtbot, tmp_path)
    button = panel.buttons["new"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.statement.toPlainText() == "" and dialog.date.text() == ""
    dialog.reject()
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert panel.dialog is not dialog and panel.dialog.isVisible()
    panel.dialog.reject()


def test_the_menu_entry_opens_an_empty_dialog(window: Any, qtbot: Any, tmp_path: Path) -> None:
    panel = _panel(window, qtbot, tmp_path)
    panel.table.customContextMenuRequested.emit(panel.table.viewport().rect().center())
    menu = panel.last_menu
    [action] = [a for a in menu.actions() if a.text() == "New event…"]
    menu.close()
    action.trigger()
    assert panel.dialog is not None and panel.dialog.isVisible()
    assert panel.dialog.statement.toPlainText() == ""
    panel.dialog.reject()
