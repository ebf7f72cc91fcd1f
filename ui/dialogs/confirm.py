"""Yes/No confirmation before an action that cannot be undone (one shape for every such
question in the app)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask ``text``; True when the user answers Yes."""
    return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes
