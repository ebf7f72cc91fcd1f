"""The builder's warning that a redacted name is one of a person's several names.

When a term redaction hides one spelling of a registered entity while the dossier holds
another ("Ekpar Asat" redacted, 艾克拜尔·阿沙特 still there), the core returns a warning with the
redaction. This bar shows it in the builder until dismissed, with one button that redacts the
person instead: every name and alias, with the same printed label and reason, replacing the
term's own rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class AliasWarning(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aliasWarning")
        # The x-ray banner's amber with dark text: reads the same in the light and dark themes.
        self.setStyleSheet("QFrame#aliasWarning { background: #fff1c7; border: 1px solid "
                           "#e0b84c; border-radius: 5px; } "
                           "QFrame#aliasWarning > QLabel { color: #3d2c00; }")
        self.setAccessibleName("Redaction warning")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Warning")
        self.instead = QPushButton("Redact the &person instead")
        self.instead.setToolTip("Hide every name and alias of this person in every export "
                                "(the same printed label and reason)")
        self.instead.clicked.connect(self._instead)
        self.close_button = QPushButton("Dismiss")
        self.close_button.clicked.connect(self.hide)
        # The words across the whole width, the buttons under them: beside them, the text
        # was squeezed into a column ten lines tall on a small screen.
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.instead)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self._action: Callable[[], None] | None = None
        self.hide()

    def show_warnings(self, warnings: list[str], action: Callable[[], None] | None) -> None:
        if action is not None:
            warnings = [in_window_words(w) for w in warnings]
        self.text.setText("⚠ " + "\n⚠ ".join(warnings))
        self._action = action
        self.instead.setVisible(action is not None)
        self.show()
        (self.instead if action is not None else self.close_button).setFocus()

    def _instead(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            action()


COMMAND = re.compile(r"redact the (\w+) \(`[^`]*`\) to hide every name")


def in_window_words(warning: str) -> str:
    """The core's warning says how to redact the person on the command line; the window has a
    button for it, named instead."""
    return COMMAND.sub(r"“Redact the person instead” hides every name of the \1", warning)
