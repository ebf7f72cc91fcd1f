"""The collection record: where and how a document was collected, and its SHA-256."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QScrollArea, QWidget


def _time(value: Any) -> str | None:
    """ISO time to the second, UTC said plainly (the stored value keeps full precision)."""
    if not value:
        return None
    text = str(value).replace("T", " ")
    return text[:19] + " UTC" if text.endswith("Z") else text[:19]


UNBREAKABLE = {"SHA-256", "Source URL", "Final URL", "Original file"}

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
    ("Original file", lambda d, r: r.get("original_path") or d.get("original_filename")),
    ("Media type", lambda d, r: d.get("media_type")),
    ("Size", lambda d, r: f"{d.get('size'):,} bytes" if isinstance(d.get("size"), int) else ""),
    ("Pages", lambda d, r: d.get("pages")),
    ("Language", lambda d, r: d.get("language")),
    ("Author", lambda d, r: d.get("author")),
    ("Site", lambda d, r: d.get("site")),
    ("Published", lambda d, r: d.get("published")),
    ("Collections", lambda d, r: ", ".join(d.get("collections") or [])),
    ("Text layers", lambda d, r: "; ".join(
        f"v{t['version']} {t['extractor']} ({t['method']}, {t['characters']:,} chars)"
        for t in d.get("text_layers") or [])),
    ("Problems", lambda d, r: "; ".join(d.get("problems") or [])),
]


class RecordView(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Collection record")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inner = QWidget()
        self.form = QFormLayout(self.inner)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setContentsMargins(16, 16, 16, 16)
        self.form.setVerticalSpacing(8)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.setWidget(self.inner)
        self.values: dict[str, str] = {}

    def set_document(self, info: dict[str, Any]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        rec = info.get("collection_record") or {}
        self.values = {}
        for label, get in FIELDS:
            value = get(info, rec)
            if value in (None, "", []):
                continue
            text = str(value)
            self.values[label] = text
            field: QWidget
            if label in UNBREAKABLE:  # hashes, paths, URLs: one line, scrolls, copies whole
                line = QLineEdit(text)
                line.setReadOnly(True)
                line.setCursorPosition(0)
                line.setObjectName("mono" if label == "SHA-256" else "recordLine")
                line.setToolTip(text)
                field = line
            else:
                lab = QLabel(text)
                lab.setWordWrap(True)
                lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                field = lab
            field.setAccessibleName(label)
            key = QLabel(label)
            key.setObjectName("secondary")
            self.form.addRow(key, field)
