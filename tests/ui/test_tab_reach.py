"""Keyboard only, Tab from the reading pane reaches every part of the window in a sensible order:
the toolbar's "Import files" and "New dossier", the search box, the sidebar (with its current
entry visibly marked while it has the focus), the list and the reader; no list keeps Tab for
itself. In the Highlights tab, Tab follows the screen: the list, "New event from highlight…",
then the links' list and Link, Open, Unlink left to right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.conftest import backup_reminder_shown, facade, import_three
from tests.ui.test_links_ui import open_and_choose, two_highlights


def _chain(qtbot: Any, start: QWidget, presses: int = 60,
           key: Qt.Key = Qt.Key.Key_Tab) -> list[QWidget]:
    """The widgets the focus visits from ``start``, pressing ``key`` on whatever has it."""
    start.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=3000)
    seen: list[QWidget] = [start]
    for _ in range(presses):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, key)
        now = QApplication.focusWidget()
        assert now is not None, "the focus left the window"
        seen.append(now)
    return seen


def _first(chain: list[QWidget], widget: QWidget) -> int:
    assert widget in chain, f"{type(widget).__name__} {widget.accessibleName()!r} never " \
                            "gets the focus"
    return chain.index(widget)


def _tab_into_sidebar(window: Any, qtbot: Any) -> None:
    """Tab from the toolbar's last stop, "New dossier", as a keyboard user comes to it."""
    dossier_button = window.toolbar.widgetForAction(window.acts["new_dossier"])
    dossier_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(dossier_button.hasFocus, timeout=3000)
    qtbot.keyClick(dossier_button, Qt.Key.Key_Tab)


def test_tab_from_the_reader_reaches_toolbar_search_sidebar_and_list(
        window: Any, tmp_path: Path, qtbot: Any) -> None:
    import_three(window, tmp_path)
    window.activateWindow()
    window.documents.table.selectRow(0)
    assert window.viewer.doc_id is not None
    reader = window.viewer.text
    chain = _chain(qtbot, reader)
    import_button = window.toolbar.widgetForAction(window.acts["import_files"])
    dossier_button = window.toolbar.widgetForAction(window.acts["new_dossier"])
    # After the reader's last stop the focus comes round to the toolbar, then down the panes.
    order = [_first(chain, w) for w in (import_button, window.search_field, dossier_button,
                                        window.sidebar, window.documents.table)]
    assert order == sorted(order), "Tab does not go toolbar → search → sidebar → list"
    # the list does not keep Tab for moving between its cells: the focus goes on to the reader
    table = chain.index(window.documents.table)
    assert reader in chain[table:]
    # Shift+Tab goes back the same way
    back = _chain(qtbot, window.sidebar, presses=3, key=Qt.Key.Key_Backtab)
    assert back[1:4] == [dossier_button, window.search_field, import_button]


def test_the_sidebar_shows_which_entry_has_the_focus(window: Any, tmp_path: Path,
                                                     qtbot: Any) -> None:
    import_three(window, tmp_path)
    sidebar = window.sidebar
    window.documents.table.setFocus()
    qtbot.waitUntil(lambda: window.documents.table.hasFocus(), timeout=3000)
    current = sidebar.currentItem()
    assert current is not None and current.isSelected()  # "All documents", the page shown
    rect = sidebar.visualItemRect(current)
    before = sidebar.viewport().grab(rect).toImage()
    _tab_into_sidebar(window, qtbot)
    qtbot.waitUntil(sidebar.hasFocus, timeout=3000)
    assert sidebar.currentItem() is current
    after = sidebar.viewport().grab(rect).toImage()
    assert before != after, "the sidebar's current entry looks the same with the focus"


def test_sidebar_with_nothing_chosen_marks_an_entry_when_tabbed_into(
        window: Any, tmp_path: Path, qtbot: Any) -> None:
    import_three(window, tmp_path)
    sidebar = window.sidebar
    sidebar.setCurrentItem(None)
    sidebar.clearSelection()
    shown = window.middle.currentWidget()
    _tab_into_sidebar(window, qtbot)
    qtbot.waitUntil(sidebar.hasFocus, timeout=3000)
    assert sidebar.currentItem() is not None  # something to see and to move from
    assert window.middle.currentWidget() is shown  # the focus alone chooses nothing


