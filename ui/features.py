"""Installs the parts of the window that depend on core features (search, highlights, dossiers).

Each part is wired only when the ``Workbench`` facade offers its methods, so the app runs on any
build of the core and grows as the core does. The window's actions delegate to these parts.
"""

from __future__ import annotations

from typing import Any

from workbench.changes import Changes


def install_features(window: Any) -> None:
    window.change_listeners = []
    window.sidebar_handlers = []
    # Each page's sidebar entry, (kind, payload) or None: the sidebar follows the page shown.
    window.sidebar_pages = []
    window.search_panel = window.highlighter = window.builder = None
    session = window.session
    if session.has("changes_since", "listen_for_changes"):
        from .shared_changes import install_shared_changes

        install_shared_changes(window)
    if session.has("search"):
        _install_search(window)
    if session.has("list_highlights", "add_highlight", "list_tags"):
        _install_highlights(window)
    if session.has("create_dossier", "get_dossier", "add_item"):
        _install_dossiers(window)
    from . import collections_ui

    window.collections_ui = session.has(*collections_ui.NEEDS)
    if window.collections_ui:
        collections_ui.install_collections(window)
    from .codebook.install import NEEDS, install_codebook

    window.codebook = None
    if session.has(*NEEDS):
        install_codebook(window)
    from .copies import install as copies

    window.copies_ui = None
    if session.has(*copies.NEEDS):
        copies.install_copies(window)
    from .entities import install as entities

    window.entities = None
    if session.has(*entities.NEEDS):
        entities.install_entities(window)
    from .chronology import install as chronology
    from .links import install as links

    window.chronology = window.links = None
    if window.highlighter is not None and session.has(*links.NEEDS):
        links.install_links(window)
    if session.has(*chronology.NEEDS):
        chronology.install_chronology(window)


def _install_search(window: Any) -> None:
    from .search.panel import SearchPanel

    panel = SearchPanel(window.session)
    panel.hit_opened.connect(lambda doc_id, mark: window.open_document(doc_id, mark))
    window.middle.addWidget(panel)
    window.search_panel = panel

    def on_sidebar(kind: str, payload: Any) -> None:
        if kind == "saved_search":
            window.search_field.setText(payload["query"])
            window.run_search()
        elif kind == "tag":
            tags = {t["id"]: t for t in window.sidebar_data.get("tags", [])}
            path = tags.get(payload, {}).get("path")
            if path:
                window.search_field.setText(f'tag:"{path}"')
                window.run_search()

    window.sidebar_handlers.append(on_sidebar)

    def on_changes(changes: Changes) -> None:
        if changes.index and window.middle.currentWidget() is panel and panel.query:
            panel.refresh()

    window.change_listeners.append(on_changes)


def _install_highlights(window: Any) -> None:
    from .viewer.highlights import HighlightController

    window.highlighter = HighlightController(window.session, window.viewer)
    if window.session.has("move_tag"):
        window.sidebar.tag_dropped.connect(lambda tag_id, parent: _tag_dropped(window, tag_id,
                                                                               parent))


def _tag_dropped(window: Any, tag_id: int, parent_id: int | None) -> None:
    """A tag dragged onto another in the sidebar moves with the version the sidebar shows:
    when someone else changed it since, ask (ui/conflicts.py) to reload or to overwrite."""
    from .conflicts import on_conflict
    from .operations.highlights import move_tag

    session = window.session
    seen = next((t.get("version") for t in window.sidebar_data.get("tags", [])
                 if t.get("id") == tag_id), None)
    move_tag(session, tag_id, parent_id, seen=seen, on_error=on_conflict(
        window, session.presenter, "move the tag",
        # every view of the tags reads them again (their change, not this move)
        reload=lambda: session.broadcast(Changes(tags=True, highlights=True)),
        overwrite=lambda: move_tag(session, tag_id, parent_id, seen=seen, force=True)))


def _install_dossiers(window: Any) -> None:
    from .dossier.builder import DossierBuilder

    builder = DossierBuilder(window.session)
    window.middle.addWidget(builder)
    window.builder = builder
    builder.tab_after = window.sidebar  # Tab: sidebar → the builder → reader

    def on_sidebar(kind: str, payload: Any) -> None:
        if kind == "dossier":
            window.middle.setCurrentWidget(builder)
            builder.open_dossier(payload)

    window.sidebar_handlers.append(on_sidebar)
    window.sidebar_pages.append(lambda page: ("dossier", builder.dossier_id)
                                if page is builder and builder.dossier_id is not None
                                else None)
    builder.dossier_opened.connect(lambda _id: window.sync_sidebar())

    def dropped_on_dossier(dossier_id: int, highlights: list[int], documents: list[int]) -> None:
        from .operations.dossiers import add_missing

        # The same rule as Ctrl+D: an exhibit already there is named, not added again.
        add_missing(window.session, dossier_id, highlights, documents,
                    lambda message: window.statusBar().showMessage(message, 6000))

    window.sidebar.dossier_dropped.connect(dropped_on_dossier)

    def on_changes(changes: Changes) -> None:
        if changes.dossiers or changes.highlights or changes.documents:
            builder.reload()

    window.change_listeners.append(on_changes)
