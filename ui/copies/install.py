"""Puts other copies into the window: the viewer's "Other copies (N)" button, its list, the
comparison dialog, and search's "Collapse copies" option with the "+2 copies" mark on a hit.

Called from ``features.install_features`` when the core offers the copies' methods; the window
gains ``copies_ui``. The copies of the open document load on the worker with the document
itself (a viewer add-on), and again when a change touches copies.
"""

from __future__ import annotations

import inspect
from typing import Any

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QCheckBox, QMenu

from workbench.changes import Changes
from workbench.errors import WorkbenchError

from .compare_dialog import CompareDialog
from .copies_bar import CopiesButton, CopiesDialog

NEEDS = ("copies", "set_copy_status", "compare")
COLLAPSE_KEY = "search/collapse_copies"


def search_can_collapse() -> bool:
    from workbench.services import Workbench

    try:
        return "collapse_copies" in inspect.signature(Workbench.search).parameters
    except (TypeError, ValueError):
        return False


def copies_mark(hit: Any) -> str:
    """The "+2 copies" link under a collapsed hit (empty when none was folded into it)."""
    n = len(getattr(hit, "copies", None) or [])
    if not n:
        return ""
    return (f"<div style='margin-top:4px'><a href='copies:{hit.document_id}'>"
            f"+{n} cop{'ies' if n != 1 else 'y'}</a></div>")


def _load_copies(wb: Any, doc_id: int) -> tuple[int, list[dict[str, Any]]]:
    try:
        return doc_id, wb.copies(doc_id)
    except WorkbenchError:  # the document opens all the same; it just shows no copies
        return doc_id, []


class CopiesUi:
    def __init__(self, window: Any) -> None:
        self.window = window
        self.session = window.session
        self.viewer = window.viewer
        self.button = CopiesButton()
        self.button.clicked.connect(self.show_list)
        self.viewer.header_buttons.addWidget(self.button)
        self.viewer.extra_loaders.append(_load_copies)
        self.viewer.on_extras.append(lambda answer: self.button.set_copies(*answer))
        self.dialog: CopiesDialog | None = None
        self.compares: list[CompareDialog] = []
        self.collapse: QCheckBox | None = None
        self.last_menu: QMenu | None = None

    # --- the list -------------------------------------------------------------------------------

    def list_dialog(self) -> CopiesDialog:
        if self.dialog is None:
            self.dialog = CopiesDialog(self.session, self.window)
            self.dialog.open_requested.connect(self.window.open_document)
            self.dialog.compare_requested.connect(self.compare)
        return self.dialog

    def show_list(self, doc_id: int | None = None, title: str = "") -> None:
        doc_id = doc_id if isinstance(doc_id, int) and not isinstance(doc_id, bool) \
            else self.viewer.doc_id
        if doc_id is None:
            return
        if not title and doc_id == self.viewer.doc_id:
            title = self.viewer.title.text()
        self.list_dialog().show_for(doc_id, title)

    def compare(self, doc_id: int, other_id: int) -> CompareDialog:
        dialog = CompareDialog(self.session, doc_id, other_id, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.compares.append(dialog)
        dialog.destroyed.connect(lambda *_: self.compares.remove(dialog)
                                 if dialog in self.compares else None)
        dialog.show()
        dialog.raise_()  # on top of the list, and its keys go to it, not to the list
        dialog.activateWindow()
        dialog.load()
        return dialog

    def on_changes(self, changes: Changes) -> None:
        if not (changes.copies or changes.documents):
            return
        doc_id = self.viewer.doc_id
        if doc_id is not None:
            self.session.query(lambda wb: _load_copies(wb, doc_id),
                               lambda answer: self._refresh_button(*answer),
                               "list the other copies")
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.reload()

    def _refresh_button(self, doc_id: int, copies: list[dict[str, Any]]) -> None:
        if doc_id == self.viewer.doc_id:
            self.button.set_copies(doc_id, copies)

    # --- search ---------------------------------------------------------------------------------

    def install_search(self, panel: Any) -> None:
        box = QCheckBox("Co&llapse copies")
        box.setToolTip("Show a document's other copies as one hit (“+2 copies”)")
        box.setChecked(_setting())
        panel.options_row.addWidget(box)
        panel.hit_marks.append(copies_mark)
        self.collapse = box

        def toggled(on: bool) -> None:
            QSettings().setValue(COLLAPSE_KEY, on)
            _apply(panel, on)
            if panel.query:
                panel.refresh()

        _apply(panel, box.isChecked())
        box.toggled.connect(toggled)
        panel.hit_link.connect(lambda n, href: self._hit_link(panel, n, href))
        panel.results.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        panel.results.customContextMenuRequested.connect(
            lambda pos: self._hit_menu(panel, pos))

    def _hit_link(self, panel: Any, n: int, href: str) -> None:
        if href.startswith("copies:") and 0 <= n < len(panel.hits):
            hit = panel.hits[n]
            self.show_list(int(hit.document_id), hit.title or "")

    def _hit_menu(self, panel: Any, pos: QPoint) -> None:
        """The Menu key (or a right click) on a hit: its other copies."""
        item = panel.results.itemAt(pos) or panel.results.currentItem()
        if item is None:
            return
        hit = panel.hits[int(item.data(Qt.ItemDataRole.UserRole))]
        menu = QMenu(panel.results)
        n = len(getattr(hit, "copies", None) or [])
        label = f"Other copies ({n})…" if n else "Other copies…"
        menu.addAction(label, lambda: self.show_list(int(hit.document_id), hit.title or ""))
        self.last_menu = menu
        menu.popup(panel.results.viewport().mapToGlobal(pos))


def _setting() -> bool:
    value = QSettings().value(COLLAPSE_KEY, False)
    return value in (True, "true", "1", 1)


def _apply(panel: Any, on: bool) -> None:
    if on:
        panel.search_options["collapse_copies"] = True
    else:
        panel.search_options.pop("collapse_copies", None)


def install_copies(window: Any) -> CopiesUi:
    ui = CopiesUi(window)
    window.copies_ui = ui
    window.change_listeners.append(ui.on_changes)
    if window.search_panel is not None and search_can_collapse():
        ui.install_search(window.search_panel)
    return ui

