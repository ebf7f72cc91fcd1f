"""File → Verify library says what it checked, and offers to import or remove the stray files
an interrupted import left (not damage), through the audited core call."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import facade


def _answer(button_text: str, seen: list[str]) -> QTimer:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or seen:
            return
        seen.append(box.text())
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        box.reject()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(click)
    timer.start()
    return timer


def test_verify_offers_to_remove_stray_originals(window: Any, qtbot: Any) -> None:
    sha, _ = facade(window, lambda wb: wb.library.originals.put_bytes(b"left by a killed import"))
    seen: list[str] = []
    timer = _answer("Remove them", seen)
    window.acts["verify"].trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    timer.stop()
    assert "belong to no document" in seen[0] and "nothing is lost" in seen[0]
    assert "text layers" in seen[0]
    assert not facade(window, lambda wb: wb.library.originals.exists(sha))
    events = facade(window, lambda wb: wb.audit_events(object_type="originals"))
    assert any(sha in str(e["details"]) for e in events)
    assert "Removed 1 stray file" in window.statusBar().currentMessage()


def test_verify_of_a_clean_library_has_no_stray_buttons(window: Any, qtbot: Any) -> None:
    seen: list[str] = []
    timer = _answer("OK", seen)
    window.acts["verify"].trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    timer.stop()
    assert "audit chain is intact" in seen[0] and "belong to no document" not in seen[0]


def _alter_an_original(window: Any, tmp_path: Any, backup: bool = False) -> dict[str, Any]:
    """One statement imported (and backed up, if asked), then its stored original's bytes
    changed on disk."""
    import os

    from workbench import backup as core

    note = tmp_path / "w14-statement.txt"
    note.write_text("Witness W-14 saw the transfer in March 2018.\n", encoding="utf-8")
    facade(window, lambda wb: wb.import_paths([note]))
    doc = facade(window, lambda wb: wb.list_documents()[0])
    if backup:
        facade(window, lambda wb: core.backup(wb.library, tmp_path / "lib backup"))
    stored = facade(window, lambda wb: wb.library.originals.path_for(doc["sha256"]))
    os.chmod(stored, 0o600)
    stored.write_bytes(b"Somebody changed this file.\n")
    return dict(doc)


def _verify_text(window: Any, qtbot: Any) -> str:
    seen: list[str] = []
    timer = _answer("OK", seen)
    window.acts["verify"].trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    timer.stop()
    return seen[0]


def test_verify_names_the_document_whose_original_changed(window: Any, qtbot: Any,
                                                          tmp_path: Any) -> None:
    """The report said only "original file is altered (its bytes now hash to …)": which of
    the library's documents was it? It names the title, the id and the file name, and, on a
    library never backed up, does not send the person to a backup that does not exist."""
    doc = _alter_an_original(window, tmp_path)
    text = _verify_text(window, qtbot)
    assert "original file is altered" in text
    assert doc["title"] and doc["title"] in text
    assert f"document {doc['id']}" in text
    assert "w14-statement.txt" in text
    assert "Restore from a backup" not in text and "File → Restore" not in text
    assert "never been backed up" in text
    assert "Import the original again from its source" in text
    assert "evidence" in text  # keep the report: when the change was found


def test_verify_points_to_the_backup_there_is(window: Any, qtbot: Any, tmp_path: Any) -> None:
    doc = _alter_an_original(window, tmp_path, backup=True)
    text = _verify_text(window, qtbot)
    assert doc["title"] in text
    assert "File → Restore from backup" in text
    assert "lib backup" in text
