"""Search results and highlight cards grow with the text size (a walk set 150 %: every other
list grew, these kept their 100 % layout, cached without the font)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyleOptionViewItem

from ui.search.delegate import HTML_ROLE, RichDelegate


def test_a_row_is_laid_out_again_in_a_larger_font(qtbot: Any) -> None:
    view = QListWidget()
    qtbot.addWidget(view)
    view.resize(400, 300)
    delegate = RichDelegate(view)
    view.setItemDelegate(delegate)
    item = QListWidgetItem()
    item.setData(HTML_ROLE, "<div>A title</div><div>A snippet with some words in it.</div>")
    view.addItem(item)
    index: QModelIndex = view.model().index(0, 0)

    def height(points: float) -> int:
        option = QStyleOptionViewItem()
        font = QFont(view.font())
        font.setPointSizeF(points)
        option.font = font  # type: ignore[attr-defined]
        option.rect = view.visualRect(index)  # type: ignore[attr-defined]
        return delegate.sizeHint(option, index).height()

    small = height(10)
    assert height(15) > small * 1.3  # not the 10 pt layout again


def test_search_results_grow_with_the_text_size(window: Any, qtbot: Any, tmp_path: Any) -> None:
    from dataclasses import replace

    from PySide6.QtWidgets import QApplication

    from tests.ui.conftest import facade
    from ui import preferences

    src = tmp_path / "a.txt"
    src.write_text("A statement about the detention camp near the river. " * 3,
                   encoding="utf-8")
    facade(window, lambda wb: wb.import_paths([src]))
    facade(window, lambda wb: wb.wait_for_index(60))
    panel = window.search_panel
    window.search_field.setText("detention")
    window.run_search()
    qtbot.waitUntil(lambda: panel.results.count() == 1, timeout=10000)
    QApplication.processEvents()
    before = panel.results.visualItemRect(panel.results.item(0)).height()
    prefs = preferences.load()
    try:
        preferences.apply(QApplication.instance(), replace(prefs, text_size=150))
        qtbot.waitUntil(lambda: panel.results.visualItemRect(
            panel.results.item(0)).height() > before * 1.25, timeout=5000)
    finally:
        preferences.apply(QApplication.instance(), replace(prefs, text_size=100))
