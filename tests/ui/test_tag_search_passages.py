"""Choosing a tag in the sidebar lists each document with the passage tagged, marked, and
opening a hit goes to that passage (session 15's walk: the snippet was the text's opening).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tests.ui.conftest import facade
from ui.search.delegate import HTML_ROLE
from ui.search.render import MARK

FILLER = "The committee met in the capital and heard the delegations in turn. " * 8
PASSAGE = "Witnesses described detention without charge for eleven months."
TEXT = FILLER + PASSAGE + " The end."


def test_a_tag_chosen_in_the_sidebar_shows_its_passages(window: Any, qtbot: Any,
                                                        tmp_path: Path) -> None:
    src = tmp_path / "report.txt"
    src.write_text(TEXT, encoding="utf-8")
    facade(window, lambda wb: wb.import_paths([src]))
    doc = facade(window, lambda wb: wb.list_documents())[0]["id"]
    facade(window, lambda wb: wb.add_highlight(doc, PASSAGE, tags=["Arbitrary detention"]))
    facade(window, lambda wb: wb.wait_for_index(60))
    window.refresh_sidebar()

    tree = window.sidebar
    item = next(tree.topLevelItem(i).child(j) for i in range(tree.topLevelItemCount())
                for j in range(tree.topLevelItem(i).childCount())
                if tree.topLevelItem(i).child(j).text(0).startswith("Arbitrary detention"))
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tree.visualItemRect(item).center())
    panel = window.search_panel
    qtbot.waitUntil(lambda: panel.results.count() == 1, timeout=10000)
    html = panel.results.item(0).data(HTML_ROLE)
    assert MARK[0] + PASSAGE + MARK[1] in html
    assert "The committee met in the capital" not in html.split(MARK[0])[0][-60:]

    row = panel.results.visualItemRect(panel.results.item(0)).center()
    qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=row)
    view = window.viewer.text
    qtbot.waitUntil(lambda: view.textCursor().hasSelection() or bool(view.extraSelections()),
                    timeout=10000)
    start = TEXT.index(PASSAGE)
    marked = [(s.cursor.selectionStart(), s.cursor.selectionEnd())
              for s in view.extraSelections()] or [
        (view.textCursor().selectionStart(), view.textCursor().selectionEnd())]
    assert any(a <= start < b for a, b in marked), marked
