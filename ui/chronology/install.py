"""Puts the chronology into the window: the Chronology page of the middle stack (View →
Chronology, Ctrl+3, and a "Chronology" entry under LIBRARY in the sidebar), and “New event from
highlight…” in the viewer's Highlights tab (a button under the list and its context menu).

Called from ``features.install_features`` when the core offers the chronology's methods; the
window gains ``chronology`` (the panel) and ``show_chronology``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QWidget

from ..actions import add_view_action
from ..flow_layout import FlowLayout
from ..tab_order import follow_layout
from . import ops
from .panel import ChronologyPanel

NEEDS = ("list_events", "add_event", "edit_event", "delete_event", "add_event_source",
         "remove_event_source", "event_suggestion", "export_chronology", "get_highlight")


def install_chronology(window: Any) -> None:
    panel = ChronologyPanel(window.session)
    window.middle.addWidget(panel)
    window.chronology = panel
    panel.tab_after = window.sidebar  # Tab: sidebar → this page → reader
    panel.source_opened.connect(window.open_document)
    panel.message.connect(lambda text: window.statusBar().showMessage(text, 6000))

    def show() -> None:
        window.middle.setCurrentWidget(panel)
        panel.table.setFocus()

    window.show_chronology = show
    _add_menu_action(window, show)
    _add_sidebar_entry(window)
    window.sidebar_handlers.append(lambda kind, _payload: show() if kind == "chronology"
                                   else None)
    window.sidebar_pages.append(lambda page: ("chronology", None) if page is panel else None)
    if window.highlighter is not None:
        _install_highlight_hooks(window, panel)
    from . import dossier

    if window.builder is not None and hasattr(window.builder, "when_built") \
            and window.session.has(*dossier.NEEDS):
        dossier.install_in_builder(window)


def _add_menu_action(window: Any, show: Any) -> None:
    action = QAction("C&hronology", window)
    action.setStatusTip("Events in date order, with their sources; export as CSV or DOCX")
    action.triggered.connect(show)
    add_view_action(window, "chronology", action)  # its number, its place in View
    window.acts["chronology"] = action


def _add_sidebar_entry(window: Any) -> None:
    # Under LIBRARY, there from the first paint (greyed) so that nothing moves now.
    window.sidebar.entry("chronology")


def _install_highlight_hooks(window: Any, panel: ChronologyPanel) -> None:
    controller = window.highlighter

    def new_event_from(highlight_id: int | None) -> None:
        h = controller._find(highlight_id)
        if h is None:
            window.statusBar().showMessage("Choose a highlight first.", 4000)
            return
        ops.suggest(window.session, int(h["id"]),
                    lambda suggestion: _open_dialog(panel, suggestion, h))

    def current() -> int | None:
        # The list's current highlight, as the links box above shows (a highlight just made
        # is current without having been clicked).
        return controller.current_highlight_id()

    button = QPushButton("New event from highlight…")
    button.setToolTip("Add the chosen highlight to the chronology as a dated event")
    button.clicked.connect(lambda: new_event_from(current()))
    strip = QWidget()
    row = FlowLayout(strip, spacing=4)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(button)
    pane = controller.pane
    layout = pane.layout()
    layout.insertWidget(layout.indexOf(pane.list) + 1, strip)
    strip.setVisible(False)
    controller.viewer.loaded.connect(lambda _doc: strip.setVisible(bool(controller.highlights)))
    pane.list.currentItemChanged.connect(lambda *_: button.setEnabled(current() is not None))
    button.setEnabled(False)
    window.new_event_button = button
    # Tab in screen order: the strip sits above the links box, though made after it.
    follow_layout(pane)
    window.new_event_from_highlight = new_event_from
    hooks = getattr(controller, "menu_hooks", None)
    if hooks is not None:
        hooks.append(lambda menu, hid: menu.addAction("New event from highlight…",
                                                      lambda: new_event_from(hid)))


def _open_dialog(panel: ChronologyPanel, suggestion: dict[str, Any],
                 highlight: dict[str, Any]) -> None:
    panel.new_event(suggestion, [highlight])
