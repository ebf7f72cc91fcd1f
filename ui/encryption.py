"""Encrypted libraries in the window: unlock on open, new encrypted library, change the
passphrase, lock now, and lock after a set idle time.

The passphrase is asked for in a dialog (``dialogs/passphrase.py``) and handed to the core's
``Workbench.open`` / ``change_passphrase``; the window never stores it. Locking closes the
library (the core drops its keys and its in-memory scratch folder) and covers the window with
a lock page until the passphrase is entered again; the search field is emptied because a query
can name a person, and every action that needs the library is disabled until it is open again
(its keys did their work on the lock page: H said "Select some text in the document first.",
Ctrl+I asked for files to import). Ctrl+Shift+L where there is nothing to lock says why. The
idle lock waits while work is running or a dialog is open, so a lock never cancels an import
or throws away a half-typed note.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.crypto import is_encrypted

from .dialogs.passphrase import CHANGE, NEW, UNLOCK, ask_passphrase

# User input that counts as activity for the idle lock.
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel, QEvent.Type.TouchBegin}
CHECK_MS = 5_000
# What the window still offers while the library is locked: none of it reads the library.
WHILE_LOCKED = {"new_library", "new_encrypted_library", "new_shared_library", "open_library",
                "restore", "quit", "preferences", "shortcuts", "optional_tools", "about"}
LOCK_KEY = "Ctrl+Shift+L"


class LockPage(QWidget):
    """What the window shows while the library is locked: nothing of the library."""

    def __init__(self, unlock: Any) -> None:
        super().__init__()
        self.setObjectName("lockPage")
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        self.label = QLabel("The library is locked.")
        self.label.setObjectName("emptyHint")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        lay.addWidget(self.label)
        self.button = QPushButton("&Unlock…")
        self.button.setAccessibleName("Unlock the library")
        self.button.clicked.connect(unlock)
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(1)


class EncryptionFlow(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.locked_path: Path | None = None
        self.last_activity = time.monotonic()
        self.lock_page = LockPage(self.unlock_again)
        window.central.addWidget(self.lock_page)
        self._watching = False
        self.held: list[QAction] = []  # disabled while locked, enabled again on open
        # Lock library's key, live while the action is not: it says why nothing locks
        self.lock_key = QShortcut(QKeySequence(LOCK_KEY), window)
        self.lock_key.activated.connect(self.lock_now)
        self.lock_key.setEnabled(False)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check_idle)
        self.timer.start()

    # --- what the window asks ------------------------------------------------------------

    def needs_passphrase(self, path: Path, create: bool) -> bool:
        return not create and is_encrypted(path)

    def ask_and_open(self, path: Path, problem: str = "") -> None:
        """Ask for the passphrase of ``path`` and open it; nothing happens when cancelled."""
        answer = ask_passphrase(self.window, path, UNLOCK, problem)
        if answer is None:
            if self.locked_path is not None:
                self.show_locked()
            return
        self.window.open_path(path, passphrase=answer[1])

    def new_encrypted_library(self) -> None:
        from .dialogs.new_library_folder import choose_new_library_folder

        # The folder is checked (and made) as it is chosen: the passphrase is asked only for
        # a folder that can take the library.
        chosen = choose_new_library_folder(
            self.window, "Choose an empty folder for the encrypted library")
        if chosen is None:
            return
        answer = ask_passphrase(self.window, chosen.path, NEW)
        if answer is None:
            chosen.take_back()
            return
        self.window.open_path(chosen.path, create=True, passphrase=answer[1])

    def change_passphrase(self) -> None:
        path = self.window.session.path
        if path is None or not is_encrypted(path):
            self.window.statusBar().showMessage(
                "This library is not encrypted: there is no passphrase to change.", 5000)
            return
        problem = ""
        while True:
            answer = ask_passphrase(self.window, path, CHANGE, problem)
            if answer is None:
                return
            from workbench.crypto import change_passphrase
            from workbench.errors import WorkbenchError

            try:
                change_passphrase(path, answer[0], answer[1])
            except WorkbenchError as exc:  # wrong current passphrase, too short…
                problem = str(exc)
                continue
            self.window.statusBar().showMessage(
                "Passphrase changed. Use the new one from now on.", 8000)
            return

    # --- locking -------------------------------------------------------------------------

    def can_lock(self) -> bool:
        path = self.window.session.path
        return path is not None and is_encrypted(path)

    def lock_now(self) -> None:
        if self.locked_path is not None and not self.window.session.is_open:
            self.window.statusBar().showMessage(
                "The library is locked already: Unlock… opens it again.", 5000)
            return
        if not self.can_lock():
            self.window.statusBar().showMessage(
                "Only an encrypted library can be locked.", 5000)
            return
        path = self.window.session.path
        self.window.session.close()  # drops the keys and the scratch folder
        self._watch_activity(False)
        self.locked_path = path
        self.show_locked()

    def show_locked(self) -> None:
        w = self.window
        w.search_field.clear()
        w.search_field.setEnabled(False)  # a search would only say "no library is open"
        w.backups.reminder.hide()  # its "Back up now" cannot work on a locked library
        w.viewer.clear()
        if w.builder is not None:
            w.builder.reset()
        name = self.locked_path.name if self.locked_path else "The library"
        self.lock_page.label.setText(
            f"“{name}” is locked.\n\nIts passphrase is needed to open it again.")
        w.central.setCurrentWidget(self.lock_page)
        w.library_status.setText(f"{self.locked_path} (locked)")
        w.setWindowTitle("Locked — Workbench")
        self._hold_actions()
        self.lock_page.button.setFocus()

    def _hold_actions(self) -> None:
        """Disable what needs the library (its menu items, toolbar buttons and keys)."""
        for name, action in self.window.acts.items():
            if name not in WHILE_LOCKED and action.isEnabled():
                action.setEnabled(False)
                self.held.append(action)
        self._lock_key_state()

    def _release_actions(self) -> None:
        for action in self.held:
            action.setEnabled(True)
        self.held = []

    def _lock_key_state(self) -> None:
        action = self.window.acts.get("lock_library")
        self.lock_key.setEnabled(action is None or not action.isEnabled())

    def unlock_again(self) -> None:
        if self.locked_path is not None:
            self.ask_and_open(self.locked_path)

    def opened(self) -> None:
        self.locked_path = None
        self._release_actions()
        self.window.search_field.setEnabled(True)
        self.last_activity = time.monotonic()
        self._watch_activity(self.can_lock())
        self.menu_state()

    def menu_state(self) -> None:
        """Change passphrase… and Lock library only where there is a passphrase."""
        encrypted = self.can_lock()
        for name, tip in (("change_passphrase", "Change the passphrase of the encrypted "
                                                "library"),
                          ("lock_library", "Close the encrypted library until its passphrase "
                                           "is entered again")):
            action = self.window.acts.get(name)
            if action is not None:
                action.setEnabled(encrypted)
                action.setToolTip(tip if encrypted else
                                  "This library is not encrypted: it has no passphrase")
        self._lock_key_state()

    def _watch_activity(self, on: bool) -> None:
        # An app-wide filter is a Python call for every event the app delivers (a restyle
        # alone sends millions); only an open encrypted library can lock when idle, so only
        # then is the user's activity watched.
        app = QApplication.instance()
        if app is None or on == self._watching:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching = on

    def check_idle(self) -> None:
        from .preferences import load

        minutes = load().lock_after_minutes
        if minutes <= 0 or not self.can_lock():
            return
        if self.window.tasks.busy or QApplication.activeModalWidget() is not None:
            self.last_activity = time.monotonic()  # the idle time starts when that ends
            return
        if time.monotonic() - self.last_activity >= minutes * 60:
            self.lock_now()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self.last_activity = time.monotonic()
        return False
