"""The collection record: where and how a document was collected, its SHA-256, and the six
fields of its record a user can correct (``workbench.records``).

Edit turns title, source URL, language, author, site and published into line edits; Save runs
``operations.records.save_record`` on the worker, and the main window reloads the viewer from
the ``Changes`` it returns, which puts this tab back in its reading state. A corrected field
always shows its value as captured beneath it, so a correction is never silent; "Use captured"
puts that value back. A value the core refuses is explained inline, beside the fields being
typed, rather than in a dialog that would hide them.

Where the document came from when it was found inside another file, and what it holds, are
links (``record_provenance``): an e-mail's attachments, a mailbox's messages, and for an item
"Found in: <the file> (document N)"; a click (or Tab to the link and Enter) emits
``open_requested`` and the viewer opens that document. An e-mail's headers are rows of their
own. Every value stays selectable, to be copied into a note or a letter.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.changes import Changes
from workbench.errors import UserError

from ..language_names import language_name
from ..operations import records as ops
from ..session import Session
from .hash_field import HashField
from .record_provenance import LINK_FIELDS, MAIL_FIELDS, Entry


def _time(value: Any) -> str | None:
    """ISO time to the second, UTC said plainly (the stored value keeps full precision)."""
    if not value:
        return None
    text = str(value).replace("T", " ")
    return text[:19] + " UTC" if text.endswith("Z") else text[:19]


UNBREAKABLE = {"SHA-256", "Source URL", "Final URL", "Original file", "Message-ID",
               "In reply to"}

# Row label -> field of the record (``info["record"]``): these rows can be corrected.
EDITABLE = {"Title": "title", "Source URL": "source_url", "Language": "language",
            "Author": "author", "Site": "site", "Published": "published"}
EDITABLE_LABELS = {key: label for label, key in EDITABLE.items()}

PLACEHOLDERS = {"title": "a title is required", "source_url": "https://…",
                "language": "en, zh, ar, ug…", "author": "none", "site": "none",
                "published": "YYYY, YYYY-MM or YYYY-MM-DD"}

FIELDS = [
    ("Title", lambda d, r: d.get("title")),
    ("SHA-256", lambda d, r: d.get("sha256")),
    ("Source URL", lambda d, r: r.get("source_url")),
    ("Final URL", lambda d, r: r.get("final_url")),
    ("Captured", lambda d, r: _time(r.get("captured_at"))),
    ("HTTP status", lambda d, r: r.get("http_status")),
    ("Imported", lambda d, r: _time(r.get("imported_at"))),
    ("Imported by", lambda d, r: r.get("os_user")),
    ("Importer", lambda d, r: f"{r.get('importer', '')} {r.get('importer_version', '')}".strip()),
    ("Found in", lambda d, r: LINK_FIELDS["Found in"](d)),
    ("Original file", lambda d, r: r.get("original_path") or d.get("original_filename")),
    ("Media type", lambda d, r: d.get("media_type")),
    ("Size", lambda d, r: f"{d.get('size'):,} bytes" if isinstance(d.get("size"), int) else ""),
    ("Pages", lambda d, r: d.get("pages")),
    ("Language", lambda d, r: d.get("language")),
    ("Author", lambda d, r: d.get("author")),
    ("Site", lambda d, r: d.get("site")),
    ("Published", lambda d, r: d.get("published")),
    *MAIL_FIELDS,
    *[(label, lambda d, r, get=get: get(d)) for label, get in LINK_FIELDS.items()
      if label != "Found in"],
    ("Collections", lambda d, r: ", ".join(d.get("collections") or [])),
    ("Text layers", lambda d, r: "; ".join(
        f"v{t['version']} {t['extractor']} ({t['method']}, {t['characters']:,} chars)"
        for t in d.get("text_layers") or [])),
    ("Problems", lambda d, r: "; ".join(d.get("problems") or [])),
]


# Record field -> how its stored value is shown (the line edit still holds the value itself).
SHOWN = {"language": language_name}


def shown_value(key: str | None, value: Any) -> str:
    """A stored value as the tab shows it: a language by its name with its code kept."""
    show = SHOWN.get(key or "")
    return show(str(value)) if show is not None else str(value)


def captured_text(entry: dict[str, Any], key: str | None = None) -> str:
    value = entry.get("captured")
    return (f"captured: {shown_value(key, value)}" if value not in (None, "")
            else "captured: none")


class LinksLabel(QLabel):
    """A label of links that Tab reaches link by link: QLabel takes the focus first without
    any, and Enter then did nothing (a second Tab was needed to reach the first link)."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        reason = event.reason()
        if reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason) \
                and not self.hasSelectedText():
            self.focusNextPrevChild(reason == Qt.FocusReason.TabFocusReason)


