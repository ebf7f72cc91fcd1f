"""The folder picker of File → New library… and New encrypted library….

Qt's folder picker (the one shown where the desktop lends none: found on a fresh-user walk,
session 17) says "Directory not found" for a folder typed that does not exist yet, and typed
again it handed back the folder's parent, so the passphrase dialog named the parent and the
library then failed as "not empty", after the passphrase had been chosen. This picker takes
the folder typed as it is, refuses at once, naming it, a folder that cannot take a new library
(``library_folder.new_library_problem``) and stays open for another, and makes a folder that
does not exist yet, so that nothing more is asked until the folder is known to do.

A subclass of ``QFileDialog`` is always Qt's own dialog (a platform's native picker is lent to
``QFileDialog`` itself only), so the check runs the same wherever the app does.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from ..library_folder import new_library_problem


@dataclass
class ChosenFolder:
    """The folder chosen for a new library; ``made``: the outermost folder the picker made
    for it (None when it was there already)."""

    path: Path
    made: Path | None = None

    def take_back(self) -> None:
        """No library went in: remove the folders the picker made, if they are still empty."""
        if self.made is None:
            return
        folder = self.path
        while True:
            with contextlib.suppress(OSError):  # not empty, or gone: left as it is
                folder.rmdir()
            if folder == self.made or folder.parent == folder:
                break
            folder = folder.parent


class NewLibraryFolderDialog(QFileDialog):
    def __init__(self, parent: QWidget | None, caption: str, start: str) -> None:
        super().__init__(parent, caption, start)
        self.setFileMode(QFileDialog.FileMode.Directory)
        self.setOption(QFileDialog.Option.ShowDirsOnly)
        self.setLabelText(QFileDialog.DialogLabel.FileName, "Folder:")
        self.chosen: ChosenFolder | None = None
        # Qt greys Choose out while the name typed is not an existing folder; here such a
        # folder is made, and any other choice is answered in words (``accept``).
        buttons = self.findChild(QDialogButtonBox)
        self.choose = buttons.button(QDialogButtonBox.StandardButton.Open) if buttons else None
        if self.choose is not None:
            self.choose.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.choose and event.type() == QEvent.Type.EnabledChange \
                and not self.choose.isEnabled():
            self.choose.setEnabled(True)
        return super().eventFilter(watched, event)

    def typed(self) -> Path:
        """The folder the name field says (relative to the folder shown), or the folder
        shown when the field is empty."""
        shown = Path(self.directory().absolutePath())
        field = self.findChild(QLineEdit, "fileNameEdit")
        text = field.text().strip() if field is not None else ""
        if not text:
            return shown
        path = Path(text).expanduser()
        return path if path.is_absolute() else shown / path

    def accept(self) -> None:
        field = self.findChild(QLineEdit, "fileNameEdit")
        if field is not None and field.text().strip() == "..":
            super().accept()  # Qt's way up a folder
            return
        path = Path(self.typed().absolute())
        problem = new_library_problem(path)
        made = None
        if problem is None and not path.exists():
            made = path
            while not made.parent.exists():
                made = made.parent
            try:
                path.mkdir(parents=True)
            except OSError as exc:
                problem = (f"The folder “{path}” could not be made: "
                           f"{exc.strerror or exc}. Choose another folder.")
        if problem is not None:
            QMessageBox.warning(self, self.windowTitle(), problem)
            # Still open, the name chosen selected: another one is typed over it at once.
            self.activateWindow()
            if field is not None:
                field.setFocus()
                field.selectAll()
            return
        self.chosen = ChosenFolder(path, made)
        QDialog.accept(self)  # not Qt's, which refuses a folder that did not exist


def choose_new_library_folder(parent: QWidget, caption: str) -> ChosenFolder | None:
    """Ask for the folder of a new library: one that is empty, or made now; None when the
    picker is cancelled."""
    from ..preferences import library_dialog_folder

    dialog = NewLibraryFolderDialog(parent, caption, library_dialog_folder())
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen
    finally:
        dialog.deleteLater()
