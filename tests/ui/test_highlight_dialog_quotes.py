"""The highlight dialog and the Highlights tab show a passage in quotes once: a passage that
ends with its own closing quote (or starts with its opening one) was wrapped again, “…””
(session 16's walk)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import facade
from tests.ui.test_highlight_dialog import _open_document, _press_h_on
from ui.search.delegate import HTML_ROLE

TEXT = ('The guard said “move them at dawn” and left.\n'
        'The officer wrote "no visitors" on the door.\n'
        "A detainee said “we were beaten, every night.”\n"
        "Then the trucks came.\n")


@pytest.mark.parametrize(("passage", "shown"), [
    ("“move them at dawn”", "“move them at dawn”"),  # both its own: shown as it is
    ('"no visitors"', '"no visitors"'),
    ("A detainee said “we were beaten, every night.”",  # ends with its own closing quote
     "“A detainee said “we were beaten, every night.”"),
    ("“we were beaten", "“we were beaten”"),  # starts with its own opening quote
    ('wrote "no visitors"', '“wrote "no visitors"'),
    ("Then the trucks came.", "“Then the trucks came.”"),  # none of its own: wrapped
])
def test_the_passage_is_quoted_once(window: Any, tmp_path: Path, qtbot: Any, passage: str,
                                    shown: str) -> None:
    _open_document(window, tmp_path, qtbot, TEXT)
    dialog = _press_h_on(window, qtbot, passage)
    assert dialog.quote.text() == shown
    dialog.reject()


def test_the_highlights_tab_and_its_edit_dialog_quote_it_once(window: Any, tmp_path: Path,
                                                               qtbot: Any) -> None:
    """The same passage, saved: its row in the Highlights tab (also read by screen readers)
    and the dialog a double-click opens to edit it."""
    _open_document(window, tmp_path, qtbot, TEXT)
    passage = "A detainee said “we were beaten, every night.”"
    doc_id = window.viewer.doc_id
    facade(window, lambda wb: wb.add_highlight(doc_id, quote=passage, tags=["Abuse"]))
    window.viewer.reload()
    pane = window.highlighter.pane
    window.viewer.tabs.setCurrentWidget(pane)
    item = pane.list.item(0)
    shown = "“A detainee said “we were beaten, every night.”"
    assert item.data(Qt.ItemDataRole.AccessibleTextRole).split("\n")[0] == shown
    assert f"<div>{html.escape(shown)}</div>" in item.data(HTML_ROLE)
    rect = pane.list.visualItemRect(item)
    qtbot.mouseClick(pane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(pane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = window.highlighter.dialog
    assert dialog is not None and dialog.windowTitle() == "Edit highlight"
    assert dialog.quote.text() == shown
    dialog.reject()
