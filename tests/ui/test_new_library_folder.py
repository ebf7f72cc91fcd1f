"""File → New library… and New encrypted library…: the folder is checked as it is chosen.

Found by a fresh-user walk (session 17): a new folder typed in the picker was "not found", and
typed again the picker handed back its parent; the passphrase was asked before the folder was
looked at; then "not empty" closed the library that was open, leaving "No library is open"
under the old library's title and a backup reminder whose "Back up now" did nothing.

Now the picker refuses a folder that is not empty (or already holds a library) with a message
naming it, and stays open; a folder that does not exist yet is made; only then is the
passphrase asked. A new library that cannot be made leaves the open one open, and whenever no
library is open the title says only "Workbench" and the reminder is gone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
)

from tests.ui.conftest import backup_reminder_shown, import_three
from tests.ui.test_encrypted_library_ui import GOOD, DialogAnswers

WAIT = 20000


class Walk:
    """Answers the window's dialogs as they open, as a person would, and notes each in order:
    a folder picker gets the next path typed into its name field and Enter; a message box is
    read and closed with Enter; a passphrase dialog is read and answered (or cancelled)."""

    def __init__(self, qtbot: Any, folders: list[Path],
                 passphrases: list[str | None] | None = None, click: bool = False) -> None:
        self.qtbot = qtbot
        self.click = click  # the picker's Choose clicked, not Enter in its name field
        self.folders = list(folders)
        self.passphrases = list(passphrases or [])
        self.seen: list[str] = []  # "picker", "message: …", "passphrase: …"
        self.busy = False  # an answer is on its way
        self.ready: list[bool] = []  # each picker's name field: focused, its text selected
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._answer)
        self.timer.start()

    def _answer(self) -> None:
        from ui.dialogs.passphrase import PassphraseDialog

        dialog = QApplication.activeModalWidget()
        if self.busy or dialog is None or not dialog.isVisible():
            return
        if isinstance(dialog, QMessageBox):
            self.seen.append(f"message: {dialog.text()}")
            self._later(lambda: self.qtbot.keyClick(dialog, Qt.Key.Key_Return))
        elif isinstance(dialog, QFileDialog):
            self.seen.append("picker")
            if not self.folders:
                dialog.reject()
                return
            folder = str(self.folders.pop(0))
            self._later(lambda: self._type_folder(dialog, folder))
        elif isinstance(dialog, PassphraseDialog) and not getattr(dialog, "_answered", False):
            dialog._answered = True  # type: ignore[attr-defined]
            words = " ".join(label.text() for label in dialog.findChildren(QLabel))
            self.seen.append(f"passphrase: {words}")
            answer = self.passphrases.pop(0) if self.passphrases else None
            if answer is None:
                dialog.reject()
                return
            self._later(lambda: self._type_passphrase(dialog, answer))

    def _later(self, act: Any) -> None:
        """Out of this timer's turn: a key may open a dialog of its own (a message box over
        the picker), whose loop would otherwise hold the timer that has to answer it."""
        self.busy = True

        def run() -> None:
            self.busy = False
            act()

        QTimer.singleShot(0, run)

    def _type_folder(self, dialog: QFileDialog, folder: str) -> None:
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name is not None
        # Back from a refusal: ready for the next name typed over the last (on the walk's
        # screen the keys typed after OK went nowhere).
        self.ready.append(name.hasFocus() and name.selectedText() == name.text() != "")
        dialog.activateWindow()
        name.setFocus()
        self.qtbot.waitUntil(name.hasFocus)  # else the picker writes what it selects there
        name.selectAll()
        self.qtbot.keyClicks(name, folder)
        if not self.click:
            self.qtbot.keyClick(name, Qt.Key.Key_Return)
            return
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        self.qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Open),
                              Qt.MouseButton.LeftButton)

    def _type_passphrase(self, dialog: Any, answer: str) -> None:
        for field in (dialog.new, dialog.again):
            field.setFocus()
            self.qtbot.keyClicks(field, answer)
        self.qtbot.keyClick(dialog.again, Qt.Key.Key_Return)

    def wait_until(self, done: Any) -> None:
        """Waits for ``done()``, then stops answering; says what was met when it never is."""
        try:
            self.qtbot.waitUntil(done, timeout=WAIT)
        except Exception as exc:
            raise AssertionError(f"met instead: {self.seen}") from exc
        finally:
            self.stop()

    def stop(self) -> None:
        self.timer.stop()


@pytest.fixture
def full_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "full"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a library", encoding="utf-8")
    return folder


def test_new_encrypted_library_checks_the_folder_before_the_passphrase(
        window: Any, qtbot: Any, tmp_path: Path, library_path: Path, full_folder: Path) -> None:
    from workbench.crypto import is_encrypted

    new = tmp_path / "enclib"  # does not exist yet; its parent does, and is not empty
    walk = Walk(qtbot, [full_folder, library_path, new], [GOOD])
    window.acts["new_encrypted_library"].trigger()
    walk.wait_until(lambda: window.session.path == new.absolute())
    kinds = [s.split(":")[0] for s in walk.seen]
    # The picker stays open over each refusal; the passphrase comes once the folder will do.
    assert kinds == ["picker", "message", "picker", "message", "picker", "passphrase"], \
        walk.seen
    assert str(full_folder) in walk.seen[1] and "not empty" in walk.seen[1]
    assert str(library_path) in walk.seen[3]
    assert "already holds a Workbench library" in walk.seen[3]
    assert "“enclib”" in walk.seen[5]
    assert walk.ready == [False, True, True]  # empty at first; then the name refused
    assert is_encrypted(new)
    assert window.windowTitle() == "enclib — Workbench"


def test_new_library_makes_the_folder_typed_and_refuses_a_full_one(
        window: Any, qtbot: Any, tmp_path: Path, full_folder: Path) -> None:
    new = tmp_path / "cases" / "2026"  # neither exists yet
    walk = Walk(qtbot, [full_folder, new], click=True)  # Qt greyed Choose out for a new one
    window.acts["new_library"].trigger()
    walk.wait_until(lambda: window.session.path == new.absolute())
    kinds = [s.split(":")[0] for s in walk.seen]
    assert kinds == ["picker", "message", "picker"], walk.seen
    assert str(full_folder) in walk.seen[1] and "not empty" in walk.seen[1]
    assert (new / "workbench-library.json").is_file()
    assert not window.presenter.shown  # no "Could not open the library"


def test_cancelling_the_passphrase_keeps_the_open_library_and_no_folder_made(
        window: Any, qtbot: Any, tmp_path: Path, library_path: Path) -> None:
    new = tmp_path / "later"
    walk = Walk(qtbot, [new], [None])
    window.acts["new_encrypted_library"].trigger()
    qtbot.waitUntil(lambda: any(s.startswith("passphrase") for s in walk.seen), timeout=WAIT)
    qtbot.wait(100)
    walk.stop()
    assert not new.exists()  # made for the library, taken back when none was made
    assert window.session.path == library_path.absolute()


def test_a_new_library_that_cannot_be_made_leaves_the_open_one_open(
        window: Any, qtbot: Any, tmp_path: Path, library_path: Path, full_folder: Path) -> None:
    import_three(window, tmp_path)
    assert backup_reminder_shown(window)
    title = window.windowTitle()
    for passphrase in (GOOD, None):  # New encrypted library…, New library…
        window.open_path(full_folder, create=True, passphrase=passphrase)
        assert window.session.path == library_path.absolute()
        assert window.central.currentWidget() is window.splitter
        assert window.windowTitle() == title
        assert window.backups.reminder.isVisible()
        assert window.documents.model.rowCount() == 3
        assert str(full_folder) in window.presenter.shown[-1]
        assert "not empty" in window.presenter.shown[-1]


def test_no_library_open_means_a_bare_title_and_no_reminder(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    from workbench.services import Workbench

    import_three(window, tmp_path)
    assert backup_reminder_shown(window)
    secret = tmp_path / "secret"
    Workbench.open(secret, create=True, passphrase=GOOD).close()
    answers = DialogAnswers(qtbot, [None])
    window.open_path(secret, passphrase="wrong horse battery")  # wrong: asked again, cancelled
    qtbot.waitUntil(lambda: len(answers.problems) == 1, timeout=WAIT)
    qtbot.wait(100)
    answers.stop()
    assert window.session.path is None
    assert window.central.currentWidget() is window.no_library
    assert window.windowTitle() == "Workbench"
    QApplication.processEvents()
    assert not window.backups.reminder.isVisible()


def test_opening_a_folder_without_a_library_leaves_the_open_one_open(
        window: Any, qtbot: Any, tmp_path: Path, library_path: Path) -> None:
    """File → Open library… on a folder that holds none closed the open library first, then
    failed: the window was left with no library (helper E's walk, session 17)."""
    import_three(window, tmp_path)
    title = window.windowTitle()
    plain = tmp_path / "just papers"
    plain.mkdir()
    (plain / "notes.txt").write_text("not a library", encoding="utf-8")
    window.open_path(plain)
    assert window.session.path == library_path.absolute()
    assert window.central.currentWidget() is window.splitter
    assert window.windowTitle() == title
    assert window.documents.model.rowCount() == 3
    assert str(plain) in window.presenter.shown[-1]
    assert "holds no Workbench library" in window.presenter.shown[-1]
    assert (plain / "notes.txt").read_text(encoding="utf-8") == "not a library"
    assert sorted(p.name for p in plain.iterdir()) == ["notes.txt"]  # nothing made there
