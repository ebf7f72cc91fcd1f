"""Dossier → Check files for redacted names: find where a name can still be read in any file.

Before passing on an export, a colleague's PDF or a zip, the user types the names (one a line)
and picks files or folders; the scan runs on its own worker thread (it reads no library, so it
never holds up the library's worker) with progress and Cancel, and the table lists each place a
name can be read — by number and form, never the name itself — and each part that could not be
read, which means "not proven clean". The names typed are kept in this window only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.errors import Cancelled
from workbench.progress import Progress

from ..operations import leakscan as ops
from ..tasks import ProgressPoller, Task, TaskManager
from .common import readonly_table


class LeakScanDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, sync: bool = False,
                 dossier_terms: list[str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check files for redacted names")
        self.setAccessibleName("Check files for redacted names")
        self.resize(860, 560)
        self.tasks = TaskManager(sync=sync, parent=self)
        self.task: Task | None = None
        self._poller: ProgressPoller | None = None
        self.outcome: dict[str, Any] | None = None

        self.terms = QPlainTextEdit()
        self.terms.setAccessibleName("Names to look for")
        self.terms.setPlaceholderText("One name or phrase per line, e.g. a witness's name in "
                                      "each script it is written in")
        self.terms.setTabChangesFocus(True)
        self.terms.setMaximumHeight(96)
        terms_note = QLabel("Kept in this window only: not saved, and the results never show "
                            "them.")
        terms_note.setObjectName("secondary")
        terms_note.setWordWrap(True)

        self.dossier_terms = list(dossier_terms or [])
        self.dossier_terms_button = QPushButton("Add the open dossier's redacted terms")
        self.dossier_terms_button.setAutoDefault(False)
        self.dossier_terms_button.setVisible(bool(self.dossier_terms))
        self.dossier_terms_button.clicked.connect(self._add_dossier_terms)

        self.files = QListWidget()
        self.files.setAccessibleName("Files and folders to check")
        self.files.setMaximumHeight(110)
        add_files = QPushButton("Add &files…")
        add_files.clicked.connect(self._choose_files)
        add_folder = QPushButton("Add f&older…")
        add_folder.clicked.connect(self._choose_folder)
        remove = QPushButton("&Remove")
        remove.clicked.connect(self._remove_selected)
        file_buttons = QHBoxLayout()
        for b in (add_files, add_folder, remove):
            b.setAutoDefault(False)  # Enter in the list checks; it does not open a dialog
            file_buttons.addWidget(b)
        file_buttons.addStretch(1)

        self.status = QLabel("Add the names and the files, then press Check.")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Check progress")
        self.bar.setVisible(False)
        self.table = readonly_table("Where a name can be read")

        self.check_button = QPushButton("&Check")
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel check")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Names to look for</b>"))
        layout.addWidget(self.terms)
        terms_row = QHBoxLayout()
        terms_row.addWidget(terms_note, 1)
        terms_row.addWidget(self.dossier_terms_button)
        layout.addLayout(terms_row)
        layout.addWidget(QLabel("<b>Files, folders or zips</b>"))
        layout.addWidget(self.files)
        layout.addLayout(file_buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    # --- input ----------------------------------------------------------------------------------

    def add_paths(self, paths: list[Path]) -> None:
        present = {self.files.item(i).text() for i in range(self.files.count())}
        for p in paths:
            if str(p) not in present:
                self.files.addItem(str(p))
        self._clear_results()

    def _clear_results(self) -> None:
        """Results of another set of files would be read as this one's: drop them."""
        if self.task is not None and not self.task.finished:
            return
        self.outcome = None
        self.table.set_rows(["File", "Where", "Name", "Form"], [])
        self.status.setText("Add the names and the files, then press Check.")

    def _add_dossier_terms(self) -> None:
        have = self.term_list()
        extra = [t for t in self.dossier_terms if t not in have]
        self.terms.setPlainText("\n".join(have + extra))

    def _choose_files(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(self, "Files to check", str(Path.home()))
        self.add_paths([Path(p) for p in chosen])

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Folder to check", str(Path.home()))
        if chosen:
            self.add_paths([Path(chosen)])

    def _remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self._clear_results()

    def term_list(self) -> list[str]:
        return [t.strip() for t in self.terms.toPlainText().splitlines() if t.strip()]

    # --- running --------------------------------------------------------------------------------

    def start(self) -> None:
        terms = self.term_list()
        paths = [Path(self.files.item(i).text()) for i in range(self.files.count())]
        if not terms or not paths:
            self.status.setText("Type at least one name and add at least one file or folder.")
            return
        self.outcome = None
        self.table.set_rows(["File", "Where", "Name", "Form"], [])
        self.check_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.bar.setVisible(True)
        self.bar.setRange(0, 0)
        self.status.setText("Checking…")
        self.task = self.tasks.run(lambda task: ops.scan(paths, terms, task), self._done,
                                   self._failed, label="check files for redacted names")
        if not self.task.finished:
            self._poller = ProgressPoller(self.task, self._progress, self)

    def cancel(self) -> None:
        if self.task is not None and not self.task.finished:
            self.task.cancel.cancel()
            self.status.setText("Cancelling after the current file…")

    def _progress(self, p: Progress) -> None:
        if p.total:
            self.bar.setRange(0, p.total)
            self.bar.setValue(p.done)
        if p.current:
            self.status.setText(f"Checking {p.current} ({p.done + 1} of {p.total})…")

    def _finish(self) -> None:
        self.check_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.bar.setVisible(False)
        if self._poller is not None:
            self._poller.stop()

    def _done(self, result: dict[str, Any]) -> None:
        self._finish()
        self.outcome = result
        rows = [((f, place, f"#{term}", form), "bad")
                for f, place, term, form in result["findings"]]
        rows += [((f, place, "", f"could not be read: {reason}"), "warn")
                 for f, place, reason in result["unreadable"]]
        hit = {r[0][0] for r in rows}
        rows += [((f, "every part", "", "no name found"), "ok")
                 for f in result["checked"] if f not in hit]
        self.table.set_rows(["File", "Where", "Name", "Form"], rows)
        n = result["files"]
        files = f"{n} file{'s' if n != 1 else ''}"
        leaking = len({f for f, *_ in result["findings"]})
        places = len(result["findings"])
        if result["findings"]:
            text = (f"A name can still be read in {places} place{'s' * (places != 1)} in "
                    f"{leaking} of {files}. Do not pass those files on as they are.")
        elif result["unreadable"]:
            text = (f"No name found in {files}, but {len(result['unreadable'])} part(s) could "
                    "not be read, so they are not proven clean.")
        else:
            text = (f"No name found in {files}: every part of them was read "
                    f"({result['readings']} readings).")
        if result.get("cancelled"):
            text = (f"Check cancelled after {files} of {result['total']}; what was found so "
                    f"far is listed. {text}")
        self.status.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, Cancelled):
            self.status.setText("Check cancelled.")
        else:
            self.status.setText(f"The check failed: {exc}")

    def reject(self) -> None:
        self.cancel()
        self.tasks.shutdown(wait=False)
        super().reject()
