"""The import choosers open in the folder of the last import, else the home folder: they opened
in the program's working folder (a walk saw /work/main), where no user keeps their files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog


def test_the_import_choosers_start_where_the_last_import_was(window: Any, tmp_path: Path,
                                                              monkeypatch: Any) -> None:
    offered: list[str] = []
    case = tmp_path / "case files"
    case.mkdir()
    (case / "a.txt").write_text("A statement about the camp.", encoding="utf-8")

    def files(_parent: Any, _caption: str = "", start: str = "", *a: Any,
              **k: Any) -> tuple[list[str], str]:
        offered.append(k.get("dir", start))
        return [str(case / "a.txt")], ""

    def folder(_parent: Any, _caption: str = "", start: str = "", *a: Any, **k: Any) -> str:
        offered.append(k.get("dir", start))
        return ""  # cancelled

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", files)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", folder)
    window.import_folder()
    window.import_files()
    window.imports.plan_dialog.reject()
    window.import_folder()
    assert offered == [str(Path.home()), str(Path.home()), str(case)]
