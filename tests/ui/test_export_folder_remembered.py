"""The export's save dialog opens in the folder of the last export: it opened in the home
folder every time (session 15's walk), so a second export meant browsing there again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.ui.test_dossier_builder import _builder, _highlight_dossier


def test_the_next_export_starts_in_the_last_exports_folder(window: Any, tmp_path: Path,
                                                           qtbot: Any, monkeypatch: Any) -> None:
    builder = _builder(window)
    did, _doc = _highlight_dossier(window, tmp_path)
    builder.open_dossier(did)
    folder = tmp_path / "exports for the court"
    folder.mkdir()
    offered: list[str] = []

    def save_as(_parent: Any, _title: str, start: str, *a: Any, **k: Any) -> tuple[str, str]:
        offered.append(start)
        return (str(folder / f"case-{len(offered)}.html"), "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    builder.format.setCurrentIndex(builder.format.findData("html"))
    qtbot.mouseClick(builder.export_button, Qt.MouseButton.LeftButton)
    builder.result_box.close()
    qtbot.mouseClick(builder.export_button, Qt.MouseButton.LeftButton)
    builder.result_box.close()
    assert (folder / "case-1.html").exists() and (folder / "case-2.html").exists()
    assert Path(offered[1]).parent == folder
    assert Path(offered[1]).name == "Camp case.html"  # the dossier's own name, as before
