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
