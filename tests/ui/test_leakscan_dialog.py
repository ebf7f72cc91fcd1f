"""Dossier → Check files for redacted names, driven through the real widgets: the menu opens it,
the names are typed, files and a folder are added through the file dialogs, Check is clicked,
and the table lists where each name can be read — never the name itself."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

NAME = "Ekpar Asat"


def _files(tmp: Path) -> tuple[Path, Path]:
    folder = tmp / "to-send"
    folder.mkdir()
    (folder / "clean.txt").write_text("Nothing to see here.", encoding="utf-8")
    with zipfile.ZipFile(folder / "bundle.zip", "w") as zf:
        zf.writestr("notes.html", "<p>Interview with Ekpar&#95;Asat.</p>".encode("utf-16"))
    single = tmp / "memo.txt"
    single.write_bytes("Memo about ЕKPAR ASAT (GBK).".encode("gb18030"))
    return folder, single


def test_check_files_from_the_menu(window: Any, qtbot: Any, tmp_path: Path,
                                   monkeypatch: Any) -> None:
    folder, single = _files(tmp_path)
    window.acts["leak_scan"].trigger()
    dialog = window.leak_scan_dialog
    assert dialog.isVisible()

    # Check with nothing typed: a hint, no scan.
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert "at least one name" in dialog.status.text()

    dialog.terms.setFocus()
    qtbot.keyClicks(dialog.terms, NAME)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(single)], "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(folder)))
    buttons = {b.text().replace("&", ""): b for b in dialog.findChildren(type(dialog.check_button))}
    qtbot.mouseClick(buttons["Add files…"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(buttons["Add folder…"], Qt.MouseButton.LeftButton)
    assert dialog.files.count() == 2

    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=30000)
    table = dialog.table
    files_hit = {table.text(r, 0) for r in range(table.row_count())
                 if not table.text(r, 3).startswith("could not")}
    assert {"memo.txt", "bundle.zip"} <= files_hit
    assert "clean.txt" not in files_hit
    assert "can still be read" in dialog.status.text()
    shown = " ".join(table.text(r, c) for r in range(table.row_count()) for c in range(4))
    shown += dialog.status.text()
    assert "kpar" not in shown.lower() and "asat" not in shown.lower()

    dialog.terms.selectAll()
    qtbot.keyClicks(dialog.terms, "Someone Else")
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=30000)
    assert dialog.outcome["findings"] == []
    assert "No name found" in dialog.status.text()
    dialog.reject()
