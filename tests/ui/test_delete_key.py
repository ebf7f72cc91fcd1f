"""The Delete key on a list that deletes its chosen row (ui/delete_key.py), in a window whose
own Delete shortcut (Edit → Delete document) would otherwise take it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListWidget,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.delete_key import claim_delete_key


def _view(kind: str) -> QAbstractItemView:
    if kind == "list":
        view = QListWidget()
        view.addItems(["one", "two"])
        return view
    if kind == "tree":
        tree = QTreeWidget()
        for text in ("one", "two"):
            QTreeWidgetItem(tree, [text])
        return tree
    table = QTableWidget(2, 1)
    for row in range(2):
        table.setItem(row, 0, QTableWidgetItem(str(row)))
    return table


@pytest.fixture
def window(qtbot):  # type: ignore[no-untyped-def]
    def make(kind: str) -> tuple[QMainWindow, QAbstractItemView, QPushButton, list[str]]:
        calls: list[str] = []
        win = QMainWindow()
        action = QAction("Delete document", win)
        action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        action.triggered.connect(lambda: calls.append("window"))
        win.addAction(action)
        body = QWidget()
        layout = QVBoxLayout(body)
        view = _view(kind)
        other = QPushButton("elsewhere")
        layout.addWidget(view)
        layout.addWidget(other)
        win.setCentralWidget(body)
        claim_delete_key(view, lambda: calls.append("list"))
        qtbot.addWidget(win)
        win.show()
        win.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=3000)
        return win, view, other, calls
    return make


@pytest.mark.parametrize("kind", ["list", "tree", "table"])
def test_delete_in_a_list_deletes_its_row_not_the_windows_document(qtbot, window, kind):
    _win, view, other, calls = window(kind)
    view.setCurrentIndex(view.model().index(1, 0))
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=2000)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert calls == ["list"]
    qtbot.keyClick(view, Qt.Key.Key_Backspace)  # the key a Mac labels Delete
    assert calls == ["list", "list"]

    # the list without focus leaves Delete to the window
    other.setFocus()
    qtbot.waitUntil(other.hasFocus, timeout=2000)
    qtbot.keyClick(other, Qt.Key.Key_Delete)
    assert calls == ["list", "list", "window"]


def test_a_list_with_no_chosen_row_leaves_delete_to_the_window(qtbot, window):
    _win, view, _other, calls = window("list")
    view.setCurrentIndex(view.model().index(-1, -1))
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=2000)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert calls == ["window"]
    # a modified Delete is not the list's either
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    assert "list" not in calls
