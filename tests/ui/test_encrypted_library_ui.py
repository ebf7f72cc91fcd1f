"""An encrypted library in the window: the passphrase is asked for, a wrong one is said in the
dialog, a new encrypted library is made from the File menu, the passphrase can be changed, and
the library locks by command and after the set idle time, showing nothing of it while locked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from tests.ui.conftest import facade

GOOD = "correct horse battery"
BAD = "wrong horse battery"


class DialogAnswers:
    """Answers each passphrase dialog as it opens, by typing into its fields and pressing
    Enter, as a person would; records the problem text each dialog showed."""

    def __init__(self, qtbot: Any, answers: list[list[str] | None]) -> None:
        self.qtbot = qtbot
        self.answers = list(answers)
        self.problems: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._answer)
        self.timer.start()

    def _answer(self) -> None:
        from ui.dialogs.passphrase import PassphraseDialog

        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog) or not dialog.isVisible():
            return
        if getattr(dialog, "_answered", False):
            return
        dialog._answered = True  # type: ignore[attr-defined]
        self.problems.append(dialog.problem.text() if dialog.problem.isVisible() else "")
        answer = self.answers.pop(0) if self.answers else None
        if answer is None:
            dialog.reject()
            return
        fields = [f for f in dialog.findChildren(QLineEdit) if f.isVisible()]
        for field, text in zip(fields, answer, strict=True):
            field.setFocus()
            self.qtbot.keyClicks(field, text)
        self.qtbot.keyClick(fields[-1], Qt.Key.Key_Return)

    def stop(self) -> None:
        self.timer.stop()


@pytest.fixture
def encrypted_path(tmp_path: Path) -> Path:
    from workbench.services import Workbench

    path = tmp_path / "secret-lib"
    with Workbench.open(path, create=True, passphrase=GOOD) as wb:
        note = tmp_path / "note.txt"
        note.write_text("Testimony of Ekpar Asat about the camp.", encoding="utf-8")
        wb.import_paths([note])
    return path


def test_opening_asks_for_the_passphrase_and_says_when_it_is_wrong(
        window: Any, qtbot: Any, encrypted_path: Path) -> None:
    answers = DialogAnswers(qtbot, [[BAD], [GOOD]])
    window.open_path(encrypted_path)
    qtbot.waitUntil(lambda: window.session.path == encrypted_path.absolute(), timeout=20000)
    answers.stop()
    assert answers.problems[0] == ""
    assert "passphrase is wrong" in answers.problems[1]
    docs = facade(window, lambda wb: wb.list_documents())
    assert len(docs) == 1


def test_cancelling_the_passphrase_leaves_no_library_open(
        window: Any, qtbot: Any, encrypted_path: Path) -> None:
    window.session.close()
    answers = DialogAnswers(qtbot, [None])
    window.open_path(encrypted_path)
    qtbot.waitUntil(lambda: bool(answers.problems), timeout=10000)
    answers.stop()
    assert window.session.path is None


def test_new_encrypted_library_from_the_file_menu(
        window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs import new_library_folder
    from workbench.crypto import is_encrypted

    folder = tmp_path / "new-secret"
    folder.mkdir()
    monkeypatch.setattr(new_library_folder, "choose_new_library_folder",
                        lambda *a, **k: new_library_folder.ChosenFolder(folder))
    answers = DialogAnswers(qtbot, [[GOOD, GOOD]])
    window.acts["new_encrypted_library"].trigger()
    qtbot.waitUntil(lambda: window.session.path == folder.absolute(), timeout=20000)
    answers.stop()
    assert is_encrypted(folder)
    assert b"correct horse" not in b"".join(p.read_bytes() for p in folder.rglob("*")
                                             if p.is_file())


def test_change_passphrase_then_lock_and_unlock_with_the_new_one(
        window: Any, qtbot: Any, encrypted_path: Path) -> None:
    new = "a brand new passphrase"
    answers = DialogAnswers(qtbot, [[GOOD], ["not it at all", new, new], [GOOD, new, new],
                                    [GOOD], [new]])
    window.open_path(encrypted_path)
    qtbot.waitUntil(lambda: window.session.path is not None, timeout=20000)
    window.acts["change_passphrase"].trigger()
    assert "passphrase is wrong" in answers.problems[2]
    assert "Passphrase changed" in window.statusBar().currentMessage()

    window.search_field.setText("Ekpar")
    window.acts["lock_library"].trigger()
    assert window.session.path is None
    assert window.central.currentWidget() is window.encryption.lock_page
    assert window.search_field.text() == ""
    assert not window.search_field.isEnabled()  # found on the walk: a search while locked
    assert not window.backups.reminder.isVisible()  # found on the walk: "Back up now" stayed
    assert "locked" in window.windowTitle().lower()

    qtbot.mouseClick(window.encryption.lock_page.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.path is not None, timeout=20000)
    answers.stop()
    assert "passphrase is wrong" in answers.problems[4]  # the old one no longer opens it
    assert window.central.currentWidget() is not window.encryption.lock_page
    assert window.search_field.isEnabled()


def test_idle_lock_waits_for_the_set_time_and_skips_a_plain_library(
        window: Any, qtbot: Any, encrypted_path: Path, library_path: Path) -> None:
    from ui import preferences

    prefs = preferences.load()
    prefs.lock_after_minutes = 1
    preferences.save(prefs)
    flow = window.encryption
    window.open_path(library_path)  # a plain library never locks
    flow.last_activity -= 3600
    flow.check_idle()
    assert window.session.path is not None

    answers = DialogAnswers(qtbot, [[GOOD]])
    window.open_path(encrypted_path)
    qtbot.waitUntil(lambda: window.session.path is not None, timeout=20000)
    answers.stop()
    flow.last_activity -= 30  # half a minute idle: not yet
    flow.check_idle()
    assert window.session.path is not None
    qtbot.keyClick(window.search_field, Qt.Key.Key_A)  # activity resets the clock
    flow.last_activity -= 59
    flow.check_idle()
    assert window.session.path is not None
    flow.last_activity -= 61
    flow.check_idle()
    assert window.session.path is None
    assert window.central.currentWidget() is flow.lock_page


def test_new_passphrase_dialog_refuses_a_mismatch_and_a_short_one(qtbot: Any,
                                                                   tmp_path: Path) -> None:
    from ui.dialogs.passphrase import NEW, PassphraseDialog

    dialog = PassphraseDialog(None, tmp_path, NEW)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.new, "short")
    qtbot.keyClicks(dialog.again, "short")
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "too short" in dialog.problem.text()
    dialog.new.clear()
    dialog.again.clear()
    qtbot.keyClicks(dialog.new, GOOD)
    qtbot.keyClicks(dialog.again, GOOD + "x")
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert "differ" in dialog.problem.text() and dialog.again.text() == ""
    qtbot.keyClicks(dialog.again, GOOD)
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.take() == ("", GOOD) and dialog.new.text() == ""



def test_a_problem_shown_in_the_passphrase_dialog_leaves_every_line_visible(
        qtbot: Any, tmp_path: Path) -> None:
    """The red problem line pushed the hint under the buttons: the dialog kept its height and
    the hint's second line was cut off (found walking the window, light and dark, both sizes)."""
    from PySide6.QtWidgets import QLabel

    from ui.dialogs.passphrase import CHANGE, NEW, PassphraseDialog

    for mode in (NEW, CHANGE):
        dialog = PassphraseDialog(None, tmp_path, mode)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        if mode == CHANGE:
            qtbot.keyClicks(dialog.current, "the old one")
        qtbot.keyClicks(dialog.new, "abcde")
        qtbot.keyClicks(dialog.again, "abcde")
        qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
        assert "too short" in dialog.problem.text()
        qtbot.wait(50)  # the layout's pass
        for label in dialog.findChildren(QLabel):
            if not label.isVisible() or not label.wordWrap():
                continue
            need = label.heightForWidth(label.width())
            assert label.height() >= need, (mode, label.text(), label.height(), need)
        hint = dialog.findChild(QLabel, "passphrase_hint")
        assert hint is not None
        assert hint.geometry().bottom() < dialog.buttons.geometry().top()


