"""A highlight chosen on the page (Original tab) offers what the Highlights list offers: its
context menu with "New event from highlight…" and "Link to highlight…" (the same dialogs), the
menu key for it, and Delete asking to delete it (issue 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import facade
from tests.ui.test_page_highlights import _needs, _open, _vp, _word_rect


def _menu_at(view: Any, pos: QPoint) -> None:
    # What a right-click (or the menu key) sends the page's viewport.
    vp = view.viewport()
    QApplication.sendEvent(vp, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                 vp.mapToGlobal(pos)))


def _action(menu: Any, text: str) -> Any:
    found = [a for a in menu.actions() if a.text() == text]
    assert found, [a.text() for a in menu.actions()]
    return found[0]


def _at(view: Any, rect: list[float]) -> QPoint:
    """The middle of ``rect`` on page 1, brought into view."""
    view.show_rect(1, rect)
    return _vp(view, 1, (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2)


def _page_with_two(window: Any, tmp_path: Path, qtbot: Any) -> tuple[Any, list[int], Any]:
    _needs(window, "add_page_highlight", "page_words", "add_event", "link_highlights")
    view = _open(window, tmp_path, qtbot)
    doc = window.viewer.doc_id
    fence, road = _word_rect(window, 1, "fence"), _word_rect(window, 2, "factory")
    facade(window, lambda wb: wb.add_page_highlight(doc, 1, [fence], tags=["Place"]))
    facade(window, lambda wb: wb.add_page_highlight(doc, 2, [road], tags=["Place"]))
    window.viewer.reload()
    ids = [h["id"] for h in facade(window, lambda wb: wb.list_highlights(doc=doc))]
    return view, ids, fence


def test_the_page_highlights_menu_makes_an_event_and_a_link(window: Any, tmp_path: Path,
                                                            qtbot: Any) -> None:
    view, ids, fence = _page_with_two(window, tmp_path, qtbot)
    pane = window.highlighter.pane
    pane.list.setCurrentRow(1)  # another highlight is the list's current one
    at = _at(view, fence)
    _menu_at(view, at)
    # The highlight under the mouse is chosen, in the list and on the page, and its menu shows.
    assert view.overlays.marked == ids[0]
    assert pane.list.currentItem().data(Qt.ItemDataRole.UserRole) == ids[0]
    menu = window.highlighter.last_menu
    assert menu.isVisible()
    _action(menu, "New event from highlight…").trigger()
    dialog = window.chronology.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.source_ids() == [ids[0]]
    dialog.reject()

    _menu_at(view, at)
    _action(window.highlighter.last_menu, "Link to highlight…").trigger()
    link = window.links.dialog
    assert link is not None and link.isVisible() and link.source["id"] == ids[0]
    link.reject()

    # Off the highlights there is no highlight menu.
    window.highlighter.last_menu = None
    _menu_at(view, QPoint(2, 2))
    assert window.highlighter.last_menu is None


def test_the_keyboard_reaches_a_page_highlights_actions(window: Any, tmp_path: Path,
                                                        qtbot: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    view, ids, fence = _page_with_two(window, tmp_path, qtbot)
    at = _at(view, fence)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert view.overlays.marked == ids[0] and view.hasFocus()

    # The menu key opens the chosen highlight's menu, as in the list.
    window.highlighter.last_menu = None
    qtbot.keyClick(view, Qt.Key.Key_Menu)
    menu = window.highlighter.last_menu
    assert menu is not None and menu.isVisible()
    assert "New event from highlight…" in [a.text() for a in menu.actions()]
    menu.close()

    # Delete asks to delete it, not the document (Edit → Delete document's shortcut).
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, title, text, *a, **k: (
        asked.append(f"{title}: {text}"), QMessageBox.StandardButton.Yes)[1])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert len(asked) == 1 and asked[0].startswith("Delete highlight"), asked
    doc = window.viewer.doc_id
    left = [h["id"] for h in facade(window, lambda wb: wb.list_highlights(doc=doc))]
    assert left == [ids[1]]
    assert doc in [d["id"] for d in facade(window, lambda wb: wb.list_documents())]

    # With no highlight chosen on the page, Delete is the window's again.
    qtbot.waitUntil(lambda: view.overlays.marked is None, timeout=5000)
    asked.clear()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert not any(a.startswith("Delete highlight") for a in asked)
