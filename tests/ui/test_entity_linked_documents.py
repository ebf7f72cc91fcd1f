"""The documents linked to an entity, shown on the Entities page under the chosen entity, and
unlinked there: the "Unlink…" button or the Delete key, each asking first (issue 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import backup_reminder_shown, facade
from tests.ui.test_entities_ui import (
    NAMES,
    _click_item,
    _library,
    _open_panel,
    _register_ekpar,
    _row_of,
    _settle,
)


def test_unlink_a_document_from_an_entity(window: Any, qtbot: Any, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _library(window, tmp_path)
    eid = _register_ekpar(window)
    for name in ("english.txt", "uyghur.txt"):
        window.session.broadcast(facade(window, lambda wb, d=docs[name]:
                                        wb.link_entity_document(eid, d)))
    panel = _open_panel(window, qtbot)
    _click_item(qtbot, panel.table, _row_of(panel, NAMES[0]))
    linked = panel.linked
    qtbot.waitUntil(lambda: linked.list.count() == 2, timeout=10000)
    assert linked.isVisible() and "2" in linked.title.text()
    shown = {int(linked.list.item(i).data(Qt.ItemDataRole.UserRole))
             for i in range(linked.list.count())}
    assert shown == {docs["english.txt"], docs["uyghur.txt"]}

    # The button asks; No keeps the link.
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: (
        asked.append(text), answer[0])[1])
    english = next(linked.list.item(i) for i in range(2)
                   if linked.list.item(i).data(Qt.ItemDataRole.UserRole)
                   == docs["english.txt"])
    _click_item_list(qtbot, linked.list, english)
    assert linked.unlink_button.isEnabled()
    qtbot.mouseClick(linked.unlink_button, Qt.MouseButton.LeftButton)
    _settle(qtbot)
    assert len(asked) == 1 and NAMES[0] in asked[0] and "stays in the library" in asked[0]
    assert len(facade(window, lambda wb: wb.get_entity(eid))["linked_documents"]) == 2

    # Yes unlinks it: the core's links, the register's count and the list follow.
    answer[0] = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(linked.unlink_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: linked.list.count() == 1, timeout=10000)
    stored = facade(window, lambda wb: wb.get_entity(eid))["linked_documents"]
    assert [d["document_id"] for d in stored] == [docs["uyghur.txt"]]
    assert _row_of(panel, NAMES[0]).text(3) == "1"
    events = facade(window, lambda wb: wb.audit_events(object_type="entity"))
    assert any("unlink" in str(e.get("details") or e) for e in events)

    # The Delete key, in an active window whose Edit → Delete document also wants it.
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)
    linked.list.setCurrentRow(0)
    linked.list.setFocus()
    qtbot.keyClick(linked.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: linked.list.count() == 0, timeout=10000)
    assert len(asked) == 3
    # A right-to-left title is isolated in the left-to-right question, so its punctuation and
    # the quotes around it stay where they belong (the walk saw its full stop jump).
    uyghur = next(d["title"] for d in facade(window, lambda wb: wb.list_documents())
                  if d["id"] == docs["uyghur.txt"])
    assert f"“\u2068{uyghur}\u2069”" in asked[2]
    assert f"“\u2068{uyghur}\u2069”" in window.statusBar().currentMessage()  # and what it says
    assert facade(window, lambda wb: wb.get_entity(eid))["linked_documents"] == []
    assert len(facade(window, lambda wb: wb.list_documents())) == len(docs)
    assert "none" in linked.title.text().lower()
    assert not linked.unlink_button.isEnabled()


def _click_item_list(qtbot: Any, view: Any, item: Any) -> None:
    view.scrollToItem(item)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualItemRect(item).center())


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_linked_documents_show_whole_rows(window: Any, qtbot: Any, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          theme: str) -> None:
    """The walk found the third of three linked documents cut in half under a scroll bar: the
    list's height did not count the theme's padding of its rows."""
    from ui import theme as looks

    monkeypatch.setenv("WORKBENCH_THEME", theme)
    looks.apply_theme(QApplication.instance())  # type: ignore[arg-type]
    docs = _library(window, tmp_path)
    eid = _register_ekpar(window)
    for name in ("english.txt", "uyghur.txt", "chinese.txt"):
        window.session.broadcast(facade(window, lambda wb, d=docs[name]:
                                        wb.link_entity_document(eid, d)))
    panel = _open_panel(window, qtbot)
    _click_item(qtbot, panel.table, _row_of(panel, NAMES[0]))
    lst = panel.linked.list
    qtbot.waitUntil(lambda: lst.count() == 3, timeout=10000)
    _settle(qtbot)
    # Two rows whole, the third a scroll away: the mentions below keep the room.
    rows = [lst.visualItemRect(lst.item(i)) for i in range(3)]
    assert rows[1].bottom() < lst.viewport().height() <= rows[2].top() + 1, (
        rows, lst.viewport().height())
    assert lst.verticalScrollBar().maximum() > 0


def test_the_mentions_keep_their_room_on_a_small_screen(window: Any, qtbot: Any,
                                                        tmp_path: Path) -> None:
    """At 1024x700 three linked documents took the mentions' room: one document of them was
    left in view (found walking issue 18)."""
    docs = _library(window, tmp_path)
    eid = _register_ekpar(window)
    for name in ("english.txt", "uyghur.txt", "chinese.txt"):
        window.session.broadcast(facade(window, lambda wb, d=docs[name]:
                                        wb.link_entity_document(eid, d)))
    assert backup_reminder_shown(window)  # the panes fit beside it
    window.showNormal()
    window.resize(1024, 700)
    panel = _open_panel(window, qtbot)
    _click_item(qtbot, panel.table, _row_of(panel, NAMES[0]))
    qtbot.waitUntil(lambda: panel.linked.list.count() == 3, timeout=10000)
    qtbot.waitUntil(lambda: panel.mentions.topLevelItemCount() == 3, timeout=20000)
    _settle(qtbot)
    assert panel.mentions.viewport().height() >= 100, panel.mentions.viewport().height()


def test_the_register_is_as_tall_as_its_rows_until_dragged(window: Any, qtbot: Any,
                                                          tmp_path: Path) -> None:
    """One entity's register took three rows' height from the mentions; typing a filter
    does not move the split, and a split the user dragged is kept."""
    _library(window, tmp_path)
    _register_ekpar(window)
    window.showNormal()
    window.resize(1024, 700)
    panel = _open_panel(window, qtbot)
    _settle(qtbot)
    split = panel.split
    table = panel.table
    rows = table.topLevelItemCount()
    assert rows == 1
    row = max(table.sizeHintForRow(0), table.fontMetrics().height() + 6)
    chrome = table.header().height() + 2 * table.frameWidth()
    assert table.height() <= chrome + 2 * row + 2, (table.height(), chrome, row)
    before = split.sizes()
    qtbot.keyClicks(panel.filter, "zzz")  # nothing matches: the register shows no row
    _settle(qtbot)
    assert table.topLevelItemCount() == 0
    assert split.sizes() == before
    qtbot.keyClicks(panel.filter, "\b\b\b")
    split.moveSplitter(before[0] + 60, 1)  # what dragging the handle does
    dragged = split.sizes()
    window.resize(1024, 720)
    _settle(qtbot)
    assert split.sizes()[0] == dragged[0]
