"""Saving a commentary in the builder after someone else changed the dossier (issue 19: no
lost update): a box names who changed it and offers Reload (the default) and Overwrite."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from tests.ui.conftest import facade


def _answer_box(button: str, seen: list[str]) -> None:
    """Click ``button`` of the conflict box once it is shown (it runs its own event loop)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        chosen = next(b for b in box.buttons() if b.text() == button)
        chosen.click()

    QTimer.singleShot(0, click)


def _save(win: Any, qtbot: Any, text: str) -> None:
    builder = win.builder
    builder.commentary.setPlainText(text)
    save = next(b for b in builder.findChildren(QPushButton) if b.text() == "Save commentary")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("choice", ["Reload", "Overwrite"])
def test_a_commentary_saved_over_someone_elses_change_asks_reload_or_overwrite(
        window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, choice: str) -> None:
    assert window.builder is not None, "the window installed no dossiers"
    did = facade(window, lambda wb: wb.create_dossier("Camp case")).dossier_ids[0]
    item = facade(window, lambda wb: wb.add_item(did, note="Opening remarks.")).item_ids[0]
    window.builder.open_dossier(did)
    assert window.builder.items.select_item(item)
    # another desktop changes the dossier; this window has not heard of it yet
    monkeypatch.setenv("WORKBENCH_AUTHOR", "alice")
    facade(window, lambda wb: wb.update_dossier(did, description="Alice's summary"))
    monkeypatch.setenv("WORKBENCH_AUTHOR", "bob")

    seen: list[str] = []
    _answer_box(choice, seen)
    _save(window, qtbot, "Bob's commentary")
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0].startswith("Changed by alice at ") and "reload" in seen[0]
    now = facade(window, lambda wb: wb.get_dossier(did))
    commentary = now["entries"][0]["commentary"]
    assert now["description"] == "Alice's summary"  # never lost
    if choice == "Reload":
        assert commentary == ""
        assert window.builder.data["version"] == now["version"]  # shows their change now
    else:
        assert commentary == "Bob's commentary"
        event = facade(window, lambda wb: wb.audit_events(object_type="dossier",
                                                          object_id=str(did)))[-1]
        assert event["author"] == "bob" and event["details"]["overwrote"]["changed_by"] \
            == "alice"


def test_a_highlight_edited_over_someone_elses_change_can_be_overwritten(
        window: Any, qtbot: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.ui.test_highlight_dialog import QUOTE, _open_document, _press_h_on, _save_button

    _open_document(window, tmp_path, qtbot, f"Witness B said {QUOTE}.\n")
    qtbot.mouseClick(_save_button(_press_h_on(window, qtbot, QUOTE)), Qt.MouseButton.LeftButton)
    doc = window.viewer.doc_id
    hid = facade(window, lambda wb: wb.list_highlights(doc=doc))[0]["id"]
    window.highlighter.edit(hid)
    dialog = window.highlighter.dialog
    # meanwhile another desktop changes its note; this window has not heard of it yet
    monkeypatch.setenv("WORKBENCH_AUTHOR", "alice")
    facade(window, lambda wb: wb.edit_highlight(hid, note="Alice's note"))
    monkeypatch.setenv("WORKBENCH_AUTHOR", "bob")

    seen: list[str] = []
    _answer_box("Overwrite", seen)
    dialog.note.setPlainText("Bob's note")
    qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0].startswith("Changed by alice at ")
    assert facade(window, lambda wb: wb.get_highlight(hid))["note"] == "Bob's note"
