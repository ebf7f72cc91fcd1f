"""Ctrl+D (Dossier → Add to dossier) adds what has the focus, says so when it is already in the
dossier, and says what to do when nothing is selected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import facade


def _setup(win: Any, tmp_path: Path) -> tuple[int, int, int, int]:
    """Two documents, a highlight in the first (open, the highlight selected in the Highlights
    tab), a dossier: (dossier, first document, second document, highlight)."""
    if win.builder is None or win.highlighter is None:
        pytest.skip("this core build has no dossiers or highlights")
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
    window.documents.select_document(a)  # the document open in the reader: it stays open
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
    window.documents.select_document(b)
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
    window.documents.select_document(b)
    window.documents.table.setFocus()
    window.acts["add_to_dossier"].trigger()
    message = window.statusBar().currentMessage()
    assert "Added" not in message and "dossier first" in message
