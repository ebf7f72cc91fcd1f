"""File → Back up library… and Restore from backup…, and the reminder to back up.

Both jobs run as one task on the single worker (the backup through the session's own
``Workbench``, so a writable library records its audit event at once); a progress dialog reads
the task's latest step ten times a second and its Cancel sets the task's cancel flag, which the
core turns into ``Cancelled`` between steps, leaving nothing behind. The reminder is a bar above
the panes, never a dialog: after a library opens, when its last backup (a recorded event, or
one still pending) is older than the days set in Preferences, it says so and offers
"Back up now". Where the early list is shown before the core loads, the last backup is read
with it (``FastReader.last_backup``) and the bar is in its first paint, so nothing moves when
the core arrives (issue 16). Opening the library also records backups that other processes
took while the app held the writer lock (``workbench.backup.record_pending``).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.crypto import is_encrypted
from workbench.errors import Cancelled
from workbench.progress import Progress

from . import preferences
from .dialogs.progress import CancellableProgressDialog
from .elided_label import ElidedLabel
from .tasks import ProgressPoller, Task

if TYPE_CHECKING:
    from .main_window import MainWindow

STAGES = {"files": "Copying the library's files", "database": "Copying the database",
          "originals": "Copying the originals", "index": "Copying the search index",
          "verifying": "Verifying the copy: re-hashing the originals"}


def now() -> datetime:
    return datetime.now(UTC)


def new_folder_in(chosen: Path, name: str) -> Path:
    """The chosen folder when it is empty, else a new dated folder inside it."""
    if not chosen.exists() or not any(chosen.iterdir()):
        return chosen
    stamp = time.strftime("%Y-%m-%d %H%M")
    folder = chosen / f"{name} {stamp}"
    n = 1
    while folder.exists():
        n += 1
        folder = chosen / f"{name} {stamp} ({n})"
    return folder


class ProgressDialog(CancellableProgressDialog):
    """The stage, a bar and Cancel; window-modal while the job runs."""

    cancelling_text = "Cancelling: removing what was copied…"

    def __init__(self, title: str, heading: str, on_cancel: Any, parent: QWidget) -> None:
        super().__init__(title, title, heading, on_cancel, parent)
        self.bar.setAccessibleName(f"{title} progress")
        self.add_buttons()
        self.stages: list[str] = []  # every stage shown, in order (tests read this)

    def show_progress(self, p: Progress) -> None:
        if not self.stages or self.stages[-1] != p.stage:
            self.stages.append(p.stage)
        text = STAGES.get(p.stage, p.stage)
        if p.total:
            self.bar.setRange(0, p.total)
            self.bar.setValue(p.done)
            if p.stage in ("originals", "verifying"):
                text += f" ({p.done:,} of {p.total:,})"
        else:
            self.bar.setRange(0, 0)
        self.label.setText(text + "…")


class ReminderBar(QFrame):
    """“Not backed up for N days” with Back up now and Not now; above the panes."""

    def __init__(self, on_backup: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("infoBar")
        self.setAccessibleName("Backup reminder")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # One line, cut with "…" when the window is narrow (the whole text in its tooltip): the
        # first sentence says it all, and wrapped at 200 % text the bar took 116 px from every
        # pane of a 1024x700 window.
        self.label = ElidedLabel("")
        self.backup_button = QPushButton("Back up now")
        self.backup_button.clicked.connect(on_backup)
        self.dismiss_button = QPushButton("Not now")
        self.dismiss_button.clicked.connect(self.hide)
        for b in (self.backup_button, self.dismiss_button):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # shown without taking the focus
            # Slim buttons: the bar sits above every pane, and at 1024x700 each pixel of its
            # height was taken from the entity mentions, the codebook and the search filters.
            b.setObjectName("barButton")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 2, 4, 2)
        row.addWidget(self.label, 1)
        row.addWidget(self.backup_button)
        row.addWidget(self.dismiss_button)
        self.hide()


class BackupFlow(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.dialog: ProgressDialog | None = None
        self.task: Task | None = None
        self._poller: ProgressPoller | None = None
        self.result_box: QMessageBox | None = None
        self.last_result: dict[str, Any] | None = None
        self.reminder = ReminderBar(self.back_up)
        self._early = False  # the bar was decided with the early list (``previewed``)
        central = window.centralWidget()
        layout = central.layout() if central is not None else None
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.reminder)
        # Tab where the bar shows: after the toolbar's "New dossier", before the sidebar (made
        # after the panes, its buttons came after the reader's tab bar)
        dossier = window.toolbar.widgetForAction(window.acts["new_dossier"])
        if dossier is not None:
            QWidget.setTabOrder(dossier, self.reminder.backup_button)
            QWidget.setTabOrder(self.reminder.backup_button, self.reminder.dismiss_button)

    # --- backing up -----------------------------------------------------------------------

    def back_up(self) -> None:
        path = self.session.path
        if path is None or self.busy:
            return
        folder = QFileDialog.getExistingDirectory(
            self.window, "Back up to a folder (best on another disk)", str(path.parent))
        if folder:
            self.start_backup(new_folder_in(Path(folder), f"{path.name} backup"))

    def start_backup(self, dest: Path) -> None:
        self._open_progress("Backing up", f"Backing up the library to {dest}")

        def work(wb: Any, task: Task) -> dict[str, Any]:
            from workbench import backup as core  # on the worker: it loads SQLAlchemy

            return core.backup(wb.library, dest, progress=task.report, cancel=task.cancel)

        self._watch(self.session.run(work, self._backed_up, "back up the library",
                                     self._failed("Backup", "back up the library")))

    def _backed_up(self, result: dict[str, Any]) -> None:
        self._close_progress()
        self.last_result = result
        self.reminder.hide()
        dest = Path(result["destination"])
        self.window.statusBar().showMessage(
            f"Backed up {result['documents']:,} documents to {dest} (verified)", 10000)
        recorded = ("" if result["recorded"] == "event" else
                    "\n\nThe library could not record the backup in its audit log now; it "
                    "will when it is next opened for writing.")
        self._finished("Backup finished",
                       f"The library was backed up to\n{dest}",
                       f"{result['documents']:,} documents, {result['highlights']:,} "
                       f"highlights, {result['dossiers']:,} dossiers. The copy was verified: "
                       "every original matches its SHA-256 and the audit chain holds."
                       + recorded, dest)

    # --- restoring ------------------------------------------------------------------------

    def restore(self) -> None:
        if self.busy:
            return
        start = str(self.session.path.parent) if self.session.path else str(Path.home())
        chosen = QFileDialog.getExistingDirectory(
            self.window, "Choose a backup folder (it holds backup.json)", start)
        if not chosen:
            return
        source = Path(chosen)
        target = QFileDialog.getExistingDirectory(
            self.window, "Restore into a new or empty folder", str(source.parent))
        if not target:
            return
        passphrase = None
        if is_encrypted(source):
            passphrase, ok = QInputDialog.getText(
                self.window, "Encrypted backup",
                "Passphrase of the library this backup was taken from:",
                QLineEdit.EchoMode.Password)
            if not ok:
                return
        name = source.name.split(" backup")[0] or "library"
        self.start_restore(source, new_folder_in(Path(target), f"{name} restored"), passphrase)

    def start_restore(self, source: Path, target: Path, passphrase: str | None = None) -> None:
        self._open_progress("Restoring", f"Restoring {source} into {target}")

        def work(task: Task) -> dict[str, Any]:
            from workbench import backup as core

            return core.restore(source, target, progress=task.report, cancel=task.cancel,
                                passphrase=passphrase)

        self._watch(self.window.tasks.run(
            work, self._restored, self._failed("Restore", "restore the backup"),
            label="restore a backup"))

    def _restored(self, result: dict[str, Any]) -> None:
        self._close_progress()
        self.last_result = result
        target = Path(result["target"])
        self.window.statusBar().showMessage(f"Restored into {target} (verified)", 10000)
        box = self._finished(
            "Restore finished", f"The backup was restored into\n{target}",
            f"{result['documents']:,} documents; every original matches its SHA-256 and the "
            "audit chain holds. The search index is rebuilt when it is opened.", target)
        box.addButton("Open it now", QMessageBox.ButtonRole.AcceptRole).clicked.connect(
            lambda: self.window.open_path(target))

    # --- shared ---------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.task is not None and not self.task.finished

    def _open_progress(self, title: str, heading: str) -> None:
        # Before the task starts: with a synchronous task manager (tests) it ends inside run.
        self.dialog = ProgressDialog(title, heading, self.cancel, self.window)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.open()

    def _watch(self, task: Task) -> None:
        self.task = task
        if not task.finished and self.dialog is not None:
            self._poller = ProgressPoller(task, self.dialog.show_progress, self)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel.cancel()

    def _close_progress(self) -> None:
        if self._poller is not None:
            self._poller.poll()
            self._poller.stop()
            self._poller = None
        if self.dialog is not None:
            self.dialog.done(0)
            self.dialog.deleteLater()
            self.dialog = None

    def _failed(self, what: str, doing: str) -> Any:
        def failed(exc: BaseException) -> None:
            self._close_progress()
            if isinstance(exc, Cancelled):
                self.window.statusBar().showMessage(f"{what} cancelled — nothing was kept.",
                                                    10000)
                return
            self.window.presenter.show(exc, doing)
        return failed

    def _finished(self, title: str, text: str, info: str, folder: Path) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, title, text,
                          QMessageBox.StandardButton.Close, self.window)
        box.setAccessibleName(title)
        box.setInformativeText(info)
        box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole).clicked.connect(
            lambda: self.window.open_folder(folder))
        self.result_box = box
        box.open()
        return box

    # --- the reminder -----------------------------------------------------------------------

    def previewed(self, early: dict[str, Any] | None, documents: int) -> None:
        """The early list is shown (``FastReader`` read the last backup): the bar, if due,
        shows with it in the same paint, so it does not push the panes down once the core
        is there (issue 16). ``None``: not read early; the core's check decides."""
        self.reminder.hide()  # the previous library's
        self._early = early is not None
        if early is not None:
            self._show(self._due(early["last_backup"], documents,
                                 preferences.load().backup_reminder_days), at_once=True)

    def library_opened(self) -> None:
        """Record backups left pending, then show the reminder if one is due (kept as it is
        when the early list showed it: not hidden and shown again)."""
        early, self._early = self._early, False
        if not early:
            self.reminder.hide()
        from .dialogs.shared_library import shared_caption

        if self.session.path is not None and shared_caption(self.session.path):
            self.reminder.hide()
            return  # a shared library is backed up on its server (pg_dump), not from a desktop
        days = preferences.load().backup_reminder_days
        dismissed = early and self.reminder.isHidden() and bool(self.reminder.label.text())

        def status(wb: Any) -> dict[str, Any]:
            from workbench import backup as core

            return core.status(wb.library)

        self.session.query(status, lambda st: self._remind(st, days, early, dismissed),
                           "check the library's last backup")

    def documents_changed(self) -> None:
        """Documents came or went: an empty library's first import makes a backup due (the
        check ran when the library opened, with nothing to lose), unless the bar is shown
        or was put off with "Not now" (its words are kept while hidden)."""
        if self.reminder.isVisible() or self.reminder.label.text() \
                or self.session.path is None or self.session.read_only:
            return
        from .dialogs.shared_library import shared_caption

        if shared_caption(self.session.path):
            return
        days = preferences.load().backup_reminder_days

        def status(wb: Any) -> dict[str, Any]:
            from workbench import backup as core

            return core.status(wb.library)

        self.session.query(status, lambda st: self._remind(st, days),
                           "check the library's last backup")

    def _remind(self, status: dict[str, Any], days: int, early: bool = False,
                dismissed: bool = False) -> None:
        if dismissed:  # "Not now" while the core loaded
            return
        self._show(self._due(status["last_backup"], status["documents"], days), at_once=early)

    @staticmethod
    def _due(last: datetime | None, documents: int, days: int) -> str | None:
        """The reminder's words, or None when no backup is due."""
        if days <= 0 or not documents:
            return None
        if last is None:
            text = "This library has never been backed up."
        else:
            age = (now() - last).days
            if age < days:
                return None
            text = (f"The last backup of this library was {age} day{'s' if age != 1 else ''} "
                    f"ago ({last.astimezone().strftime('%d %b %Y')}).")
        return text + " A backup on another disk keeps your originals, highlights and " \
            "dossiers safe."

    def _show(self, text: str | None, *, at_once: bool) -> None:
        if text is None:
            self.reminder.hide()
            self.reminder.label.setText("")
            return
        self.reminder.label.setText(text)
        if at_once:  # with the early list: in its first paint
            self.reminder.show()
        else:  # once the window has painted the library: a bar, never a dialog
            QTimer.singleShot(0, self.reminder.show)
