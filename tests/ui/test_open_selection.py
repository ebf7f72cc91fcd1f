"""A document opens only when the user chooses it, and the list shows what the reader shows.

Found walking the app under Xvfb (session 13): right after unlocking an encrypted library the
first document opened by itself when the person went to the menu. The documents list, given
the focus as the library opened (still without a current row), made its first row current
quietly each time the focus came back to it (Qt does that for a list without a current row),
and a new current row opens its document. A plain library did the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import import_three

GOOD = "correct horse battery"
COMING_BACK = (Qt.FocusReason.PopupFocusReason,  # a menu closed
               Qt.FocusReason.ActiveWindowFocusReason,  # back from another window
               Qt.FocusReason.TabFocusReason, Qt.FocusReason.ShortcutFocusReason,
               Qt.FocusReason.OtherFocusReason)


def _focus_back(widget: Any, reason: Qt.FocusReason) -> None:
    """The focus leaves ``widget`` (for a menu, another window) and comes back to it."""
    QApplication.sendEvent(widget, QFocusEvent(QEvent.Type.FocusOut, reason))
    QApplication.sendEvent(widget, QFocusEvent(QEvent.Type.FocusIn, reason))


def _nothing_opens(win: Any) -> None:
    panel = win.documents
    assert panel.model.rowCount() > 0
    assert win.viewer.doc_id is None  # the library opening opened nothing
    for reason in COMING_BACK:
        _focus_back(panel.table, reason)
        assert win.viewer.doc_id is None, reason
        assert not panel.table.currentIndex().isValid(), reason
    win.show_documents()  # Ctrl+1: the list, not a document
    assert win.viewer.doc_id is None


def test_a_plain_library_opens_no_document_by_itself(window: Any, tmp_path: Path) -> None:
    import_three(window, tmp_path)
    window.open_path(window.session.path)  # opened again: its list has no current row
    _nothing_opens(window)


def test_an_unlocked_library_opens_no_document_by_itself(window: Any, tmp_path: Path) -> None:
    from workbench.services import Workbench

    path = tmp_path / "secret-lib"
    with Workbench.open(path, create=True, passphrase=GOOD) as wb:
        for i in range(2):
            (tmp_path / f"n{i}.txt").write_text(f"Testimony {i} about the camp.",
                                                encoding="utf-8")
        wb.import_paths([tmp_path / "n0.txt", tmp_path / "n1.txt"])
    window.open_path(path, passphrase=GOOD)  # as the unlock dialog does
    assert window.session.path == path.absolute()
    _nothing_opens(window)


def test_the_first_key_in_the_list_opens_its_first_row(window: Any, tmp_path: Path,
                                                       qtbot: Any) -> None:
    import_three(window, tmp_path)
    window.open_path(window.session.path)
    panel = window.documents
    _focus_back(panel.table, Qt.FocusReason.PopupFocusReason)
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)  # the first row, not the second
    assert panel.table.currentIndex().row() == 0
    assert panel.selected_ids() == [panel.model.document_id(0)]
    assert window.viewer.doc_id == panel.model.document_id(0)
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert window.viewer.doc_id == panel.model.document_id(1)
    _focus_back(panel.table, Qt.FocusReason.PopupFocusReason)  # a current row stays
    assert window.viewer.doc_id == panel.model.document_id(1)
    assert panel.table.currentIndex().row() == 1


def test_a_click_opens_the_row_clicked(window: Any, tmp_path: Path, qtbot: Any) -> None:
    import_three(window, tmp_path)
    window.open_path(window.session.path)
    panel = window.documents
    rect = panel.table.visualRect(panel.model.index(2, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.viewer.doc_id == panel.model.document_id(2)


def test_a_search_opens_no_hit_by_itself(window: Any, tmp_path: Path, qtbot: Any) -> None:
    """The walk's second finding ("the first result opens in the viewer but is not selected in
    the list") was the first finding seen through a search: the reader showed the list's first
    document, opened by the focus, which was also the first hit. A search opens nothing; a
    hit opened is the result list's current, selected row."""
    import_three(window, tmp_path)
    window.open_path(window.session.path)
    _focus_back(window.documents.table, Qt.FocusReason.ActiveWindowFocusReason)
    window.focus_search()
    qtbot.keyClicks(window.search_field, "statement")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    panel = window.search_panel
    assert panel.results.count() == 3
    assert window.viewer.doc_id is None
    assert panel.current_document() is None
    rect = panel.results.visualItemRect(panel.results.item(1))
    qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.viewer.doc_id == panel.hits[1].document_id
    assert panel.results.currentRow() == 1
    assert panel.current_document() == panel.hits[1].document_id
