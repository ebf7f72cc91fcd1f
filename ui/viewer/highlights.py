"""Highlights in the viewer: paint them in tag colours, create (H), edit by click, list orphans.

``HighlightController`` hooks into ``DocumentViewer``: it loads the document's highlights and the
tag list on the worker with the text, paints them, adds a "Highlights" tab (anchored highlights,
draggable into a dossier, edited by double-click, re-tagged or deleted from a context menu or
the Delete key; orphans with their candidate to accept or discard), and runs the dialogs.
Every change is an operation in ``operations/highlights.py``. The colour painted is the one
the core says a reader sees (``display_color``: the first tag's).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..delete_key import claim_delete_key
from ..dialogs.confirm import confirm
from ..dialogs.highlight_dialog import HighlightDialog
from ..operations import codebook as codebook_ops
from ..operations import highlights as ops
from ..quoting import quoted
from ..search.delegate import HTML_ROLE, RichDelegate
from ..session import Session
from ..tab_order import follow_layout
from .page_highlights import PageHighlights, list_item
from .text_view import Painted
from .viewer import DocumentViewer

HIGHLIGHT_MIME = "application/x-workbench-highlights"
DEFAULT_COLOR = "#f5d742"


class HighlightList(QListWidget):
    """Drag source: carries highlight ids so the dossier builder can take them. Enter shows the
    current highlight in the text (Delete asks to delete it: ``claim_delete_key``)."""

    enter_pressed = Signal()

    def focusInEvent(self, event: QFocusEvent) -> None:
        # Tabbed into, the list makes its first highlight current (Qt does, and the links box
        # and "New event from highlight…" follow it) but did not show it: it is chosen
        # visibly, so Down goes to the next one rather than skipping an unseen first.
        super().focusInEvent(event)
        item = self.currentItem()
        if event.reason() != Qt.FocusReason.MouseFocusReason and item is not None \
                and not self.selectedItems():
            item.setSelected(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.currentItem() is not None and event.key() in (Qt.Key.Key_Return,
                                                               Qt.Key.Key_Enter):
            self.enter_pressed.emit()
            return
        super().keyPressEvent(event)

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
        self.empty = QLabel("No highlights yet. Select text in the Text tab, or on the page in "
                            "the Original tab, and press H.")
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
                text = quoted(quote)
                text += (f"\n→ candidate ({cand.get('method', '')}, score "
                         f"{cand.get('score', 0):.2f}): {quoted(cand.get('quote', '')[:200])}"
                         if cand else "\n→ no candidate found")
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, h["id"])
                self.orphans.addItem(item)
                continue
            page = f"p. {h['page']} · " if h.get("page") else ""
            text = f"{quoted(quote)}\n{page}{tags or 'no tags'}" + (f"\n✎ {h['note']}" if h["note"]
                                                             else "")
            item = QListWidgetItem()
            item.setData(HTML_ROLE, _highlight_html(h, quote, colors))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            item.setData(Qt.ItemDataRole.UserRole, h["id"])
            item.setToolTip("Double-click to edit; Enter shows it in the text; drag it into "
                            "a dossier; right-click for more")
            self.list.addItem(item)
        has_orphans = self.orphans.count() > 0
        for w in (self.orphans, self.orphan_label, self.accept_button, self.discard_button):
            w.setVisible(has_orphans)
        self.empty.setVisible(not highlights)
        # An empty list would sit as a blank box under the "No highlights yet" hint.
        self.list.setVisible(self.list.count() > 0)


def _highlight_html(h: dict[str, Any], quote: str, colors: dict[str, str]) -> str:
    # Page and note take the row's own text colour (no fixed grey): it follows the theme and
    # the selection, where a fixed grey read grey-on-blue in the dark theme.
    chips = " ".join(
        f"<span style='background-color:{colors.get(t, DEFAULT_COLOR)}; color:#111;'>"
        f"&nbsp;{html.escape(t)}&nbsp;</span>" for t in h.get("tags") or [])
    page = f"p. {h['page']}" if h.get("page") else ""
    out = (f"<div>{html.escape(quoted(quote))}</div>"
           f"<div style='margin-top:3px'><small>{page}</small>&nbsp; "
           f"{chips or '<i>no tags</i>'}</div>")
    if h.get("note"):
        out += f"<div style='margin-top:3px'><i>✎ {html.escape(h['note'])}</i></div>"
    return out


class HighlightController:
    def __init__(self, session: Session, viewer: DocumentViewer) -> None:
        self.session = session
        self.viewer = viewer
        self.highlights: list[dict[str, Any]] = []
        self.tags: list[dict[str, Any]] = []
        self.dialog: HighlightDialog | None = None
        # The open dossier, when there is one (set by the window once the builder exists).
        self.current_dossier: Callable[[], int | None] = lambda: None
        # Other features' entries in the list's context menu: hook(menu, highlight id).
        self.menu_hooks: list[Callable[[QMenu, int], None]] = []
        self.last_menu: QMenu | None = None  # the context menu last shown (tests look at it)
        self._made: int | None = None  # a highlight just made: current once it is listed
        self.pane = HighlightsPane()
        viewer.tabs.insertTab(1, self.pane, "Highlights")
        # Tab from the tab bar goes into the list (made after the reminder bar and the other
        # pages, it came after them, or never: a highlight could only be picked with the mouse)
        follow_layout(self.pane, after=viewer.tabs.tabBar())
        viewer.extra_loaders.append(ops.load_for_document)
        viewer.on_extras.append(self.apply)
        viewer.text.highlight_clicked.connect(self.edit)
        hl = self.pane.list
        hl.itemDoubleClicked.connect(lambda item: self.edit(_item_id(item)))
        hl.enter_pressed.connect(lambda: self._show_in_text(hl.currentItem()))
        claim_delete_key(hl, lambda: self.delete(_item_id(hl.currentItem())))
        hl.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hl.customContextMenuRequested.connect(self._list_menu)
        self.pane.accept_button.clicked.connect(lambda: self._orphan(ops.accept_candidate))
        self.pane.discard_button.clicked.connect(lambda: self._orphan(ops.discard_orphan))
        self.page = PageHighlights(self)  # painted on the Original tab's pages, made there too

    # --- showing --------------------------------------------------------------------------------

    def apply(self, data: dict[str, Any]) -> None:
        self.highlights, self.tags = data["highlights"], data["tags"]
        colors = {t["path"]: t.get("color") for t in self.tags}
        painted = []
        for h in self.highlights:
            if h["status"] != "anchored":
                continue
            label = ", ".join(h.get("tags") or []) + (f" — {h['note']}" if h["note"] else "")
            painted.append(Painted(h["id"], h["start"], h["end"],
                                   h.get("display_color") or h.get("color") or DEFAULT_COLOR,
                                   label))
        self.viewer.text.set_highlights(painted)
        self.page.apply(self.highlights)
        self.pane.set_items(self.highlights, {k: v for k, v in colors.items() if v})
        n = len(self.highlights)
        self.viewer.tabs.setTabText(self.viewer.tabs.indexOf(self.pane),
                                    f"Highlights ({n})" if n else "Highlights")
        if self._made is not None and self._choose(self._made):
            self._made = None

    def made(self, changes: Any) -> None:
        """A highlight was just made: it becomes the list's current highlight (what its links,
        “New event from highlight…” and the other actions act on), now if the list already
        holds it, else once the reload lists it."""
        ids = list(getattr(changes, "highlight_ids", None) or [])
        if ids and not self._choose(int(ids[0])):
            self._made = int(ids[0])

    def _choose(self, highlight_id: int) -> bool:
        lst = self.pane.list
        item = list_item(lst, highlight_id)
        if item is None:
            return False
        lst.setCurrentItem(item)
        lst.scrollToItem(item)
        return True

    def current_highlight_id(self) -> int | None:
        """The list's current highlight (the one its links box shows), selected or not."""
        return _item_id(self.pane.list.currentItem())

    def _show_in_text(self, item: QListWidgetItem | None) -> None:
        h = self._find(_item_id(item))
        if h is not None:
            # On the PDF page too, where Qt's text positions find the quote's first words
            # (a whole quote often spans line breaks the page text does not have).
            self.viewer.original.locate(" ".join(h["quote"].split()[:5]), h.get("page"))
            self.viewer.tabs.setCurrentIndex(0)
            self.viewer.text.select_range(h["start"], h["end"])
            self.viewer.text.centerCursor()

    # --- creating and editing -----------------------------------------------------------------

    def highlight_selection(self) -> bool:
        if self.page.wants_key():
            return self.page.highlight()
        doc_id = self.viewer.doc_id
        rng = self.viewer.text.selected_range()
        if doc_id is None or rng is None:
            return False
        start, end = rng
        quote = self.viewer.text_info.text[start:end] if self.viewer.text_info else ""
        self.dialog = HighlightDialog(quote, self.tags, parent=self.viewer.window())
        dialog = self.dialog
        dialog.accepted.connect(lambda: ops.add_highlight(
            self.session, doc_id, start, end, dialog.chosen_tags(), dialog.note_text(),
            self.made))
        dialog.open()
        return True

    def edit(self, highlight_id: int | None) -> None:
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
            self.delete(h["id"])
        elif code == 1:
            from ..conflicts import on_conflict

            hid, tags, note, seen = h["id"], dialog.chosen_tags(), dialog.note_text(), \
                h.get("version")
            ops.edit_highlight(self.session, hid, tags, note, expected_version=seen,
                               on_error=on_conflict(
                                   self.viewer.window(), self.session.presenter,
                                   "change the highlight", reload=self.viewer.reload,
                                   overwrite=lambda: ops.edit_highlight(
                                       self.session, hid, tags, note, expected_version=seen,
                                       force=True)))

    def delete(self, highlight_id: int | None) -> None:
        """Asks first, saying what goes with the highlight (its place among chronology
        events' sources, its links), read on the worker thread."""
        if highlight_id is None or self._find(highlight_id) is None:
            return
        hid = highlight_id

        def work(wb: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            events = wb.list_events() if self.session.has("list_events") else []
            links = wb.highlight_links(hid) if self.session.has("highlight_links") else []
            return events, links

        def ask(found: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
            if self._find(hid) is not None and confirm(
                    self.viewer, "Delete highlight", delete_question(hid, *found)):
                ops.delete_highlight(self.session, hid)

        self.session.query(work, ask, "read what the highlight is part of")

    def add_to_dossier(self, from_note: bool) -> None:
        ids, dossier_id = self.selected_highlight_ids(), self.current_dossier()
        if not ids:
            return
        if dossier_id is None:
            win = self.viewer.window()
            if isinstance(win, QMainWindow):
                win.statusBar().showMessage(
                    "Open or create a dossier first (Dossier → New dossier…).", 5000)
            return
        codebook_ops.add_to_dossier(self.session, dossier_id, ids, from_note)

    def _list_menu(self, pos: Any) -> None:
        item = self.pane.list.itemAt(pos)
        if item is None:
            return
        self.show_menu(_item_id(item), self.pane.list.viewport().mapToGlobal(pos),
                       self.pane.list)

    def show_menu(self, hid: int | None, where: QPoint, parent: QWidget) -> None:
        """A highlight's context menu (the list's, and the page's for a highlight drawn there):
        edit, show in the text, add to the dossier, other features' entries (“New event from
        highlight…”, “Link to highlight…”), delete."""
        item = list_item(self.pane.list, hid)
        if item is None:
            return
        notes = [h["note"] for h in self.highlights
                 if h["id"] in self.selected_highlight_ids() and h["note"]]
        menu = QMenu(parent)
        menu.addAction("Edit note and tags…", lambda: self.edit(hid) if hid else None)
        menu.addAction("Show in the text", lambda: self._show_in_text(item))
        menu.addSeparator()
        dossier = menu.addAction("Add to the open dossier", lambda: self.add_to_dossier(False))
        with_note = menu.addAction("Add to the open dossier, note as commentary",
                                   lambda: self.add_to_dossier(True))
        open_dossier = self.current_dossier() is not None
        dossier.setEnabled(open_dossier)
        with_note.setEnabled(open_dossier and bool(notes))
        if self.menu_hooks and hid is not None:
            menu.addSeparator()
            for hook in self.menu_hooks:
                hook(menu, hid)
        menu.addSeparator()
        menu.addAction("Delete…", lambda: self.delete(hid))
        self.last_menu = menu
        menu.popup(where)

    def _orphan(self, op: Any) -> None:
        item = self.pane.orphans.currentItem()
        if item is not None:
            op(self.session, int(item.data(Qt.ItemDataRole.UserRole)))

    def _find(self, highlight_id: int | None) -> dict[str, Any] | None:
        return next((h for h in self.highlights if h["id"] == highlight_id), None)

    def selected_highlight_ids(self) -> list[int]:
        return [int(i.data(Qt.ItemDataRole.UserRole)) for i in self.pane.list.selectedItems()]


def delete_question(highlight_id: int, events: list[dict[str, Any]],
                    links: list[dict[str, Any]]) -> str:
    """“Delete this highlight?” with what is lost: chronology events it is the only source of
    (they stay, with no source), events it is one of the sources of, and its links."""
    only = shared = 0
    for event in events:
        sources = {int(s["highlight_id"]) for s in event.get("sources") or []}
        if highlight_id in sources:
            if len(sources) == 1:
                only += 1
            else:
                shared += 1
    parts = []
    if only:
        parts.append(f"the only source of {_n(only, 'event')} in the chronology "
                     f"(left without a source)")
    if shared:
        parts.append(f"one of the sources of {shared} more" if only else
                     f"one of the sources of {_n(shared, 'event')} in the chronology")
    lost = [f"It is {' and '.join(parts)}"] if parts else []
    if links:
        lost.append(f"{len(links)} links to other highlights go with it" if len(links) > 1
                    else "1 link to another highlight goes with it")
    said = f" {'; '.join(lost)}." if lost else ""
    return (f"Delete this highlight?{said} Dossier exhibits made from it keep a copy of the "
            "quote.")


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _item_id(item: QListWidgetItem | None) -> int | None:
    return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))
