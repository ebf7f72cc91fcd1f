"""Yes/No confirmation before an action that cannot be undone (one shape for every such
question in the app). No is the default button: a stray Enter keeps things as they are."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask ``text``; True when the user answers Yes."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    return QMessageBox.question(parent, title, text, buttons,
                                QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes
