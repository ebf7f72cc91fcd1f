"""The one "save a file" dialog of every export (dossier, chronology, passages, original bytes).

It opens in the folder of the last export (``preferences.export_folder``) with the proposed
name; each caller calls ``saved`` once the file is written, so the next dialog, of any kind,
opens where that file went. A cancelled dialog or a failed save leaves the folder as it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ..preferences import export_folder, remember_export_folder


def ask_save_path(parent: QWidget, caption: str, name: str, filters: str = "",
                  suffix: str = "") -> Path | None:
    """The path the user chose for ``name``, or None when they cancelled. With ``suffix``
    (".csv"), a name typed without it gets it: the export writes that format whatever the
    name says, and a file without its extension opens in nothing."""
    target, _ = QFileDialog.getSaveFileName(parent, caption, str(export_folder() / name),
                                            filters)
    if not target:
        return None
    path = Path(target)
    if suffix and path.suffix.lower() != suffix.lower():
        path = path.with_name(path.name + suffix)
    return path


def saved(path: Path | str) -> None:
    """``path`` was written: the next save dialog opens in its folder."""
    remember_export_folder(Path(path))
