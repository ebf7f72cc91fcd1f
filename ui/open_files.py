"""The paths given to ``workbench gui`` (a file manager's "Open with", the menu entry's %F).

``sort_paths`` says what each path is: a library (its folder or its ``workbench-library.json``)
to open, a dossier bundle (a BagIt bag, folder or zip) to verify, or anything else to offer
for import; a path that does not exist is a problem to tell. ``FileOpener`` then acts on it
in the window, one dialog at a time: problems first, each bundle's verification report (the
core's ``verify_bundle``, on the worker), and, once a library is open, a question naming the
files and the library before the normal import (plan, progress, summary). Nothing is imported
without that answer: a double-click on a PDF must not change a library by itself.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QPushButton

# The marker's name from the light module that also defines it: workbench.library loads
# SQLAlchemy, which the window must not wait for as it starts (issue 16).
from workbench.crypto import MARKER

if TYPE_CHECKING:
    from .main_window import MainWindow

LISTED = 10  # names shown in a question; the rest are counted


@dataclass
class Opening:
    library: Path | None = None
    imports: list[Path] = field(default_factory=list)
    bundles: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def is_bundle(path: Path) -> bool:
    """A BagIt bag as the dossier export writes it: a folder with ``bagit.txt``, or a zip
    holding it at the top or under one top-level folder."""
    if path.is_dir():
        return (path / "bagit.txt").is_file()
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return False
    return any(n == "bagit.txt" or (n.count("/") == 1 and n.endswith("/bagit.txt"))
               for n in names)


def _library_of(path: Path) -> Path | None:
    if path.name == MARKER and path.is_file():
        return path.parent
    if path.is_dir() and (path / MARKER).is_file():
        return path
    return None


def sort_paths(paths: Sequence[Path], library: Path | None = None) -> Opening:
    """What to do with each path; ``library`` is the one ``--library`` named, if any (it
    wins: one library opens at a time)."""
    opening = Opening(library=library)
    for given in paths:
        path = Path(given).expanduser().absolute()
        if not path.exists():
            opening.problems.append(f"{path}: no such file or folder")
        elif (lib := _library_of(path)) is not None:
            if opening.library is None:
                opening.library = lib
            elif opening.library.absolute() != lib:
                opening.problems.append(f"{lib} is another library: only one library opens "
                                        f"at a time (open it with File → Open library)")
        elif not (path.is_file() or path.is_dir()):
            opening.problems.append(f"{path}: not a file or folder Workbench can open")
        elif is_bundle(path):
            opening.bundles.append(path)
        else:
            opening.imports.append(path)
    return opening


def bundle_report(path: Path, result: dict[str, Any]) -> str:
    n = int(result.get("files_checked", 0))
    files = f"{n} payload file{'s' if n != 1 else ''}"
    if result.get("ok"):
        lines = [f"{path.name}: {files} match the bundle's manifest, and its tag files and "
                 "payload size are as recorded.", "", f"Bundle: {path}"]
    else:
        problems = list(result.get("problems", []))
        lines = [f"{path.name}: {len(problems)} problem{'s' if len(problems) != 1 else ''} "
                 f"({files} checked). It is not the bundle as exported.", ""]
        lines += [f"• {p}" for p in problems[:20]]
        if len(problems) > 20:
            lines.append(f"… and {len(problems) - 20} more (workbench verify-bundle lists all)")
        lines += ["", f"Bundle: {path}"]
    withheld = result.get("withheld_originals") or []
    if withheld:
        lines.append(f"\n{len(withheld)} original{'s were' if len(withheld) != 1 else ' was'} "
                     "left out by the exporter on purpose (named in bag-info.txt); this is "
                     "not a problem.")
    return "\n".join(lines)


def _listed(paths: Sequence[Path]) -> str:
    lines = [f"• {p.name}{'/' if p.is_dir() else ''}" for p in paths[:LISTED]]
    if len(paths) > LISTED:
        lines.append(f"… and {len(paths) - LISTED} more")
    return "\n".join(lines)


class FileOpener(QObject):
    """Acts on an ``Opening`` in ``window``. ``showing`` is the dialog on screen (tests answer
    it as a person would); ``import_button`` is the import question's Import button."""

    def __init__(self, window: MainWindow, opening: Opening) -> None:
        super().__init__(window)
        self.window = window
        self.opening = opening
        self.showing: QMessageBox | None = None
        self.import_button: QPushButton | None = None
        self._queue: list[Callable[[], QMessageBox]] = []
        if opening.problems:
            self._enqueue(self._problems)
        for path in opening.bundles:
            self._verify(path)
        if opening.imports:
            if window.session.is_open:
                QTimer.singleShot(0, self._library_ready)
            else:
                window.session.opened.connect(self._library_ready)
                window.session.closed.connect(self._no_library)

    def _verify(self, path: Path) -> None:
        # The core reports a damaged member as one of the bundle's problems, and a zip it
        # cannot open at all as a UserError, shown like any other.
        from workbench.export.verify import verify_bundle

        def shown(result: dict[str, Any]) -> None:
            self._enqueue(lambda: self._report(path, result))

        self.window.tasks.run(lambda _task: verify_bundle(path), shown,
                              lambda exc: self.window.presenter.show(exc, "verify the bundle"),
                              label="verify a bundle")

    # --- one dialog at a time ---

    def _enqueue(self, make: Callable[[], QMessageBox]) -> None:
        self._queue.append(make)
        QTimer.singleShot(0, self._next)  # after the window has shown what it is doing

    def _next(self) -> None:
        if self.showing is not None or not self._queue:
            return
        box = self._queue.pop(0)()
        self.showing = box
        box.finished.connect(self._closed)
        box.open()

    def _closed(self, _result: int) -> None:
        if self.showing is not None:
            self.showing.deleteLater()
        self.showing = None
        self._next()

    def _box(self, icon: QMessageBox.Icon, title: str, text: str, info: str = "") -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, self.window)
        box.setInformativeText(info)
        return box

    # --- what is shown ---

    def _problems(self) -> QMessageBox:
        box = self._box(QMessageBox.Icon.Warning, "Some files could not be opened",
                        "Workbench was asked to open:",
                        "\n".join(f"• {p}" for p in self.opening.problems))
        box.addButton(QMessageBox.StandardButton.Ok)
        return box

    def _report(self, path: Path, result: dict[str, Any]) -> QMessageBox:
        ok = bool(result.get("ok"))
        box = self._box(QMessageBox.Icon.Information if ok else QMessageBox.Icon.Warning,
                        "Bundle verified" if ok else "Bundle has problems",
                        bundle_report(path, result))
        box.addButton(QMessageBox.StandardButton.Ok)
        return box

    def _disconnect(self) -> None:
        session = self.window.session
        for signal, slot in ((session.opened, self._library_ready),
                             (session.closed, self._no_library)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):  # not connected: the library was already open
                pass

    def _library_ready(self, *_: Any) -> None:
        self._disconnect()
        self._enqueue(self._ask_import)

    def _no_library(self) -> None:
        self._disconnect()
        n = len(self.opening.imports)
        self.window.statusBar().showMessage(
            f"The {n} file{'s' if n != 1 else ''} given were not imported: no library is open.")

    def _ask_import(self) -> QMessageBox:
        session, paths = self.window.session, self.opening.imports
        lib = session.path or Path()
        n = len(paths)
        what = f"{n} file{'s' if n != 1 else ''}" if all(p.is_file() for p in paths) \
            else f"{n} item{'s' if n != 1 else ''}"
        if session.read_only:
            box = self._box(QMessageBox.Icon.Warning, "Cannot import",
                            f"The library “{lib.name}” ({lib}) is open read-only: "
                            f"{session.read_only}. These {what} were not imported:",
                            _listed(paths))
            box.addButton(QMessageBox.StandardButton.Ok)
            return box
        box = self._box(QMessageBox.Icon.Question, "Import into this library?",
                        f"Import {what} into the library “{lib.name}” ({lib})?",
                        _listed(paths) + "\n\nWorkbench first shows what it found (duplicates, "
                        "files it cannot read); nothing is imported before you confirm that.")
        self.import_button = box.addButton("&Import…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("&Not now", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.import_button)
        self.import_button.clicked.connect(self._import)
        return box

    def _import(self) -> None:
        self.import_button = None
        self.window.imports.start(list(self.opening.imports))
