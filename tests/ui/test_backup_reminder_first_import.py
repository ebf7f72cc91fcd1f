"""The first import into an empty library brings the backup reminder: it was decided only when
a library opened, so a new user's first day of work (an empty library, then an import) got no
nudge until the app was started again (a walk). "Not now" still holds for the session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt


def _import(window: Any, tmp_path: Path, name: str) -> None:
    src = tmp_path / name
    src.write_text(f"Statement {name} about the camp.", encoding="utf-8")
    window.imports.start([src])
    window.imports.plan_dialog.accept()
    window.imports.summary_dialog.accept()


def test_the_first_import_brings_the_reminder(window: Any, qtbot: Any, tmp_path: Path) -> None:
    bar = window.backups.reminder
    assert not bar.isVisible()  # an empty library needs no backup
    _import(window, tmp_path, "a.txt")
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "never been backed up" in bar.label.text()
    qtbot.mouseClick(bar.dismiss_button, Qt.MouseButton.LeftButton)
    _import(window, tmp_path, "b.txt")
    qtbot.wait(200)
    assert not bar.isVisible()  # "Not now" is not asked again at every import
