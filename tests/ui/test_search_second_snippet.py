"""A click on a hit's second snippet opens the document at that snippet's match (session 15's
walk: any click opened the first match, though two places were shown)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt

from tests.ui.conftest import facade
from ui.search.delegate import HTML_ROLE, PAD

FILLER = "The delegation visited several towns and spoke with officials there. " * 5
TEXT = "A first camp was seen near the river. " + FILLER + "A second camp stood by the road."


def _point_in_snippet(panel: Any, row: int, snippet: int) -> QPoint:
    """Where a person clicks on the ``snippet``-th snippet line of ``row``."""
    item = panel.results.item(row)
    rect = panel.results.visualItemRect(item)
    # the row's laid-out document, as the delegate painted it
    doc = next(d for k, d in panel.results.itemDelegate()._cache.items()
               if k[0] == item.data(HTML_ROLE))
    block = doc.findBlockByNumber(2 + snippet)  # the title, the meta line, each snippet
    line = block.layout().lineForTextPosition(3)
    top = doc.documentLayout().blockBoundingRect(block).top() + line.y() + line.height() / 2
    return QPoint(rect.left() + PAD + 30, int(rect.top() + PAD + top))


def test_clicking_the_second_snippet_opens_its_match(window: Any, qtbot: Any,
                                                    tmp_path: Path) -> None:
    src = tmp_path / "camps.txt"
    src.write_text(TEXT, encoding="utf-8")
    facade(window, lambda wb: wb.import_paths([src]))
    facade(window, lambda wb: wb.wait_for_index(60))
    panel = window.search_panel
    window.search_field.setText("camp")
    window.run_search()
    qtbot.waitUntil(lambda: panel.results.count() == 1, timeout=10000)
    assert len(panel.hits[0].snippets) == 2
    panel.results.viewport().repaint()  # the rows are laid out as they are painted
    second = TEXT.index("second camp") + len("second ")
    qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton,
                     pos=_point_in_snippet(panel, 0, 1))
    qtbot.waitUntil(lambda: window.viewer.text.mark_range is not None, timeout=10000)
    assert window.viewer.text.mark_range == (second, second + 4)

    first = TEXT.index("camp")
    qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton,
                     pos=_point_in_snippet(panel, 0, 0))
    qtbot.waitUntil(lambda: window.viewer.text.mark_range == (first, first + 4), timeout=10000)
