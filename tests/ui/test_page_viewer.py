"""The Original tab's page view through its real widgets: zoom by keys and Ctrl+wheel keeping
the point under the mouse, fit width and fit page, go-to-page, Page Up/Down, Home/End, focus by
click, lazy rendering, images in the same view, and the Text and Original tabs on one page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.support.files import make_pdf


def _pages(n: int, repeat: int = 6) -> list[str]:
    return [f"Page {i} of the report. The witness described the camp in detail. " * repeat
            for i in range(1, n + 1)]


def _open_original(win: Any, path: Path, qtbot: Any) -> Any:
    win.activateWindow()
    win.imports.start([path])
    win.imports.plan_dialog.accept()
    win.imports.summary_dialog.accept()  # or it stays the active window, taking the shortcuts
    win.documents.table.selectRow(0)
    viewer = win.viewer
    viewer.tabs.setCurrentWidget(viewer.original)
    view = viewer.original.page_view
    assert view is not None and view.isVisible()
    qtbot.waitUntil(lambda: view.page_count > 0 and view.all_visible_sharp(), timeout=10000)
    return view


def _ctrl_wheel(view: Any, pos: QPointF, delta: int) -> None:
    event = QWheelEvent(pos, view.viewport().mapToGlobal(pos), QPoint(0, 0), QPoint(0, delta),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


def test_zoom_keys_and_ctrl_wheel(window: Any, tmp_path: Path, qtbot: Any) -> None:
    view = _open_original(window, make_pdf(tmp_path / "r.pdf", _pages(12)), qtbot)
    bar = window.viewer.original.toolbar
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(view.viewport().width() // 2, 40))
    assert view.window().focusWidget() is view  # a click on the page gives it the keys
    start = view.zoom
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom > start
    assert bar.zoom_label.text() == f"{round(view.zoom * 100)} %"
    bigger = view.zoom
    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom > bigger
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert abs(view.zoom - start) < 0.2 and view.zoom <= bigger

    # Ctrl+wheel zooms about the mouse: the page point under it stays under it
    view.go_to_page(3)
    x, y, w, h = view.pages.page_rect(2)
    at = QPointF(x + w * 0.7 - view.horizontalScrollBar().value(),
                 y + h * 0.4 - view.verticalScrollBar().value())
    before = view._page_point(at)
    zoom = view.zoom
    _ctrl_wheel(view, at, 120)
    assert view.zoom > zoom
    after = view._page_point(at)
    assert after[0] == before[0]
    assert abs(after[1] - before[1]) < 2 and abs(after[2] - before[2]) < 2
    _ctrl_wheel(view, at, -120)
    assert abs(view.zoom - zoom) < 1e-6
    qtbot.waitUntil(view.all_visible_sharp, timeout=10000)  # re-rendered at the new size


def test_fit_width_and_fit_page(window: Any, tmp_path: Path, qtbot: Any) -> None:
    view = _open_original(window, make_pdf(tmp_path / "r.pdf", _pages(4)), qtbot)
    bar = window.viewer.original.toolbar
    bar.fit_page.trigger()
    _x, _y, w, h = view.pages.page_rect(view.current)
    assert h <= view.viewport().height() and w <= view.viewport().width()
    bar.fit_width.trigger()
    _x, _y, w, h = view.pages.page_rect(view.current)
    assert view.viewport().width() - 60 <= w <= view.viewport().width()


def test_go_to_page_page_keys_home_end(window: Any, tmp_path: Path, qtbot: Any) -> None:
    view = _open_original(window, make_pdf(tmp_path / "r.pdf", _pages(12)), qtbot)
    bar = window.viewer.original.toolbar
    assert bar.indicator() == "Page 1 of 12"
    bar.page_field.setFocus()
    bar.page_field.selectAll()
    qtbot.keyClicks(bar.page_field, "7")
    qtbot.keyClick(bar.page_field, Qt.Key.Key_Return)
    assert view.current == 6 and bar.indicator() == "Page 7 of 12"
    assert view.window().focusWidget() is view  # back on the page: Page Down works at once
    qtbot.waitUntil(view.all_visible_sharp, timeout=10000)

    bar.fit_page.trigger()  # a whole page in view: Page Down turns one page
    assert view.current == 6
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.current == 7 and bar.indicator() == "Page 8 of 12"
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.current == 5
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert bar.indicator() == "Page 12 of 12"
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert bar.indicator() == "Page 1 of 12"

    view.set_zoom(3.0)  # a page taller than the view: Page Down reads on down the page
    view.go_to_page(1)
    top = view.verticalScrollBar().value()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.current == 0 and view.verticalScrollBar().value() > top


def test_pages_render_lazily(window: Any, tmp_path: Path, qtbot: Any) -> None:
    view = _open_original(window, make_pdf(tmp_path / "r.pdf", _pages(80)), qtbot)
    renderer = window.viewer.original.pdf_source.renderer
    assert 0 < len(renderer._cache) <= 6  # the pages in view and their neighbours, not 80
    view.go_to_page(60)
    qtbot.waitUntil(view.all_visible_sharp, timeout=10000)
    assert 59 in view.sharp and len(renderer._cache) <= 12


def test_text_and_original_tabs_stay_on_one_page(window: Any, tmp_path: Path,
                                                 qtbot: Any) -> None:
    # pages longer than the text view's screen, so each can be at its top
    view = _open_original(window, make_pdf(tmp_path / "r.pdf", _pages(10, 30)), qtbot)
    viewer = window.viewer
    text = viewer.text
    viewer.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: text.isVisible())
    text.scroll_to_page(5)
    assert text.visible_page() == 5
    viewer.tabs.setCurrentWidget(viewer.original)
    assert view.current == 4  # text on page 5 -> the page view opens on page 5

    view.go_to_page(9)
    viewer.tabs.setCurrentIndex(0)
    assert text.visible_page() == 9  # and back


def test_image_document_in_the_page_view(window: Any, tmp_path: Path, qtbot: Any) -> None:
    img = QImage(400, 300, QImage.Format.Format_RGB32)
    img.fill(Qt.GlobalColor.darkGreen)
    path = tmp_path / "photo.png"
    img.save(str(path))
    view = _open_original(window, path, qtbot)
    assert view.page_count == 1 and view.pages.sizes[0] == (400.0, 300.0)
    zoom = view.zoom
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom > zoom


def test_page_keys_are_in_the_shortcuts_list(qapp: Any) -> None:
    from ui.actions import shortcut_rows

    rows = dict(shortcut_rows())
    assert rows["Zoom the page in / out (Original tab)"] == "Ctrl+= / Ctrl+-"
    assert rows["Previous / next page (Original tab)"] == "Page Up / Page Down"
    assert rows["Select a region of the page (Original tab)"] == "Shift+drag"


def test_every_page_tool_shows_in_a_narrow_pane(window: Any, tmp_path: Path, qtbot: Any) -> None:
    """Each tool is a button, or in a labelled "Fit ▾" / "Tools ▾" menu button beside them;
    none hides in an overflow box a new user won't open (tests/ui/test_page_polish.py)."""
    _open_original(window, make_pdf(tmp_path / "r.pdf", _pages(2)), qtbot)
    bar = window.viewer.original.toolbar
    assert bar.width() < 500  # the test window's viewer pane is narrow
    for action in (bar.zoom_out, bar.zoom_in, bar.fit_width, bar.fit_page, bar.region,
                   bar.redact, bar.words):
        if not action.isVisible():
            continue  # a tool this core build does not offer
        button = bar.button_for(action)
        if not button.isVisible():
            button = bar.menu_button_for(action)
            assert button is not None and action in button.menu().actions(), action.text()
        assert button.isVisible() and bar.rect().contains(button.geometry()), action.text()
    assert bar.page_field.isVisible()


def test_a_long_file_name_does_not_widen_the_original_tab(window: Any, tmp_path: Path,
                                                          qtbot: Any) -> None:
    name = "UN-report-on-the-conditions-in-the-detention-facilities-of-the-region-" * 2 + ".pdf"
    _open_original(window, make_pdf(tmp_path / name, _pages(1)), qtbot)
    original = window.viewer.original
    assert name in original.caption.toolTip()
    assert original.minimumSizeHint().width() < 400
