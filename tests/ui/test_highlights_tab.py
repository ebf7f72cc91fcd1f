"""The viewer's Highlights tab through its real widgets: double-click edits (and re-tags),
the Delete key deletes after asking, the context menu adds to the open dossier with the note
as commentary; no blank box under "No highlights yet", no fixed grey in the rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import facade
from ui.search.delegate import HTML_ROLE

TEXT = ("Witness A saw the trucks leave the camp at night.\n"
        "The guards beat the workers near the new walls.\n")


def _open(win: Any, tmp_path: Path) -> int:
    if win.highlighter is None:
        pytest.fail("this core build has no highlights")
    f = tmp_path / "camp.txt"
    f.write_text(TEXT, encoding="utf-8")
    win.imports.start([f])
    win.imports.plan_dialog.accept()
    win.documents.table.selectRow(0)
    assert win.viewer.doc_id is not None
    return int(win.viewer.doc_id)


def test_empty_tab_has_only_the_hint(window: Any, tmp_path: Path) -> None:
    _open(window, tmp_path)
    pane = window.highlighter.pane
    assert not pane.empty.isHidden()
    assert pane.list.isHidden() and pane.orphans.isHidden()  # no empty box under the hint


def test_edit_retag_and_delete_from_the_list(window: Any, tmp_path: Path, qtbot: Any,
                                             monkeypatch: Any) -> None:
    doc = _open(window, tmp_path)
    facade(window, lambda wb: wb.add_tag("Abuse"))
    hid = facade(window, lambda wb: wb.add_highlight(doc, quote="beat the workers",
                                                     tags=["Abuse"], note="seen")
                 ).highlight_ids[0]
    window.viewer.reload()
    pane = window.highlighter.pane
    assert pane.list.count() == 1 and not pane.list.isHidden() and pane.empty.isHidden()
    html = pane.list.item(0).data(HTML_ROLE)
    assert "#5f6b7a" not in html and "#7a8594" not in html  # no grey that fails on selection
    color = facade(window, lambda wb: wb.get_tag("Abuse"))["color"]
    assert [p.color for p in window.viewer.text.highlights] == [color]

    # double-click opens the highlight dialog; re-tag there
    window.viewer.tabs.setCurrentWidget(pane)
    rect = pane.list.visualItemRect(pane.list.item(0))
    qtbot.mouseClick(pane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(pane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = window.highlighter.dialog
    assert dialog is not None and dialog.windowTitle() == "Edit highlight"
    dialog.pick("Torture")
    dialog.accept()
    assert facade(window, lambda wb: wb.get_highlight(hid))["tags"] == ["Abuse", "Torture"]

    # the context menu: edit, show in text, add to dossier, delete
    item = pane.list.item(0)
    pane.list.setCurrentItem(item)
    pane.list.customContextMenuRequested.emit(pane.list.visualItemRect(item).center())
    labels = [a.text() for a in window.highlighter.last_menu.actions() if a.text()]
    # (links and the chronology add their entries before Delete: tests/ui/test_links_ui.py)
    assert labels == ["Edit note and tags…", "Show in the text", "Add to the open dossier",
                      "Add to the open dossier, note as commentary", "Link to highlight…",
                      "New event from highlight…", "Delete…"]

    # the Delete key asks, and No keeps it
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    pane.list.setFocus()
    qtbot.keyClick(pane.list, Qt.Key.Key_Delete)
    assert len(facade(window, lambda wb: wb.list_highlights(doc=doc))) == 1
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    pane.list.setCurrentRow(0)
    qtbot.keyClick(pane.list, Qt.Key.Key_Delete)
    assert facade(window, lambda wb: wb.list_highlights(doc=doc)) == []
    assert pane.list.isHidden() and not pane.empty.isHidden()


def test_note_carried_into_the_commentary(window: Any, tmp_path: Path) -> None:
    doc = _open(window, tmp_path)
    if window.builder is None:
        pytest.fail("this core build has no dossiers")
    hid = facade(window, lambda wb: wb.add_highlight(doc, quote="saw the trucks",
                                                     note="first-hand account")
                 ).highlight_ids[0]
    window.builder.create_dossier("Camp case")
    dossier_id = window.builder.dossier_id
    window.viewer.reload()
    pane = window.highlighter.pane
    pane.list.setCurrentRow(0)
    pane.list.customContextMenuRequested.emit(
        pane.list.visualItemRect(pane.list.item(0)).center())
    action = next(a for a in window.highlighter.last_menu.actions()
                  if a.text() == "Add to the open dossier, note as commentary")
    assert action.isEnabled()
    action.trigger()
    entries = facade(window, lambda wb: wb.get_dossier(dossier_id))["entries"]
    assert [(e["highlight_id"], e["commentary"]) for e in entries] \
        == [(hid, "first-hand account")]
