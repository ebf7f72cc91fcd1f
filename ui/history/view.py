"""View → History…: the library's changes, newest first, who made them and what they did.

A window of its own (not modal: one reads it beside the documents), over ``HistoryModel``:
filters by author and by kind, a line saying what is and is not shown (notes and the reasons
for redactions never are), and "Verify the chain", which walks the audit chain on the
worker with a progress bar and Cancel and says whether it is intact or where it breaks.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.changes import Changes
from workbench.history import KINDS, PRIVATE_NOTICE

from ..session import Session
from ..tasks import ProgressPoller, Task
from .model import HistoryModel

EVERYONE = "Everyone"
ALL_KINDS = "All kinds"


class HistoryView(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("History — who did what")
        self.setAccessibleName("History of the library")
        self.setModal(False)
        self.resize(900, 560)
        self.model = HistoryModel(session)
        self.model.loaded.connect(self._count)
        self._task: Task | None = None
        self._poller: ProgressPoller | None = None

        self.author = QComboBox()
        self.author.setAccessibleName("Author")
        self.author.setToolTip("Show only the changes one person made")
        self.author.addItem(EVERYONE, None)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of change")
        self.kind.addItem(ALL_KINDS, None)
        for key, label in KINDS.items():
            self.kind.addItem(label, key)
        for combo in (self.author, self.kind):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self.reload)
        filters = QHBoxLayout()
        author_label = QLabel("&Author:")
        author_label.setBuddy(self.author)
        kind_label = QLabel("&Kind:")
        kind_label.setBuddy(self.kind)
        for label_or_combo in (author_label, self.author, kind_label, self.kind):
            filters.addWidget(label_or_combo)
        filters.addStretch(1)
        self.count = QLabel("")
        self.count.setObjectName("secondary")
        filters.addWidget(self.count)

        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab goes on to the next widget
        self.table.setAccessibleName("Changes, newest first")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # When and Who are fitted to their text as each page arrives (``_count``): sized
        # "to contents" while the table was still empty, they stayed cut to "20..." and "al..."
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.notice = QLabel(PRIVATE_NOTICE)
        self.notice.setObjectName("secondary")
        self.notice.setWordWrap(True)

        self.verify_button = QPushButton("&Verify the chain")
        self.verify_button.setToolTip("Check that no recorded change was altered, removed or "
                                      "inserted since it was written, whoever wrote it")
        self.verify_button.clicked.connect(self.verify)
        # Not the dialog's default: Enter in a filter must not start a check, and the default
        # button's bold label did not fit the width sized for the plain one ("/erify the chair")
        self.verify_button.setAutoDefault(False)
        self.verify_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Chain check progress")
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.chain_result = QLabel("")
        self.chain_result.setWordWrap(True)
        self.chain_result.setAccessibleName("Chain check result")
        self.chain_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cancel_button.setAutoDefault(False)
        close = QPushButton("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        check = QHBoxLayout()
        for w in (self.verify_button, self.progress, self.cancel_button):
            check.addWidget(w)
        check.addWidget(self.chain_result, 1)
        check.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notice)
        layout.addLayout(check)

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the authors again and the newest page (on showing, and after changes)."""
        self.session.query(lambda wb: wb.history_authors(), self._authors,
                           "read the library's authors")
        self.reload()

    def _authors(self, names: list[str]) -> None:
        chosen = self.author.currentData()
        self.author.blockSignals(True)
        self.author.clear()
        self.author.addItem(EVERYONE, None)
        for name in names:
            self.author.addItem(name, name)
        at = self.author.findData(chosen) if chosen else 0
        self.author.setCurrentIndex(max(at, 0))
        self.author.blockSignals(False)

    def reload(self, *_: Any) -> None:
        self.model.reload(self.author.currentData(), self.kind.currentData())

    def on_opened(self, *_: Any) -> None:
        """Another library opened: its history, not the last one's."""
        if self.isVisible():
            self.refresh()
        else:
            self.model.reload_later()

    def on_changes(self, changes: Changes) -> None:
        if self.isVisible() and changes != Changes():
            self.refresh()

    def _count(self) -> None:
        for column in (0, 1):
            self.table.resizeColumnToContents(column)
        n = self.model.rowCount()
        more = " (scroll for older)" if self.model.more else ""
        self.count.setText(f"{n:,} change{'s' if n != 1 else ''} shown{more}" if n
                           else "No changes of this kind")

    # --- the chain check ----------------------------------------------------------------------

    def verify(self) -> None:
        if self._task is not None:  # one check at a time
            return
        self.chain_result.setText("Checking the audit chain…")
        self.verify_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        task = self.session.run(
            lambda wb, task: wb.verify_audit_chain(progress=task.report, cancel=task.cancel),
            self._verified, "verify the audit chain", on_error=self._not_verified)
        if not task.finished:  # (a test's inline runner has already answered)
            self._task = task
            self._poller = ProgressPoller(task, self._progress, self)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel.cancel()
            self.cancel_button.setEnabled(False)
            self.chain_result.setText("Cancelling…")

    def _progress(self, p: Any) -> None:
        if p.total:
            self.progress.setRange(0, p.total)
            self.progress.setValue(p.done)
            self.progress.setFormat(f"{p.done:,} of {p.total:,} events")

    def _finish(self) -> None:
        if self._poller is not None:
            self._poller.stop()
        self._task = self._poller = None
        self.progress.hide()
        self.cancel_button.hide()
        self.verify_button.setEnabled(True)

    def _verified(self, check: Any) -> None:
        self._finish()
        self.chain_result.setText(check.sentence)
        self.chain_result.setProperty("state", "ok" if check.ok else "problem")
        self.chain_result.setStyleSheet("" if check.ok else "font-weight: bold")

    def _not_verified(self, exc: BaseException) -> None:
        from workbench.errors import Cancelled

        self._finish()
        if isinstance(exc, Cancelled):
            self.chain_result.setText("The check was cancelled: nothing was found or recorded.")
            return
        self.chain_result.setText("The chain could not be checked.")
        self.session.presenter.show(exc, "verify the audit chain")
