"""The document list's current row, its selection and the document read always agree.

Found by a fresh-user walk (session 17): Ctrl+Home and Ctrl+End opened the first or the last
document, but the highlighted row stayed where it was (Qt moves only the current row with Ctrl,
for picking rows one by one); Home and End did nothing (in a table they go to the first or the
last column of the row). And after an encrypted library was unlocked, the row read before the
lock was highlighted again while the reader was empty: a highlight made before the lock had
refreshed the list, which forgot its selection and chose those rows again only when the next
library's rows arrived.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import import_three
from tests.ui.test_encrypted_library_ui import GOOD, DialogAnswers

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier


def _click_row(window: Any, qtbot: Any, row: int) -> None:
    table = window.documents.table
    rect = table.visualRect(window.documents.model.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _agree(window: Any) -> tuple[int | None, list[int], int | None]:
    """(the current row's document, the selected documents, the document read), checked to
    agree: the current row is the one selected and the one read, or there is none of each."""
    panel = window.documents
    if panel.model.rowCount():
        panel.model.data(panel.model.index(0, 0))  # what a paint asks: the first rows
    QApplication.processEvents()
    current = panel.table.currentIndex()
    current_id = panel.model.document_id(current.row()) if current.isValid() else None
    seen = (current_id, panel.selected_ids(), window.viewer.doc_id)
    assert seen[1] == ([current_id] if current_id is not None else []), seen
    assert seen[2] == current_id, seen
    return seen


@pytest.mark.parametrize(("key", "modifiers", "row"), [
    (Qt.Key.Key_Home, CTRL, 0), (Qt.Key.Key_End, CTRL, 2),
    (Qt.Key.Key_Home, NONE, 0), (Qt.Key.Key_End, NONE, 2),
    (Qt.Key.Key_Down, CTRL, 2), (Qt.Key.Key_Up, CTRL, 0),
    (Qt.Key.Key_PageDown, CTRL, 2), (Qt.Key.Key_PageUp, CTRL, 0),
])
def test_home_end_and_ctrl_keys_move_the_highlight_to_the_document_read(
        window: Any, qtbot: Any, tmp_path: Path, key: Qt.Key, modifiers: Any,
        row: int) -> None:
    import_three(window, tmp_path)
    _click_row(window, qtbot, 1)
    assert _agree(window)[0] == window.documents.model.document_id(1)
    qtbot.keyClick(window.documents.table, key, modifiers)
    assert window.documents.table.currentIndex().row() == row
    assert _agree(window)[0] == window.documents.model.document_id(row)


def test_shift_end_still_extends_the_selection(window: Any, qtbot: Any,
                                               tmp_path: Path) -> None:
    import_three(window, tmp_path)
    panel = window.documents
    _click_row(window, qtbot, 1)
    qtbot.keyClick(panel.table, Qt.Key.Key_End, SHIFT)
    assert panel.selected_ids() == [panel.model.document_id(1), panel.model.document_id(2)]
    assert window.viewer.doc_id == panel.model.document_id(2)  # the current row's
    qtbot.keyClick(panel.table, Qt.Key.Key_Home, SHIFT | CTRL)
    assert panel.selected_ids() == [panel.model.document_id(0), panel.model.document_id(1)]


def test_end_in_a_list_without_a_current_row_opens_the_last(window: Any, qtbot: Any,
                                                              tmp_path: Path) -> None:
    import_three(window, tmp_path)
    window.open_path(window.session.path)  # opened again: no current row
    window.show_documents()
    qtbot.keyClick(window.documents.table, Qt.Key.Key_End)
    assert _agree(window)[0] == window.documents.model.document_id(2)


def test_a_library_opened_again_highlights_no_row_it_does_not_show(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    import_three(window, tmp_path)
    _click_row(window, qtbot, 1)
    window.open_path(window.session.path)
    _agree(window)


def test_an_unlocked_library_highlights_no_row_it_does_not_show(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    from workbench.services import Workbench

    path = tmp_path / "secret-lib"
    with Workbench.open(path, create=True, passphrase=GOOD) as wb:
        for i in range(3):
            (tmp_path / f"n{i}.txt").write_text(f"Testimony {i} about the camp.",
                                                encoding="utf-8")
        wb.import_paths([tmp_path / f"n{i}.txt" for i in range(3)])
    window.open_path(path, passphrase=GOOD)
    _click_row(window, qtbot, 0)
    assert _agree(window)[2] is not None
    window.acts["lock_library"].trigger()
    answers = DialogAnswers(qtbot, [[GOOD]])
    qtbot.mouseClick(window.encryption.lock_page.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.path is not None, timeout=20000)
    answers.stop()
    _agree(window)


def test_a_highlight_made_keeps_the_row_read_highlighted(window: Any, qtbot: Any,
                                                         tmp_path: Path) -> None:
    import_three(window, tmp_path)
    _click_row(window, qtbot, 0)
    doc = _agree(window)[0]
    assert doc is not None
    window.session.mutate(lambda wb: wb.add_highlight(doc, "Statement", tags=["Detention"]))
    assert _agree(window)[0] == doc  # the Tags column read again, the row still chosen


@pytest.fixture
def five_documents(library_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test's library holds five documents, and the list reads them two at a time."""
    from ui.models import documents as docmodel
    from workbench.services import Workbench

    monkeypatch.setattr(docmodel, "BLOCK", 2)
    with Workbench.open(library_path) as wb:
        for i in range(5):
            (tmp_path / f"s{i}.txt").write_text(f"Statement {i} about the camp.",
                                                encoding="utf-8")
        wb.import_paths([tmp_path / f"s{i}.txt" for i in range(5)])


def test_end_in_a_long_list_opens_the_last_row_once_it_arrives(
        five_documents: None, threaded_window: Any, qtbot: Any) -> None:
    window = threaded_window
    model = window.documents.model
    qtbot.waitUntil(lambda: model.rowCount() == 5 and model.document_id(0) is not None,
                    timeout=20000)
    _click_row(window, qtbot, 0)
    qtbot.waitUntil(lambda: window.viewer.doc_id == model.document_id(0), timeout=20000)
    assert not model.loaded_rows(4, 4)  # the last block is not read yet
    qtbot.keyClick(window.documents.table, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: model.loaded_rows(4, 4) != [], timeout=20000)
    qtbot.waitUntil(lambda: window.viewer.doc_id == model.document_id(4), timeout=20000)
    _agree(window)
