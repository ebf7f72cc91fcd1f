"""Highlights in the viewer: paint them in tag colours, create (H), edit by click, list orphans.

``HighlightController`` hooks into ``DocumentViewer``: it loads the document's highlights and the
tag list on the worker with the text, paints them, adds a "Highlights" tab (anchored highlights,
draggable into a dossier; orphans with their candidate to accept or discard), and runs the
dialogs. Every change is an operation in ``operations/highlights.py``.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..dialogs.confirm import confirm
from ..dialogs.highlight_dialog import HighlightDialog
from ..operations import highlights as ops
from ..search.delegate import HTML_ROLE, RichDelegate
from ..session import Session
from .text_view import Painted
from .viewer import DocumentViewer

HIGHLIGHT_MIME = "application/x-workbench-highlights"
DEFAULT_COLOR = "#f5d742"


class HighlightList(QListWidget):
    """Drag source: carries highlight ids so the dossier builder can take them."""

    def mimeData(self, items: Any) -> QMimeData:
        mime = QMimeData()
        ids = [str(i.data(Qt.ItemDataRole.UserRole)) for i in items
               if i.data(Qt.ItemDataRole.UserRole)]
        mime.setData(HIGHLIGHT_MIME, ",".join(ids).encode())
        return mime

    def mimeTypes(self) -> list[str]:
        return [HIGHLIGHT_MIME]


class HighlightsPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = HighlightList()
        self.list.setAccessibleName("Highlights in this document")
        self.list.setWordWrap(True)
        self.list.setItemDelegate(RichDelegate(self.list))
        self.list.setSpacing(2)
        self.list.setDragEnabled(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.orphans = QListWidget()
        self.orphans.setAccessibleName("Orphaned highlights")
        self.orphans.setWordWrap(True)
        self.orphan_label = QLabel("Orphaned highlights — the text changed and these could not "
                                   "be placed. Accept the suggested passage or discard.")
        self.orphan_label.setWordWrap(True)
        self.orphan_label.setObjectName("secondary")
        self.accept_button = QPushButton("Accept candidate")
        self.discard_button = QPushButton("Discard")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.accept_button)
        row.addWidget(self.discard_button)
        self.empty = QLabel("No highlights yet. Select text in the Text tab and press H.")
        self.empty.setObjectName("emptyHint")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 3)
        layout.addWidget(self.orphan_label)
        layout.addWidget(self.orphans, 1)
        layout.addLayout(row)

    def set_items(self, highlights: list[dict[str, Any]],
                  colors: dict[str, str] | None = None) -> None:
        colors = colors or {}
        self.list.clear()
        self.orphans.clear()
        for h in highlights:
            quote = h["quote"] if len(h["quote"]) < 220 else h["quote"][:220] + "…"
            tags = ", ".join(h.get("tags") or [])
            if h["status"] == "orphan":
                cand = h.get("candidate") or {}
                text = f"“{quote}”"
                text += (f"\n→ candidate ({cand.get('method', '')}, score "
                         f"{cand.get('score', 0):.2f}): “{cand.get('quote', '')[:200]}”"
                         if cand else "\n→ no candidate found")
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, h["id"])
                self.orphans.addItem(item)
                continue
            page = f"p. {h['page']} · " if h.get("page") else ""
            text = f"“{quote}”\n{page}{tags or 'no tags'}" + (f"\n✎ {h['note']}" if h["note"]
                                                             else "")
            item = QListWidgetItem()
            item.setData(HTML_ROLE, _highlight_html(h, quote, colors))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            item.setData(Qt.ItemDataRole.UserRole, h["id"])
            item.setToolTip("Drag into a dossier, double-click to show it in the text")
            self.list.addItem(item)
        has_orphans = self.orphans.count() > 0
        for w in (self.orphans, self.orphan_label, self.accept_button, self.discard_button):
            w.setVisible(has_orphans)
        self.empty.setVisible(not highlights)
        self.list.setVisible(self.list.count() > 0 or not has_orphans)


def _highlight_html(h: dict[str, Any], quote: str, colors: dict[str, str]) -> str:
    chips = " ".join(
        f"<span style='background-color:{colors.get(t, DEFAULT_COLOR)}; color:#111;'>"
        f"&nbsp;{html.escape(t)}&nbsp;</span>" for t in h.get("tags") or [])
    page = f"p. {h['page']}" if h.get("page") else ""
    out = (f"<div>“{html.escape(quote)}”</div>"
           f"<div style='margin-top:3px'><span style='color:#7a8594'>{page}</span>&nbsp; "
           f"{chips or '<i>no tags</i>'}</div>")
    if h.get("note"):
        out += f"<div style='margin-top:3px; color:#5f6b7a'>✎ {html.escape(h['note'])}</div>"
    return out


class HighlightController:
    def __init__(self, session: Session, viewer: DocumentViewer) -> None:
        self.session = session
        self.viewer = viewer
        self.highlights: list[dict[str, Any]] = []
        self.tags: list[dict[str, Any]] = []
        self.dialog: HighlightDialog | None = None
        self.pane = HighlightsPane()
        viewer.tabs.insertTab(1, self.pane, "Highlights")
        viewer.extra_loaders.append(ops.load_for_document)
        viewer.on_extras.append(self.apply)
        viewer.text.highlight_clicked.connect(self.edit)
        self.pane.list.itemDoubleClicked.connect(self._show_in_text)
        self.pane.accept_button.clicked.connect(lambda: self._orphan(ops.accept_candidate))
        self.pane.discard_button.clicked.connect(lambda: self._orphan(ops.discard_orphan))

    # --- showing --------------------------------------------------------------------------------

    def apply(self, data: dict[str, Any]) -> None:
        self.highlights, self.tags = data["highlights"], data["tags"]
        colors = {t["path"]: t.get("color") for t in self.tags}
        painted = []
        for h in self.highlights:
            if h["status"] != "anchored":
                continue
            tag_color = next((colors[p] for p in h.get("tags") or [] if colors.get(p)), None)
            label = ", ".join(h.get("tags") or []) + (f" — {h['note']}" if h["note"] else "")
            painted.append(Painted(h["id"], h["start"], h["end"],
                                   tag_color or h.get("color") or DEFAULT_COLOR, label))
        self.viewer.text.set_highlights(painted)
        self.pane.set_items(self.highlights, {k: v for k, v in colors.items() if v})
        n = len(self.highlights)
        self.viewer.tabs.setTabText(self.viewer.tabs.indexOf(self.pane),
                                    f"Highlights ({n})" if n else "Highlights")

    def _show_in_text(self, item: QListWidgetItem) -> None:
        h = self._find(int(item.data(Qt.ItemDataRole.UserRole)))
        if h is not None:
            # On the PDF page too, where Qt's text positions find the quote's first words
            # (a whole quote often spans line breaks the page text does not have).
            self.viewer.original.locate(" ".join(h["quote"].split()[:5]), h.get("page"))
            self.viewer.tabs.setCurrentIndex(0)
            self.viewer.text.select_range(h["start"], h["end"])
            self.viewer.text.centerCursor()

    # --- creating and editing -----------------------------------------------------------------

    def highlight_selection(self) -> bool:
        doc_id = self.viewer.doc_id
        rng = self.viewer.text.selected_range()
        if doc_id is None or rng is None:
            return False
        start, end = rng
        quote = self.viewer.text_info.text[start:end] if self.viewer.text_info else ""
        self.dialog = HighlightDialog(quote, self.tags, parent=self.viewer.window())
        dialog = self.dialog
        dialog.accepted.connect(lambda: ops.add_highlight(
            self.session, doc_id, start, end, dialog.chosen_tags(), dialog.note_text()))
        dialog.open()
        return True

    def edit(self, highlight_id: int) -> None:
        h = self._find(highlight_id)
        if h is None:
            return
        self.dialog = HighlightDialog(h["quote"], self.tags, h.get("tags") or [], h["note"],
                                      editing=True, parent=self.viewer.window())
        dialog = self.dialog
        dialog.finished.connect(lambda code: self._edited(h, dialog, code))
        dialog.open()

    def _edited(self, h: dict[str, Any], dialog: HighlightDialog, code: int) -> None:
        if code == HighlightDialog.DELETE:
            if confirm(self.viewer, "Delete highlight",
                       "Delete this highlight? Dossier exhibits made from it keep a copy of "
                       "the quote."):
                ops.delete_highlight(self.session, h["id"])
        elif code == 1:
            ops.edit_highlight(self.session, h["id"], dialog.chosen_tags(), dialog.note_text())

    def _orphan(self, op: Any) -> None:
        item = self.pane.orphans.currentItem()
        if item is not None:
            op(self.session, int(item.data(Qt.ItemDataRole.UserRole)))

    def _find(self, highlight_id: int) -> dict[str, Any] | None:
        return next((h for h in self.highlights if h["id"] == highlight_id), None)

    def selected_highlight_ids(self) -> list[int]:
        return [int(i.data(Qt.ItemDataRole.UserRole)) for i in self.pane.list.selectedItems()]
