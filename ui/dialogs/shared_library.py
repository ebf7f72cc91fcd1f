"""File → New shared library…: a team's library on a PostgreSQL server, made from the window.

The dialog asks for the server's URL, the password (optional), the originals' folder every
member reaches, the case's name and where this desktop keeps its marker, then runs the core's
``workbench.shared.create`` on the single worker (as ``init --database`` does) and opens the
new library. The password is never stored: the URL the marker keeps has none (the core
refuses one), and a typed password is handed to libpq through ``PGPASSWORD`` in this
process's environment only, where the library opened afterwards finds it too.

A problem is said inside the dialog in the core's words, with the field to fix focused: each
check runs in the order a person fills the form (URL, marker folder, originals' folder, then
the server), so the field that failed is known without reading the message.

``shared_caption`` gives the window's title for an open shared library ("Xinjiang — shared
on db.example.org"), read from its marker. Opening one whose server wants a password it was
not given (File → Open library…, a recent library, ``gui --library``) asks for it
(``ask_server_password``), again with the server's answer while it is wrong.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import theme
from ..preferences import library_dialog_folder

URL, PASSWORD, STORE, NAME, MARKER = "url", "password", "store", "name", "marker"
MARKER_FILE = "workbench-library.json"
# What libpq says when the server wants a password it was not given, or not this one.
PASSWORD_PROBLEMS = ("no password supplied", "password authentication failed")


class FieldProblem(Exception):
    """A check failed: which field to fix, and the core's error (message and hint)."""

    def __init__(self, field: str, error: BaseException) -> None:
        super().__init__(str(error))
        self.field, self.error = field, error


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("secondary")
    label.setWordWrap(True)
    return label


def _writable_place(path: Path, what: str) -> None:
    """Refuse a folder that cannot be made or written, before the server is touched: the core
    writes the marker only after the library exists on the server."""
    from workbench.errors import UserError

    for place in (path, *path.parents):
        if place.exists():
            if not place.is_dir():
                raise UserError(f"Cannot use {path} for {what}: {place} is a file, not a "
                                "folder", "choose a folder")
            if not os.access(place, os.W_OK | os.X_OK):
                raise UserError(f"Cannot write in {place} for {what}",
                                "choose a folder you can write")
            return


def create_shared(marker: Path, url: str, store: Path, name: str | None,
                  password: str, source: Path | None = None) -> dict[str, Any]:
    """Run on the worker: every check, then the core's ``shared.create`` (or, given the
    personal library ``source``, ``shared.copy.share``). Each failure comes back as a
    ``FieldProblem`` naming the field to fix."""
    from workbench import shared
    from workbench.errors import UserError
    from workbench.shared.copy import share
    from workbench.store_pg import check_no_password

    try:
        if not url.strip():
            raise UserError("Give the server's address", "e.g. postgresql://me@db.example.org/case")
        check_no_password(url)
    except Exception as exc:
        raise FieldProblem(URL, exc) from exc
    try:
        if marker.exists() and marker.is_dir() and any(marker.iterdir()):
            raise UserError(f"Cannot keep the marker in {marker}: the folder is not empty",
                            "choose an empty or new folder")
        _writable_place(marker, "this desktop's marker")
    except Exception as exc:
        raise FieldProblem(MARKER, exc) from exc
    try:
        if not str(store).strip() or str(store) == ".":
            raise UserError("Choose the originals' folder",
                            "a folder every member of the team can reach")
        _writable_place(store, "the originals")
    except Exception as exc:
        raise FieldProblem(STORE, exc) from exc
    if password:
        # For this process only (never written anywhere): libpq reads it at each connection,
        # including the library's own once it is opened.
        os.environ["PGPASSWORD"] = password
    try:
        if source is not None:
            return share(source, marker, url.strip(), store, name or None)
        return shared.create(marker, url.strip(), store, name or None)
    except Exception as exc:
        text = str(getattr(exc, "message", "") or exc).lower()
        field = (PASSWORD if any(problem in text for problem in PASSWORD_PROBLEMS)
                 else URL if "database" in text
                 else STORE if "originals' folder" in text
                 else MARKER if "marker" in text else URL)
        raise FieldProblem(field, exc) from exc


