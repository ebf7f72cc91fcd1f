"""The Reload / Overwrite prompt (issue 19: no lost update) where tags are renamed in the
codebook, where a dossier's term is redacted in the builder and where an area is redacted on
the page: each save made after someone else changed the thing asks, names them, and keeps
their change (Reload) or replaces it on purpose, audited (Overwrite)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import facade
from tests.ui.test_conflict_ui import _answer_box
from tests.ui.test_page_highlights import _drag, _needs, _open, _vp
from workbench.changes import Changes


@pytest.mark.parametrize("choice", ["Reload", "Overwrite"])
def test_a_tag_renamed_in_the_codebook_over_someone_elses_rename_asks(
        window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        choice: str) -> None:
    from tests.ui.test_codebook import _import, click_tag, paths

    assert window.codebook is not None, "the window installed no codebook"
    _import(window, tmp_path)  # a library with documents: the pages show, not the welcome
    tid = facade(window, lambda wb: wb.add_tag("Camps") and wb.get_tag("Camps")["id"])
    window.session.broadcast(Changes(tags=True))  # as if made in the window
    window.acts["codebook"].trigger()
    panel = window.codebook
    qtbot.waitUntil(lambda: panel.tree.item_for(tid) is not None, timeout=5000)
    click_tag(qtbot, panel, "Camps")
    # another desktop renames it; this window has not heard of it yet
    monkeypatch.setenv("WORKBENCH_AUTHOR", "alice")
    facade(window, lambda wb: wb.rename_tag(tid, "Detention sites"))
    monkeypatch.setenv("WORKBENCH_AUTHOR", "bob")

    seen: list[str] = []
    _answer_box(choice, seen)
    qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
    editor = panel.tree.focusWidget()
    assert editor is not panel.tree
    editor.selectAll()
    qtbot.keyClicks(editor, "Camps (Bob)")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0].startswith("Changed by alice at ") and "reload" in seen[0]
    if choice == "Reload":
        assert paths(window) == ["Detention sites"]
        qtbot.waitUntil(lambda: panel.tree.rows.get(tid, {}).get("path") == "Detention sites",
                        timeout=5000)  # the tree shows their name now
    else:
        qtbot.waitUntil(lambda: paths(window) == ["Camps (Bob)"], timeout=5000)
        event = facade(window, lambda wb: wb.audit_events(object_type="tag",
                                                          object_id=str(tid)))[-1]
        assert event["author"] == "bob"
        assert event["details"]["overwrote"]["changed_by"] == "alice"


def test_a_term_redacted_in_the_builder_over_someone_elses_change_can_be_overwritten(
        window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.ui.test_redaction_label_dialogs import _open_term_dialog

    builder = window.builder
    assert builder is not None, "the window installed no dossiers"
    did = facade(window, lambda wb: wb.create_dossier("Camp case")).dossier_ids[0]
    facade(window, lambda wb: wb.add_item(did, note="Aygul Tursun saw the trucks."))
    builder.open_dossier(did)
    qtbot.waitUntil(lambda: builder.data.get("id") == did, timeout=5000)
    monkeypatch.setenv("WORKBENCH_AUTHOR", "alice")
    facade(window, lambda wb: wb.update_dossier(did, description="Alice's summary"))
    monkeypatch.setenv("WORKBENCH_AUTHOR", "bob")

    dialog = _open_term_dialog(builder, qtbot)
    qtbot.keyClicks(dialog.term, "Aygul Tursun")
    qtbot.keyClicks(dialog.reason, "her brother is detained")
    seen: list[str] = []
    _answer_box("Overwrite", seen)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0].startswith("Changed by alice at ")
    qtbot.waitUntil(lambda: len(facade(window, lambda wb: wb.list_redactions(did))) == 1,
                    timeout=5000)
    now = facade(window, lambda wb: wb.get_dossier(did))
    assert now["description"] == "Alice's summary"  # theirs kept, ours added
    event = facade(window, lambda wb: wb.audit_events(object_type="dossier",
                                                      object_id=str(did)))[-1]
    assert event["details"]["overwrote"]["changed_by"] == "alice"


def test_an_area_redacted_on_the_page_over_someone_elses_change_reloads_without_saving(
        window: Any, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _needs(window, "redact_area")
    view = _open(window, tmp_path, qtbot)
    doc = window.viewer.doc_id
    dossier = facade(window, lambda wb: wb.create_dossier("Report")).dossier_ids[0]
    facade(window, lambda wb: wb.add_item(dossier, document=doc))
    window.viewer.original.toolbar.redact.trigger()
    _drag(qtbot, view, _vp(view, 1, 60, 80), _vp(view, 1, 260, 140))
    flow = window.highlighter.page.redaction
    assert flow is not None and flow.dialog is not None
    dialog = flow.dialog
    # the dialog is open on the dossier; another desktop changes it meanwhile
    monkeypatch.setenv("WORKBENCH_AUTHOR", "alice")
    facade(window, lambda wb: wb.update_dossier(dossier, title="Report (Alice)"))
    monkeypatch.setenv("WORKBENCH_AUTHOR", "bob")
    seen: list[str] = []
    _answer_box("Reload", seen)
    dialog.reason.setText("the witness's face")
    dialog.ok.click()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0].startswith("Changed by alice at ")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert facade(window, lambda wb: wb.list_redactions(dossier)) == []
    assert facade(window, lambda wb: wb.get_dossier(dossier))["title"] == "Report (Alice)"
