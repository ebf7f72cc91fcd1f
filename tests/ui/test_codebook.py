"""The codebook page through its real widgets: create, rename (F2), move (dialog and drop),
merge, recolour, write a memo and delete a tag (the question says what it touches), each
checked in the library and its audit log; and the sidebar's way into it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDropEvent, QTextCursor
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from tests.ui.conftest import facade
from workbench.changes import Changes

CAMP = ("Witness A saw the trucks leave the camp at night.\n"
        "The guards beat the workers near the new walls.\n")
FACTORY = ("The factory records list transfers of workers from the region.\n"
           "Workers said the guards beat them when quotas were missed.\n")


def _import(win: Any, tmp_path: Path) -> tuple[int, int]:
    for name, text in (("camp.txt", CAMP), ("factory.txt", FACTORY)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    win.imports.start([tmp_path / "camp.txt", tmp_path / "factory.txt"])
    win.imports.plan_dialog.accept()
    docs = {d["title"][:5]: d["id"] for d in facade(win, lambda wb: wb.list_documents())}
    return docs["Witne"], docs["The f"]


def coded_window(win: Any, tmp_path: Path) -> dict[str, Any]:
    """Two documents, three highlights under "Abuse" (one on its sub-tag), one document tag."""
    if getattr(win, "codebook", None) is None:
        pytest.fail("this core build has no codebook")
    camp, factory = _import(win, tmp_path)

    def code(wb: Any) -> list[int]:
        return [wb.add_highlight(camp, quote="beat the workers", tags=["Abuse/Beating"],
                                 note="first-hand").highlight_ids[0],
                wb.add_highlight(factory, quote="beat them", tags=["Abuse"]).highlight_ids[0],
                wb.add_highlight(factory, quote="transfers of workers",
                                 tags=["Labour transfer"],
                                 note="=SUM(A1)").highlight_ids[0]]

    ids = facade(win, code)
    facade(win, lambda wb: wb.tag_document(camp, "Abuse"))
    win.session.broadcast(Changes(tags=True, highlights=True))  # as if made in the window
    win.acts["codebook"].trigger()
    assert win.middle.currentWidget() is win.codebook
    return {"camp": camp, "factory": factory, "ids": ids}


def tag_id(win: Any, path: str) -> int:
    return int(facade(win, lambda wb: wb.get_tag(path))["id"])


def paths(win: Any) -> list[str]:
    return [t["path"] for t in facade(win, lambda wb: wb.list_tags())]


def click_tag(qtbot: Any, panel: Any, path: str) -> None:
    item = panel.tree.item_for(tag_id(panel.window(), path))
    assert item is not None, path
    panel.tree.scrollToItem(item)
    rect = panel.tree.visualItemRect(item)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.tree.current_id() == tag_id(panel.window(), path)


def answer_yes(monkeypatch: Any) -> list[str]:
    asked: list[str] = []

    def question(parent: Any, title: str, text: str, *a: Any, **k: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def ok(dialog: Any) -> Any:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_tags_get_distinct_colours_and_the_tree_shows_them(window: Any, tmp_path: Path,
                                                           qtbot: Any) -> None:
    data = coded_window(window, tmp_path)
    panel = window.codebook
    colors = {t["path"]: t["color"] for t in facade(window, lambda wb: wb.list_tags())}
    assert colors["Abuse"] != colors["Labour transfer"]  # not every tag yellow
    assert colors["Abuse/Beating"] == colors["Abuse"]  # a sub-tag wears its parent's
    item = panel.tree.item_for(tag_id(window, "Abuse"))
    assert item is not None and item.text(1) == "2"  # its own passage and its sub-tag's
    # the reading pane paints a passage in its tag's colour
    window.open_document(data["factory"])
    painted = {p.color for p in window.viewer.text.highlights}
    assert painted == {colors["Labour transfer"], colors["Abuse"]}


def test_create_rename_move_drop_recolour_and_memo(window: Any, tmp_path: Path,
                                                   qtbot: Any) -> None:
    data = coded_window(window, tmp_path)
    panel = window.codebook
    qtbot.keyClicks(panel.new_tag, "Places/Camps")
    qtbot.keyClick(panel.new_tag, Qt.Key.Key_Return)
    assert "Places/Camps" in paths(window) and panel.tree.item_for(tag_id(window, "Places"))

    # rename in place: F2, type, Enter
    click_tag(qtbot, panel, "Abuse/Beating")
    qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
    editor = panel.tree.focusWidget()
    assert editor is not panel.tree
    editor.selectAll()
    qtbot.keyClicks(editor, "Beatings")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.tree.state() != panel.tree.State.EditingState)  # queued
    assert "Abuse/Beatings" in paths(window)
    ev = facade(window, lambda wb: wb.audit_events(object_type="tag"))[-1]
    assert ev["details"]["operation"] == "rename"

    # Move to…: the picker leaves out the tag itself and its own sub-tags
    click_tag(qtbot, panel, "Abuse")
    qtbot.mouseClick(panel.buttons["move"], Qt.MouseButton.LeftButton)
    picker = panel.picker
    choices = [picker.list.item(i).text() for i in range(picker.list.count())]
    assert "Abuse/Beatings" not in choices and "Abuse" not in choices
    assert choices[0] == "(top level)"
    qtbot.keyClicks(picker.filter, "camps")
    assert picker.list.currentItem().text() == "Places/Camps"
    qtbot.mouseClick(ok(picker), Qt.MouseButton.LeftButton)
    assert "Places/Camps/Abuse/Beatings" in paths(window)

    # drag "Labour transfer" onto "Places" in the tree
    click_tag(qtbot, panel, "Labour transfer")
    target = panel.tree.item_for(tag_id(window, "Places"))
    center = panel.tree.visualItemRect(target).center()
    mime = panel.tree.model().mimeData([panel.tree.currentIndex()])
    drop = QDropEvent(QPointF(center), Qt.DropAction.MoveAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    panel.tree.dropEvent(drop)
    assert "Places/Labour transfer" in paths(window)
    moves = [e for e in facade(window, lambda wb: wb.audit_events(object_type="tag"))
             if e["details"].get("operation") == "move"]
    assert len(moves) == 2

    # recolour from the Colour button's menu: sub-tags that inherited the colour follow,
    # a moved-in tag with its own colour keeps it
    before = {t["path"]: t["color"] for t in facade(window, lambda wb: wb.list_tags())}
    click_tag(qtbot, panel, "Places")
    panel.color_menu.aboutToShow.emit()
    next(a for a in panel.color_menu.actions() if a.text() == "#6fd1c4").trigger()
    colors = {t["path"]: t["color"] for t in facade(window, lambda wb: wb.list_tags())}
    assert colors["Places"] == colors["Places/Camps"] == "#6fd1c4"
    assert colors["Places/Labour transfer"] == before["Places/Labour transfer"] != "#6fd1c4"

    # recolour from the tree's context menu, with the document open: it repaints
    window.open_document(data["factory"])
    click_tag(qtbot, panel, "Places/Labour transfer")
    item = panel.tree.item_for(tag_id(window, "Places/Labour transfer"))
    panel.tree.customContextMenuRequested.emit(panel.tree.visualItemRect(item).center())
    colour = next(a.menu() for a in panel.last_menu.actions() if a.text() == "Colour")
    next(a for a in colour.actions() if a.text() == "#b39ddb").trigger()
    assert "#b39ddb" in {p.color for p in window.viewer.text.highlights}

    # a memo
    click_tag(qtbot, panel, "Places/Camps")
    assert not panel.save_memo.isEnabled()
    qtbot.keyClicks(panel.memo, "Detention sites named by witnesses")
    qtbot.mouseClick(panel.save_memo, Qt.MouseButton.LeftButton)
    assert facade(window, lambda wb: wb.get_tag("Places/Camps"))["description"] \
        == "Detention sites named by witnesses"
    assert "Detention sites" in panel.tree.item_for(tag_id(window, "Places/Camps")).toolTip(0)
    # typed but not saved: choosing another tag saves it rather than losing it
    panel.memo.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(panel.memo, " and satellite images")
    click_tag(qtbot, panel, "Places")
    assert panel.memo.toPlainText() == ""
    assert facade(window, lambda wb: wb.get_tag("Places/Camps"))["description"] \
        == "Detention sites named by witnesses and satellite images"
    memo_events = [e for e in facade(window, lambda wb: wb.audit_events(object_type="tag"))
                   if e["details"].get("fields") == ["description"]]
    assert len(memo_events) == 2


def test_merge_then_delete_says_what_it_touches(window: Any, tmp_path: Path, qtbot: Any,
                                                monkeypatch: Any) -> None:
    data = coded_window(window, tmp_path)
    panel = window.codebook
    asked = answer_yes(monkeypatch)
    qtbot.keyClicks(panel.new_tag, "Violence")
    qtbot.keyClick(panel.new_tag, Qt.Key.Key_Return)

    click_tag(qtbot, panel, "Abuse")
    qtbot.mouseClick(panel.buttons["merge"], Qt.MouseButton.LeftButton)
    picker = panel.picker
    picker.choose("Violence")
    qtbot.mouseClick(ok(picker), Qt.MouseButton.LeftButton)
    assert asked[-1].startswith("Merge “Abuse” into “Violence”: 2 highlights and 1 document")
    assert "Abuse" not in paths(window) and "Violence/Beating" in paths(window)
    # both highlights still carry the code, and the event lists them
    rows = facade(window, lambda wb: wb.tag_passages("Violence"))
    assert sorted(r["id"] for r in rows) == sorted(data["ids"][:2])
    ev = facade(window, lambda wb: wb.audit_events(object_type="tag"))[-1]
    assert ev["details"]["highlight_ids"] == sorted(data["ids"][:2])

    # delete with the Delete key: the question counts highlights and documents
    click_tag(qtbot, panel, "Violence")
    qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)
    assert asked[-1] == ("Delete tag Violence: 2 highlights and 1 document lose it. Its 1 "
                         "sub-tag goes with it. The highlights and documents themselves stay.")
    assert paths(window) == ["Labour transfer"]
    assert len(facade(window, lambda wb: wb.list_highlights())) == 3  # highlights stay
    ev = facade(window, lambda wb: wb.audit_events(object_type="tag"))[-1]
    assert ev["type"] == "deletion"
    assert panel.tree.topLevelItemCount() == 1

    # answering No deletes nothing
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    click_tag(qtbot, panel, "Labour transfer")
    qtbot.mouseClick(panel.buttons["delete"], Qt.MouseButton.LeftButton)
    assert paths(window) == ["Labour transfer"]


def test_sidebar_tag_menu_opens_its_passages(window: Any, tmp_path: Path) -> None:
    coded_window(window, tmp_path)
    window.show_documents()
    window.sidebar.select("tag", tag_id(window, "Labour transfer"))
    item = window.sidebar.currentItem()
    pos = window.sidebar.visualItemRect(item).center()
    window.sidebar.customContextMenuRequested.emit(pos)
    menu = window.sidebar.last_menu
    next(a for a in menu.actions() if a.text() == "Passages with this tag").trigger()
    assert window.middle.currentWidget() is window.codebook
    assert window.codebook.passages.title.text() == "Passages: Labour transfer"
    assert window.codebook.passages.model.rowCount() == 1
