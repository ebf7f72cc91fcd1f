"""Cancel is a flag: an import cancelled from its progress dialog stops between files, keeps
what was done, and ends in one summary that says so (real worker thread)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui.conftest import facade_async


def test_cancelling_an_import_from_the_progress_dialog(threaded_window: Any, tmp_path: Path,
                                                       qtbot: Any) -> None:
    win = threaded_window
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(150):
        (folder / f"f{i:02}.txt").write_text(f"File {i}. " + "testimony " * 300, encoding="utf-8")
    win.imports.start([folder])
    qtbot.waitUntil(lambda: win.imports.plan_dialog is not None, timeout=60000)
    win.imports.plan_dialog.accept()
    qtbot.waitUntil(lambda: win.imports.progress_dialog is not None
                    and win.imports.progress_dialog.bar.value() >= 2, timeout=280000)
    win.imports.progress_dialog.cancel_button.click()
    qtbot.waitUntil(lambda: win.imports.summary_dialog is not None, timeout=280000)
    summary = win.imports.summary_dialog
    assert summary.windowTitle() == "Import cancelled"
    statuses = [o.status for o in summary.report.outcomes]
    assert "cancelled" in statuses
    imported = len(summary.report.imported)
    assert 2 <= imported < 150
    assert facade_async(win, qtbot, lambda wb: wb.count_documents()) == imported
