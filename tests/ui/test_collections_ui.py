"""Collections managed in the window (issue 19): "Rename collection…" (F2 on the collection
in the sidebar, or its menu) and "Remove from collection" (Delete in the collection's list, or
the list's menu), each saved with the version the window shows: after another desktop changed
the collection, the same box as every other edit asks Reload or Overwrite.

On a personal library the other desktop is the same library's facade under another author
(see test_conflict_window_paths_ui)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu

from tests.ui.conftest import facade, select_listed
from tests.ui.test_conflict_ui import _answer_box
from tests.ui.test_conflict_window_paths_ui import (
    _as_alice,
    _click_sidebar,
    _last_event,
    _sidebar_item,
)
from workbench.changes import Changes

# --- 4. collections in the window -------------------------------------------------------------

def _collection(window: Any, qtbot: Any, tmp_path: Path) -> tuple[int, list[int]]:
    """Three documents, two of them in the collection "Camp", shown in the sidebar."""
    paths = []
    for i, text in enumerate(("Witness A saw the trucks.", "Witness B heard the guards.",
                              "The factory's records.")):
        path = tmp_path / f"doc{i}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    report, _ = facade(window, lambda wb: wb.import_paths(paths))
    docs = [r.document_id for r in report.imported]
    facade(window, lambda wb: wb.add_to_collection(docs[:2], "Camp"))
    window.session.broadcast(Changes(documents=True, collections=True))
    qtbot.waitUntil(lambda: window.sidebar._find("collection", "Camp") is not None,
                    timeout=5000)
    cid = next(c["id"] for c in facade(window, lambda wb: wb.list_collections()))
    return cid, docs


def _names(window: Any) -> dict[str, int]:
    return {c["name"]: c["documents"] for c in facade(window, lambda wb: wb.list_collections())}


def _rename_with_f2(window: Any, qtbot: Any, name: str) -> Any:
    _click_sidebar(window, qtbot, "collection", "Camp")
    qtbot.keyClick(window.sidebar, Qt.Key.Key_F2)
    dialog = window.collection_rename_dialog
    assert isinstance(dialog, QInputDialog) and dialog.isVisible()
    assert dialog.textValue() == "Camp"
    editor = dialog.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, name)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    return dialog


def test_rename_a_collection_with_f2_in_the_sidebar(window: Any, qtbot: Any,
                                                   tmp_path: Path) -> None:
    _collection(window, qtbot, tmp_path)
    _click_sidebar(window, qtbot, "collection", "Camp")
    assert window.documents.model.collection == "Camp"  # its list is shown
    dialog = _rename_with_f2(window, qtbot, "Camp Aksu")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert _names(window) == {"Camp Aksu": 2}
    qtbot.waitUntil(lambda: window.sidebar._find("collection", "Camp Aksu") is not None,
                    timeout=5000)
    # the list shown keeps showing the same collection under its new name
    assert window.documents.model.collection == "Camp Aksu"
    assert window.documents.model.rowCount() == 2


@pytest.mark.parametrize("choice", ["Reload", "Overwrite"])
def test_a_collection_renamed_over_someone_elses_change_asks(
        window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        choice: str) -> None:
    monkeypatch.setenv("WORKBENCH_AUTHOR", "bob")
    cid, docs = _collection(window, qtbot, tmp_path)
    _as_alice(window, monkeypatch, lambda wb: wb.remove_from_collection([docs[1]], cid))
    seen: list[str] = []
    _answer_box(choice, seen)
    _rename_with_f2(window, qtbot, "Camp Aksu")
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0].startswith("Changed by alice at ")
    if choice == "Reload":
        assert _names(window) == {"Camp": 1}
        qtbot.waitUntil(lambda: window.documents.model.rowCount() == 1, timeout=5000)
        assert _sidebar_item(window, "collection", "Camp").text(0) == "Camp  (1)"
    else:
        assert _names(window) == {"Camp Aksu": 1}  # their removal stands, our name too
        event = _last_event(window, "collection", cid)
        assert event["author"] == "bob"
        assert event["details"]["overwrote"]["changed_by"] == "alice"


def test_delete_in_a_collections_list_takes_the_document_out_of_it(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    _cid, docs = _collection(window, qtbot, tmp_path)
    _click_sidebar(window, qtbot, "collection", "Camp")
    table = window.documents.table
    qtbot.waitUntil(lambda: window.documents.model.rowCount() == 2, timeout=5000)
    select_listed(window, docs[0], qtbot)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: _names(window) == {"Camp": 1}, timeout=5000)
    # the document stays in the library, only out of the collection
    assert facade(window, lambda wb: wb.count_documents()) == 3
    qtbot.waitUntil(lambda: window.documents.model.rowCount() == 1, timeout=5000)
    # in All documents, Delete is still the window's "Delete document…"
    _click_sidebar(window, qtbot, "all", None)
    assert window.documents.model.collection is None


@pytest.mark.parametrize("choice", ["Reload", "Overwrite"])
def test_remove_from_collection_over_someone_elses_rename_asks(
        window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        choice: str) -> None:
    monkeypatch.setenv("WORKBENCH_AUTHOR", "bob")
    cid, docs = _collection(window, qtbot, tmp_path)
    _click_sidebar(window, qtbot, "collection", "Camp")
    qtbot.waitUntil(lambda: window.documents.model.rowCount() == 2, timeout=5000)
    select_listed(window, docs[0], qtbot)  # Bob's choice, then Alice renames meanwhile
    _as_alice(window, monkeypatch, lambda wb: wb.rename_collection(cid, "Camp (Alice)"))
    seen: list[str] = []
    _answer_box(choice, seen)
    table = window.documents.table
    window._document_menu(table.visualRect(table.currentIndex()).center())
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    action = next(a for a in menu.actions() if a.text() == "Remove from collection")
    menu.close()
    action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0].startswith("Changed by alice at ")
    if choice == "Reload":
        assert _names(window) == {"Camp (Alice)": 2}
        # the list follows the collection under the name it has now
        qtbot.waitUntil(lambda: window.documents.model.collection == "Camp (Alice)",
                        timeout=5000)
        assert window.documents.model.rowCount() == 2
    else:
        assert _names(window) == {"Camp (Alice)": 1}
        event = _last_event(window, "collection", cid)
        assert event["author"] == "bob"
        assert event["details"]["overwrote"]["changed_by"] == "alice"


def test_the_rename_box_of_a_long_collection_name_fits_the_window(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    long = "Forced labour transfers from the camps of Aksu county, witness statements " * 4
    cid, _docs = _collection(window, qtbot, tmp_path)
    facade(window, lambda wb: wb.rename_collection(cid, long.strip()))
    window.session.broadcast(Changes(collections=True))
    qtbot.waitUntil(lambda: window.sidebar._find("collection", long.strip()) is not None,
                    timeout=5000)
    _click_sidebar(window, qtbot, "collection", long.strip())
    qtbot.keyClick(window.sidebar, Qt.Key.Key_F2)
    dialog = window.collection_rename_dialog
    assert dialog.isVisible() and dialog.textValue() == long.strip()  # the whole name to edit
    assert dialog.width() <= 640, dialog.width()  # the label names it, elided
