"""One shape for a long job's progress: a heading, the current step, a bar and Cancel.

Window-modal while the job runs, no close button; Escape cancels as the button does, and
cancelling says what happens next (``cancelling_text``). The export and the backup/restore
dialogs add their own wording of the steps.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class CancellableProgressDialog(QDialog):
    cancelling_text = "Cancelling…"

    def __init__(self, title: str, name: str, heading: str, on_cancel: Callable[[], None],
                 parent: QWidget | None = None, *, first: str = "Starting…",
                 width: int = 460) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(name)
        self.setMinimumWidth(width)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.heading = QLabel(heading)
        self.heading.setWordWrap(True)
        self.label = QLabel(first)
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setAccessibleName(f"{name} bar")
        self.bar.setRange(0, 0)  # busy until the core reports its first step
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(on_cancel)
        self.cancel_button.clicked.connect(self._cancelling)
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.body = QVBoxLayout(self)
        for w in (self.heading, self.label, self.bar):
            self.body.addWidget(w)

    def add_buttons(self) -> None:
        """Called by a subclass once it has added its own rows, so Cancel comes last."""
        self.body.addWidget(self.buttons)

    def _cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText(self.cancelling_text)

    def reject(self) -> None:  # Escape cancels the job rather than hiding the dialog
        if self.cancel_button.isEnabled():
            self.cancel_button.click()
