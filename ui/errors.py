"""The one error presenter: every failure the app meets is shown here, and only here.

``Cancelled`` is a quiet stop (the user asked for it). A ``WorkbenchError`` is something a person
can act on: its message and hint go in a warning box. Anything else is a bug: it is logged with
its stack (never its message, which can quote a document; nothing at all while an encrypted
library is open) and shown in a single dialog naming the log file; while that dialog is open,
further unexpected errors are only logged, so a failing loop can never open a storm of dialogs.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.crypto import registry
from workbench.errors import Cancelled, LibraryLocked, WorkbenchError, bug_report
from workbench.paths import log_dir

log = logging.getLogger("workbench.ui")

LOG_NAME = "workbench.log"


def log_file() -> Path:
    return log_dir() / LOG_NAME


class ErrorPresenter:
    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        self.shown: list[str] = []  # every message shown, newest last (tests read this)
        self._open: QMessageBox | None = None

    def show(self, exc: BaseException, doing: str | None = None) -> None:
        if isinstance(exc, Cancelled):
            return
        if isinstance(exc, WorkbenchError):
            self._user_error(exc, doing)
        else:
            self._unexpected(exc, doing)

    def _user_error(self, exc: WorkbenchError, doing: str | None) -> None:
        title = "Library in use" if isinstance(exc, LibraryLocked) else "Workbench"
        text = exc.message if not doing else f"Could not {doing}: {exc.message}"
        self._box(QMessageBox.Icon.Warning, title, text, exc.hint or "")

    def _unexpected(self, exc: BaseException, doing: str | None) -> None:
        encrypted = registry.any_open()
        if not encrypted:  # the stack only: a message can quote a document
            log.error("unexpected error%s (%s)\n%s",
                      f" while trying to {doing}" if doing else "", type(exc).__name__,
                      bug_report(exc))
        if self._open is not None and self._open.isVisible():
            return  # one dialog at a time; the rest is in the log
        what = f" while trying to {doing}" if doing else ""
        where = ("The details were not logged: the library is encrypted." if encrypted
                 else f"The details were written to the log file:\n{log_file()}")
        self._box(QMessageBox.Icon.Critical, "Unexpected error",
                  f"Something went wrong{what}. Your library is safe: every change is saved "
                  "in a transaction that either completes or leaves nothing behind.",
                  where, details="".join(traceback.format_exception(type(exc), exc,
                                                                    exc.__traceback__)))

    def _box(self, icon: QMessageBox.Icon, title: str, text: str, info: str,
             details: str | None = None) -> None:
        self.shown.append(text)
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.parent)
        box.setAccessibleName(title)
        if info:
            box.setInformativeText(info)
        if details:
            box.setDetailedText(details)
        box.setModal(True)
        box.open()  # never exec(): a nested event loop would block tests and other tasks
        self._open = box

    def install_excepthook(self) -> None:
        """Route uncaught exceptions in Qt slots to this presenter instead of aborting."""
        def hook(kind: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
            if issubclass(kind, KeyboardInterrupt):
                sys.__excepthook__(kind, exc, tb)
                return
            self.show(exc)

        sys.excepthook = hook
