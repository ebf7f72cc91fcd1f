"""The views are numbered Ctrl+1, Ctrl+2, … without a gap, in the order the sidebar shows
them from the top (All documents, Entities, Chronology, then the tags' codebook and the
dossiers' builder), and the View menu lists them in that order. (Fresh-user walk: Ctrl+1,
Ctrl+2, Ctrl+3, then Ctrl+5, with Entities on Ctrl+Shift+E.)"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from ui.actions import shortcut_rows

# The page each number shows, in the sidebar's order from the top.
PAGES = ["documents", "entities", "chronology", "codebook", "builder"]


def _view_menu(window: Any) -> QMenu:
    return next(a.menu() for a in window.menuBar().actions()
                if a.text() == "&View" and isinstance(a.menu(), QMenu))


def test_ctrl_digits_show_the_views_in_the_sidebars_order(window: Any, qtbot: Any) -> None:
    if any(getattr(window, page) is None for page in PAGES):
        pytest.fail("this core build lacks a view")
    window.showNormal()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)
    for n, page in enumerate(PAGES, start=1):
        # from another page, so that the key has something to change
        (window.show_codebook if n == 1 else window.show_documents)()
        qtbot.keySequence(window, QKeySequence(f"Ctrl+{n}"))
        QApplication.processEvents()
        assert window.middle.currentWidget() is getattr(window, page), f"Ctrl+{n}"
    # Entities keeps the key it had, and the sidebar's own rows come in the same order.
    window.show_documents()
    qtbot.keySequence(window, QKeySequence("Ctrl+Shift+E"))
    assert window.middle.currentWidget() is window.entities
    library = window.sidebar.sections["library"]
    rows = [library.child(i).text(0).split("  (")[0] for i in range(library.childCount())]
    assert rows == ["All documents", "Entities", "Chronology"]


def test_the_view_menu_and_the_shortcuts_list_number_them_without_a_gap(window: Any) -> None:
    numbered = []
    for action in _view_menu(window).actions():
        keys = action.shortcut().toString()
        if keys.startswith("Ctrl+") and keys[5:].isdigit():
            numbered.append((int(keys[5:]), action.text().replace("&", "")))
    assert numbered == [(1, "Documents"), (2, "Entities"), (3, "Chronology"), (4, "Codebook"),
                        (5, "Dossier builder")]
    rows = shortcut_rows()
    digits = sorted(int(keys[5]) for _what, keys in rows
                    if keys.startswith("Ctrl+") and keys[5:6].isdigit())
    assert digits == [1, 2, 3, 4, 5]
    shown = dict((keys.split(" or ")[0], what) for what, keys in rows)
    assert shown["Ctrl+2"].startswith("Entities") and shown["Ctrl+3"].startswith("Chronology")
    assert shown["Ctrl+4"].startswith("Codebook") and shown["Ctrl+5"] == "Dossier builder"
