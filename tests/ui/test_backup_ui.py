"""File → Back up library… and Restore from backup… through the real menu, progress and Cancel,
and the reminder bar (never a dialog) when the last backup is older than the preference."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import facade, facade_async
from workbench import backup as core
from workbench.timeutil import parse_iso_utc


def _fill(win: Any, tmp_path: Path, n: int = 3, wait: Any = None) -> None:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    for i in range(n):
        (src / f"doc{i}.txt").write_text(f"Testimony {i} about the camp.", encoding="utf-8")
    (wait or (lambda fn: facade(win, fn)))(lambda wb: wb.import_paths(sorted(src.iterdir())))


def _dialogs(monkeypatch: pytest.MonkeyPatch, *answers: Path) -> list[str]:
    """File dialogs answer in turn; returns their titles as asked."""
    asked: list[str] = []
    queue = [str(a) for a in answers]

    def choose(_parent: Any, title: str, _start: str = "", *a: Any) -> str:
        asked.append(title)
        return queue.pop(0) if queue else ""

    monkeypatch.setattr("ui.backup_actions.QFileDialog.getExistingDirectory", choose)
    return asked


def _file_menu_action(win: Any, text: str) -> Any:
    file_menu = win.menuBar().actions()[0].menu()
    [action] = [a for a in file_menu.actions() if a.text() == text]
    return action


def test_back_up_from_the_file_menu(window: Any, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(window, tmp_path)
    asked = _dialogs(monkeypatch, tmp_path / "backups")
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "older.txt").write_text("x", encoding="utf-8")
    _file_menu_action(window, "&Back up library…").trigger()
    assert asked == ["Back up to a folder (best on another disk)"]
    flow = window.backups
    box = flow.result_box
    assert box is not None and box.isVisible() and box.windowTitle() == "Backup finished"
    # The chosen folder was not empty: the backup went into a new dated folder inside it.
    [dest] = [p for p in (tmp_path / "backups").iterdir() if p.is_dir()]
    assert dest.name.startswith("library backup ")
    manifest = json.loads((dest / "backup.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["documents"] == 3
    assert "Backed up 3 documents" in window.statusBar().currentMessage()
    events = facade(window, lambda wb: wb.audit_events())
    assert events[-1]["type"] == "replication"
    assert events[-1]["details"]["destination"] == str(dest)
    assert flow.dialog is None  # the progress dialog closed


def test_cancel_a_backup(threaded_window: Any, qtbot: Any, tmp_path: Path,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    win = threaded_window
    _fill(win, tmp_path, 3, lambda fn: facade_async(win, qtbot, fn))
    slow = core.Steps.tick

    def slowly(self: Any, *a: Any, **k: Any) -> None:
        time.sleep(0.1)  # a big library: long enough to press Cancel
        slow(self, *a, **k)

    monkeypatch.setattr(core.Steps, "tick", slowly)
    _dialogs(monkeypatch, tmp_path / "b")
    _file_menu_action(win, "&Back up library…").trigger()
    flow = win.backups
    dialog = flow.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and bool(dialog.stages), timeout=10000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.dialog is None, timeout=20000)
    assert "Backup cancelled — nothing was kept" in win.statusBar().currentMessage()
    assert not (tmp_path / "b").exists()
    assert not win.presenter.shown


def test_restore_from_the_file_menu_and_open_it(window: Any, qtbot: Any, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(window, tmp_path, 2)
    facade(window, lambda wb: core.backup(wb.library, tmp_path / "lib backup"))
    asked = _dialogs(monkeypatch, tmp_path / "lib backup", tmp_path / "restored")
    _file_menu_action(window, "Res&tore from backup…").trigger()
    assert asked == ["Choose a backup folder (it holds backup.json)",
                     "Restore into a new or empty folder"]
    box = window.backups.result_box
    assert box is not None and box.windowTitle() == "Restore finished"
    [open_now] = [b for b in box.buttons() if b.text() == "Open it now"]
    qtbot.mouseClick(open_now, Qt.MouseButton.LeftButton)
    assert window.session.path == tmp_path / "restored"
    docs = facade(window, lambda wb: wb.list_documents())
    assert len(docs) == 2
    last = facade(window, lambda wb: wb.audit_events())[-1]
    assert last["details"]["action"] == "restore"


def test_a_failed_restore_says_why_in_one_box(window: Any, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "not a backup").mkdir()
    _dialogs(monkeypatch, tmp_path / "not a backup", tmp_path / "r")
    _file_menu_action(window, "Res&tore from backup…").trigger()
    assert len(window.presenter.shown) == 1
    assert "is not a Workbench backup" in window.presenter.shown[0]
    assert window.backups.dialog is None and not (tmp_path / "r").exists()
    window.presenter._open.done(0)


def _reopen(win: Any, path: Path) -> None:
    win.open_path(path)
    QApplication.processEvents()


def test_reminder_bar_after_opening(window: Any, qtbot: Any, tmp_path: Path,
                                    library_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    bar = window.backups.reminder
    assert not bar.isVisible()  # an empty library needs no backup
    _fill(window, tmp_path, 2)
    _reopen(window, library_path)
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "never been backed up" in bar.label.text()
    modal = QApplication.activeModalWidget()
    assert modal is None, modal.text()  # a bar, not a dialog
    assert not bar.backup_button.hasFocus()

    # Back up now: the same flow as the menu; the bar goes away.
    _dialogs(monkeypatch, tmp_path / "b")
    qtbot.mouseClick(bar.backup_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "b" / "backup.json").is_file() and not bar.isVisible()
    window.backups.result_box.done(0)

    _reopen(window, library_path)  # a fresh backup: no reminder
    QApplication.processEvents()
    assert not bar.isVisible()

    later = parse_iso_utc(json.loads((tmp_path / "b" / "backup.json")
                                       .read_text(encoding="utf-8"))["created_at"])
    assert later is not None
    monkeypatch.setattr("ui.backup_actions.now", lambda: later + timedelta(days=9))
    _reopen(window, library_path)
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "was 9 days ago" in bar.label.text()
    qtbot.mouseClick(bar.dismiss_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()


def test_reminder_days_are_a_preference(window: Any, qtbot: Any, tmp_path: Path,
                                        library_path: Path) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from ui import preferences

    assert preferences.load().backup_reminder_days == 7
    window.acts["preferences"].trigger()
    dialog = window.preferences_dialog
    spin = dialog.backup_days
    assert spin.value() == 7
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "0")
    assert spin.value() == 0 and spin.specialValueText() == "never"
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert preferences.load().backup_reminder_days == 0
    _fill(window, tmp_path, 1)
    _reopen(window, library_path)
    QApplication.processEvents()
    assert not window.backups.reminder.isVisible()


def test_backups_taken_while_the_app_had_the_library_are_recorded_on_open(
        window: Any, tmp_path: Path, library_path: Path) -> None:
    from workbench.library import Library

    _fill(window, tmp_path, 1)
    # Another process backs the library up while the app holds the writer lock.
    with Library.open(library_path, writable=False, attach_index=False) as ro:
        result = core.backup(ro, tmp_path / "cli-backup")
    assert result["recorded"] == "pending"
    _reopen(window, library_path)
    events = facade(window, lambda wb: wb.audit_events())
    assert events[-1]["details"]["destination"] == str(tmp_path / "cli-backup")
    assert events[-1]["details"]["recorded_late"] is True
    assert not window.backups.reminder.isVisible()


def test_file_menu_order(window: Any) -> None:
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    i = texts.index("&Verify library")
    assert texts[i + 1:i + 3] == ["&Back up library…", "Res&tore from backup…"]


def test_restore_an_encrypted_backup_asks_for_its_passphrase(
        window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.services import Workbench

    secret = "nine words of a good passphrase"
    with Workbench.open(tmp_path / "enc", create=True, passphrase=secret) as wb:
        core.backup(wb.library, tmp_path / "enc backup")
    _dialogs(monkeypatch, tmp_path / "enc backup", tmp_path / "restored")
    asked: list[str] = []

    def passphrase(_parent: Any, title: str, _label: str, echo: Any) -> tuple[str, bool]:
        asked.append(title)
        from PySide6.QtWidgets import QLineEdit

        assert echo == QLineEdit.EchoMode.Password
        return secret, True

    monkeypatch.setattr("ui.backup_actions.QInputDialog.getText", passphrase)
    _file_menu_action(window, "Res&tore from backup…").trigger()
    assert asked == ["Encrypted backup"]
    assert not window.presenter.shown
    assert window.backups.last_result["verified"]["ok"]
    assert (tmp_path / "restored" / "keys.json").is_file()
