"""Original tab → Save original…: the core writes the bytes (checked against the SHA-256 they
were collected with, recorded as an export) and the status bar says what was saved; a place
the core refuses is said and nothing is written (session 17: the window copied the file
itself, unrecorded, even into an encrypted library's own folder)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tests.support.files import make_html_capture
from tests.ui.conftest import facade
from tests.ui.test_save_dialogs_folder import _dialogs


def test_save_original_is_checked_recorded_and_said(window: Any, tmp_path: Path, qtbot: Any,
                                                    monkeypatch: Any) -> None:
    html = make_html_capture(tmp_path / "capture.html", "Capture",
                             "<p>Statement of the witness.</p>", url="https://example.org/a")
    window.imports.start([html])
    window.imports.plan_dialog.accept()
    window.documents.table.selectRow(0)
    viewer = window.viewer
    viewer.tabs.setCurrentWidget(viewer.original)
    errors: list[BaseException] = []
    monkeypatch.setattr(window.session.presenter, "show", lambda exc, *a: errors.append(exc))
    missing = tmp_path / "no such folder" / "capture.html"
    _dialogs(monkeypatch, [missing, tmp_path / "saved.html"])
    qtbot.mouseClick(viewer.original.save_button, Qt.MouseButton.LeftButton)
    assert errors and "does not exist" in str(errors[0]) and not missing.exists()
    qtbot.mouseClick(viewer.original.save_button, Qt.MouseButton.LeftButton)
    data = (tmp_path / "saved.html").read_bytes()
    assert data == html.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    said = window.statusBar().currentMessage()
    assert "Saved the original" in said and sha[:12] in said and "saved.html" in said
    events = facade(window, lambda wb: wb.audit_events())
    assert [e for e in events if e["type"] == "dissemination"
            and e["details"].get("format") == "original" and e["details"]["sha256"] == sha]
