"""Every main action in one table: its menu, label, shortcut and the window method it calls.

Registering actions by name (as Picard does with its action enum) keeps the menus, the toolbar
and Help → Keyboard shortcuts in agreement; the shortcuts dialog is built from this same table.

The views are numbered in one place, ``VIEW_KEYS``: Ctrl+1 to Ctrl+5 in the order the sidebar
shows them from the top, and the View menu lists them in that order, the views a panel installs
later (entities, chronology) put in their place by ``add_view_action``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

# Each view's Ctrl+number: the sidebar's order from the top (All documents, Entities,
# Chronology under LIBRARY, the codebook of TAGS, the builder of DOSSIERS), without a gap.
VIEW_KEYS = {"show_documents": "Ctrl+1", "entities": "Ctrl+2", "chronology": "Ctrl+3",
             "codebook": "Ctrl+4", "show_dossiers": "Ctrl+5"}
ENTITIES_KEY = "Ctrl+Shift+E"  # the register's key before it was numbered, still working


@dataclass(frozen=True)
class Spec:
    name: str
    menu: str
    text: str
    shortcut: str | QKeySequence.StandardKey | None
    method: str
    tip: str = ""


SPECS: list[Spec] = [
    Spec("new_library", "&File", "&New library…", "Ctrl+Shift+N", "new_library"),
    Spec("new_encrypted_library", "&File", "New &encrypted library…", None,
         "new_encrypted_library",
         "A library whose every stored byte is encrypted with a passphrase"),
    Spec("new_shared_library", "&File", "New &shared library…", None, "new_shared_library",
         "A library the whole team works on at once, on a PostgreSQL server"),
    Spec("share_library", "&File", "S&hare this library…", None, "share_library",
         "Copy this library into a new shared one on a PostgreSQL server"),
    Spec("open_library", "&File", "&Open library…", QKeySequence.StandardKey.Open, "open_library"),
    Spec("import_files", "&File", "&Import files…", "Ctrl+I", "import_files",
         "Import files into the library (or drop them on the window)"),
    Spec("import_folder", "&File", "Import &folder…", "Ctrl+Shift+I", "import_folder"),
    Spec("verify", "&File", "&Verify library", None, "verify_library"),
    Spec("backup", "&File", "&Back up library…", None, "back_up_library",
         "Make a verified copy of the library in a folder, ideally on another disk"),
    Spec("restore", "&File", "Res&tore from backup…", None, "restore_backup",
         "Restore a backup into a new or empty folder and open it"),
    Spec("change_passphrase", "&File", "Change &passphrase…", None, "change_passphrase",
         "Change the passphrase of the encrypted library"),
    Spec("lock_library", "&File", "&Lock library", "Ctrl+Shift+L", "lock_library",
         "Close the encrypted library until its passphrase is entered again"),
    Spec("quit", "&File", "&Quit", QKeySequence.StandardKey.Quit, "close"),
    Spec("find", "&Edit", "&Find in document", QKeySequence.StandardKey.Find, "find_in_document"),
    Spec("highlight", "&Edit", "&Highlight selection…", "H", "highlight_selection",
         "Highlight the selected text with a tag and a note"),
    Spec("delete_doc", "&Edit", "&Delete document…", QKeySequence.StandardKey.Delete,
         "delete_document"),
    Spec("preferences", "&Edit", "&Preferences…", "Ctrl+,", "show_preferences",
         "Theme, text size, OCR languages, exhibit and Bates prefixes, default library"),
    Spec("show_documents", "&View", "&Documents", VIEW_KEYS["show_documents"], "show_documents"),
    Spec("show_dossiers", "&View", "Dossier &builder", VIEW_KEYS["show_dossiers"],
         "show_dossier"),
    Spec("search", "&View", "&Search", "Ctrl+K", "focus_search", "Search the library"),
    Spec("filter_docs", "&View", "&Filter documents", "Ctrl+L", "focus_filter"),
    Spec("history", "&View", "H&istory…", "Ctrl+Shift+H", "show_history",
         "Who did what: every change to the library, newest first, with its author"),
    Spec("codebook", "&Tags", "&Codebook", VIEW_KEYS["codebook"], "show_codebook",
         "Rename, move, merge, recolour and delete tags; list and export their passages"),
    Spec("new_dossier", "&Dossier", "&New dossier…", "Ctrl+Shift+D", "new_dossier"),
    Spec("add_to_dossier", "&Dossier", "&Add to dossier", "Ctrl+D", "add_to_dossier",
         "Add the selected highlight or document to the open dossier"),
    Spec("export_dossier", "&Dossier", "&Export dossier…", "Ctrl+E", "export_dossier"),
    Spec("leak_scan", "&Dossier", "&Check files for redacted names…", None, "leak_scan",
         "Find where a name can still be read in an export, a PDF, a zip or a folder"),
    Spec("shortcuts", "&Help", "&Keyboard shortcuts", "F1", "show_shortcuts"),
    Spec("optional_tools", "&Help", "&Optional tools…", None, "show_optional_tools",
         "Which optional programs (OCR, PDF export libraries) are installed, and how to add "
         "the missing ones"),
    Spec("about", "&Help", "&About Workbench", None, "show_about"),
]


def build_actions(window: QMainWindow) -> dict[str, QAction]:
    actions: dict[str, QAction] = {}
    menus: dict[str, QMenu] = {}
    for spec in SPECS:
        menu = menus.get(spec.menu)
        if menu is None:
            menu = window.menuBar().addMenu(spec.menu)
            menus[spec.menu] = menu
        action = QAction(spec.text, window)
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.tip:
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip)
        action.triggered.connect(getattr(window, spec.method))
        menu.addAction(action)
        if spec.name in ("restore", "delete_doc", "add_to_dossier", "show_dossiers"):
            menu.addSeparator()  # (after the numbered views: search, filter, history)
        actions[spec.name] = action
    # The codebook is a view too: in View among the numbered ones, as well as under Tags.
    add_view_action(window, "codebook", actions["codebook"])
    return actions


def view_menu(window: QMainWindow) -> QMenu:
    for action in window.menuBar().actions():
        menu = action.menu()
        if action.text() == "&View" and isinstance(menu, QMenu):
            return menu
    return window.menuBar().addMenu("&View")


def add_view_action(window: QMainWindow, name: str, action: QAction) -> None:
    """Gives the view ``name`` its number and puts its action in the View menu among the
    numbered views, in number order (a panel installs its view after the menu is built)."""
    number = _number(VIEW_KEYS[name]) or 0
    shortcuts = [QKeySequence(VIEW_KEYS[name])]
    if name == "entities":
        shortcuts.append(QKeySequence(ENTITIES_KEY))
    action.setShortcuts(shortcuts)
    menu = view_menu(window)
    later = [a for a in menu.actions() if (_number(a.shortcut().toString()) or 0) > number]
    if later:
        menu.insertAction(later[0], action)
    else:
        menu.addAction(action)


def _number(keys: str) -> int | None:
    """N for "Ctrl+N" (a numbered view's key), None for any other."""
    return int(keys[5:]) if keys.startswith("Ctrl+") and keys[5:].isdigit() else None


def shortcut_rows() -> list[tuple[str, str]]:
    # The numbered views first, in their order; then the menus' other actions, in menu order.
    texts = {spec.name: spec.text for spec in SPECS}
    texts.update({"entities": "Entities: people, organisations, places",
                  "chronology": "Chronology: events in date order"})
    rows = [(texts[name].replace("&", ""),
             f"{keys} or {ENTITIES_KEY}" if name == "entities" else keys)
            for name, keys in VIEW_KEYS.items()]
    for spec in SPECS:
        if spec.shortcut is None or spec.name in VIEW_KEYS:
            continue
        seq = QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
        rows.append((spec.text.replace("&", "").rstrip("…"), seq))
    rows += [("Other copies of the open document (viewer)", "Alt+C"),
             ("Next / previous change (comparing two copies)", "F8 / Shift+F8"),
             ("Next match / previous match (find bar)", "Enter / Shift+Enter"),
             ("Close the find bar", "Esc"), ("Open the selected search hit", "Enter"),
             ("Rename the selected dossier section", "F2"),
             ("Rename the chosen collection (sidebar)", "F2"),
             ("Remove the chosen documents from the collection shown", "Delete"),
             ("Zoom the page in / out (Original tab)", "Ctrl+= / Ctrl+-"),
             ("Zoom the page about the mouse (Original tab)", "Ctrl+wheel"),
             ("Previous / next page (Original tab)", "Page Up / Page Down"),
             ("First / last page (Original tab)", "Home / End"),
             ("Select a region of the page (Original tab)", "Shift+drag"),
             ("Menu of the chosen page highlight (Original tab)", "Shift+F10 / Menu"),
             ("Clear the page selection (Original tab)", "Esc")]
    return rows
