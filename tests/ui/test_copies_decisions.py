"""Deciding about other copies (session 17, a fresh-user walk): "Confirm" greyed out with no
way back, "Not a copy" asked with Yes as the default button, and a stray Alt+N (Next change in
Compare, Confirm in the list) confirmed a pair without a word. Now every decision says what it
did on the list's status line, the last one can be undone, a confirmed or dismissed pair can be
reset, the question defaults to No, and the list's and Compare's mnemonics differ."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget

from tests.ui.conftest import facade
from tests.ui.test_copies_ui import CRIMES, _two_copies


@pytest.fixture
def copies(window: Any, tmp_path: Path, corpus_texts: dict[str, str]) -> tuple[int, int]:
    a, b, _parts = _two_copies(window, tmp_path, corpus_texts[CRIMES])
    return a, b


def _status(window: Any, a: int, b: int) -> str:
    pairs = facade(window, lambda wb: wb.copies(a, include_rejected=True))
    return str(next(c["status"] for c in pairs if c["document_id"] == b))


def _answer(qtbot: Any, how: str, seen: list[tuple[str, str]]) -> None:
    """Answers the question box once it is up: ``enter`` (what a stray Enter does) or a
    button's text. Notes (the box's text, its default button's text): the box is gone after."""

    def act() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, act)
            return
        default = box.defaultButton()
        seen.append((box.text(), default.text().replace("&", "") if default else ""))
        if how == "enter":
            qtbot.keyClick(box, Qt.Key.Key_Return)
            return
        next(b for b in box.buttons() if b.text().replace("&", "") == how).click()

    QTimer.singleShot(0, act)


def _mnemonics(widget: QWidget) -> dict[str, str]:
    out: dict[str, str] = {}
    for button in widget.findChildren(QAbstractButton):
        text = button.text()
        at = text.replace("&&", "").find("&")
        if at >= 0:
            letter = text.replace("&&", "")[at + 1].lower()
            assert letter not in out, f"Alt+{letter} is both {out[letter]!r} and {text!r}"
            out[letter] = text
    return out


def test_a_confirmed_copy_can_be_reset_and_each_decision_says_what_it_did(
        window: Any, copies: tuple[int, int], qtbot: Any) -> None:
    a, b = copies
    window.resize(1024, 700)
    window.open_document(a)
    window.copies_ui.show_list()
    dialog = window.copies_ui.dialog
    assert dialog.tree.topLevelItemCount() == 1
    assert not dialog.reset_button.isEnabled()  # a found pair has nothing to reset

    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert _status(window, a, b) == "confirmed"
    assert dialog.status.isVisible() and "confirmed" in dialog.status.text().lower()
    assert "preserved" in dialog.status.text()  # which copy
    assert dialog.undo_button.isVisible() and dialog.undo_button.isEnabled()
    assert dialog.reset_button.isEnabled()

    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert _status(window, a, b) == "found"
    assert dialog.tree.topLevelItem(0).text(4) == "found"
    assert "found" in dialog.status.text()
    assert dialog.confirm_button.isEnabled() and not dialog.reset_button.isEnabled()

    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert _status(window, a, b) == "confirmed"
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)  # back to where it was
    assert _status(window, a, b) == "found"
    assert dialog.status.text().startswith("Undone")
    assert not dialog.undo_button.isVisible()  # one step back, not a history


def test_not_a_copy_defaults_to_no_and_a_dismissed_pair_comes_back_by_undo_or_reset(
        window: Any, copies: tuple[int, int], qtbot: Any) -> None:
    a, b = copies
    window.resize(1024, 700)
    window.open_document(a)
    window.copies_ui.show_list()
    dialog = window.copies_ui.dialog

    seen: list[tuple[str, str]] = []
    _answer(qtbot, "enter", seen)
    qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)
    assert seen and seen[0][1] == "No"
    assert _status(window, a, b) == "found"  # Enter kept the copy
    assert "--reset" not in seen[0][0]  # the window itself can undo it now
    assert "Undo" in seen[0][0]

    _answer(qtbot, "Yes", seen)
    qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)
    assert _status(window, a, b) == "rejected"
    assert dialog.tree.topLevelItemCount() == 0
    assert "not a copy" in dialog.status.text()
    assert dialog.undo_button.isVisible()
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert _status(window, a, b) == "found"
    assert dialog.tree.topLevelItemCount() == 1
    assert window.copies_ui.button.isVisible()

    _answer(qtbot, "Yes", seen)
    qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)
    assert dialog.tree.topLevelItemCount() == 0
    # the dismissed pairs can be listed, and one reset from there
    assert dialog.show_rejected.isVisible()
    dialog.show_rejected.setFocus()
    qtbot.keyClick(dialog.show_rejected, Qt.Key.Key_Space)
    assert dialog.tree.topLevelItemCount() == 1
    assert dialog.tree.topLevelItem(0).text(4) == "not a copy"
    assert not dialog.reject_button.isEnabled() and dialog.reset_button.isEnabled()
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert _status(window, a, b) == "found"
    assert dialog.tree.topLevelItem(0).text(4) == "found"
    assert window.copies_ui.button.isVisible()


def test_the_list_and_compare_have_no_mnemonic_in_common_and_alt_n_confirms_nothing(
        window: Any, copies: tuple[int, int], qtbot: Any) -> None:
    a, b = copies
    window.resize(1024, 700)
    window.open_document(a)
    window.copies_ui.show_list()
    dialog = window.copies_ui.dialog
    compare = window.copies_ui.compare(a, b)
    qtbot.waitUntil(lambda: compare.comparison is not None)
    in_list, in_compare = _mnemonics(dialog), _mnemonics(compare)
    assert in_list and in_compare
    both = set(in_list) & set(in_compare)
    assert not both, {k: (in_list[k], in_compare[k]) for k in both}
    # a Next change meant for Compare that lands in the list does not decide anything
    compare.close()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(50)
    assert _status(window, a, b) == "found"


def test_every_yes_no_question_defaults_to_no(qtbot: Any) -> None:
    from ui.dialogs.confirm import confirm

    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[tuple[str, str]] = []
    _answer(qtbot, "enter", seen)
    assert confirm(parent, "Delete tag", "Delete the tag?") is False
    assert seen == [("Delete the tag?", "No")]
