"""The document list by keyboard: Down or Up in the filter field (Ctrl+L) enters the list.

Issue 14, bug 6 (the list half).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tests.ui.conftest import import_three


def test_down_from_the_filter_enters_the_list_on_its_first_row(window: Any, tmp_path: Path,
                                                               qtbot: Any) -> None:
    import_three(window, tmp_path)
    panel = window.documents
    window.focus_filter()
    qtbot.keyClick(panel.filter, Qt.Key.Key_Down)
    assert window.focusWidget() is panel.table
    assert panel.table.currentIndex().row() == 0
    assert panel.selected_ids() == [panel.model.document_id(0)]
    assert window.viewer.doc_id == panel.model.document_id(0)  # as Down in the list would


def test_up_or_down_from_the_filter_returns_to_the_current_row(window: Any, tmp_path: Path,
                                                               qtbot: Any) -> None:
    import_three(window, tmp_path)
    panel = window.documents
    panel.table.selectRow(2)
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
        window.focus_filter()
        qtbot.keyClick(panel.filter, key)
        assert window.focusWidget() is panel.table
        assert panel.table.currentIndex().row() == 2  # not moved: the key only enters the list


def test_typing_then_down_at_once_picks_the_first_match(window: Any, tmp_path: Path,
                                                   qtbot: Any) -> None:
    import_three(window, tmp_path)
    panel = window.documents
    panel.table.selectRow(0)
    window.focus_filter()
    qtbot.keyClicks(panel.filter, "d2")
    qtbot.keyClick(panel.filter, Qt.Key.Key_Down)  # at once: the filter's pause is cut short
    assert panel.model.rowCount() == 1
    assert window.focusWidget() is panel.table
    assert panel.table.currentIndex().row() == 0
    assert window.viewer.doc_id == panel.model.document_id(0)
