"""The three steps of an import as the user sees them: plan, progress, summary.

The plan lists problems first (unsupported, unreadable, duplicates) so nothing is a surprise;
progress shows the current file and a Cancel button; the summary is one dialog with a row per
file and the reason for each failure (Picard's per-item error state: a red row, not a dialog).
All three use the core's counts and words (``ImportPlan.headline``, ``Progress``,
``ImportReport.headline``): N files to import, D duplicates skipped, U cannot be imported;
"Imported k of N files"; "k of N files imported · F failed · …".
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from workbench.ingest_types import ImportPlan, ImportReport
from workbench.progress import Progress

from ..kind_names import kind_name
from .common import RowsTable, fill_table, readonly_table

_PLAN_ORDER = {"failed": 0, "duplicate": 1, "new": 2}


def _plan_row(item: object) -> tuple[list[str], str | None]:
    from workbench.ingest import PlanItem

    assert isinstance(item, PlanItem)
    if item.status == "failed":
        return [str(item.path), "Cannot be imported", item.error or item.failure or ""], "bad"
    if item.status == "duplicate":
        twin = item.duplicate_in_batch.name if item.duplicate_in_batch else "?"
        where = (f"already in the library as {_named(item.duplicate_title, item.duplicate_of)}"
                 if item.duplicate_of is not None else f"same bytes as {twin}")
        return [str(item.path), "Duplicate, skipped", where], "warn"
    kind = kind_name(item.format.kind) if item.format is not None else ""
    return [str(item.path), "To import", f"{kind} · {_size(item.size)}"], "ok"


def _size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


class ImportPlanDialog(QDialog):
    """Shows what an import will do before it does anything; accept() starts it."""

    def __init__(self, plan: ImportPlan, collections: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Import files")
        self.setAccessibleName("Import plan")
        self.resize(820, 480)
        new = plan.counts()["to_import"]
        first, *rest = plan.headline()
        self.heading = QLabel(" · ".join([f"<b>{escape(first)}</b>", *map(escape, rest)]))
        self.heading.setObjectName("dialogHeading")
        self.table = _paths_table("Files in this import")
        items = sorted(plan.items, key=lambda i: _PLAN_ORDER.get(i.status, 3))
        fill_table(self.table, ["File", "Result", "Details"], [_plan_row(i) for i in items],
                   stretch=0)  # the path takes what the result and the details leave
        self.collection = QComboBox()
        self.collection.setEditable(True)
        self.collection.setAccessibleName("Add to collection")
        self.collection.addItem("")
        self.collection.addItems(collections)
        edit = self.collection.lineEdit()
        if edit is not None:
            edit.setPlaceholderText("none — type a name to create one")
        form = QFormLayout()
        form.addRow("Add to collection:", self.collection)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton(f"Import {new} file{'s' if new != 1 else ''}"
                                         if new else "Nothing new to import")
        self.import_button.setDefault(True)
        self.import_button.setEnabled(bool(new))
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def collection_name(self) -> str | None:
        return self.collection.currentText().strip() or None


class ImportProgressDialog(QDialog):
    """A progress bar with the current file and a Cancel button (cancel is a flag).

    ``total``: the plan's files to import; 0 while the files are being checked (a folder's
    files are not known yet, so no number is promised)."""

    def __init__(self, total: int, on_cancel: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Importing" if total else "Checking files")
        self.setAccessibleName("Import progress")
        self.setMinimumWidth(520)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.label = QLabel(f"Importing {total} file{'s' if total != 1 else ''}…" if total
                            else "Checking the files…")
        self.label.setWordWrap(True)
        self.current = QLabel("")
        self.current.setObjectName("secondary")
        self.current.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.bar.setRange(0, max(total, 1))
        self.bar.setAccessibleName("Import progress bar")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(on_cancel)  # type: ignore[arg-type]
        self.cancel_button.clicked.connect(self._cancelling)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.current)
        row = QDialogButtonBox()
        row.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(row)

    def show_progress(self, p: Progress) -> None:
        self.bar.setRange(0, max(p.total, 1))
        self.bar.setValue(p.done)
        if not self.cancel_button.isEnabled():
            pass  # keep saying "Cancelling…"
        elif p.stage == "plan":
            # ``done`` files are checked and the next is being read: number it from one.
            self.label.setText(f"Checking {min(p.done + 1, p.total)} of {p.total} files")
        else:
            self.label.setText(f"Imported {p.imported} of {p.total} files"
                               + (f" · {p.failed} failed" if p.failed else ""))
        name = Path(p.current).name if p.current else ""
        elided = self.current.fontMetrics().elidedText(name, Qt.TextElideMode.ElideMiddle, 480)
        if p.inside_total:  # an item found inside a file: the files' counts stay as they are
            elided += f" (item {p.inside_done} of {p.inside_total} inside)"
        self.current.setText(elided)

    def _cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling after the current file…")

    def reject(self) -> None:  # Escape cancels the import rather than hiding the dialog
        if self.cancel_button.isEnabled():
            self.cancel_button.click()


def _named(title: str | None, doc_id: int | None) -> str:
    """A document as a person knows it: its title, or its number when it has none."""
    return f"“{title}”" if title else f"document {doc_id}"


def outcome_rows(report: ImportReport) -> list[tuple[list[str], str | None]]:
    rows: list[tuple[list[str], str | None]] = []
    for o in sorted(report.outcomes, key=lambda o: (not o.failed, o.status == "duplicate")):
        if o.failed and o.planned in ("failed", "duplicate"):  # as the plan said
            rows.append(([o.path, "Cannot be imported" if o.planned == "failed"
                          else "Duplicate, skipped", o.error or ""], "bad"))
        elif o.status == "cancelled":
            rows.append(([o.path, "Cancelled", o.error or ""], "bad"))
        elif o.failed:
            rows.append(([o.path, "Failed", f"{o.status}: {o.error}" if o.error
                          else o.status], "bad"))
        elif o.status == "duplicate":
            rows.append(([o.path, "Duplicate, skipped", "already in the library as "
                          + _named(o.title, o.document_id)], "warn"))
        else:
            detail = f"document {o.document_id}, {o.pages} page{'s' if o.pages != 1 else ''}"
            if o.problems:
                detail += " — " + "; ".join(o.problems)
            rows.append(([o.path, "Imported", detail], "warn" if o.problems else "ok"))
    return rows


class ImportSummaryDialog(QDialog):
    """One summary per import, a row per file, failures first with their reasons."""

    def __init__(self, report: ImportReport, cancelled: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle("Import finished" if not cancelled else "Import cancelled")
        self.setAccessibleName("Import summary")
        self.resize(820, 440)
        first, *rest = report.headline()
        if cancelled and not report.counts()["cancelled"]:
            rest.append("cancelled by you")  # during the last file: nothing was left out
        self.heading = QLabel(" · ".join([f"<b>{escape(first)}</b>", *map(escape, rest)]))
        self.heading.setObjectName("dialogHeading")
        self.table = _paths_table("Import results per file")
        fill_table(self.table, ["File", "Result", "Details"], outcome_rows(report), stretch=0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


def _paths_table(name: str) -> RowsTable:
    """A table whose first column is a file's path: when it is too long for the column, the
    folders in its middle give way and the file's name stays (elided at the end, a long
    path showed only folders)."""
    table = readonly_table(name)
    # The path only: a duplicate's title in Details reads from its beginning.
    table.setItemDelegateForColumn(0, _MiddleElided(table))
    return table


class _MiddleElided(QStyledItemDelegate):
    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle  # type: ignore[attr-defined]
