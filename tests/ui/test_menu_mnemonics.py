"""Every menu's Alt-letters are unique, so a keyboard user reaches each entry with one letter.

Panels add their own entries to the main menus when they install (the chronology and entity
register put theirs in View), so the check runs on the window as the user gets it, not on the
action table alone. Two entries sharing a letter make Alt+V, H cycle between them instead of
opening one (found walking View → History… beside C&hronology).
"""

from __future__ import annotations

from typing import Any


def _mnemonic(text: str) -> str | None:
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].lower()
            i += 1
        i += 1
    return None


def test_no_two_entries_of_a_menu_share_an_alt_letter(window: Any) -> None:
    from PySide6.QtWidgets import QMenu

    menus = [a.menu() for a in window.menuBar().actions() if isinstance(a.menu(), QMenu)]
    assert menus, "the window has no menus"
    clashes = {}
    for menu in [*menus, None]:
        actions = menu.actions() if menu is not None else window.menuBar().actions()
        seen: dict[str, list[str]] = {}
        for action in actions:
            if action.isSeparator() or not action.isVisible():
                continue
            letter = _mnemonic(action.text())
            if letter is not None:
                seen.setdefault(letter, []).append(action.text())
        name = menu.title() if menu is not None else "menu bar"
        clashes.update({f"{name} {k}": v for k, v in seen.items() if len(v) > 1})
    assert not clashes, f"entries sharing an Alt-letter: {clashes}"
