"""The passphrase dialogs of an encrypted library: unlock, choose a new one, change it.

The passphrase never leaves these dialogs except as the value handed to the core's open or
change call; the fields are password fields (no echo, no copy, no undo history), and are
cleared as soon as the dialog has been read. A wrong passphrase is said inside the dialog, so
the person types again without losing their place.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.crypto import MIN_PASSPHRASE

from .. import theme

UNLOCK, NEW, CHANGE = "unlock", "new", "change"


def _secret_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setObjectName(name.lower().replace(" ", "_"))
    # No context menu: "Copy" is disabled for password fields, but "Paste" of a previous secret
    # into the wrong field is easy to do by mistake and hard to notice.
    field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    return field


class PassphraseDialog(QDialog):
    """Ask for the passphrase of the library at ``path``.

    ``mode`` is ``unlock`` (one field), ``new`` (twice, for a new library) or ``change``
    (current, then new twice). ``problem`` is shown at the top (e.g. "wrong passphrase").
    """

    def __init__(self, parent: QWidget | None, path: Path, mode: str = UNLOCK,
                 problem: str = "") -> None:
        super().__init__(parent)
        self.mode = mode
        titles = {UNLOCK: "Unlock library", NEW: "Encrypt the new library",
                  CHANGE: "Change passphrase"}
        self.setWindowTitle(titles[mode])
        layout = self._layout = QVBoxLayout(self)
        intro = {
            UNLOCK: f"“{path.name}” is encrypted. Enter its passphrase to open it.",
            NEW: (f"Choose a passphrase for “{path.name}”. Everything the library stores is "
                  "encrypted with it. Without it, nobody — you included — can open the "
                  "library: keep it somewhere safe."),
            CHANGE: (f"Change the passphrase of “{path.name}”. The documents are not "
                     "re-encrypted; only the key that opens them is."),
        }[mode]
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.problem = QLabel(problem)
        self.problem.setObjectName("passphrase_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {theme.tone('bad')};")
        self.problem.setVisible(bool(problem))
        layout.addWidget(self.problem)
        form = QFormLayout()
        self.current = _secret_field("Current passphrase")
        self.new = _secret_field("Passphrase" if mode != CHANGE else "New passphrase")
        self.again = _secret_field("Passphrase again")
        if mode == UNLOCK:
            form.addRow("&Passphrase:", self.new)
        else:
            if mode == CHANGE:
                form.addRow("&Current passphrase:", self.current)
            form.addRow("&New passphrase:" if mode == CHANGE else "&Passphrase:", self.new)
            form.addRow("&Again:", self.again)
            hint = QLabel(f"At least {MIN_PASSPHRASE} characters; several words are easy to "
                          "remember and hard to guess.")
            hint.setWordWrap(True)
            hint.setObjectName("passphrase_hint")
            form.addRow("", hint)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText({UNLOCK: "&Unlock", NEW: "&Create", CHANGE: "&Change"}[mode])
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.current if mode == CHANGE else self.new).setFocus()
        self.setMinimumWidth(420)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)
        # A shown dialog keeps its height when a line appears, and its word-wrapped labels
        # do not raise its minimum: grow it to what the layout needs at this width, or the
        # hint's last line goes under the buttons.
        self._layout.activate()
        need = self._layout.totalHeightForWidth(self.width())
        if need > self.height():
            self.resize(self.width(), need)

    def _check(self) -> None:
        if self.mode == UNLOCK:
            if not self.new.text():
                self.show_problem("Enter the passphrase.")
                return
            self.accept()
            return
        if self.mode == CHANGE and not self.current.text():
            self.show_problem("Enter the current passphrase.")
            self.current.setFocus()
            return
        if len(self.new.text()) < MIN_PASSPHRASE:
            self.show_problem(f"The passphrase is too short: at least {MIN_PASSPHRASE} "
                              "characters.")
            self.new.setFocus()
            return
        if self.new.text() != self.again.text():
            self.show_problem("The two passphrases differ: type the same one twice.")
            self.again.clear()
            self.again.setFocus()
            return
        self.accept()

    def take(self) -> tuple[str, str]:
        """(current, new) as typed — ``current`` is empty except in ``change`` mode — and
        clear the fields so the secret does not stay in the widgets."""
        values = (self.current.text(), self.new.text())
        for field in (self.current, self.new, self.again):
            field.clear()
        return values


def ask_passphrase(parent: QWidget | None, path: Path, mode: str = UNLOCK,
                   problem: str = "") -> tuple[str, str] | None:
    """Show the dialog; (current, new) when accepted, None when cancelled."""
    dialog = PassphraseDialog(parent, path, mode, problem)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        dialog.take()
        return None
    return dialog.take()
