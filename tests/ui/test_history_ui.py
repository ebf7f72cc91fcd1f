"""View → History… in the window (issue 19, who did what): opened by its keyboard shortcut,
it lists the library's changes newest first with their authors; the author filter, chosen by
keyboard, keeps one author's; "Verify the chain" reports the chain's state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import CORPUS
from tests.ui.conftest import facade


def _two_authors(win: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_AUTHOR", "alice")
    doc = facade(win, lambda wb: wb.import_paths(
        [CORPUS / "un-report-crimes-against-humanity.txt"])[0].imported[0].document_id)
    facade(win, lambda wb: wb.add_highlight(doc, quote="Michelle Bachelet finally released"))
    monkeypatch.setenv("WORKBENCH_AUTHOR", "bob")
    facade(win, lambda wb: wb.create_dossier("Submission"))


def _whole_columns(view: Any) -> None:
    model = view.table.model()
    metrics = view.table.fontMetrics()
    for column in (0, 1):
        widest = max(metrics.horizontalAdvance(model.index(r, column).data())
                     for r in range(model.rowCount()))
        assert view.table.columnWidth(column) > widest, f"column {column} cut short"


def _authors(view: Any) -> list[str]:
    model = view.table.model()
    return [model.index(r, 1).data() for r in range(model.rowCount())]


def test_history_opens_by_keyboard_filters_by_author_and_verifies_the_chain(
        window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _two_authors(window, monkeypatch)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_H,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    view = getattr(window, "history_view", None)
    assert view is not None and view.isVisible(), "Ctrl+Shift+H opened no history"
    qtbot.waitUntil(lambda: view.table.model().rowCount() == 3)
    model = view.table.model()
    assert _authors(view) == ["bob", "alice", "alice"]  # newest first
    assert model.index(0, 2).data() == "created dossier “Submission”"
    assert model.index(1, 2).data().startswith("added highlight “Michelle Bachelet")
    assert "never shown" in view.notice.text()  # says what is and is not shown
    _whole_columns(view)

    view.author.setFocus()
    qtbot.keyClicks(view.author, "bob")
    QApplication.processEvents()
    assert view.author.currentText() == "bob"
    qtbot.waitUntil(lambda: _authors(view) == ["bob"])
    qtbot.keyClick(view.author, Qt.Key.Key_Return)  # Enter in a filter starts no check
    assert view.chain_result.text() == ""

    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "intact" in view.chain_result.text())
    assert "alice, bob" in view.chain_result.text()
    QApplication.processEvents()
    assert view.verify_button.width() >= view.verify_button.sizeHint().width()
    assert not view.cancel_button.isVisible()


def test_the_chain_check_can_be_cancelled_and_says_so(
        threaded_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    win = threaded_window
    from tests.ui.conftest import facade_async

    monkeypatch.setenv("WORKBENCH_AUTHOR", "alice")
    for i in range(3):
        facade_async(win, qtbot, lambda wb, i=i: wb.create_dossier(f"D{i}"))
    # a slow check: each batch waits, so Cancel lands while it runs
    import workbench.history.chain as chain

    monkeypatch.setattr(chain, "BATCH", 1)
    real = chain._batches

    def slow(*a: Any) -> Any:
        for batch in real(*a):
            import time

            time.sleep(0.3)
            yield batch

    monkeypatch.setattr(chain, "_batches", slow)
    win.show_history()
    view = win.history_view
    # rows that arrive from the worker after the table was first laid out (the real app's
    # way) still show their time and author whole: they were cut to "20..." and "al..."
    qtbot.waitUntil(lambda: view.table.model().rowCount() == 3)
    QApplication.processEvents()
    _whole_columns(view)
    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.cancel_button.isVisible())
    assert view.progress.isVisible() and not view.verify_button.isEnabled()
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cancelled" in view.chain_result.text(), timeout=10000)
    assert view.verify_button.isEnabled() and not view.progress.isVisible()
