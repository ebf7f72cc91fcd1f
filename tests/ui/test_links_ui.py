"""Links between highlights in the viewer's Highlights tab, through the real widgets on a real
library: “Link to highlight…” finds the other highlight by typing, links it with a relation and
a private note; the link shows under both highlights (Enter on it opens the other side); Unlink
asks and removes it; the list's context menu offers the link too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import facade
from workbench.changes import Changes

CAMP = "Witness A saw the trucks leave the camp at night on 5 March 2018.\n"
FACTORY = "A guard said no truck left the camp that night; the gates stayed shut.\n"


def two_highlights(win: Any, tmp_path: Path) -> dict[str, int]:
    if getattr(win, "links", None) is None:
        pytest.fail("this core build has no links between highlights")
    for name, text in (("camp.txt", CAMP), ("factory.txt", FACTORY)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    win.imports.start([tmp_path / "camp.txt", tmp_path / "factory.txt"])
    win.imports.plan_dialog.accept()
    win.imports.summary_dialog.accept()  # (modal: the window's shortcuts wait for it)
    docs = {d["title"][:7]: d["id"] for d in facade(win, lambda wb: wb.list_documents())}
    camp, guard = docs["Witness"], docs["A guard"]
    a = facade(win, lambda wb: wb.add_highlight(camp, quote="saw the trucks leave the camp",
                                                tags=["Transfers"])).highlight_ids[0]
    b = facade(win, lambda wb: wb.add_highlight(guard, quote="no truck left the camp")
               ).highlight_ids[0]
    win.session.broadcast(Changes(highlights=True, tags=True))
    return {"camp": camp, "guard": guard, "a": a, "b": b}


def open_and_choose(win: Any, qtbot: Any, doc_id: int, hid: int) -> None:
    win.open_document(doc_id)
    pane = win.highlighter.pane
    win.viewer.tabs.setCurrentWidget(pane)
    row = next(i for i in range(pane.list.count())
               if pane.list.item(i).data(Qt.ItemDataRole.UserRole) == hid)
    rect = pane.list.visualItemRect(pane.list.item(row))
    qtbot.mouseClick(pane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.links.box.highlight_id == hid


def test_link_two_highlights_and_see_the_link_from_both_sides(
        window: Any, tmp_path: Path, qtbot: Any, monkeypatch: Any) -> None:
    ids = two_highlights(window, tmp_path)
    open_and_choose(window, qtbot, ids["camp"], ids["a"])
    box = window.links.box
    assert box.list.count() == 0 and "none yet" in box.title.text()

    qtbot.mouseClick(box.link_button, Qt.MouseButton.LeftButton)
    dialog = window.links.dialog
    assert dialog is not None and dialog.isVisible()
    # every other highlight to start with (never the highlight itself)
    assert [dialog.picker.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(dialog.picker.list.count())] == [ids["b"]]
    qtbot.keyClicks(dialog.picker.search, "barracks")  # in neither quote nor title
    qtbot.waitUntil(lambda: dialog.picker.list.count() == 0, timeout=3000)
    assert dialog.picker.count.text() == "No highlight matches."
    assert not dialog.ok.isEnabled()  # nothing chosen
    dialog.picker.search.clear()
    qtbot.keyClicks(dialog.picker.search, "NO TRUCK")  # any case
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)
    assert dialog.picker.list.count() == 1  # never the highlight itself
    assert dialog.picker.chosen_id() == ids["b"]
    assert dialog.ok.isEnabled()
    dialog.relation.setCurrentIndex(dialog.relation.findData("contradicts"))
    qtbot.keyClicks(dialog.note, "the guard may be covering")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    links = facade(window, lambda wb: wb.highlight_links(ids["a"]))
    assert [(k["relation"], k["other"]["highlight_id"], k["note"]) for k in links] == [
        ("contradicts", ids["b"], "the guard may be covering")]
    # the box shows it (after the viewer reloaded, the same highlight is still chosen)
    assert box.highlight_id == ids["a"] and box.list.count() == 1
    text = box.list.item(0).text()
    assert text.startswith("Contradicts: “no truck left the camp”")
    assert "(private)" in text

    # Enter on the link opens the other highlight; its box shows the link back
    box.list.setCurrentRow(0)
    box.list.setFocus()
    qtbot.keyClick(box.list, Qt.Key.Key_Return)
    assert window.viewer.doc_id == ids["guard"]
    assert box.highlight_id == ids["b"]
    assert box.list.count() == 1
    assert "“saw the trucks leave the camp”" in box.list.item(0).text()

    # Unlink asks; No keeps it, Yes removes it
    box.list.setCurrentRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.mouseClick(box.unlink_button, Qt.MouseButton.LeftButton)
    assert len(facade(window, lambda wb: wb.highlight_links(ids["b"]))) == 1
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    # the Delete key too, in an active window (where Edit → Delete document also wants it)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    box.list.setFocus()
    qtbot.keyClick(box.list, Qt.Key.Key_Delete)
    assert facade(window, lambda wb: wb.highlight_links(ids["b"])) == []
    assert box.list.count() == 0 and "none yet" in box.title.text()


def test_the_context_menu_links_too_and_a_duplicate_is_refused(
        window: Any, tmp_path: Path, qtbot: Any, monkeypatch: Any) -> None:
    ids = two_highlights(window, tmp_path)
    facade(window, lambda wb: wb.link_highlights(ids["a"], ids["b"], "corroborates"))
    window.session.broadcast(Changes(links=True))
    open_and_choose(window, qtbot, ids["camp"], ids["a"])
    pane = window.highlighter.pane
    assert window.links.box.list.count() == 1
    pane.list.customContextMenuRequested.emit(
        pane.list.visualItemRect(pane.list.currentItem()).center())
    actions = {a.text(): a for a in window.highlighter.last_menu.actions() if a.text()}
    assert "Link to highlight…" in actions
    actions["Link to highlight…"].trigger()
    dialog = window.links.dialog
    qtbot.keyClicks(dialog.picker.search, "truck")
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)
    assert dialog.picker.chosen_id() == ids["b"]
    shown: list[str] = []
    monkeypatch.setattr(window.presenter, "show", lambda exc, doing=None: shown.append(str(exc)))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)  # corroborates again
    assert shown and "already linked" in shown[0]
    assert len(facade(window, lambda wb: wb.highlight_links(ids["a"]))) == 1


def test_the_builder_switches_an_exhibits_corroborating_sources(
        window: Any, tmp_path: Path, qtbot: Any) -> None:
    ids = two_highlights(window, tmp_path)
    if window.builder is None or not window.session.has("set_item_corroboration"):
        pytest.fail("this core build cannot list corroborating sources")
    did = facade(window, lambda wb: wb.create_dossier("Transfers")).dossier_ids[0]
    item = facade(window, lambda wb: wb.add_item(did, highlight=ids["a"])).item_ids[0]
    window.refresh_sidebar()
    window.builder.open_dossier(did)
    window.show_dossier()
    builder, toggle = window.builder, window.builder.corroboration
    assert not toggle.isEnabled()  # nothing chosen
    builder.items.select_item(item)
    assert toggle.isEnabled() and toggle.isChecked()  # on by default
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)

    def flag(wb: Any) -> bool:
        return bool(next(e for e in wb.get_dossier(did)["entries"]
                         if e["id"] == item)["corroboration"])

    assert facade(window, flag) is False
    assert builder.selected_item() == item and not toggle.isChecked()  # after the reload
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert facade(window, flag) is True
