"""Exporting the open dossier: choose a file, run the export on the worker, show its progress.

The export runs as one task on the session's worker; the progress dialog reads the task's latest
step ten times a second (progress is pulled) and its Cancel button sets the task's cancel flag,
which the core turns into ``Cancelled`` between steps, deleting its temporary output. The end is
one dialog naming the file written (with "Open folder"), a quiet "cancelled" line, or the error
through the one presenter.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from workbench.errors import Cancelled

from ..dialogs.dossier_dialogs import ExportProgressDialog
from ..dialogs.save_as import ask_save_path, saved
from ..operations import dossiers as ops
from ..preferences import remember_bates_prefix
from ..tasks import ProgressPoller, Task

if TYPE_CHECKING:
    from .builder import DossierBuilder

SUFFIX = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "bundle": ".zip"}


def result_details(result: dict[str, Any]) -> str:
    """The finish dialog's second paragraph: hash, leak check, originals left out."""
    lines = []
    if result.get("sha256"):
        lines.append(f"SHA-256: {result['sha256']}")
    lines.append("Every redaction was checked against the exported bytes.")
    left_out = len(result.get("excluded_originals") or [])
    if left_out:
        lines.append(f"{left_out} original{'s' if left_out != 1 else ''} left out of the bundle: "
                     "each holds redacted text or could not be proven free of it (the bundle's "
                     "README says why for each).")
    return "\n".join(lines)


class ExportFlow(QObject):
    """The builder's export: one at a time; the builder keeps the result for its callers."""

    def __init__(self, builder: DossierBuilder) -> None:
        super().__init__(builder)
        self.builder = builder
        self.dialog: ExportProgressDialog | None = None
        self.task: Task | None = None
        self._poller: ProgressPoller | None = None
        self._scrolled = 0  # the editing area's scroll position when the export started

    def choose(self) -> None:
        b = self.builder
        if b.dossier_id is None:
            return
        fmt = b.format.currentData()
        name = (b.data.get("title") or "dossier").replace("/", "-") + SUFFIX[fmt]
        target = ask_save_path(b, "Export dossier", name)
        if target is not None:
            self.run(target, fmt, b.bates.text().strip() or None)

    def run(self, out: Path, fmt: str, bates: str | None) -> None:
        b = self.builder
        assert b.dossier_id is not None
        remember_bates_prefix(bates)  # offered again next time, in this and every new window
        # Disabling the focused Export button hands the focus on, and the editing area
        # scrolled to show where it went (its top): put back afterwards (``_close_progress``).
        self._scrolled = b.editing_area.verticalScrollBar().value()
        b.export_button.setEnabled(False)
        b.status.setText("Exporting…")
        b.last_export = None
        # The dialog exists before the task starts: with a synchronous task manager (tests)
        # the task finishes inside ``ops.export`` and closes it again.
        dialog = ExportProgressDialog(out, fmt, self.cancel, b)
        self.dialog = dialog
        dialog.open()
        task = ops.export(b.session, b.dossier_id, fmt, out, bates,
                          lambda res: self._exported(res, out), self._failed)
        self.task = task
        if not task.finished:
            self._poller = ProgressPoller(task, dialog.show_progress, self)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel.cancel()

    def _close_progress(self) -> None:
        if self._poller is not None:
            self._poller.poll()  # show the last step reached before closing
            self._poller.stop()
            self._poller = None
        if self.dialog is not None:
            self.dialog.finish()
        b = self.builder
        b.export_button.setEnabled(True)
        b.export_button.setFocus()  # Enter exports again, as before
        b.editing_area.verticalScrollBar().setValue(self._scrolled)

    def _exported(self, result: dict[str, Any], out: Path) -> None:
        saved(out)  # the next save dialog, of any export, opens in its folder
        self._close_progress()
        b = self.builder
        b.last_export = result
        b.status.setText(f"Exported to {out.name}")
        b.status.setToolTip(str(out))
        b.exported.emit(result)
        box = QMessageBox(QMessageBox.Icon.Information, "Export finished",
                          f"The dossier was exported to\n{out}", QMessageBox.StandardButton.Close,
                          b)
        box.setAccessibleName("Export finished")
        box.setInformativeText(result_details(result))
        folder = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
        folder.clicked.connect(lambda: b.window().open_folder(out.parent))  # type: ignore[attr-defined]
        b.result_box = box
        box.open()

    def _failed(self, exc: BaseException) -> None:
        self._close_progress()
        b = self.builder
        if isinstance(exc, Cancelled):
            b.status.setText("Export cancelled — nothing was written.")
            return
        b.status.setText("Export failed")
        b.session.presenter.show(exc, "export the dossier")