def test_highlights_tab_follows_the_screen(window: Any, tmp_path: Path, qtbot: Any) -> None:
    ids = two_highlights(window, tmp_path)
    facade(window, lambda wb: wb.link_highlights(ids["a"], ids["b"], "corroborates"))
    open_and_choose(window, qtbot, ids["camp"], ids["a"])
    box = window.links.box
    qtbot.waitUntil(lambda: box.list.count() == 1, timeout=3000)
    box.list.setCurrentRow(0)
    new_event = getattr(window, "new_event_button", None)
    if new_event is None:
        pytest.fail("this core build has no chronology")
    assert new_event.isEnabled() and box.open_button.isEnabled()
    pane = window.highlighter.pane
    chain = _chain(qtbot, pane.list, presses=12)
    wanted = [new_event, box.list, box.link_button, box.open_button, box.unlink_button]
    # that is the reading order on screen: top to bottom, left to right (a narrow pane wraps
    # the links' buttons onto a second line)
    places = [(w.mapTo(pane, w.rect().topLeft()).y(), w.mapTo(pane, w.rect().topLeft()).x())
              for w in wanted]
    assert places == sorted(places)
    assert chain[1:6] == wanted


def test_the_toolbar_buttons_show_the_focus(window: Any, qtbot: Any) -> None:
    for name in ("import_files", "new_dossier"):
        button = window.toolbar.widgetForAction(window.acts[name])
        window.search_field.setFocus()
        qtbot.waitUntil(window.search_field.hasFocus, timeout=3000)
        before = button.grab().toImage()
        button.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(button.hasFocus, timeout=3000)
        assert button.grab().toImage() != before, f"{name}: no sign of the focus"


def test_tab_reaches_the_highlights_list(window: Any, tmp_path: Path, qtbot: Any) -> None:
    """With the Highlights tab shown, Tab from the viewer's tab bar goes to the list of
    highlights first (the walk never reached it: a highlight could only be picked with the
    mouse), and on to the strip below it; Shift+Tab comes back to the list."""
    ids = two_highlights(window, tmp_path)
    facade(window, lambda wb: wb.add_highlight(ids["camp"], quote="Witness"))
    window.open_document(ids["camp"])
    pane = window.highlighter.pane
    hl: Any = pane.list
    window.viewer.tabs.setCurrentWidget(pane)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)
    assert hl.isVisible() and hl.count() == 2
    bar = window.viewer.tabs.tabBar()
    chain = _chain(qtbot, bar, presses=4)
    assert chain[1] == hl, [type(w).__name__ + " " + w.accessibleName()
                                   for w in chain]
    new_event = getattr(window, "new_event_button", None)
    if new_event is not None and new_event.isEnabled():
        assert chain[2] is new_event
    back = _chain(qtbot, chain[2], presses=1, key=Qt.Key.Key_Backtab)
    assert back[1] == hl
    # the first highlight is chosen, visibly, and the list shows that it has the focus
    assert hl.currentRow() == 0 and hl.item(0).isSelected()
    focused = hl.grab().toImage()
    bar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(bar.hasFocus, timeout=3000)
    assert hl.grab().toImage() != focused, "the list looks the same with the focus"
    # and from the list, the keys choose the next highlight
    hl.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(hl, Qt.Key.Key_Down)
    assert hl.currentRow() == 1 and hl.item(1).isSelected()


def test_the_backup_reminder_is_tabbed_to_where_it_shows(window: Any, tmp_path: Path,
                                                         qtbot: Any) -> None:
    """The reminder bar sits between the toolbar and the panes: its buttons come after "New
    dossier" and before the sidebar (they came after the reader's tab bar, walk's d37)."""
    import_three(window, tmp_path)
    reminder = window.backups.reminder
    assert backup_reminder_shown(window)
    dossier_button = window.toolbar.widgetForAction(window.acts["new_dossier"])
    chain = _chain(qtbot, dossier_button, presses=3)
    assert chain[1:4] == [reminder.backup_button, reminder.dismiss_button, window.sidebar]
