"""The exhibit list: reorder by drag, take highlights and documents dropped from elsewhere.

Drops are reported as wishes (``reordered``, ``dropped``); the builder turns them into
operations and redraws from the core's answer, so the numbering shown is always the core's.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from .. import theme
from ..actions import VIEW_KEYS
from ..quoting import quote_marks
from ..search.delegate import HTML_ROLE, RichDelegate
from .facsimile_row import pages_text

HIGHLIGHT_MIME = "application/x-workbench-highlights"
DOCUMENT_MIME = "application/x-workbench-documents"
ITEM_ID = Qt.ItemDataRole.UserRole
SECTION = Qt.ItemDataRole.UserRole + 1  # the section's id (None: before any section)
SECTION_TITLE = Qt.ItemDataRole.UserRole + 2


# The mark exactly as the exports print it ("[REDACTED: witness safety]"), never the private
# reason; no padding spaces, which put a space before the punctuation after it.
BAR = "<span style='background-color:{ink}; color:{paper}'>{mark}</span>"


REDACTION_INK, REDACTION_PAPER = "#000000", "#ffffff"
DARK_THEME_INK = "#454c59"  # a black bar would vanish into the dark page


def redaction_colors() -> tuple[str, str]:
    """(bar, text on it): a dark bar with white text, as every export prints it.

    Black on the light theme; in the dark theme a slate bar that stands out from the page.
    Never a light bar: in the dark theme the theme's text colour made a white bar with dark
    text, which looked like a highlight (a bright mark with dark text).
    """
    return (DARK_THEME_INK if theme.is_dark() else REDACTION_INK), REDACTION_PAPER


PREVIEW_CHARS = 300


def segments_html(segments: list[tuple[str, str | None]], limit: int = PREVIEW_CHARS) -> str:
    """Plain text and redaction marks (black bars reading the printed mark, the second of each
    pair), cut after ``limit`` chars."""
    out, used = [], 0
    ink, paper = redaction_colors()
    for text, mark in segments:
        if used >= limit:
            out.append("…")
            break
        if mark is not None:
            out.append(BAR.format(mark=html.escape(mark), ink=ink, paper=paper))
            used += len(mark)
            continue
        if used + len(text) > limit:
            out.append(html.escape(text[:limit - used]) + "…")
            break
        out.append(html.escape(text))
        used += len(text)
    return "".join(out)


def _trimmed(segments: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """The segments without the excerpt's outer white space: a whole document ends with a line
    break, which the preview would show as a space before the closing quote (``city. ”``)."""
    out = list(segments)
    if out and out[0][1] is None:
        out[0] = (out[0][0].lstrip(), None)
    if out and out[-1][1] is None:
        out[-1] = (out[-1][0].rstrip(), None)
    return out


def _body(entry: dict[str, Any]) -> str:
    if "body" in entry:  # as every export prints it, redactions included
        return segments_html(_trimmed(entry["body"]))
    text = (entry.get("text") or "").strip()
    return html.escape(text if len(text) < PREVIEW_CHARS else text[:PREVIEW_CHARS] + "…")


def _quoted(text_html: str) -> str:
    """The quote between curly quotation marks, isolated (FSI … PDI): a right-to-left quote
    (Uyghur, Arabic) would otherwise pull the marks into its run, drawn on the wrong sides.
    Its paragraph is also set left-to-right (``dir='ltr'``), as the window reads: Qt takes a
    paragraph's direction from its first strong letter even inside an isolate, which drew
    the opening mark at the right end and right-aligned the row. A mark is added only where
    the passage has none of its own (``quoting``): one that began and ended with its own
    quotation marks was shown “”…””. (A redaction bar at an end is a tag, not a mark.)"""
    text_html = text_html.strip()  # a passage selected with a space at its end: “… ”
    start, end = quote_marks(html.unescape(text_html))
    return f"{start}\u2068{text_html}\u2069{end}"


def chronology_html(entry: dict[str, Any]) -> str:
    """A chronology section: its title, which events its table shows and how many it lists
    now (``events_shown``, from the builder's load): an empty one says so rather than
    reading as if it held every event."""
    spec = entry.get("chronology") or {}
    which = [f"tagged {', '.join(map(str, spec['tags']))}" if spec.get("tags") else "",
             "about one entity" if spec.get("entity_id") else "",
             "in one collection" if spec.get("collection_id") else ""]
    scope = "; ".join(w for w in which if w) or "every event"
    count = entry.get("events_shown")
    if count == 0:
        now = (" — <span style='color:#7a8594'>no events yet: they are listed here as they "
               f"are added in the Chronology ({VIEW_KEYS['chronology']})</span>")
    elif isinstance(count, int):
        now = f" — {count:,} event{'s' if count != 1 else ''}"
    else:
        now = ""
    return (f"<div><span style='font-weight:700; color:#2f6fde'>"
            f"{html.escape(str(spec.get('title') or 'Chronology'))}</span></div>"
            f"<div style='margin-top:3px'>Table of events in date order: "
            f"{html.escape(scope)}{now}</div>")


def item_html(entry: dict[str, Any]) -> str:
    if entry["kind"] == "chronology":
        return chronology_html(entry)
    label = html.escape(entry.get("label") or "")
    text = _body(entry)
    src = entry.get("source") or {}
    meta = []
    if entry["kind"] == "note":
        label = label or "Note"
    title = entry.get("source_shown") if "source_shown" in entry else src.get("title")
    if title:  # isolated: a right-to-left title keeps its own full stop (as ui/entities)
        meta.append(f"\u2068{html.escape(title)}\u2069")
    if entry.get("page"):
        meta.append(f"p. {entry['page']}")
    if entry.get("facsimile") and entry["kind"] != "note":
        # Exported also as the source's own pages: which ones, as the export will show them.
        pages = str(entry.get("facsimile_pages") or "")
        meta.append(html.escape(f"original {pages_text(pages)}" if pages else "original pages"))
    if entry.get("missing"):
        bad = theme.tone("bad")
        meta.append(f"<span style='color:{bad}'>source deleted — quote kept</span>")
    out = (f"<div><span style='font-weight:700; color:#2f6fde'>{label}</span>"
           f"&nbsp;&nbsp;<span style='color:#7a8594; font-size:90%'>{' · '.join(meta)}</span></div>"
           + (f"<div dir='ltr' style='margin-top:3px'>{_quoted(text)}"
              if entry["kind"] != "note" else f"<div style='margin-top:3px'>{text}")
           + "</div>")
    commentary = (segments_html(entry["commentary_shown"], 10_000)
                  if "commentary_shown" in entry else html.escape(entry.get("commentary") or ""))
    if commentary:
        out += f"<div style='margin-top:4px; color:#5f6b7a'><i>{commentary}</i></div>"
    return out


def section_html(title: str, empty: bool) -> str:
    hint = ("&nbsp;&nbsp;<span style='color:#7a8594; font-weight:400; font-size:90%'>"
            "empty — drag exhibits here</span>") if empty else ""
    return f"<div style='font-weight:700; font-size:110%'>{html.escape(title)}{hint}</div>"


class ExhibitList(QListWidget):
    reordered = Signal(int, int, object)  # item id, 1-based position in section, section
    dropped = Signal(list, list, int)  # highlight ids, document ids, 1-based global position
    rename_requested = Signal()  # F2 on a section heading or an item in a section

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Dossier exhibits")
        self.setItemDelegate(RichDelegate(self))
        self.setWordWrap(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setAcceptDrops(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setSpacing(2)

    def set_entries(self, entries: list[dict[str, Any]],
                    layout: list[dict[str, Any]] | None = None) -> None:
        """Sections (empty ones too) and their items; SECTION holds the section's id."""
        self.clear()
        by_id = {e["id"]: e for e in entries}
        if layout is None:  # no view: group by the entries' section names
            layout = []
            for e in entries:
                if not layout or layout[-1]["title"] != e.get("section"):
                    layout.append({"id": e.get("section"), "title": e.get("section"),
                                   "items": []})
                layout[-1]["items"].append(e["id"])
        for sec in layout:
            if sec["id"] is not None:
                head = QListWidgetItem()
                head.setData(HTML_ROLE, section_html(sec["title"] or "", not sec["items"]))
                head.setData(SECTION, sec["id"])
                head.setData(SECTION_TITLE, sec.get("raw_title") or sec["title"])
                head.setData(Qt.ItemDataRole.AccessibleTextRole, f"Section {sec['title']}")
                head.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsDropEnabled)
                self.addItem(head)
            for item_id in sec["items"]:
                if item_id in by_id:
                    self._add_entry(by_id[item_id], sec["id"])

    def _add_entry(self, e: dict[str, Any], section: Any) -> None:
        item = QListWidgetItem()
        item.setData(HTML_ROLE, item_html(e))
        item.setData(ITEM_ID, e["id"])
        item.setData(SECTION, section)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, e.get("label") or e["kind"])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                      | Qt.ItemFlag.ItemIsDragEnabled)
        self.addItem(item)

    def current_section(self) -> tuple[int | None, str | None]:
        """The section of the selected row (a heading or an item in it): (id, title)."""
        item = self.currentItem()
        if item is None or item.data(SECTION) is None:
            return None, None
        sid = item.data(SECTION)
        for i in range(self.count()):
            head = self.item(i)
            if not head.data(ITEM_ID) and head.data(SECTION) == sid:
                return sid, head.data(SECTION_TITLE)
        return sid, None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() == Qt.Key.Key_F2 and item is not None and item.data(SECTION) is not None:
            self.rename_requested.emit()
            return
        super().keyPressEvent(event)

    def select_item(self, item_id: int) -> bool:
        """Makes the exhibit ``item_id`` the current row; False when it is not listed."""
        for i in range(self.count()):
            if self.item(i).data(ITEM_ID) == item_id:
                self.setCurrentRow(i)
                self.scrollToItem(self.item(i))
                return True
        return False

    def entry_ids(self) -> list[int]:
        return [int(self.item(i).data(ITEM_ID)) for i in range(self.count())
                if self.item(i).data(ITEM_ID)]

    # --- drops --------------------------------------------------------------------------------

    def _external(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        mime = event.mimeData()
        return mime.hasFormat(HIGHLIGHT_MIME) or mime.hasFormat(DOCUMENT_MIME)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._external(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._external(event):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        row = self.indexAt(event.position().toPoint()).row()
        if self._external(event):
            mime = event.mimeData()
            hl = _ids(bytes(mime.data(HIGHLIGHT_MIME).data()))
            docs = _ids(bytes(mime.data(DOCUMENT_MIME).data()))
            event.acceptProposedAction()
            self.dropped.emit(hl, docs, 0 if row < 0 else row)
            return
        moving = self.currentItem()
        if moving is None or not moving.data(ITEM_ID):
            event.ignore()
            return
        target = row if row >= 0 else self.count()
        if 0 <= row < self.count() and not self.item(row).data(ITEM_ID):
            target = row + 1  # dropped on a section heading: first in that section
        event.ignore()  # the core re-orders; the list is redrawn from its answer
        self.request_move(int(moving.data(ITEM_ID)), target)

    def request_move(self, item_id: int, target_row: int) -> None:
        """Moves ``item_id`` to sit before list row ``target_row`` (tests call this directly)."""
        rows = [self.item(i) for i in range(self.count())]
        source = next(i for i, it in enumerate(rows) if it.data(ITEM_ID) == item_id)
        moved = rows.pop(source)
        if target_row > source:
            target_row -= 1
        rows.insert(target_row, moved)
        section, pos = None, 0
        for it in rows:
            if not it.data(ITEM_ID):
                section, pos = it.data(SECTION), 0
                continue
            pos += 1
            if it is moved:
                break
        same = moved.data(SECTION) == section
        self.reordered.emit(item_id, max(pos, 1), None if same else section)


def _ids(raw: bytes) -> list[int]:
    return [int(x) for x in raw.decode().split(",") if x.strip().isdigit()]
