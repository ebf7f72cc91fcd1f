"""A passage is shown in its quotation marks without the spaces or line break it was selected
with: a selection ending after a word's space was shown “…has not been seen ” (fresh-user walk:
the highlight dialog, the Highlights tab). ``ui/quoting.py`` is the one place for quoting; the
highlight dialog, the Highlights tab, the links, the chronology's sources and the dossier
builder's exhibits all show the passage trimmed inside its marks."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import facade
from tests.ui.test_builder_quotes import _quote
from tests.ui.test_highlight_dialog import _open_document, _press_h_on
from ui.search.delegate import HTML_ROLE

TEXT = ("She says her brother was taken from his home and has not been seen since.\n"
        "The trucks came at night.\n")


@pytest.mark.parametrize(("passage", "shown"), [
    ("has not been seen ", "“has not been seen”"),  # the space after the last word
    (" her brother", "“her brother”"),  # the space before the first
    ("at night.\n", "“at night.”"),  # the line's end
])
def test_the_highlight_dialog_trims_the_passage(window: Any, tmp_path: Path, qtbot: Any,
                                                passage: str, shown: str) -> None:
    _open_document(window, tmp_path, qtbot, TEXT)
    dialog = _press_h_on(window, qtbot, passage)
    assert dialog.quote.text() == shown
    dialog.reject()


def test_quoted_trims_inside_the_marks() -> None:
    from ui.quoting import quoted

    assert quoted("has not been seen ") == "“has not been seen”"
    assert quoted("\u00a0 line one\n") == "“line one”"
    assert quoted(" “move them at dawn” ") == "“move them at dawn”"  # its own marks, trimmed
    assert quoted("said “we were beaten.” \n") == "“said “we were beaten.”"


def test_saved_passages_are_shown_trimmed(window: Any, tmp_path: Path, qtbot: Any) -> None:
    """The Highlights tab's row, the edit dialog, a link's line and a dossier exhibit."""
    from ui.links.links_box import link_line
    from ui.links.picker import highlight_line

    _open_document(window, tmp_path, qtbot, TEXT)
    doc_id = window.viewer.doc_id
    passage = "has not been seen "

    def work(wb: Any) -> tuple[int, int]:
        hid = int(wb.add_highlight(doc_id, quote=passage, tags=["Missing"]).highlight_ids[0])
        did = int(wb.create_dossier("Missing").dossier_ids[0])
        wb.add_item(did, highlight=hid)
        return hid, did

    _hid, did = facade(window, work)
    window.viewer.reload()
    pane = window.highlighter.pane
    window.viewer.tabs.setCurrentWidget(pane)
    item = pane.list.item(0)
    shown = "“has not been seen”"
    assert item.data(Qt.ItemDataRole.AccessibleTextRole).split("\n")[0] == shown
    assert f"<div>{html.escape(shown)}</div>" in item.data(HTML_ROLE)
    rect = pane.list.visualItemRect(item)
    qtbot.mouseClick(pane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(pane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = window.highlighter.dialog
    assert dialog is not None and dialog.quote.text() == shown
    dialog.reject()

    other = {"quote": passage, "title": "Statement"}
    assert link_line({"relation": "corroborates", "other": other}).split("\n")[0] \
        .endswith(": " + shown)
    assert highlight_line({"quote": passage, "document_title": "S"}).split("\n")[0] == shown

    window.refresh_sidebar()
    window.builder.open_dossier(did)
    window.show_dossier()
    items = window.builder.items
    quotes = [_quote(str(items.item(i).data(HTML_ROLE))) for i in range(items.count())
              if "<div dir='ltr'" in str(items.item(i).data(HTML_ROLE))]
    assert quotes == [shown]
