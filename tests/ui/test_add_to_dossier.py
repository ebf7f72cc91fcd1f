"""Ctrl+D (Dossier → Add to dossier) adds what has the focus, says so when it is already in the
dossier, and says what to do when nothing is selected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import facade, select_listed


def _setup(win: Any, tmp_path: Path) -> tuple[int, int, int, int]:
    """Two documents, a highlight in the first (open, the highlight selected in the Highlights
    tab), a dossier: (dossier, first document, second document, highlight)."""
    if win.builder is None or win.highlighter is None:
        pytest.fail("this core build has no dossiers or highlights")
    paths = []
    for name, text in (("a.txt", "The guards moved the workers at night.\n"),
                       ("b.txt", "A second statement about the camp.\n")):
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    win.imports.start(paths)
    win.imports.plan_dialog.accept()
    docs = {d["title"].split()[1]: d["id"] for d in facade(win, lambda wb: wb.list_documents())}
    a, b = docs["guards"], docs["second"]
    hid = facade(win, lambda wb: wb.add_highlight(a, quote="workers at night")).highlight_ids[0]
    win.open_document(a)
    win.viewer.reload()
    win.highlighter.pane.list.setCurrentRow(0)
    assert win.highlighter.selected_highlight_ids() == [hid]
    did = facade(win, lambda wb: wb.create_dossier("Camp case")).dossier_ids[0]
    win.refresh_sidebar()
    win.builder.open_dossier(did)
    win.activateWindow()
    return did, a, b, hid


def _entries(win: Any, did: int) -> list[tuple[str, int | None]]:
    return [(e["kind"], e["highlight_id"] if e["kind"] == "highlight" else e["document_id"])
            for e in facade(win, lambda wb: wb.get_dossier(did))["entries"]]


def test_ctrl_d_in_the_document_list_adds_the_selected_document(window: Any,
                                                                tmp_path: Path) -> None:
    did, a, _b, hid = _setup(window, tmp_path)
    window.show_documents()
    select_listed(window, a)  # the document open in the reader: it stays open
    window.documents.table.setFocus()
    assert window.highlighter.selected_highlight_ids() == [hid]  # still selected, out of focus
    window.acts["add_to_dossier"].trigger()
    assert _entries(window, did) == [("document", a)]  # not the highlight selected elsewhere
    assert "Added" in window.statusBar().currentMessage()


def test_ctrl_d_in_the_highlights_tab_adds_the_highlight(window: Any, tmp_path: Path) -> None:
    did, _a, _b, hid = _setup(window, tmp_path)
    window.viewer.tabs.setCurrentWidget(window.highlighter.pane)
    window.highlighter.pane.list.setFocus()
    window.acts["add_to_dossier"].trigger()
    assert _entries(window, did) == [("highlight", hid)]


def test_ctrl_d_twice_says_it_is_already_in_the_dossier(window: Any, tmp_path: Path) -> None:
    did, _a, b, _hid = _setup(window, tmp_path)
    window.show_documents()
    select_listed(window, b)
    window.documents.table.setFocus()
    window.acts["add_to_dossier"].trigger()
    window.acts["add_to_dossier"].trigger()
    assert _entries(window, did) == [("document", b)]
    message = window.statusBar().currentMessage()
    assert "already in the dossier" in message and "Exhibit 1" in message


def test_ctrl_d_with_nothing_selected_says_what_to_do(window: Any, tmp_path: Path) -> None:
    did, _a, _b, _hid = _setup(window, tmp_path)
    window.highlighter.pane.list.clearSelection()
    window.show_documents()
    window.documents.table.clearSelection()
    window.documents.table.setFocus()
    window.acts["add_to_dossier"].trigger()
    assert _entries(window, did) == []
    assert "Select" in window.statusBar().currentMessage()


def test_ctrl_d_without_an_open_dossier_says_so(window: Any, tmp_path: Path) -> None:
    _did, _a, b, _hid = _setup(window, tmp_path)
    window.builder.reset()
    window.show_documents()
    select_listed(window, b)
    window.documents.table.setFocus()
    window.acts["add_to_dossier"].trigger()
    message = window.statusBar().currentMessage()
    assert "Added" not in message and "dossier first" in message


def _drop_on_sidebar_dossier(win: Any, did: int, mime: Any) -> None:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QDropEvent

    win.refresh_sidebar()
    win.sidebar.select("dossier", did)
    centre = win.sidebar.visualItemRect(win.sidebar.currentItem()).center()
    win.sidebar.dropEvent(QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime,
                                     Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))


def test_dropping_on_a_sidebar_dossier_twice_names_the_exhibit_instead(window: Any,
                                                                     tmp_path: Path) -> None:
    """The sidebar drop used to add the same document again and always say "Added"."""
    did, _a, b, _hid = _setup(window, tmp_path)
    model = window.documents.model
    index = next(model.index(r, 0) for r in range(model.rowCount())
                 if model.document_id(r) == b)
    _drop_on_sidebar_dossier(window, did, model.mimeData([index]))
    assert _entries(window, did) == [("document", b)]
    assert "Added 1 item to the dossier." in window.statusBar().currentMessage()
    _drop_on_sidebar_dossier(window, did, model.mimeData([index]))
    assert _entries(window, did) == [("document", b)]  # not twice
    message = window.statusBar().currentMessage()
    assert "Exhibit 1 is already in the dossier: not added again." in message
    assert "Added" not in message


def test_dropping_on_a_dossier_not_open_in_the_builder_checks_that_dossier(
        window: Any, tmp_path: Path) -> None:
    """The rule looks at the dossier dropped on, not the one the builder shows."""
    did, a, b, _hid = _setup(window, tmp_path)
    other = facade(window, lambda wb: wb.create_dossier("Other case")).dossier_ids[0]
    facade(window, lambda wb: wb.add_item(other, document=a))
    window.builder.open_dossier(did)  # the builder shows the first (empty) dossier
    model = window.documents.model
    rows = {model.document_id(r): model.index(r, 0) for r in range(model.rowCount())}
    _drop_on_sidebar_dossier(window, other, model.mimeData([rows[a], rows[b]]))
    assert _entries(window, other) == [("document", a), ("document", b)]
    message = window.statusBar().currentMessage()
    assert "Added 1 item to the dossier." in message
    assert "Exhibit 1 is already in the dossier: not added again." in message


def _ctrl_d_in_the_highlights_tab(win: Any) -> None:
    win.viewer.tabs.setCurrentWidget(win.highlighter.pane)
    win.highlighter.pane.list.setFocus()
    win.acts["add_to_dossier"].trigger()


def test_ctrl_d_of_a_noted_highlight_offers_the_note_as_commentary(window: Any, tmp_path: Path,
                                                                   qtbot: Any) -> None:
    """The codebook's menus offer "notes as commentary"; Ctrl+D added a noted highlight with
    no word of its note. Now the status bar says so, the builder selects the new exhibit and
    its commentary box offers the note, one click away."""
    from PySide6.QtCore import Qt

    did, _a, _b, hid = _setup(window, tmp_path)
    facade(window, lambda wb: wb.edit_highlight(hid, note="The guard's own words."))
    _ctrl_d_in_the_highlights_tab(window)
    assert _entries(window, did) == [("highlight", hid)]  # added as before, no dialog
    message = window.statusBar().currentMessage()
    assert "Added 1 item to the dossier." in message
    assert "Use the highlight's note" in message  # says where the offer is
    builder = window.builder
    window.show_dossier()
    entry = facade(window, lambda wb: wb.get_dossier(did))["entries"][0]
    assert builder.selected_item() == entry["id"]  # the new exhibit is the selected one
    assert builder.commentary.toPlainText() == ""
    button = builder.use_note
    assert button.isVisible() and button.text() == "Use the highlight's note"
    qtbot.keyClicks(builder.commentary, "x")  # a commentary being typed: no offer
    assert not button.isVisible()
    builder.commentary.clear()
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    entry = facade(window, lambda wb: wb.get_dossier(did))["entries"][0]
    assert entry["commentary"] == "The guard's own words."  # saved, not only typed in
    assert builder.commentary.toPlainText() == "The guard's own words."
    assert not button.isVisible()


def test_ctrl_d_of_a_highlight_without_a_note_offers_nothing(window: Any, tmp_path: Path) -> None:
    _did, _a, b, _hid = _setup(window, tmp_path)
    _ctrl_d_in_the_highlights_tab(window)
    assert window.statusBar().currentMessage() == "Added 1 item to the dossier."
    window.show_dossier()
    assert not window.builder.use_note.isVisible()
    window.show_documents()  # nor for a document
    select_listed(window, b)
    window.documents.table.setFocus()
    window.acts["add_to_dossier"].trigger()
    assert window.statusBar().currentMessage() == "Added 1 item to the dossier."
    window.show_dossier()
    window.builder.items.setCurrentRow(window.builder.items.count() - 1)
    assert window.builder.selected_item() is not None
    assert not window.builder.use_note.isVisible()


def test_with_the_real_worker_the_noted_exhibit_is_selected_after_the_reload(
        threaded_window: Any, tmp_path: Path, qtbot: Any) -> None:
    """On the worker thread the builder's reload ends after the add's own answer: the new
    exhibit is selected when it is listed, not lost because it was not listed yet."""
    from tests.ui.conftest import facade_async

    win = threaded_window
    if win.builder is None:
        pytest.fail("this core build has no dossiers")
    src = tmp_path / "a.txt"
    src.write_text("The guards moved the workers at night.\n", encoding="utf-8")
    facade_async(win, qtbot, lambda wb: wb.import_paths([src]))
    doc = facade_async(win, qtbot, lambda wb: wb.list_documents())[0]["id"]
    hid = facade_async(win, qtbot, lambda wb: wb.add_highlight(
        doc, quote="workers at night", note="Seen from the gate.")).highlight_ids[0]
    did = facade_async(win, qtbot, lambda wb: wb.create_dossier("Camp case")).dossier_ids[0]
    facade_async(win, qtbot, lambda wb: wb.add_item(did, document=doc))  # an exhibit before
    builder = win.builder
    builder.open_dossier(did)
    qtbot.waitUntil(lambda: len(builder.data.get("entries", [])) == 1, timeout=30000)
    builder.items.setCurrentRow(0)
    said: list[str] = []
    from ui.dossier.adding import add_new

    add_new(builder, [hid], [], said.append)
    qtbot.waitUntil(lambda: len(said) == 2, timeout=30000)
    assert "Use the highlight's note" in said[1]
    new = facade_async(win, qtbot, lambda wb: wb.get_dossier(did))["entries"][-1]["id"]
    qtbot.waitUntil(lambda: builder.selected_item() == new, timeout=30000)
    win.show_dossier()
    qtbot.waitUntil(builder.use_note.isVisible, timeout=30000)
