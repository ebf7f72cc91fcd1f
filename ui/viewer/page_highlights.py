"""Highlights on the page: painted from their page geometry, made by a drag and H, chosen by a
click; and the area redaction drawn with the "Redact area…" tool.

``HighlightController`` owns one of these. A text drag is sent to the core as Qt's line
rectangles (or the dragged rectangle where Qt found no text): the core decides which characters
they take (``page_text_at`` previews that range in the dialog and selects it in the Text tab),
and ``add_page_highlight`` makes the same highlight the text view would, with its geometry.
A Shift-drag or the Region tool makes a region highlight (its quote may be empty). Clicking a
painted highlight selects it in the Highlights tab; choosing one there marks it on the page.
A right-click on one (or the menu key) opens the list's menu for it (“New event from
highlight…”, “Link to highlight…”…); Delete asks to delete the one marked, as in the list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from ..delete_key import claim_delete_key
from ..dialogs.highlight_dialog import HighlightDialog
from . import page_ops
from .page_marks import PageMark, Selection
from .page_redact import AreaRedaction

if TYPE_CHECKING:
    from .highlights import HighlightController

DEFAULT_COLOR = "#f5d742"


def selection_hint(mode: str) -> str:
    """The hint once a drag has selected text (``mode`` "text") or a region on the page."""
    what = "region" if mode == "region" else "selection"
    return f"Press H to highlight the {what} · Esc clears it"


class PageHighlights:
    def __init__(self, controller: HighlightController) -> None:
        self.c = controller
        self.session = controller.session
        self.viewer = controller.viewer
        self.original = self.viewer.original
        self.view = self.original.page_view
        self.selection: Selection | None = None
        self.range: tuple[int, int] | None = None
        self.redaction: AreaRedaction | None = None
        self._from_page = False
        self.view.selection_made.connect(self._selected)
        self.view.selection_cleared.connect(lambda: self.original.set_hint(""))
        self.view.highlight_clicked.connect(self._clicked)
        self.view.highlight_activated.connect(controller.edit)
        self.view.highlight_menu_requested.connect(self._menu)
        # Delete on the page asks to delete the highlight marked there, as it does in the list.
        claim_delete_key(self.view, lambda: controller.delete(self.view.overlays.marked),
                         lambda: self.view.overlays.marked is not None)
        controller.pane.list.currentItemChanged.connect(self._list_current)
        available = self.session.has("add_page_highlight")
        if available:
            # Short: it reads on one line in the pane of a 1024 px window, on two or three at
            # double text size (the tooltip says it in full).
            self.original.idle_hint = "Drag over text or Shift-drag a region, then press H"
            self.original.hint.setToolTip(
                "Drag over text, or hold Shift and drag a rectangle for a region (a photo, a "
                "signature, a scan), then press H to highlight it · Esc clears the selection")
            # the room of the hints that follow one another as a drag ends is kept
            self.original.hint.set_standing([self.original.idle_hint, selection_hint("text"),
                                             selection_hint("region")])
            self.original.set_hint("")
        self.original.toolbar.region.setVisible(available)
        self.original.toolbar.redact.setVisible(self.session.has("redact_area"))
        self.original.toolbar.words.setVisible(self.session.has("page_words"))

    # --- painting -----------------------------------------------------------------------------

    def apply(self, highlights: list[dict[str, Any]]) -> None:
        marks = []
        for h in highlights:
            geom = h.get("page_geometry")
            if h.get("status") != "anchored" or not isinstance(geom, dict):
                continue
            pages: dict[int, list[tuple[float, float, float, float]]] = {}
            for p in geom.get("pages") or []:
                pages.setdefault(int(p["page"]), []).extend(
                    (float(q[0]), float(q[1]), float(q[2]), float(q[3])) for q in p["quads"])
            label = ", ".join(h.get("tags") or []) + (f" — {h['note']}" if h.get("note") else "")
            marks.append(PageMark(h["id"], h.get("display_color") or h.get("color")
                                  or DEFAULT_COLOR, label, pages, geom.get("kind") == "region"))
        self.view.overlays.marks = marks
        if self.view.overlays.marked not in {m.id for m in marks}:
            self.view.overlays.marked = None
        self.view.refresh()

    # --- a drag on the page -------------------------------------------------------------------

    def _selected(self, sel: Selection) -> None:
        doc_id = self.viewer.doc_id
        if doc_id is None:
            return
        if sel.mode == "redact":
            self._redact(doc_id, sel)
            return
        self.selection, self.range = sel, None
        self.original.set_hint(selection_hint(sel.mode))
        if self.session.has("page_text_at"):
            page_ops.text_at(self.session, doc_id, sel.page, sel.rects,
                             lambda rng: self._range(sel, rng))

    def _range(self, sel: Selection, rng: Any) -> None:
        if sel is not self.selection:
            return
        self.range = (int(rng[0]), int(rng[1])) if rng else None
        if self.range is not None:
            self.viewer.text.select_range(*self.range)  # the Text tab shows the same passage
        elif sel.mode == "text":
            self.original.set_hint("No text lies under this selection: drag over the text, or "
                                   "Shift-drag a region (a photo, a signature, a scan).")

    def wants_key(self) -> bool:
        """Whether H should highlight the page's selection (the Original tab shows it)."""
        return (self.viewer.tabs.currentWidget() is self.original
                and self.selection is not None and self.view.selection is self.selection)

    def highlight(self) -> bool:
        sel, doc_id = self.selection, self.viewer.doc_id
        if sel is None or doc_id is None:
            return False
        text = self.viewer.text_info.text if self.viewer.text_info is not None else ""
        if self.range is not None:
            quote = text[self.range[0]:self.range[1]]
        elif sel.mode == "region":
            quote = "(a region of the page without text)"
        else:
            quote = sel.text
        # The controller's dialog, as for a highlight made in the text view.
        self.c.dialog = dialog = HighlightDialog(quote, self.c.tags, parent=self.viewer.window())
        region = sel.mode == "region"
        dialog.accepted.connect(lambda: page_ops.add_page_highlight(
            self.session, doc_id, sel.page, sel.rects, region, dialog.chosen_tags(),
            dialog.note_text(), self._made))
        dialog.open()
        return True

    def _made(self, changes: Any) -> None:
        self.c.made(changes)  # the new highlight becomes the list's current one
        self.selection, self.range = None, None
        self.view.clear_selection()
        self.original.set_hint("")

    # --- choosing a highlight -----------------------------------------------------------------

    def _clicked(self, highlight_id: int) -> None:
        item = list_item(self.c.pane.list, highlight_id)
        if item is None:
            return
        self._from_page = True
        try:
            self.c.pane.list.setCurrentItem(item)
        finally:
            self._from_page = False
        self.original.set_hint("Selected in the Highlights tab · double-click to edit it")

    def _menu(self, highlight_id: int, where: QPoint) -> None:
        """The list's menu for a highlight on the page (right-click, the menu key): the same
        actions, “New event from highlight…” and “Link to highlight…” among them."""
        shown = self.c.last_menu
        if shown is not None and shown.isVisible():
            return  # the menu key's press and the context event it also brings: one menu
        self._clicked(highlight_id)
        self.c.show_menu(highlight_id, where, self.view)

    def _list_current(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        hid = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        self.view.overlays.marked = int(hid) if hid is not None else None
        self.view.refresh()
        if self._from_page or hid is None:
            return
        where = self.view.overlays.first_rect(int(hid))
        if where is not None:
            if self.original.loaded:
                self.view.show_rect(*where)
            else:
                self.original.show_page(where[0])

    # --- area redaction -----------------------------------------------------------------------

    def _redact(self, doc_id: int, sel: Selection) -> None:
        def done(message: str) -> None:
            self.view.clear_selection()
            self.view.set_tool("text")
            self.original.toolbar.sync_tool()
            self.original.set_hint(message)
            self.redaction = None

        self.redaction = AreaRedaction(self.session, doc_id, sel.page, sel.rects[0],
                                       self.c.current_dossier(), self.viewer.window(), done)


def list_item(widget: QListWidget, highlight_id: int | None) -> QListWidgetItem | None:
    """The Highlights list's row of a highlight."""
    for row in range(widget.count()):
        item = widget.item(row)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == highlight_id:
            return item
    return None
