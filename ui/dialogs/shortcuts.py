"""Help → Keyboard shortcuts: built from the action table, so it is never out of date."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from ..actions import shortcut_rows
from .common import fill_table, readonly_table


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        self.resize(520, 560)
        self.table = readonly_table("Keyboard shortcuts")
        fill_table(self.table, ["Action", "Shortcut"], [([a, s], None) for a, s in shortcut_rows()])
        self.table.setColumnWidth(0, 320)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
