"""Puts the entity register into the window: a page of the middle stack, reached from
View → Entities (Ctrl+2, or Ctrl+Shift+E as before the views were numbered) and from the
sidebar's "Entities" under LIBRARY.

Called from ``features.install_features`` when the core offers the register's methods. The
window gains ``entities`` (the page) and ``acts["entities"]``; mentions open in the viewer
at the mention, as a search hit does. The dossier builder's "Redact person…" is wired in
``dossier/redacting.py`` and only needs ``redact_entity``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from workbench.changes import Changes

from ..actions import add_view_action
from . import ops
from .panel import EntitiesPanel

NEEDS = ("add_entity", "list_entities", "get_entity", "edit_entity", "add_alias",
         "remove_alias", "delete_entity", "entity_mentions", "entity_suggestions")
MAX_NAME = 120  # a longer selection is a passage, not a name: no entity entries for it


def install_entities(window: Any) -> None:
    panel = EntitiesPanel(window.session)
    window.middle.addWidget(panel)
    window.entities = panel
    panel.tab_after = window.sidebar  # Tab: sidebar → this page → reader
    panel.mention_opened.connect(window.open_document)
    panel.message.connect(lambda text: window.statusBar().showMessage(text, 6000))
    panel.current_document = lambda: window.viewer.doc_id
    window.change_listeners.append(panel.on_changes)

    def register_changed(changes: Changes) -> None:
        if changes.entities and window.builder is not None:
            from .redact import forget_register

            forget_register(window.builder)  # its "Person: … (3 names)" rows

    window.change_listeners.append(register_changed)
    window.session.opened.connect(lambda _path: panel.library_opened())

    def show() -> None:
        window.middle.setCurrentWidget(panel)
        panel.table.setFocus()

    window.show_entities = show
    action = QAction("&Entities", window)
    action.setStatusTip("People, organisations and places: their names in every script, "
                        "their mentions across the library")
    action.triggered.connect(show)
    add_view_action(window, "entities", action)  # its number, its place in View
    window.acts["entities"] = action

    window.viewer.text.menu_extenders.append(
        lambda menu, selected: _text_menu(window, panel, menu, selected))

    window.sidebar.entry("entities")  # its row is there from the first paint, greyed

    def on_sidebar(kind: str, _payload: Any) -> None:
        if kind == "entities":
            window.middle.setCurrentWidget(panel)

    window.sidebar_handlers.append(on_sidebar)
    window.sidebar_pages.append(lambda page: ("entities", None) if page is panel else None)


def _text_menu(window: Any, panel: EntitiesPanel, menu: QMenu, selected: str) -> None:
    """The reader's context menu on a selected name: register it, or add it to an entity."""
    if not selected or len(selected) > MAX_NAME:
        return
    menu.addSeparator()
    menu.addAction("Register as entity…", lambda: panel.add_entity(selected))
    others = menu.addMenu("Add as alias of")
    for e in sorted(panel.entities, key=lambda e: e["name"].casefold()):
        if selected not in (e.get("names") or [e["name"]]):
            others.addAction(e["name"], _adder(window, e, selected))
    others.setEnabled(not others.isEmpty())


def _adder(window: Any, entity: dict[str, Any], name: str) -> Callable[[], None]:
    def add() -> None:
        ops.add_alias(window.session, entity["id"], name, lambda _c: window.statusBar()
                      .showMessage(f"“{name}” is now a name of {entity['name']}", 6000))

    return add