class SharedLibraryDialog(QDialog):
    """The form; ``created`` carries the marker folder once the library exists."""

    created = Signal(Path)

    def __init__(self, window: Any, source: Path | None = None) -> None:
        super().__init__(window)
        self.main = window  # (QWidget.window() is Qt's)
        self.source = source  # Share this library…: the open personal library
        self.busy = False
        self.last_error: BaseException | None = None
        self.result_info: dict[str, Any] = {}
        title = "Share this library" if source else "New shared library"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(520)
        layout = self.box = QVBoxLayout(self)
        intro = QLabel(
            f"Copy “\u2068{source.name}\u2069” — every original, highlight, dossier and audit "
            "event — into a new library the whole team works on at once, on a PostgreSQL "
            "server. It is closed while it is copied, and stays as it was." if source else
            "A library the whole team works on at once: its database on a PostgreSQL server, "
            "its originals in a shared folder.")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLineEdit] = {}
        self.url = self._field(URL, "Server address", "postgresql://me@db.example.org/case")
        form.addRow("&Server:", self.url)
        form.addRow("", _hint("postgresql://user@host/database — an empty database on your "
                              "team's server; no password in it"))
        self.password = self._field(PASSWORD, "Password", "if the server asks for one")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        form.addRow("&Password:", self.password)
        form.addRow("", _hint("Used now, never saved; or kept in ~/.pgpass or PGPASSWORD"))
        self.store = self._field(STORE, "Originals' folder", "")
        form.addRow("&Originals:", self._with_browse(self.store, "Choose the originals' "
                                                     "folder (a network share)"))
        form.addRow("", _hint("A folder every member of the team can reach, e.g. a "
                              "network share"))
        self.name = self._field(NAME, "Case name", "e.g. Xinjiang")
        form.addRow("Case &name:", self.name)
        self.marker = self._field(MARKER, "Marker folder on this desktop", "")
        form.addRow("&Marker:", self._with_browse(self.marker, "Where this desktop keeps the "
                                                  "library's marker (an empty folder)"))
        form.addRow("", _hint("A small folder this desktop opens the library by; "
                              "colleagues can be given a copy"))
        layout.addLayout(form)

        self.error = QLabel("")
        self.error.setObjectName("errorText")
        self.error.setStyleSheet(f"color: {theme.tone('bad')}")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        layout.addWidget(self.error)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # the server's steps are not counted: a busy bar
        self.progress.setAccessibleName("Creating the shared library")
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = _hint("")
        self.status.hide()
        layout.addWidget(self.status)
        layout.addWidget(self.progress)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(
            "&Share" if source else "&Create", QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setDefault(True)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._marker_edited = False
        self.marker.textEdited.connect(lambda _t: setattr(self, "_marker_edited", True))
        self.name.textChanged.connect(self._suggest_marker)
        self._suggest_marker("")
        if source is not None:
            self.name.setText(source.name)

    # --- building ----------------------------------------------------------------------------

    def _field(self, key: str, name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit()
        field.setAccessibleName(name)
        field.setObjectName(key)
        field.setPlaceholderText(placeholder)
        self.fields[key] = field
        return field

    def _with_browse(self, field: QLineEdit, caption: str) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(field, 1)
        button = QPushButton("Browse…")
        button.setAutoDefault(False)  # Enter in a field creates; it never opens the picker
        button.setAccessibleName(f"Browse for: {field.accessibleName()}")
        button.clicked.connect(lambda: self._browse(field, caption))
        row.addWidget(button)
        return box

    def _browse(self, field: QLineEdit, caption: str) -> None:
        start = field.text().strip() or library_dialog_folder()
        folder = QFileDialog.getExistingDirectory(self, caption, start)
        if folder:
            field.setText(folder)
            if field is self.marker:
                self._marker_edited = True

    def _suggest_marker(self, name: str) -> None:
        """Beside the usual libraries, named after the case, until the person picks one."""
        if self._marker_edited:
            return
        slug = "".join(c if c.isalnum() or c in "-_ " else "-" for c in name.strip())
        base = Path(library_dialog_folder())
        folder = base / (slug.strip() or "Shared case")
        n = 2
        while folder.exists() and any(folder.iterdir()):
            folder = base / f"{slug.strip() or 'Shared case'} {n}"
            n += 1
        self.marker.setText(str(folder))

    # --- creating ----------------------------------------------------------------------------

    def start(self) -> None:
        if self.busy:
            return
        url, password = self.url.text().strip(), self.password.text()
        store = Path(self.store.text().strip()).expanduser()
        marker = Path(self.marker.text().strip()).expanduser().absolute()
        name = self.name.text().strip() or None
        source = self.source
        self._set_busy(True)
        if source is not None:
            # The copy holds the personal library's writer lock: the window lets go of it
            # (reopened if the copy fails).
            self.main.session.close()
        self.main.tasks.run(
            lambda _task: create_shared(marker, url, store, name, password, source),
            lambda info: self._done(marker, info), self._failed,
            label="share the library" if source else "create a shared library")

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for field in self.fields.values():
            field.setEnabled(not busy)
        self.create_button.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.status.setVisible(busy)
        self.status.setText(("Copying the library to the server…" if self.source else
                             "Creating the library on the server…") if busy else "")
        if busy:
            self.error.hide()
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to what is shown now (an error of three lines, the busy bar) rather than
        squeeze the fields; a dialog keeps the size it was first shown at otherwise."""
        self.box.activate()
        need = self.box.totalHeightForWidth(self.width())
        if need > self.height():
            self.resize(self.width(), need)

    def _done(self, marker: Path, info: dict[str, Any]) -> None:
        self._set_busy(False)
        self.password.clear()
        self.result_info = info
        self.accept()
        self.created.emit(marker)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if self.source is not None and not self.main.session.is_open:
            self.main.open_path(self.source)  # it was closed for the copy, and left as it was
        field, error = (exc.field, exc.error) if isinstance(exc, FieldProblem) else (URL, exc)
        self.last_error = error
        message = str(getattr(error, "message", "") or error)
        hint = str(getattr(error, "hint", "") or "")
        self.error.setText(message + (f"\n{hint[:1].upper()}{hint[1:]}." if hint else ""))
        self.error.show()
        self._fit_height()
        target = self.fields[field]
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        target.selectAll()

    def reject(self) -> None:
        if self.busy:  # the server's transaction is under way: it finishes or fails first
            return
        self.password.clear()
        super().reject()


def new_shared_library(window: Any) -> SharedLibraryDialog:
    """File → New shared library…: the dialog; the window opens the library it makes."""
    dialog = SharedLibraryDialog(window)
    dialog.created.connect(lambda marker: window.open_path(marker))
    dialog.open()
    return dialog


def _count(copied: dict[str, Any], noun: str) -> str:
    n = int(copied.get(f"{noun}s") or 0)
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def share_library(window: Any) -> SharedLibraryDialog | None:
    """File → Share this library…: the open personal library copied into a new shared one,
    which the window then opens (saying whether the copy verified)."""
    path = window.session.path
    if path is None or shared_caption(path) is not None:
        window.statusBar().showMessage("Open a personal library to share it" if path is None
                                       else "This library is already shared", 5000)
        return None
    dialog = SharedLibraryDialog(window, source=path)

    def shared(marker: Path) -> None:
        info = dialog.result_info
        copied = info.get("copied") or {}
        said = (f"Shared {_count(copied, 'document')}, {_count(copied, 'highlight')} and "
                f"{_count(copied, 'dossier')}; "
                + ("the copy verified" if info.get("ok") else
                   "the copy did NOT verify: File → Verify library says why"))

        def announce(_path: Any) -> None:
            window.session.opened.disconnect(announce)
            # after the window's own "Library open", which would replace it
            QTimer.singleShot(0, lambda: window.statusBar().showMessage(said, 15000))

        window.session.opened.connect(announce)
        window.open_path(marker)

    dialog.created.connect(shared)
    dialog.open()
    return dialog


class ServerPasswordDialog(QDialog):
    """The server's password for opening a shared library: asked again with the server's
    answer when it was wrong; handed to libpq for this process only, never stored."""

    def __init__(self, parent: QWidget, path: Path, problem: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Server password")
        self.setAccessibleName("Server password")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        name, where = shared_place(path) or (path.name, "its server")
        self.intro = QLabel(f"“\u2068{name}\u2069” is shared on {where}, which asks for your "
                            "password.")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.problem = QLabel(problem)
        self.problem.setStyleSheet(f"color: {theme.tone('bad')}")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        form = QFormLayout()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.password.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        form.addRow("&Password:", self.password)
        layout.addLayout(form)
        layout.addWidget(_hint("Used while Workbench runs, never saved. To be asked no more, "
                               "keep it in ~/.pgpass."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.password.setFocus()


def ask_server_password(window: Any, path: Path | None, exc: BaseException) -> bool:
    """When opening the shared library at ``path`` failed for want of the right password,
    ask for it and open again (True); anything else is not for this dialog (False)."""
    message = str(getattr(exc, "message", "") or exc)
    if path is None or shared_caption(path) is None or not any(
            p in message for p in PASSWORD_PROBLEMS):
        return False
    dialog = ServerPasswordDialog(window, path, message)

    def given() -> None:
        password = dialog.password.text()
        dialog.password.clear()
        if password:
            os.environ["PGPASSWORD"] = password  # this process only, for libpq
        window.open_path(path)

    dialog.accepted.connect(given)
    dialog.rejected.connect(dialog.password.clear)
    window.server_password_dialog = dialog
    dialog.open()
    return True


def shared_caption(path: Path) -> str | None:
    """"Xinjiang — shared on db.example.org" for the shared library whose marker is at
    ``path``; None for a personal library (or a marker that cannot be read)."""
    place = shared_place(path)
    return None if place is None else f"{place[0]} — shared on {place[1]}"


def shared_place(path: Path) -> tuple[str, str] | None:
    """(the case's name, its server's host) from the marker at ``path``; None if personal."""
    try:
        info = json.loads((path / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict) or not isinstance(info.get("database"), str):
        return None
    parts = urlsplit(info["database"])
    host = parts.hostname or (parse_qs(parts.query).get("host") or [""])[0]
    where = ("this computer's server" if not host or host.startswith("/")
             or host in ("localhost", "127.0.0.1", "::1") else host)
    return str(info.get("name") or path.name), where
