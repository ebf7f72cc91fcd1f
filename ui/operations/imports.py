"""File → Import and drag-and-drop: plan on the worker, confirm, run with progress, summarise.

``ImportFlow`` keeps the dialogs it opened as attributes (``plan_dialog``, ``progress_dialog``,
``summary_dialog``) so tests can confirm the plan programmatically, exactly as a click would.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from workbench.changes import Changes
from workbench.ingest_types import ImportOptions, ImportPlan, ImportReport  # light (issue 16)

from ..dialogs.import_dialogs import ImportPlanDialog, ImportProgressDialog, ImportSummaryDialog
from ..preferences import ocr_languages
from ..session import Session
from ..tasks import ProgressPoller, Task

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from workbench.services import Workbench


class ImportFlow(QObject):
    planned = Signal(object)  # ImportPlan
    finished = Signal(object)  # ImportReport

    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__(window)
        self.session = session
        self.window = window
        self.plan_dialog: ImportPlanDialog | None = None
        self.progress_dialog: ImportProgressDialog | None = None
        self.summary_dialog: ImportSummaryDialog | None = None
        self.task: Task | None = None
        self._poller: ProgressPoller | None = None

    # --- step 1: plan -------------------------------------------------------------------------

    def prepare(self) -> None:
        """Open the import's language detection (py3langid and numpy: ~27 MB, ~0.1 s of
        imports) on a thread of its own as soon as an import is likely: files dragged over
        the window, an import chooser opened. Not at every open, so a window that imports
        nothing stays without it (issue 16: idle memory); by the time the files are dropped
        or chosen it is loaded, so it does not compete with the plan for the GIL."""
        from workbench.language import preload

        preload()  # once: nothing to start when it is open or opening
        # The extraction workers too (a fresh interpreter each, ~0.1-0.2 s to its first
        # file): started while the person chooses and confirms, taken by the import that
        # follows, gone after two minutes if none does. Only a head start: a library that
        # cannot take an import says so when the import is asked for, not here.
        if self.session.is_open:
            self.session.query(lambda wb: wb.prepare_import(),
                               on_error=lambda exc: log.debug("no workers prepared: %s", exc))

    def start(self, paths: list[Path]) -> None:
        if not paths:
            return
        self.prepare()  # if nothing announced the import (files given on the command line)

        def plan(wb: Workbench, task: Task) -> tuple[ImportPlan, list[str]]:
            result = wb.plan_import(list(paths), task.report, task.cancel)
            return result, [c["name"] for c in wb.list_collections()]

        # No count yet: the paths may be folders; progress numbers the files found.
        self.progress_dialog = ImportProgressDialog(0, self._cancel, self.window)
        self.progress_dialog.open()
        self.task = self.session.run(plan, self._show_plan, "check the files to import",
                                     on_error=self._failed)
        self._watch(self.task)

    def _show_plan(self, result: tuple[ImportPlan, list[str]]) -> None:
        self._close_progress()
        plan, collections = result
        self.plan_dialog = ImportPlanDialog(plan, collections, self.window)
        self.plan_dialog.accepted.connect(lambda: self._run(plan))
        self.planned.emit(plan)
        self.plan_dialog.open()

    # --- step 2: run --------------------------------------------------------------------------

    def _run(self, plan: ImportPlan) -> None:
        assert self.plan_dialog is not None
        # OCR languages from Preferences; None leaves them to the library's own setting.
        options = ImportOptions(collection=self.plan_dialog.collection_name(),
                                ocr_languages=ocr_languages())

        def work(wb: Workbench, task: Task) -> tuple[ImportReport, Changes, bool]:
            report, changes = wb.run_import(plan, options, task.report, task.cancel)
            return report, changes, task.cancel.cancelled

        # The plan's files to import: progress and the summary count the same N.
        self.progress_dialog = ImportProgressDialog(len(plan.new), self._cancel, self.window)
        self.progress_dialog.open()
        self.task = self.session.run(work, self._done, "import the files", on_error=self._failed)
        self._watch(self.task)

    def _done(self, result: tuple[ImportReport, Changes, bool]) -> None:
        self._close_progress()
        report, changes, cancelled = result
        self.session.broadcast(changes)
        self.summary_dialog = ImportSummaryDialog(report, cancelled, self.window)
        self.finished.emit(report)
        self.summary_dialog.open()

    # --- plumbing -----------------------------------------------------------------------------

    def _watch(self, task: Task) -> None:
        dialog = self.progress_dialog
        if dialog is not None and not task.finished:
            self._poller = ProgressPoller(task, dialog.show_progress, self)

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel.cancel()

    def _failed(self, exc: BaseException) -> None:
        self._close_progress()
        self.session.presenter.show(exc, "import the files")

    def _close_progress(self) -> None:
        if self._poller is not None:
            self._poller.stop()
            self._poller = None
        if self.progress_dialog is not None:
            self.progress_dialog.done(0)
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
