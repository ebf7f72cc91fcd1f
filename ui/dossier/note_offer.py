"""“Use the highlight's note”: the builder's commentary box offers an exhibit's highlight note.

The codebook's and the Highlights tab's menus can add a highlight with its note as the exhibit's
commentary; Ctrl+D adds it without (a note can be a private memo, so it is never copied
silently) and used to say nothing of the note. Rather than a dialog on every Ctrl+D, the builder
selects the new exhibit and this button, under the commentary box, offers the note while the
box is empty; one click puts the note in the box and saves it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QWidget

from ..actions import VIEW_KEYS
from ..session import Session

USE_NOTE = "Use the highlight's note"


def note_offer(noted: int) -> str:
    """The status bar's sentence after Ctrl+D added ``noted`` highlights that have a note."""
    if noted == 1:
        return (f"The highlight has a note: “{USE_NOTE}” under the exhibit's commentary in the "
                f"dossier builder ({VIEW_KEYS['show_dossiers']}) makes it the commentary.")
    return (f"{noted} of the highlights have notes: in the dossier builder "
            f"({VIEW_KEYS['show_dossiers']}), select "
            f"one and press “{USE_NOTE}” to make its note the commentary.")


class NoteOffer(QPushButton):
    """Shown while the selected exhibit is a highlight with a note and the box is empty."""

    used = Signal()  # the box now holds the note: the builder saves it

    def __init__(self, session: Session, commentary: QPlainTextEdit,
                 parent: QWidget | None = None) -> None:
        super().__init__(USE_NOTE, parent)
        self.setToolTip("Make the highlight's note this exhibit's commentary")
        self.session = session
        self.commentary = commentary
        self.note = ""
        self._item_id: int | None = None  # the exhibit whose note is (being) looked up
        self.hide()
        commentary.textChanged.connect(self._update)
        self.clicked.connect(self._use)

    def offer(self, entry: dict[str, Any] | None) -> None:
        """Looks up the note of ``entry``'s highlight on the worker (the dossier's entries do
        not carry it, and reading every exhibit's note on each reload would be wasted)."""
        self.note, self._item_id = "", None if entry is None else entry["id"]
        self._update()
        if entry is None or entry.get("kind") != "highlight" or entry.get("missing"):
            return
        item_id, hid = entry["id"], entry["highlight_id"]
        self.session.query(lambda wb: str(wb.get_highlight(hid).get("note") or ""),
                           lambda note: self._got(item_id, note), "read the highlight's note",
                           # A convenience only: a highlight deleted meanwhile has no note to
                           # offer, and that is not worth an error dialog.
                           on_error=lambda _exc: None)

    def _got(self, item_id: int, note: str) -> None:
        if item_id == self._item_id:  # still the selected exhibit
            self.note = note.strip()
            self._update()

    def _update(self) -> None:
        self.setVisible(bool(self.note) and not self.commentary.toPlainText().strip())

    def _use(self) -> None:
        self.commentary.setPlainText(self.note)
        self.used.emit()
