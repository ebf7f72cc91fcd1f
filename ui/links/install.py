"""Puts links between highlights into the viewer's Highlights tab: the links box under the list,
“Link to highlight…” in the list's context menu, and opening the other side of a link.

Called from ``features.install_features`` when the core offers the links' methods and the
highlights controller exists; the window gains ``links`` (a ``LinksController``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from workbench.changes import Changes

from ..dialogs.confirm import confirm
from ..operations import highlights as highlight_ops
from ..quoting import quoted
from ..tab_order import follow_layout
from . import ops
from .link_dialog import LinkDialog
from .links_box import LinksBox

NEEDS = ("link_highlights", "unlink_highlights", "highlight_links", "get_highlight")


class LinksController:
    def __init__(self, window: Any) -> None:
        self.window = window
        self.session = window.session
        self.highlighter = window.highlighter
        self.dialog: LinkDialog | None = None
        self._select_after_load: int | None = None
        # The highlight last chosen: a reload empties the list (no current item) before it
        # is shown again, and the same highlight is then chosen again.
        self._remembered: int | None = None
        pane = self.highlighter.pane
        self.box = LinksBox(pane)
        layout = pane.layout()
        layout.insertWidget(layout.indexOf(pane.list) + 1, self.box, 1)
        follow_layout(pane)  # Tab in screen order, the box's buttons after the list above
        pane.list.currentItemChanged.connect(lambda *_: self.reload())
        self.box.link_requested.connect(lambda: self.link_from(self.current_id()))
        self.box.open_requested.connect(self.open_other)
        self.box.unlink_requested.connect(self.unlink)
        # After the viewer has shown a document and its Highlights list.
        self.highlighter.viewer.loaded.connect(self._after_apply)
        hooks = getattr(self.highlighter, "menu_hooks", None)
        if hooks is not None:
            hooks.append(self._menu)
        self.box.setVisible(False)

    def current_id(self) -> int | None:
        item = self.highlighter.pane.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    # --- showing ------------------------------------------------------------------------------

    def _after_apply(self, _data: Any) -> None:
        """After the Highlights list is rebuilt: choose again the highlight that was chosen
        (or the one a link opened), so its links stay in view."""
        self.box.setVisible(bool(self.highlighter.highlights))
        wanted = self._select_after_load if self._select_after_load is not None \
            else self._remembered
        self._select_after_load = None
        if wanted is not None and self.select(wanted):
            return
        self.box.set_links(None, [])

    def select(self, highlight_id: int) -> bool:
        lst = self.highlighter.pane.list
        for row in range(lst.count()):
            item = lst.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == highlight_id:
                lst.setCurrentItem(item)
                lst.scrollToItem(item)
                self.reload()
                return True
        return False

    def reload(self) -> None:
        hid = self.current_id()
        if hid is None:
            self.box.set_links(None, [])
            return
        self._remembered = hid
        ops.load_links(self.session, hid, lambda links: self._loaded(hid, links))

    def _loaded(self, hid: int, links: list[dict[str, Any]]) -> None:
        if self.current_id() == hid:
            self.box.set_links(hid, links)

    def on_changes(self, changes: Changes) -> None:
        if changes.links and not (changes.highlights and self.window.viewer.doc_id
                                  in changes.document_ids):
            self.reload()  # (a highlight change reloads the viewer, and _after_apply this)

    # --- acting -------------------------------------------------------------------------------

    def link_from(self, highlight_id: int | None) -> None:
        h = self.highlighter._find(highlight_id)
        if h is None:
            return
        self.dialog = dialog = LinkDialog(self.session, h, self.window)
        dialog.accepted.connect(lambda: self._link(h["id"], dialog))
        dialog.open()

    def _link(self, hid: int, dialog: LinkDialog) -> None:
        other = dialog.other_id()
        if other is None:
            return
        self._remembered = hid
        ops.link(self.session, hid, other, dialog.chosen_relation(), dialog.note_text(),
                 lambda _c: self.window.statusBar().showMessage("Highlights linked.", 5000))

    def open_other(self, link: dict[str, Any]) -> None:
        other = int(link["other"]["highlight_id"])

        def opened(where: tuple[int, Any]) -> None:
            doc_id, mark = where
            self._select_after_load = other
            if doc_id == self.window.viewer.doc_id:
                self._select_after_load = None
                self.select(other)
            self.window.open_document(doc_id, mark)

        highlight_ops.highlight_mark(self.session, other, opened, "open the linked highlight")

    def unlink(self, link: dict[str, Any]) -> None:
        hid = self.box.highlight_id
        if hid is None:
            return
        other = link["other"]
        if confirm(self.window, "Unlink highlights",
                   f"Remove the link “{ops.RELATION_TEXT.get(link['relation'])}” to "
                   f"{quoted((other.get('quote') or '')[:80])}? Its note goes with it."):
            ops.unlink(self.session, hid, int(other["highlight_id"]), link["relation"])

    def _menu(self, menu: QMenu, highlight_id: int) -> None:
        menu.addAction("Link to highlight…", lambda: self.link_from(highlight_id))


def install_links(window: Any) -> None:
    controller = LinksController(window)
    window.links = controller
    window.change_listeners.append(controller.on_changes)
    from . import dossier

    if window.builder is not None and window.session.has(*dossier.NEEDS):
        dossier.install_in_builder(window)
