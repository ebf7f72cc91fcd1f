"""Puts the codebook into the window: a page of the middle stack (Tags → Codebook), a tag
context menu in the sidebar, and the Highlights tab's way to the open dossier.

Called from ``features.install_features`` when the core offers the codebook's methods; the
window only gains ``codebook`` and its ``show_codebook`` action.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu

from ..sidebar import KIND, PAYLOAD
from .panel import CodebookPanel

NEEDS = ("list_tags", "rename_tag", "move_tag", "merge_tags", "edit_tag", "delete_tag",
         "tag_usage", "tag_passages", "export_passages")


def install_codebook(window: Any) -> None:
    panel = CodebookPanel(window.session)
    window.middle.addWidget(panel)
    window.codebook = panel
    panel.tab_after = window.sidebar  # Tab: sidebar → this page → reader
    panel.passage_opened.connect(window.open_document)
    panel.message.connect(lambda text: window.statusBar().showMessage(text, 6000))
    def dossier() -> int | None:
        return window.builder.dossier_id if window.builder is not None else None

    panel.current_dossier = dossier
    if window.highlighter is not None:
        window.highlighter.current_dossier = dossier
    sidebar = window.sidebar
    sidebar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    sidebar.customContextMenuRequested.connect(lambda pos: _sidebar_menu(window, pos))


def _sidebar_menu(window: Any, pos: QPoint) -> None:
    item = window.sidebar.itemAt(pos)
    if item is None or item.data(0, KIND) != "tag":
        return
    tag_id = int(item.data(0, PAYLOAD))
    menu = QMenu(window.sidebar)
    menu.addAction("Passages with this tag", lambda: _show(window, tag_id))
    menu.addAction("Documents with this tag", lambda: window.sidebar.chosen.emit("tag", tag_id))
    menu.addSeparator()
    menu.addAction("Delete tag…", lambda: window.codebook.delete_tag(tag_id))
    window.sidebar.last_menu = menu
    menu.popup(window.sidebar.viewport().mapToGlobal(pos))


def _show(window: Any, tag_id: int) -> None:
    window.codebook.show_tag(tag_id)
    window.show_codebook()
