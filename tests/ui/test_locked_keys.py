"""The File menu and the keys say what can be done.

- A disabled menu item is drawn in the muted colour in both themes: File → Change passphrase…
  and Lock library on a plain library looked as live as Verify library (the stylesheet gave
  QMenu items a colour and no disabled one; fresh-user walk, light and dark).
- While an encrypted library is locked, the window's keys do nothing to it: typing on the lock
  page ran H ("Select some text in the document first.") and would run Delete, Ctrl+I …
  What needs the library is disabled until it is open again.
- Ctrl+Shift+L on a plain library said nothing: the status bar now says that only an
  encrypted library can be locked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QMenu

from tests.ui.test_encrypted_library_ui import GOOD, DialogAnswers, encrypted_path  # noqa: F401


def _file_menu(window: Any) -> QMenu:
    for action in window.menuBar().actions():
        if action.text() == "&File" and isinstance(action.menu(), QMenu):
            return action.menu()
    raise AssertionError("no File menu")


def _contrast(menu: QMenu, action: Any, back: QColor) -> int:
    """The strongest distance of an item's pixels from the menu's background: its text."""
    image = menu.grab(menu.actionGeometry(action)).toImage()
    return max(abs(image.pixelColor(x, y).lightness() - back.lightness())
               for x in range(image.width()) for y in range(image.height()))


def test_disabled_menu_items_are_drawn_muted(window: Any, qtbot: Any, theme_mode: str) -> None:
    from ui import theme

    menu = _file_menu(window)
    menu.popup(window.mapToGlobal(QPoint(10, 10)))
    qtbot.waitUntil(menu.isVisible, timeout=3000)
    try:
        back = QColor(theme.colors()["base"])
        live = _contrast(menu, window.acts["verify"], back)
        dead = _contrast(menu, window.acts["change_passphrase"], back)
        assert not window.acts["change_passphrase"].isEnabled()
        assert dead < live - 30, (theme_mode, dead, live)
    finally:
        menu.close()


def _active(window: Any, qtbot: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)


def test_keys_do_nothing_while_the_library_is_locked(
        window: Any, qtbot: Any, encrypted_path: Path,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    asked: list[str] = []  # a file dialog opened by a key (Ctrl+I) would wait for ever here

    def files(*_a: Any, **_k: Any) -> tuple[list[str], str]:
        asked.append("files")
        return [], ""

    def folder(*_a: Any, **_k: Any) -> str:
        asked.append("folder")
        return ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", files)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", folder)
    answers = DialogAnswers(qtbot, [[GOOD], [GOOD]])
    window.open_path(encrypted_path)
    qtbot.waitUntil(lambda: window.session.path is not None, timeout=20000)
    _active(window, qtbot)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_L, ctrl_shift)  # Lock library
    flow = window.encryption
    assert window.central.currentWidget() is flow.lock_page
    window.statusBar().clearMessage()
    ran: list[str] = []
    for name in ("highlight", "delete_doc", "import_files", "verify", "add_to_dossier",
                 "show_documents", "history"):
        window.acts[name].triggered.connect(lambda *_a, n=name: ran.append(n))
    page = flow.lock_page.button
    assert page.hasFocus()
    for key, mods in ((Qt.Key.Key_H, Qt.KeyboardModifier.NoModifier),
                      (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
                      (Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier),
                      (Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier),
                      (Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)):
        qtbot.keyClick(page, key, mods)
    assert ran == [] and asked == []
    assert window.statusBar().currentMessage() == ""
    qtbot.keyClick(page, Qt.Key.Key_L, ctrl_shift)
    assert "locked already" in window.statusBar().currentMessage()
    assert window.central.currentWidget() is flow.lock_page
    # the menus say so too; what needs no library stays
    assert not window.acts["highlight"].isEnabled() and not window.acts["verify"].isEnabled()
    for name in ("open_library", "new_library", "quit", "preferences", "shortcuts", "about"):
        assert window.acts[name].isEnabled(), name

    # open again: every key is back
    qtbot.mouseClick(flow.lock_page.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.path is not None, timeout=20000)
    answers.stop()
    for name in ("highlight", "delete_doc", "import_files", "verify", "add_to_dossier"):
        assert window.acts[name].isEnabled(), name
    assert window.acts["lock_library"].isEnabled()


def test_lock_on_a_plain_library_says_why_not(window: Any, qtbot: Any) -> None:
    _active(window, qtbot)
    window.statusBar().clearMessage()
    assert not window.acts["lock_library"].isEnabled()
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_L,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    QApplication.processEvents()
    assert window.statusBar().currentMessage() == "Only an encrypted library can be locked."
