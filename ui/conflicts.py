"""A save refused because someone else changed the thing first (a shared library's
``ConflictError``): the message names who and when, and the person chooses to reload (see
their change, keep nothing of this edit) or to overwrite it on purpose (the core records
what was replaced in the audit log). Any other error is shown as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

RELOAD, OVERWRITE = "Reload", "Overwrite"


def ask(parent: QWidget | None, message: str) -> str:
    """Reload (the default: nothing of theirs is lost) or Overwrite; closing the box
    reloads."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Changed by someone else", message,
                      parent=parent)
    box.setObjectName("conflict_box")
    reload = box.addButton(RELOAD, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(OVERWRITE, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(reload)
    box.setEscapeButton(reload)
    box.exec()
    clicked = box.clickedButton()
    return OVERWRITE if clicked is not None and clicked.text() == OVERWRITE else RELOAD


def on_conflict(parent: QWidget | None, presenter: Any, doing: str, *,
                reload: Callable[[], object],
                overwrite: Callable[[], object]) -> Callable[[BaseException], None]:
    """An ``on_error`` for a save made with the version last seen."""

    def failed(exc: BaseException) -> None:
        from workbench.errors import ConflictError

        if not isinstance(exc, ConflictError):
            presenter.show(exc, doing)
        elif ask(parent, exc.message) == OVERWRITE:
            overwrite()
        else:
            reload()

    return failed
