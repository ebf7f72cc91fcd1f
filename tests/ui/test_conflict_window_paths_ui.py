"""The last window paths that saved over a teammate's edit unasked (issue 19: no lost update):
a tag dragged in the sidebar, the builder's "Show as original pages" toggle and "Redact
person…". Each is saved with the version the person saw; after another desktop changed the
thing, the same box asks Reload (their change stands, nothing of this edit is saved) or
Overwrite (audited with what it replaced). Collections: tests/ui/test_collections_ui.py.

On a personal library the other desktop is the same library's facade under another author:
a second writer cannot open it while the window holds its writer lock (the shared case on
PostgreSQL is tested in tests/pg/test_shared_tag_versions.py). The window is not told of the
change, as it would not be before the next notification."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent

from tests.ui.conftest import facade
from tests.ui.test_conflict_ui import _answer_box
from workbench.changes import Changes


def _as_alice(window: Any, monkeypatch: pytest.MonkeyPatch, fn: Callable[[Any], Any]) -> Any:
    """Another desktop (author alice) changes the library; this window is not told."""
    monkeypatch.setenv("WORKBENCH_AUTHOR", "alice")
    try:
        return facade(window, fn)
    finally:
        monkeypatch.setenv("WORKBENCH_AUTHOR", "bob")


def _last_event(window: Any, kind: str, object_id: int) -> dict[str, Any]:
    return facade(window, lambda wb: wb.audit_events(object_type=kind,
                                                     object_id=str(object_id)))[-1]


def _sidebar_item(window: Any, kind: str, payload: Any) -> Any:
    item = window.sidebar._find(kind, payload)
    assert item is not None, f"the sidebar shows no {kind} {payload!r}"
    return item


def _click_sidebar(window: Any, qtbot: Any, kind: str, payload: Any) -> None:
    sidebar = window.sidebar
    rect = sidebar.visualItemRect(_sidebar_item(window, kind, payload))
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# --- 1. a tag dragged onto another in the sidebar --------------------------------------------

@pytest.mark.parametrize("choice", ["Reload", "Overwrite"])
def test_a_tag_dragged_in_the_sidebar_over_someone_elses_rename_asks(
        window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, choice: str) -> None:
    monkeypatch.setenv("WORKBENCH_AUTHOR", "bob")
    camps = facade(window, lambda wb: wb.add_tag("Camps") and wb.get_tag("Camps")["id"])
    places = facade(window, lambda wb: wb.add_tag("Places") and wb.get_tag("Places")["id"])
    window.session.broadcast(Changes(tags=True))
    qtbot.waitUntil(lambda: window.sidebar._find("tag", places) is not None, timeout=5000)
    _as_alice(window, monkeypatch, lambda wb: wb.rename_tag(camps, "Detention sites"))

    seen: list[str] = []
    _answer_box(choice, seen)
    sidebar = window.sidebar
    _click_sidebar(window, qtbot, "tag", camps)  # the press that starts the drag
    assert sidebar.currentItem().data(0, Qt.ItemDataRole.UserRole + 1) == camps
    target = sidebar.visualItemRect(_sidebar_item(window, "tag", places)).center()
    mime = sidebar.model().mimeData([sidebar.currentIndex()])
    drop = QDropEvent(QPointF(target), Qt.DropAction.MoveAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    sidebar.dropEvent(drop)  # the drop handler the view runs (as in test_codebook)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0].startswith("Changed by alice at ")
    tag = facade(window, lambda wb: wb.get_tag(camps))
    if choice == "Reload":
        assert (tag["path"], tag["parent_id"]) == ("Detention sites", None)
        qtbot.waitUntil(lambda: _sidebar_item(window, "tag", camps).toolTip(0)
                        == "Detention sites", timeout=5000)  # their name is shown now
    else:
        assert tag["path"] == "Places/Detention sites"
        event = _last_event(window, "tag", camps)
        assert event["author"] == "bob"
        assert event["details"]["overwrote"]["changed_by"] == "alice"


# --- 2. the builder's "Show as original pages" ----------------------------------------------

@pytest.mark.parametrize("choice", ["Reload", "Overwrite"])
def test_the_facsimile_toggle_over_someone_elses_change_asks(
        window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        choice: str) -> None:
    from tests.ui.test_builder_facsimile import _builder, _dossier, _entry

    monkeypatch.setenv("WORKBENCH_AUTHOR", "bob")
    builder = _builder(window)
    did, _doc, item, _note = _dossier(window, tmp_path)
    builder.open_dossier(did)
    assert builder.items.select_item(item)
    _as_alice(window, monkeypatch, lambda wb: wb.update_dossier(did, title="Camp case (A)"))

    seen: list[str] = []
    _answer_box(choice, seen)
    check = builder.facsimile.check
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, check.height() // 2))  # its box
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0].startswith("Changed by alice at ")
    assert facade(window, lambda wb: wb.get_dossier(did))["title"] == "Camp case (A)"
    if choice == "Reload":
        assert _entry(window, did, item)["facsimile"] is False
        qtbot.waitUntil(lambda: builder.data.get("title") == "Camp case (A)", timeout=5000)
        assert not check.isChecked()  # shows what the library holds
    else:
        qtbot.waitUntil(lambda: _entry(window, did, item)["facsimile"] is True, timeout=5000)
        event = _last_event(window, "dossier", did)
        assert event["author"] == "bob"
        assert event["details"]["overwrote"]["changed_by"] == "alice"
        assert check.isChecked()


# --- 3. "Redact person…" ---------------------------------------------------------------------

@pytest.mark.parametrize("choice", ["Reload", "Overwrite"])
def test_redact_person_over_someone_elses_change_asks(
        window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        choice: str) -> None:
    from tests.ui.test_entities_ui import _dossier_with, _library, _register_ekpar, _settle

    monkeypatch.setenv("WORKBENCH_AUTHOR", "bob")
    docs = _library(window, tmp_path)
    eid = _register_ekpar(window)
    builder, did = _dossier_with(window, docs["english.txt"])
    qtbot.mouseClick(builder.redact_person_button, Qt.MouseButton.LeftButton)
    dialog = builder.redact_person_dialog
    assert dialog.isVisible() and dialog.entity.currentData() == eid
    # the dialog is open; another desktop changes the dossier meanwhile
    _as_alice(window, monkeypatch, lambda wb: wb.update_dossier(did, title="Aksu case (A)"))

    seen: list[str] = []
    _answer_box(choice, seen)
    qtbot.keyClicks(dialog.reason, "his family is in Aksu")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    _settle(qtbot)
    assert seen[0].startswith("Changed by alice at ")
    assert not dialog.isVisible()
    assert facade(window, lambda wb: wb.get_dossier(did))["title"] == "Aksu case (A)"
    rules = facade(window, lambda wb: wb.list_redactions(did))
    if choice == "Reload":
        assert rules == []
        qtbot.waitUntil(lambda: builder.data.get("title") == "Aksu case (A)", timeout=5000)
    else:
        assert [r["entity_id"] for r in rules] == [eid]
        event = _last_event(window, "dossier", did)
        assert event["author"] == "bob"
        assert event["details"]["overwrote"]["changed_by"] == "alice"
