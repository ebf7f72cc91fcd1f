"""Collections managed in the window: "Rename collection…" (F2 on a collection in the sidebar,
or its context menu) and "Remove from collection" (Delete in the list of a collection, or the
list's context menu; the documents stay in the library).

Each edit is saved with the collection's version the sidebar shows; when someone else changed
the collection since, ui/conflicts.py asks Reload (their change stands: the sidebar and the
list read it again, following the collection under the name it has now) or Overwrite. Wired
by ``features.install_features`` when the core offers both methods; the rename dialog is kept
as ``window.collection_rename_dialog`` for the tests to drive.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu

from workbench.changes import Changes

from .conflicts import on_conflict
from .delete_key import claim_delete_key
from .operations import collections as ops
from .sidebar import KIND, PAYLOAD

NEEDS = ("rename_collection", "remove_from_collection")


def install_collections(window: Any) -> None:
    window.collection_rename_dialog = None
    sidebar = window.sidebar
    sidebar.rename_requested.connect(lambda kind, payload: rename(window, str(payload))
                                     if kind == "collection" else None)
    sidebar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    sidebar.customContextMenuRequested.connect(lambda pos: _sidebar_menu(window, pos))
    table = window.documents.table
    # In a collection's list, Delete takes the chosen documents out of it (as a playlist
    # does); in All documents it stays the window's "Delete document…".
    claim_delete_key(table, lambda: remove_selected(window),
                     lambda: shown(window) is not None and bool(window.documents.selected_ids()))


def shown(window: Any) -> dict[str, Any] | None:
    """The collection whose list is shown, as the sidebar last read it (id, name, version)."""
    return _row(window, window.documents.model.collection)


def _row(window: Any, name: str | None) -> dict[str, Any] | None:
    if not name:
        return None
    return next((c for c in window.sidebar_data.get("collections", []) if c["name"] == name),
                None)


def _sidebar_menu(window: Any, pos: QPoint) -> None:
    item = window.sidebar.itemAt(pos)
    if item is None or item.data(0, KIND) != "collection":
        return
    name = str(item.data(0, PAYLOAD))
    menu = QMenu(window.sidebar)
    action = menu.addAction("Rename collection…", lambda: rename(window, name))
    action.setShortcut("F2")  # shown beside it: the key works on the chosen collection
    window.sidebar.last_menu = menu
    menu.popup(window.sidebar.viewport().mapToGlobal(pos))


def rename(window: Any, name: str) -> None:
    row = _row(window, name)
    if row is None:
        return
    dialog = QInputDialog(window)
    dialog.setWindowTitle("Rename collection")
    # A long name is elided in the label (it widened the box past the screen); the field
    # holds it whole, to edit.
    shown_name = dialog.fontMetrics().elidedText(name, Qt.TextElideMode.ElideMiddle, 360)
    dialog.setLabelText(f"New name for “{shown_name}”:")
    dialog.setTextValue(name)
    dialog.setOkButtonText("Rename")
    edit = dialog.findChild(QLineEdit)
    if edit is not None:
        edit.setAccessibleName("Collection name")
    window.collection_rename_dialog = dialog
    cid, seen = int(row["id"]), row.get("version")

    def save(new: str, force: bool = False) -> None:
        ops.rename_collection(window.session, cid, new, seen=seen, force=force,
                              on_done=lambda _v: _follow(window, name, new),
                              on_error=failed(new))

    def failed(new: str) -> Any:
        return on_conflict(window, window.session.presenter, "rename the collection",
                           reload=lambda: reload(window, cid, name),
                           overwrite=lambda: save(new, force=True))

    def chosen(text: str) -> None:
        new = text.strip()
        if new and new != name:
            save(new)

    dialog.textValueSelected.connect(chosen)
    dialog.open()


def remove_selected(window: Any) -> None:
    row, ids = shown(window), window.documents.selected_ids()
    if row is None or not ids:
        return
    cid, seen, name = int(row["id"]), row.get("version"), row["name"]
    count = f"{len(ids)} document{'s' if len(ids) != 1 else ''}"

    def removed(_v: Any) -> None:
        window.statusBar().showMessage(f"Removed {count} from “{name}” (still in the library).",
                                       6000)

    def save(force: bool = False) -> None:
        ops.remove_from_collection(window.session, ids, cid, seen=seen, force=force,
                                   on_done=removed, on_error=on_conflict(
                                       window, window.session.presenter,
                                       "remove from the collection",
                                       reload=lambda: reload(window, cid, name),
                                       overwrite=lambda: save(force=True)))

    save()


def add_menu_actions(window: Any, menu: QMenu) -> None:
    """The document list's menu, in a collection's list: "Remove from collection"."""
    if shown(window) is not None:
        action = menu.addAction("Remove from collection", lambda: remove_selected(window))
        action.setShortcut("Delete")


def reload(window: Any, collection_id: int, name: str) -> None:
    """Their change stands: read the collections again; a list showing the collection
    follows it under the name it has now."""

    def read(rows: list[dict[str, Any]]) -> None:
        now = next((c["name"] for c in rows if c["id"] == collection_id), None)
        if now is not None:
            _follow(window, name, now)
        window.session.broadcast(Changes(collections=True, documents=True))

    ops.list_collections(window.session, read)


def _follow(window: Any, old: str, new: str) -> None:
    if old != new and window.documents.model.collection == old:
        window.documents.set_collection(new)
        window.sync_sidebar()
