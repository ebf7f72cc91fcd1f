"""Keyboard only, Tab through the Entities, Chronology and Codebook pages follows the screen:
from the sidebar into the page, top to bottom and left to right through it, then on to the
reader on the right, as the main window and the Highlights tab do (ui/tab_order.py).

Qt's default order is the order widgets were made, and these pages are made when first shown:
their stops came after everything else in the window, so Tab from the sidebar jumped over the
page to the reader and the backup bar and only then came back to the page. The codebook's
memo kept Tab for itself (a tab character, and no way on), and the pages' scrolling strips
were stops of their own that showed nothing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QTabBar, QWidget

from tests.ui import test_chronology_ui as chronology
from tests.ui import test_codebook as codebook
from tests.ui import test_entities_ui as entities
from tests.ui.conftest import facade
from workbench.changes import Changes


def _chain(qtbot: Any, start: QWidget, presses: int,
           key: Qt.Key = Qt.Key.Key_Tab) -> list[QWidget]:
    """The widgets the focus visits from ``start``, pressing ``key`` on whatever has it."""
    start.window().activateWindow()
    start.setFocus(Qt.FocusReason.TabFocusReason)
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


def _name(w: QWidget) -> str:
    if isinstance(w, QTabBar):
        return "tabs " + "|".join(w.tabText(i) for i in range(w.count()))
    return f"{type(w).__name__} {w.accessibleName() or getattr(w, 'text', str)()!r}"


def _names(widgets: Sequence[QWidget]) -> list[str]:
    return [_name(w) for w in widgets]


def _reachable(widgets: list[QWidget]) -> list[QWidget]:
    return [w for w in widgets if w.isVisible() and w.isEnabled()]


def _assert_follows(qtbot: Any, window: Any, page: list[QWidget]) -> None:
    """Tab from the sidebar goes through ``page``'s stops (those on and shown) to the reader."""
    reader = window.viewer.tabs.tabBar()
    assert reader.isVisible(), "open a document first: the reader is where Tab goes on to"
    wanted = [window.sidebar, *_reachable(page), reader]
    chain = _chain(qtbot, wanted[0], len(wanted) - 1)
    assert _names(chain) == _names(wanted)
    # and back the same way
    back = _chain(qtbot, wanted[-1], len(wanted) - 1, Qt.Key.Key_Backtab)
    assert _names(back) == _names(wanted[::-1])


def _no_blank_stops(qtbot: Any, start: QWidget) -> None:
    """Round the whole window: no stop is a scrolling frame that shows no focus."""
    blank = [w for w in _chain(qtbot, start, 40) if isinstance(w, QScrollArea)]
    assert blank == [], _names(blank)


def test_entities_register_and_suggestions_follow_the_screen(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    docs = entities._library(window, tmp_path)
    eid = entities._register_ekpar(window)
    window.session.broadcast(facade(window, lambda wb: wb.link_entity_document(
        eid, docs["english.txt"])))
    window.open_document(docs["letter.txt"])
    panel = entities._open_panel(window, qtbot)
    linked = panel.linked
    entities._settle(qtbot)
    assert linked.list.count() == 1
    linked.list.setCurrentRow(0)  # Unlink… is on
    tabs = panel.tabs.tabBar()
    _assert_follows(qtbot, window, [tabs, panel.filter, panel.kind, panel.add_button,
                            panel.edit_button, panel.link_button, panel.delete_button,
                            panel.table, linked.unlink_button, linked.list, panel.mentions])
    assert linked.unlink_button.isVisible() and linked.unlink_button.isEnabled()
    _no_blank_stops(qtbot, panel.filter)

    panel.tabs.setCurrentWidget(panel.suggestions)
    entities._settle(qtbot)
    view = panel.suggestions
    assert view.table.topLevelItemCount() and view.register_button.isEnabled()
    _assert_follows(qtbot, window,
                    [tabs, view.register_button, view.dismiss_button, view.table])


def test_chronology_follows_the_screen(window: Any, qtbot: Any, tmp_path: Path) -> None:
    ids = chronology.library(window, tmp_path)
    chronology.make_events(window, ids)
    window.open_document(ids["other"])
    panel = window.chronology
    QApplication.processEvents()
    panel.table.selectRow(0)
    b = panel.buttons
    wanted = [panel.tag, panel.entity, panel.collection, b["new"], b["edit"], b["delete"],
              b["open"], panel.status, b["export"], panel.table]
    assert len(_reachable(wanted)) == len(wanted)
    _assert_follows(qtbot, window, wanted)
    _no_blank_stops(qtbot, panel.tag)


def test_codebook_follows_the_screen(window: Any, qtbot: Any, tmp_path: Path) -> None:
    docs = codebook.coded_window(window, tmp_path)
    window.open_document(docs["factory"])
    panel = window.codebook
    QApplication.processEvents()
    codebook.click_tag(qtbot, panel, "Abuse")
    panel.memo.setFocus()
    qtbot.keyClicks(panel.memo, "Harm by force")  # Save memo is on
    window.session.broadcast(Changes(dossiers=True))
    b, passages = panel.buttons, panel.passages
    # The tree on the left, then the memo column beside it: "Memo" and Save memo above the
    # memo; then the passages below, their filter, list and buttons.
    wanted = [panel.new_tag, b["rename"], b["move"], b["merge"], b["color"], b["delete"],
              panel.tree, panel.save_memo, panel.memo, passages.filter, passages.table,
              passages.add_button, passages.csv_button, passages.docx_button]
    _assert_follows(qtbot, window, wanted)
    assert panel.memo.toPlainText() == "Harm by force"  # Tab typed nothing into the memo
    assert panel.save_memo.isEnabled()
    _no_blank_stops(qtbot, panel.new_tag)
