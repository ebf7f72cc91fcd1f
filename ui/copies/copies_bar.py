"""The viewer's "Other copies (N)" button and the list of a document's other copies.

The list shows each copy's source (file name or URL), capture date, passages shared (the
finder's measure; Compare counts the text unchanged: each says which it is), status and
SHA-256 (elided; the whole hash in the tooltip and copied by "Copy SHA-256" or Ctrl+C), with
Open, Compare, Confirm, "Not a copy" and Reset. Every decision says on the status line what it
did and offers Undo; the pairs marked "not a copy" can be listed again to reset one. Both are
fed plain dicts (``Workbench.copies``); the calls run on the worker through the session.

The mnemonics differ from the Compare dialog's (which opens on top of this list): a key meant
for one must never decide something in the other.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..dialogs.confirm import confirm
from ..elided_label import ElidedLabel
from ..kind_names import kind_name
from ..session import Session

COLUMNS = ("Copy", "Source", "Captured", "Passages shared", "Status", "SHA-256")
SHARED_COLUMN = 3
SHARED_TIP = ("The share of the two texts' five-word passages that are the same, estimated "
              "from their fingerprints when the copy was found. One changed word changes "
              "five passages, so Compare's share of the text unchanged is higher.")
STATUS_WORDS = {"found": "found", "confirmed": "confirmed", "rejected": "not a copy"}
# What a pair is after a decision, as the status line says it.
AFTER = {"found": "a found copy", "confirmed": "a confirmed copy",
         "rejected": "marked not a copy"}


def button_text(n: int) -> str:
    return f"Other &copies ({n})"


def source_of(copy: dict[str, Any]) -> str:
    return str(copy.get("source_url") or copy.get("original_filename") or "")


def captured_of(copy: dict[str, Any]) -> str:
    if copy.get("captured_at"):
        return str(copy["captured_at"])[:10]
    return f"imported {str(copy.get('imported_at') or '')[:10]}".strip()


class CopiesButton(QPushButton):
    """Hidden while the open document has no other copy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(button_text(0), parent)
        self.setAccessibleName("Other copies")
        self.setToolTip("Other copies of this document in the library (Alt+C)")
        self.doc_id: int | None = None
        self.copies: list[dict[str, Any]] = []
        self.hide()

    def set_copies(self, doc_id: int | None, copies: list[dict[str, Any]]) -> None:
        self.doc_id, self.copies = doc_id, list(copies)
        self.setText(button_text(len(self.copies)))
        self.setAccessibleDescription(f"{len(self.copies)} other copies")
        self.setVisible(doc_id is not None and bool(self.copies))


