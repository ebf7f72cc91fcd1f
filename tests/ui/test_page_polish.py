"""What a new user met walking issue 13's path in the window (1024x700), through the real
widgets: the Original tab's tools on one row leaving the page most of the tab, every tool still
reachable by mouse and keyboard; keyboard zoom keeping the reader's column whatever the mouse
does (Ctrl+wheel still zooms about the mouse); the builder's pages placeholder and the exhibit
row saying it is shown as original pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QMenu, QToolButton

from tests.support import xray_pdfs as X
from tests.support.files import make_pdf
from tests.ui.conftest import facade
from tests.ui.test_page_viewer import _ctrl_wheel, _open_original, _pages

ITEM_ID = Qt.ItemDataRole.UserRole


def _small_window(window: Any, qtbot: Any) -> None:
    window.showNormal()
    window.resize(1024, 700)
    QApplication.processEvents()
    qtbot.wait(30)


def _tool_actions(bar: Any) -> list[Any]:
    return [bar.zoom_out, bar.zoom_in, bar.fit_width, bar.fit_page, bar.region, bar.redact,
            bar.words]


def _menu_button(bar: Any, action: Any) -> QToolButton | None:
    """The visible menu button of the tool row whose menu holds ``action``, if any."""
    for button in bar.findChildren(QToolButton):
        menu = button.menu()
        if button.isVisible() and menu is not None and action in menu.actions():
            return button
    return None


def test_original_tab_tools_take_one_row_at_1024x700(window: Any, tmp_path: Path,
                                                    qtbot: Any) -> None:
    _small_window(window, qtbot)
    # The lead's walk: a PDF with a black box over live text, so the warning is shown too.
    pdf = X.write(tmp_path / "leaky.pdf", [X.ordinary_page(), X.black_box_over_text()])
    view = _open_original(window, pdf, qtbot)
    original = window.viewer.original
    bar = original.toolbar
    QApplication.processEvents()
    assert window.width() == 1024 and bar.width() < 500  # the viewer pane at 1024 px
    assert original.banner.isHidden() != window.session.has("xray")

    # The page gets most of the tab: the tools are one row, the caption shares the save row.
    assert view.height() >= 0.6 * original.height(), (view.height(), original.height())
    shown = [w for w in bar.findChildren(QToolButton) if w.isVisible()]
    assert shown and max(w.geometry().top() for w in shown) - min(
        w.geometry().top() for w in shown) <= 4, "the tools wrap onto a second row"
    assert bar.page_field.isVisible()
    assert original.save_button.text() == "Save original…"
    assert "original bytes" in original.save_button.toolTip()

    # Every tool is reachable with the mouse: its own button, or a menu button beside it.
    for action in _tool_actions(bar):
        if not action.isVisible():
            continue  # a tool this core build does not offer
        button = bar.button_for(action)
        holder = button if button.isVisible() else _menu_button(bar, action)
        assert holder is not None, action.text()
        assert bar.rect().contains(holder.geometry()), action.text()

    # ... and with the keyboard: Tab reaches the menu buttons, Space opens them, Down and
    # Enter choose (zoom has its own keys, Ctrl+= / Ctrl+-).
    tools = _menu_button(bar, bar.redact)
    if tools is not None:
        assert tools.focusPolicy() & Qt.FocusPolicy.TabFocus
        chosen: list[str] = []

        def choose() -> None:
            menu = QApplication.activePopupWidget()
            assert isinstance(menu, QMenu)
            chosen.extend(a.text() for a in menu.actions() if a.isVisible())
            target = [a for a in menu.actions() if a.isVisible()].index(bar.redact)
            for _ in range(target + 1):
                qtbot.keyClick(menu, Qt.Key.Key_Down)
            qtbot.keyClick(menu, Qt.Key.Key_Return)

        tools.setFocus()
        QTimer.singleShot(50, choose)
        qtbot.keyClick(tools, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: bar.redact.isChecked(), timeout=3000)
        assert view.tool == "redact" and any("Redact" in t for t in chosen)
        # the row shows a folded tool is on, as its own button would
        assert tools.property("active") is True and "Redact area" in tools.toolTip()
        qtbot.keyClick(view, Qt.Key.Key_Escape)
        assert view.tool == "text" and not bar.redact.isChecked()
        assert tools.property("active") is False


def test_wide_pane_keeps_the_full_buttons(window: Any, tmp_path: Path, qtbot: Any) -> None:
    window.showNormal()
    window.resize(1600, 1000)
    window.splitter.setSizes([200, 300, 1100])
    QApplication.processEvents()
    _open_original(window, make_pdf(tmp_path / "r.pdf", _pages(2)), qtbot)
    bar = window.viewer.original.toolbar
    QApplication.processEvents()
    assert bar.width() > 800
    for action in _tool_actions(bar):
        if action.isVisible():
            assert bar.button_for(action).isVisible(), action.text()
            assert _menu_button(bar, action) is None, action.text()

    # A little narrower (the viewer pane at 1600 px): Fit folds first, the tools keep buttons.
    sizes = window.splitter.sizes()
    shrink = bar.width() - (bar._row_width((bar.fit_button,)) + 10)
    window.splitter.setSizes([*sizes[:-2], sizes[-2] + shrink, sizes[-1] - shrink])
    QApplication.processEvents()
    assert bar._row_width((bar.fit_button,)) <= bar.width() < bar._row_width(())
    assert _menu_button(bar, bar.fit_width) is bar.fit_button
    assert not bar.button_for(bar.fit_page).isVisible()
    for action in (bar.region, bar.redact, bar.words):
        if action.isVisible():
            assert bar.button_for(action).isVisible(), action.text()
    assert not bar.tools_button.isVisible() and bar.page_word.isVisible()


def _left_column(view: Any) -> tuple[int, float, float]:
    """The page point at the left edge of what the view shows of the page, at its top."""
    x = max(0, view.pages.page_rect(view.current)[0] - view.horizontalScrollBar().value())
    return view._page_point(QPointF(x, 13))


def _move_mouse(view: Any, pos: QPointF) -> None:
    QApplication.sendEvent(view.viewport(), QMouseEvent(
        QMouseEvent.Type.MouseMove, pos, view.viewport().mapToGlobal(pos),
        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))


def test_keyboard_zoom_keeps_the_column_wherever_the_mouse_is(window: Any, tmp_path: Path,
                                                               qtbot: Any) -> None:
    view = _open_original(window, make_pdf(tmp_path / "r.pdf", _pages(6)), qtbot)
    view.setFocus()
    vp = view.viewport()
    right = QPointF(vp.width() - 5, vp.height() - 5)  # the mouse far from the reader's text
    _move_mouse(view, right)

    # From fit width: the page's left edge (where lines begin) stays in view, the top line too.
    before = _left_column(view)
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.horizontalScrollBar().maximum() > 0  # wider than the view now
    assert view.horizontalScrollBar().value() == 0, "keyboard zoom scrolled the page sideways"
    after = _left_column(view)
    assert after[0] == before[0] and abs(after[2] - before[2]) < 2

    # Scrolled to the right half: the column at the view's left edge stays there.
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum() // 2)
    before = _left_column(view)
    _move_mouse(view, QPointF(5, vp.height() - 5))
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    after = _left_column(view)
    assert abs(after[1] - before[1]) < 2 and abs(after[2] - before[2]) < 2
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    after = _left_column(view)
    assert abs(after[1] - before[1]) < 2 and abs(after[2] - before[2]) < 2

    # The toolbar's buttons zoom as the keys do.
    view.horizontalScrollBar().setValue(0)
    window.viewer.original.toolbar.zoom_in.trigger()
    assert view.horizontalScrollBar().value() == 0

    # Ctrl+wheel still zooms about the mouse: the point under it stays under it.
    at = QPointF(vp.width() * 0.8, vp.height() * 0.6)
    under = view._page_point(at)
    _ctrl_wheel(view, at, 120)
    got = view._page_point(at)
    assert got[0] == under[0] and abs(got[1] - under[1]) < 2 and abs(got[2] - under[2]) < 2


# --- the builder --------------------------------------------------------------------------


def _builder_with(window: Any, tmp_path: Path, pages: list[str]) -> tuple[Any, int, int]:
    if window.builder is None:
        pytest.fail("this core build has no dossiers")
    pdf = make_pdf(tmp_path / f"r{len(pages)}.pdf", pages)
    report, _ = facade(window, lambda wb: wb.import_paths([pdf]))
    doc = report.imported[0].document_id
    did = facade(window, lambda wb: wb.create_dossier(f"Case {len(pages)}")).dossier_ids[0]
    item = facade(window, lambda wb: wb.add_item(did, document=doc)).item_ids[0]
    window.builder.open_dossier(did)
    assert window.builder.items.select_item(item)
    return window.builder, did, item


def _row_html(builder: Any, item: int) -> str:
    from ui.search.delegate import HTML_ROLE

    for i in range(builder.items.count()):
        if builder.items.item(i).data(ITEM_ID) == item:
            return str(builder.items.item(i).data(HTML_ROLE))
    raise AssertionError("exhibit not listed")


def test_pages_placeholder_counts_its_pages(window: Any, tmp_path: Path, qtbot: Any) -> None:
    builder, _did, _item = _builder_with(window, tmp_path, ["The one page of the statement."])
    row = builder.facsimile
    assert "the pages the passage spans" in row.pages.toolTip()
    row.check.click()
    assert row.pages.placeholderText() == "default: page 1"
    # the placeholder is not cut short
    fm = row.pages.fontMetrics()
    assert fm.horizontalAdvance("default: pages 12-14") < row.pages.minimumWidth()
    assert fm.horizontalAdvance("pages, e.g. 3-4,7") < row.pages.minimumWidth()

    builder, _did, _item = _builder_with(window, tmp_path, ["First page.", "Second page."])
    builder.facsimile.check.click()
    assert builder.facsimile.pages.placeholderText() == "default: pages 1-2"


def test_exhibit_row_says_it_is_shown_as_original_pages(window: Any, tmp_path: Path,
                                                        qtbot: Any) -> None:
    builder, _did, item = _builder_with(window, tmp_path,
                                        ["First page.", "The witness page.", "Last page."])
    assert "original page" not in _row_html(builder, item)
    builder.facsimile.check.click()
    assert "· original pages 1-3" in _row_html(builder, item)

    row = builder.facsimile
    row.pages.setFocus()
    qtbot.keyClicks(row.pages, "2")
    qtbot.keyClick(row.pages, Qt.Key.Key_Return)
    shown = _row_html(builder, item)
    assert "· original page 2" in shown and "original pages" not in shown

    assert builder.items.select_item(item)
    builder.facsimile.check.click()
    assert "original page" not in _row_html(builder, item)