class RecordView(QScrollArea):
    open_requested = Signal(int)  # a document the record links to (where found, what it holds)

    def __init__(self, session: Session | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName("Collection record")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inner = QWidget()
        outer = QVBoxLayout(self.inner)
        outer.setContentsMargins(16, 16, 16, 16)
        outer.setSpacing(8)

        self.edit_button = QPushButton("Edit record")
        self.edit_button.setAccessibleName("Edit record")
        self.edit_button.setToolTip("Correct the title, source URL, language, author, site or "
                                    "publication date; the captured values are kept")
        self.edit_button.clicked.connect(self.start_editing)
        self.save_button = QPushButton("Save")
        self.save_button.setAccessibleName("Save record")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel editing the record")
        self.cancel_button.clicked.connect(self.cancel_editing)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        for button in (self.edit_button, self.save_button, self.cancel_button):
            bar.addWidget(button)
        bar.addStretch(1)
        self.error = QLabel("")
        self.error.setObjectName("inlineError")
        self.error.setAccessibleName("Record error")
        self.error.setWordWrap(True)
        self.error.hide()

        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setVerticalSpacing(8)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(bar)
        outer.addWidget(self.error)
        outer.addLayout(self.form)
        outer.addStretch(1)
        self.setWidget(self.inner)
        # A narrower pane (its scroll bar appearing) left QFormLayout's wrapped values at their
        # height for the old width: a long title lost its last line. Relaid out at each width.
        self.inner.installEventFilter(self)

        self.info: dict[str, Any] = {}
        self.values: dict[str, str] = {}  # row label -> text shown
        self.edits: dict[str, QLineEdit] = {}  # record field -> its line edit while editing
        self.captured: dict[str, QLabel] = {}  # record field -> its "captured: …" label
        self.editing = False
        self.saving = False
        self._build()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.inner and event.type() == QEvent.Type.Resize \
                and isinstance(event, QResizeEvent) \
                and event.size().width() != event.oldSize().width():
            self.form.invalidate()
        return super().eventFilter(watched, event)

    # --- states ---------------------------------------------------------------------------

    def set_document(self, info: dict[str, Any]) -> None:
        self.info = info
        self.editing = self.saving = False
        self.error.hide()
        self._build()

    def start_editing(self) -> None:
        if not self.info or self.session is None:
            return
        self.editing = True
        self.error.hide()
        self._build()
        first = self.edits.get("title")
        if first is not None:
            first.setFocus()
            first.selectAll()

    def cancel_editing(self) -> None:
        self.editing = self.saving = False
        self.error.hide()
        self._build()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.editing and event.key() == Qt.Key.Key_Escape:
            self.cancel_editing()
            return
        super().keyPressEvent(event)

    # --- saving -----------------------------------------------------------------------------

    def pending(self) -> dict[str, str]:
        """The fields whose text differs from the record's value now (empty text clears)."""
        record = self.info.get("record") or {}
        out = {}
        for key, line in self.edits.items():
            text = line.text().strip()
            now = (record.get(key) or {}).get("value")
            if text != ("" if now is None else str(now)).strip():
                out[key] = text
        return out

    def save(self) -> None:
        if not self.editing or self.saving or self.session is None:
            return
        values = self.pending()
        if not values:
            self.cancel_editing()
            return
        self.saving = True
        self._buttons()
        ops.save_record(self.session, int(self.info["id"]), dict(values),
                        on_done=self._saved, on_error=self._failed)

    def _saved(self, changes: Any) -> None:
        self.saving = False
        if not (isinstance(changes, Changes) and changes.records):
            self.cancel_editing()  # nothing changed (the same value, written another way)
        else:
            self._buttons()  # the viewer reloads from the Changes and ends editing

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self._buttons()
        if isinstance(exc, UserError):
            self.error.setText(exc.message + (f" — {exc.hint}" if exc.hint else ""))
            self.error.show()
        elif self.session is not None:
            self.session.presenter.show(exc, "save the record")

    # --- drawing ----------------------------------------------------------------------------

    def _buttons(self) -> None:
        can_edit = bool(self.info) and self.session is not None
        self.edit_button.setVisible(can_edit and not self.editing)
        self.save_button.setVisible(self.editing)
        self.cancel_button.setVisible(self.editing)
        self.save_button.setEnabled(not self.saving)
        self.cancel_button.setEnabled(not self.saving)

    def _build(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.values, self.edits, self.captured = {}, {}, {}
        self._buttons()
        if not self.info:
            return
        rec = self.info.get("collection_record") or {}
        record = self.info.get("record") or {}
        for label, get in FIELDS:
            key = EDITABLE.get(label)
            entry = record.get(key) if key else None
            value = entry.get("value") if entry is not None else get(self.info, rec)
            if entry is not None and self.editing:
                field = self._edit_field(label, key or "", value, entry)
            elif value in (None, "", []):
                continue
            elif label in LINK_FIELDS:
                field = self._links_field(label, value)
                self.values[label] = "\n".join(e.text for e in value)
            else:
                field = self._display_field(label, shown_value(key, value))
                if entry is not None and entry.get("corrected"):
                    field = self._with_captured(field, key or "", entry)
            if value not in (None, "", []) and label not in LINK_FIELDS:
                self.values[label] = shown_value(key, value)
            key_label = QLabel(label)
            key_label.setObjectName("secondary")
            self.form.addRow(key_label, field)

    def _display_field(self, label: str, text: str) -> QWidget:
        field: QWidget
        if label == "SHA-256":  # every digit shown, in lines of even groups, copies whole
            field = HashField(text)
        elif label in UNBREAKABLE:  # paths, URLs: one line, scrolls, copies whole
            line = QLineEdit(text)
            line.setReadOnly(True)
            line.setCursorPosition(0)
            line.setObjectName("recordLine")
            line.setToolTip(text)
            field = line
        else:
            lab = QLabel(text)
            lab.setTextFormat(Qt.TextFormat.PlainText)  # "Name <a@b.org>", a title with "<"
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field = lab
        field.setAccessibleName(label)
        return field

    def _links_field(self, label: str, entries: list[Entry]) -> QLabel:
        """One line per entry, its document's link first; plain while editing (a click then
        would leave the fields being typed)."""
        lab = LinksLabel()
        lab.setWordWrap(True)
        if self.editing:
            lab.setTextFormat(Qt.TextFormat.PlainText)
            lab.setText("\n".join(e.text for e in entries))
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        else:
            lab.setTextFormat(Qt.TextFormat.RichText)
            lab.setText("<br>".join(e.rich() for e in entries))
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            lab.linkActivated.connect(self._open_link)
            lab.setToolTip("Opens the document")
        lab.setAccessibleName(label)
        return lab

    def _open_link(self, href: str) -> None:
        if href.startswith("doc:") and href[4:].isdigit() and not self.editing:
            self.open_requested.emit(int(href[4:]))

    def _with_captured(self, field: QWidget, key: str, entry: dict[str, Any],
                       extra: QWidget | None = None) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        note = QLabel(captured_text(entry, key))
        note.setObjectName("secondary")
        note.setWordWrap(True)
        note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        note.setAccessibleName(f"Captured {EDITABLE_LABELS[key].lower()}")
        self.captured[key] = note
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(note, 1)
        if extra is not None:
            row.addWidget(extra)
        column.addLayout(row)
        return box

    def _edit_field(self, label: str, key: str, value: Any, entry: dict[str, Any]) -> QWidget:
        line = QLineEdit("" if value is None else str(value))
        line.setAccessibleName(label)
        line.setObjectName("recordEdit")
        line.setPlaceholderText(PLACEHOLDERS.get(key, ""))
        line.setCursorPosition(0)
        line.returnPressed.connect(self.save)
        self.edits[key] = line
        if not entry.get("corrected"):
            return line
        captured = entry.get("captured")
        back = QToolButton(text="Use captured")
        back.setAccessibleName(f"Use captured {label.lower()}")
        back.setToolTip("Put back the value as captured (saved with the rest)")
        back.clicked.connect(lambda _=False, ln=line, v=captured: ln.setText(v or ""))
        return self._with_captured(line, key, entry, back)

