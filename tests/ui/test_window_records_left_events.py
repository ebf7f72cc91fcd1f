"""An export made from the command line while the window holds the library is appended to the
audit log when the person comes back to the window, not only when the library is next opened
(the window may stay open for days; the History view then shows the export at once)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import facade
from workbench import audit
from workbench.pending_events import PENDING, note
from workbench.services import Workbench


def test_coming_back_to_the_window_records_what_was_left(window: Any, qtbot: Any,
                                                        library_path: Path) -> None:
    with Workbench.open(library_path, writable=False) as beside:  # the command line's view
        assert note(beside.library, audit.DISSEMINATION, "dossier", 1,
                    {"sha256": "ef" * 32, "format": "pdf"}) == PENDING

    def late() -> list[Any]:
        return [e for e in facade(window, lambda wb: wb.audit_events())
                if e["details"].get("recorded_late")]

    assert late() == []
    window.activateWindow()
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    qtbot.waitUntil(lambda: len(late()) == 1, timeout=10000)
    assert "command line" in window.statusBar().currentMessage()
