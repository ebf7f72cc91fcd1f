"""Redact an area drawn on the page: choose the dossier, the printed label and the reason.

The "Redact area…" tool of the page view draws the rectangle; this asks where it applies and
why, then the core's ``redact_area`` makes the rule (every facsimile of the document in that
dossier shows the area as a black box). Like the other redaction dialogs, it stays open with
its input when the core refuses (a dossier that does not cite the document, a frozen one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ..dialogs.dossier_dialogs import RedactionFields
from ..session import Session
from . import page_ops
from .page_sources import Rect


class AreaRedactDialog(QDialog):
    submitted = Signal(int, str, str)  # dossier id, printed label, private reason

    def __init__(self, page: int, dossiers: list[dict[str, Any]], current: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Redact area")
        self.setAccessibleName("Redact an area of the page")
        self.setMinimumWidth(520)
        intro = QLabel(f"The area drawn on page {page} becomes a black box on every page "
                       "image of this document in the dossier's exports (the page is burnt in "
                       "as an image, so nothing under the box survives). The original file is "
                       "then left out of the dossier's bundles.")
        intro.setWordWrap(True)
        form = QFormLayout()
        self.dossier = QComboBox()
        self.dossier.setAccessibleName("Dossier")
        for d in dossiers:
            if not d.get("frozen"):
                self.dossier.addItem(str(d.get("title") or f"Dossier {d['id']}"), int(d["id"]))
        if current is not None and self.dossier.findData(current) >= 0:
            self.dossier.setCurrentIndex(self.dossier.findData(current))
        form.addRow("Dossier:", self.dossier)
        self.fields = RedactionFields(form, self._check)
        self.printed_label, self.reason = self.fields.printed_label, self.fields.reason
        self.none = QLabel("There is no dossier to redact in yet: create one (Dossier → New "
                           "dossier…) and add this document to it.")
        self.none.setWordWrap(True)
        self.none.setVisible(self.dossier.count() == 0)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Redact")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.none)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._check()

    def _check(self, *_: object) -> None:
        self.ok.setEnabled(self.dossier.count() > 0 and self.fields.ready())

    def _submit(self) -> None:
        if self.ok.isEnabled():
            self.ok.setEnabled(False)  # until the core answers
            label, reason = self.fields.values()
            self.submitted.emit(int(self.dossier.currentData()), label, reason)

    def failed(self) -> None:
        self._check()


class AreaRedaction:
    """One run of the flow: the dossier list, the dialog, the core call, the outcome."""

    def __init__(self, session: Session, doc_id: int, page: int, rect: Rect,
                 current: int | None, parent: QWidget,
                 done: Callable[[str], None]) -> None:
        self.session, self.doc_id, self.page, self.rect = session, doc_id, page, rect
        self.current, self.parent, self.done = current, parent, done
        self.dialog: AreaRedactDialog | None = None
        self.seen: dict[int, int | None] = {}  # each dossier's version as listed
        page_ops.list_dossiers(session, self._open)

    def _open(self, dossiers: list[dict[str, Any]]) -> None:
        # what each dossier was when the person chose: an edit by someone else since asks
        self.seen = {d["id"]: d.get("version") for d in dossiers}
        self.dialog = AreaRedactDialog(self.page, dossiers, self.current, self.parent)
        self.dialog.submitted.connect(self._submit)
        self.dialog.rejected.connect(lambda: self.done(""))
        self.dialog.open()

    def _submit(self, dossier_id: int, label: str, reason: str) -> None:
        dialog = self.dialog
        assert dialog is not None
        title = dialog.dossier.currentText()

        def ok(_value: Any) -> None:
            dialog.accept()
            self.done(f"The area on page {self.page} is redacted in “{title}”.")

        def save(force: bool = False) -> None:
            page_ops.redact_area(self.session, dossier_id, self.doc_id, self.page, self.rect,
                                 reason, label, ok, failed,
                                 expected_version=self.seen.get(dossier_id), force=force)

        def failed(exc: BaseException) -> None:
            from workbench.errors import ConflictError

            from .. import conflicts

            if isinstance(exc, ConflictError):  # changed by someone since the list was read
                if conflicts.ask(dialog, exc.message) == conflicts.OVERWRITE:
                    save(force=True)
                else:  # reload: keep nothing of this edit, their change stands
                    dialog.reject()
                return
            self.session.presenter.show(exc, "redact the area")
            dialog.failed()

        save()