class CopiesDialog(QDialog):
    """A document's other copies; stays open beside the window (not modal)."""

    open_requested = Signal(int)  # document id
    compare_requested = Signal(int, int)  # this document, the other copy

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.doc_id: int | None = None
        self.title = ""
        self.copies: list[dict[str, Any]] = []
        # the last decision, for Undo: (document, other copy, its name, status before)
        self.last: tuple[int, int, str, str] | None = None
        self.setWindowTitle("Other copies")
        self.heading = ElidedLabel("")
        self.heading.setObjectName("paneTitle")
        hint = QLabel("Documents in the library whose text is substantially the same. "
                      "Confirm a copy, or say it is not one: it is then no longer shown "
                      "(Undo or Reset bring it back).")
        hint.setObjectName("secondary")
        hint.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Other copies")
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemActivated.connect(lambda *_: self.open_current())
        self.tree.currentItemChanged.connect(lambda *_: self._enable())
        self.tree.headerItem().setToolTip(SHARED_COLUMN, SHARED_TIP)
        shared = self.tree.fontMetrics().horizontalAdvance(COLUMNS[SHARED_COLUMN]) + 24
        for col, width in enumerate((200, 190, 150, shared, 96)):
            self.tree.setColumnWidth(col, width)
        self.open_button = QPushButton("&Open")
        self.open_button.clicked.connect(self.open_current)
        self.compare_button = QPushButton("Co&mpare…")
        self.compare_button.clicked.connect(self.compare_current)
        self.confirm_button = QPushButton("Con&firm")
        self.confirm_button.setToolTip("This is a copy of the document")
        self.confirm_button.clicked.connect(lambda: self.set_status("confirmed"))
        self.reject_button = QPushButton("Not a cop&y")
        self.reject_button.setToolTip("This is not a copy: never show it as one again")
        self.reject_button.clicked.connect(lambda: self.set_status("rejected"))
        self.reset_button = QPushButton("&Reset")
        self.reset_button.setToolTip("Forget the confirmation or “not a copy”: "
                                     "a found copy again")
        self.reset_button.clicked.connect(lambda: self.set_status("found"))
        self.show_rejected = QCheckBox("&Also show the pairs marked “not a copy”")
        self.show_rejected.toggled.connect(lambda _on: self.reload())
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("What was done")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setToolTip("Put the pair back as it was before this decision")
        self.undo_button.clicked.connect(self.undo)
        self.copy_button = QPushButton("Copy &SHA-256")
        self.copy_button.clicked.connect(self.copy_hash)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self.tree, self.copy_hash,
                  context=Qt.ShortcutContext.WidgetShortcut)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        said = QHBoxLayout()
        said.addWidget(self.status, 1)
        said.addWidget(self.undo_button)
        self.undo_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        for b in (self.open_button, self.compare_button, self.confirm_button,
                  self.reject_button, self.reset_button, self.copy_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(hint)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.show_rejected)
        layout.addLayout(said)
        layout.addLayout(buttons)
        self.resize(900, 380)
        self._say("")
        self._enable()

    # --- content --------------------------------------------------------------------------------

    def show_for(self, doc_id: int, title: str = "") -> None:
        """Opens (or raises) the list for ``doc_id`` and loads it on the worker."""
        if doc_id != self.doc_id:
            self._say("")  # the last decision was about another document's copies
        self.doc_id, self.title = doc_id, title
        self.reload()
        self.show()
        self.raise_()
        self.activateWindow()
        self.tree.setFocus()

    def reload(self) -> None:
        doc_id = self.doc_id
        if doc_id is None:
            return
        rejected = self.show_rejected.isChecked()
        self.session.query(lambda wb: wb.copies(doc_id, include_rejected=rejected),
                           lambda copies: self.set_copies(doc_id, copies),
                           "list the other copies")

    def set_copies(self, doc_id: int, copies: list[dict[str, Any]]) -> None:
        if doc_id != self.doc_id:
            return  # an answer for a document no longer shown
        chosen = self.current_copy()
        self.copies = list(copies)
        self.tree.clear()
        for copy in self.copies:
            sha = str(copy.get("sha256") or "")
            cells = [copy.get("title") or f"Document {copy['document_id']}",
                     source_of(copy) or "—", captured_of(copy),
                     f"{float(copy.get('similarity', 0)):.0%}",
                     STATUS_WORDS.get(str(copy.get("status")), str(copy.get("status"))),
                     sha[:12] + "…" if len(sha) > 12 else sha]
            item = QTreeWidgetItem(cells)
            item.setData(0, Qt.ItemDataRole.UserRole, int(copy["document_id"]))
            for col, tip in enumerate((f"{cells[0]} ({kind_name(copy.get('kind'))})",
                                       source_of(copy), str(copy.get("captured_at") or
                                                            copy.get("imported_at") or ""),
                                       f"{cells[3]} of their five-word passages are "
                                       f"shared. Compare… shows what differs and how much "
                                       f"of the text is unchanged.",
                                       cells[4], sha)):
                item.setToolTip(col, tip)
            item.setData(5, Qt.ItemDataRole.AccessibleTextRole, f"SHA-256 {sha}")
            self.tree.addTopLevelItem(item)
            if chosen is not None and int(copy["document_id"]) == chosen:
                self.tree.setCurrentItem(item)
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)
        if not self.copies:
            self.heading.setText("No other copies")
        else:
            self.heading.setText(f"Other copies of “{self.title}”" if self.title
                                 else "Other copies")
        self._enable()

    def current_copy(self) -> int | None:
        item = self.tree.currentItem()
        return None if item is None else int(item.data(0, Qt.ItemDataRole.UserRole))

    def _current(self) -> dict[str, Any] | None:
        chosen = self.current_copy()
        return next((c for c in self.copies if int(c["document_id"]) == chosen), None)

    def _enable(self) -> None:
        copy = self._current()
        for b in (self.open_button, self.compare_button, self.copy_button):
            b.setEnabled(copy is not None)
        status = None if copy is None else copy.get("status")
        self.confirm_button.setEnabled(copy is not None and status != "confirmed")
        self.reject_button.setEnabled(copy is not None and status != "rejected")
        self.reset_button.setEnabled(status in ("confirmed", "rejected"))

    # --- actions --------------------------------------------------------------------------------

    def open_current(self) -> None:
        other = self.current_copy()
        if other is not None:
            self.open_requested.emit(other)

    def compare_current(self) -> None:
        other = self.current_copy()
        if other is not None and self.doc_id is not None:
            self.compare_requested.emit(self.doc_id, other)

    def copy_hash(self) -> None:
        copy = self._current()
        if copy is not None and copy.get("sha256"):
            QGuiApplication.clipboard().setText(str(copy["sha256"]))

    def set_status(self, status: str) -> None:
        other, doc_id, copy = self.current_copy(), self.doc_id, self._current()
        if other is None or doc_id is None or copy is None:
            return
        name = _name(copy)
        if status == "rejected" and not confirm(
                self, "Not a copy",
                f"{name} will no longer be shown as a copy of this document, here or in "
                f"search results.\n\nUndo brings it back; so does Reset, with the pairs "
                f"marked “not a copy” shown."):
            return
        before = str(copy.get("status") or "found")
        self.session.mutate(lambda wb: wb.set_copy_status(doc_id, other, status),
                            lambda _v: self._decided(doc_id, other, name, before, status),
                            doing="mark the copy")

    def undo(self) -> None:
        """Puts the pair of the last decision back to its status before it."""
        if self.last is None:
            return
        doc_id, other, name, before = self.last

        def undone(_v: Any) -> None:
            self.last = None
            self._say(f"Undone: {name} is {AFTER.get(before, before)} again.")

        self.session.mutate(lambda wb: wb.set_copy_status(doc_id, other, before), undone,
                            doing="undo the decision about the copy")

    def _decided(self, doc_id: int, other: int, name: str, before: str, status: str) -> None:
        self.last = (doc_id, other, name, before)
        said = {"confirmed": f"{name} confirmed as a copy of this document.",
                "rejected": f"{name} marked not a copy: no longer shown here or in search "
                            f"results.",
                "found": f"{name} reset: a found copy again, neither confirmed nor "
                         f"marked not a copy."}[status]
        self._say(said, undo=True)

    def _say(self, text: str, undo: bool = False) -> None:
        """The status line: what the last decision did (and Undo while it can be undone)."""
        if not text:
            self.last = None
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.undo_button.setVisible(undo and self.last is not None)


def _name(copy: dict[str, Any]) -> str:
    """A copy as the status line names it: its title, and its source when that tells two
    copies of one title apart."""
    title = str(copy.get("title") or f"Document {copy.get('document_id')}")
    if len(title) > 70:
        title = title[:69] + "…"
    source = source_of(copy)
    if len(source) > 50:
        source = "…" + source[-49:]
    return f"“{title}” ({source})" if source and source != title else f"“{title}”"
