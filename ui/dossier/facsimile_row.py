"""The builder's "Show as original pages" row for the selected exhibit, and how an area rule
reads in its redactions list.

A check box switches the exhibit's facsimile on or off; the pages field (``3-4,7``) chooses
its pages, empty for the default (the pages the highlight spans, or every page of a
document), which the field shows as its placeholder. Changes go to the core at once (toggling,
or Enter / leaving the field); a refused page list is reported and the row shows the item's
stored state again on the reload that follows every change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QSizePolicy, QWidget


class FacsimileRow(QWidget):
    def __init__(self, apply: Callable[[int, bool, str | None], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._apply = apply
        self._item: int | None = None
        self._shown: tuple[bool, str] = (False, "")
        self.check = QCheckBox("Show as original pages")
        self.check.setToolTip("Export this exhibit also as its source's own pages: stamped, "
                              "the passage marked, redactions burnt in")
        self.pages = QLineEdit()
        self.pages.setAccessibleName("Original pages")
        self.pages.setToolTip("Which pages of the source to show, e.g. 3-4,7; empty: the pages "
                              "the passage spans (every page, for a whole document)")
        # Wide enough for its placeholder ("default: pages 12-14"), which was cut short.
        self.pages.setMinimumWidth(self.pages.fontMetrics().horizontalAdvance(
            "default: pages 12-14") + 24)
        self.pages.setMaximumWidth(220)
        self.check.toggled.connect(self._toggled)
        self.pages.editingFinished.connect(self._pages_edited)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.pages)
        layout.addStretch(1)
        # As wide as it needs and no wider: in the builder it shares a wrapping row with the
        # exhibit's other options ("List corroborating sources").
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.show_entry(None)

    def show_entry(self, entry: dict[str, Any] | None) -> None:
        """Show the selected item's state (None or a note: nothing to choose)."""
        exhibit = entry is not None and entry.get("kind") != "note"
        self._item = int(entry["id"]) if exhibit and entry else None
        on = bool(exhibit and entry and entry.get("facsimile"))
        chosen = "" if not on or not entry or entry.get("facsimile_pages_default") \
            else str(entry.get("facsimile_pages") or "")
        default = entry.get("facsimile_pages") if on and entry else None
        self._shown = (on, chosen)
        self.check.blockSignals(True)
        self.check.setChecked(on)
        self.check.blockSignals(False)
        self.check.setEnabled(exhibit)
        self.pages.setText(chosen)
        self.pages.setEnabled(on)
        self.pages.setPlaceholderText(f"default: {pages_text(default)}" if default else
                                      "pages, e.g. 3-4,7")

    def _toggled(self, on: bool) -> None:
        self.pages.setEnabled(on)
        self._send(on, self.pages.text().strip() if on else "")

    def _pages_edited(self) -> None:
        if self.check.isChecked():
            self._send(True, self.pages.text().strip())

    def _send(self, on: bool, pages: str) -> None:
        if self._item is None or (on, pages) == self._shown:
            return
        self._shown = (on, pages)
        self._apply(self._item, on, pages or None)


def pages_text(pages: str) -> str:
    """"page 3" or "pages 3-4,7": a page list as the builder reads it out."""
    return f"page {pages}" if pages.strip().isdigit() else f"pages {pages}"


def redaction_text(rule: dict[str, Any], where: str) -> str:
    """A redactions-list row: what is hidden, what the export prints, and the private
    reason (shown here only). An area rule names its document, page and rectangle."""
    area = rule.get("area")
    if area:
        rect = ", ".join(f"{v:g}" for v in area.get("rect", []))
        what = f"area on page {area.get('page')} of document {area.get('document_id')} [{rect}]"
    else:
        what = rule.get("text", "")
    return f"█ {what} → {rule.get('mark', '')}{where} — reason: {rule.get('reason', '')}"