def test_the_log_file_takes_nothing_while_an_encrypted_library_is_open(
        window: Any, qtbot: Any, encrypted_path: Path, tmp_path: Path) -> None:
    import logging

    from ui.app import _nothing_while_encrypted

    log_path = tmp_path / "app.log"
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.addFilter(_nothing_while_encrypted)
    log = logging.getLogger("workbench.test_encrypted_log")
    log.addHandler(handler)
    try:
        answers = DialogAnswers(qtbot, [[GOOD]])
        window.open_path(encrypted_path)
        qtbot.waitUntil(lambda: window.session.path is not None, timeout=20000)
        answers.stop()
        log.warning("could not read Testimony of Ekpar Asat")
        handler.flush()
        assert "Ekpar" not in log_path.read_text(encoding="utf-8")
        window.acts["lock_library"].trigger()
        log.warning("after the lock")
        handler.flush()
        assert "after the lock" in log_path.read_text(encoding="utf-8")
    finally:
        log.removeHandler(handler)
        handler.close()


def test_only_an_encrypted_library_watches_every_event(window: Any, qtbot: Any,
                                                       encrypted_path: Path,
                                                       library_path: Path) -> None:
    """The idle lock's app-wide filter sees every event the app delivers (a restyle sends
    millions): profiling the suite found it a third of a UI test file's time. Only an open
    encrypted library can lock, so only then is it installed."""
    from PySide6.QtCore import QEvent, QPoint, QPointF
    from PySide6.QtGui import QMouseEvent

    flow = window.encryption

    def moved() -> bool:
        flow.last_activity = 0.0
        event = QMouseEvent(QEvent.Type.MouseMove, QPointF(QPoint(5, 5)),
                            QPointF(QPoint(5, 5)), Qt.MouseButton.NoButton,
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(window.search_field, event)
        return flow.last_activity != 0.0

    window.open_path(library_path)
    assert not moved()  # a plain library: nothing to lock, nothing watched
    answers = DialogAnswers(qtbot, [[GOOD]])
    window.open_path(encrypted_path)
    qtbot.waitUntil(lambda: window.session.path is not None, timeout=20000)
    answers.stop()
    assert moved()
    window.encryption.lock_now()
    assert not moved()  # locked: the lock page waits for Unlock, no idle time to keep
    window.open_path(library_path)
    assert not moved()
