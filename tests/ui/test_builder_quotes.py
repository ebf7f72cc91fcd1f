"""The dossier builder shows an exhibit's passage in quotation marks once: a passage that
begins or ends with its own quotation mark was wrapped again, “”…”” (fresh-user walk, as the
highlight dialog did in session 16: ui/quoting.py). So do the highlight links (the links box
under the Highlights tab and the link dialog's list of highlights)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from tests.ui.conftest import facade
from tests.ui.test_highlight_dialog import _open_document
from ui.search.delegate import HTML_ROLE

TEXT = ('The guard said “move them at dawn” and left.\n'
        'The officer wrote "no visitors" on the door.\n'
        "A detainee said “we were beaten, every night.”\n"
        "Then the trucks came.\n")
# passage -> how the builder shows it
SHOWN = {
    "“move them at dawn”": "“move them at dawn”",
    '"no visitors"': '"no visitors"',
    "A detainee said “we were beaten, every night.”":
        "“A detainee said “we were beaten, every night.”",
    "Then the trucks came.": "“Then the trucks came.”",
}


def _quote(row_html: str) -> str:
    """The passage as a person reads it in an exhibit's row: its paragraph under the label,
    without tags or isolates, entities decoded."""
    found = re.search(r"<div dir='ltr'[^>]*>(.*?)</div>", row_html, re.DOTALL)
    assert found is not None, row_html
    text = html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))
    return text.replace("\u2068", "").replace("\u2069", "")


def test_the_builder_quotes_each_passage_once(window: Any, qtbot: Any, tmp_path: Path) -> None:
    assert window.builder is not None, "the window installed no dossier builder"
    _open_document(window, tmp_path, qtbot, TEXT)
    doc_id = window.viewer.doc_id

    def work(wb: Any) -> int:
        did = int(wb.create_dossier("Quotes").dossier_ids[0])
        for passage in SHOWN:
            hid = wb.add_highlight(doc_id, quote=passage, tags=["Quotes"]).highlight_ids[0]
            wb.add_item(did, highlight=int(hid))
        return did

    did = facade(window, work)
    window.refresh_sidebar()
    window.builder.open_dossier(did)
    window.show_dossier()
    items = window.builder.items
    quotes = sorted(_quote(str(items.item(i).data(HTML_ROLE))) for i in range(items.count())
                    if "<div dir='ltr'" in str(items.item(i).data(HTML_ROLE)))
    assert quotes == sorted(SHOWN.values())


def test_the_links_quote_the_other_passage_once() -> None:
    from ui.links.links_box import link_line
    from ui.links.picker import highlight_line

    passage = "A detainee said “we were beaten, every night.”"
    link = {"relation": "corroborates", "other": {"quote": passage, "title": "Statement"}}
    assert link_line(link).split("\n")[0].endswith(": “A detainee said “we were beaten, every "
                                                   "night.”")
    row = {"quote": "“move them at dawn”", "document_title": "Statement"}
    assert highlight_line(row).split("\n")[0] == "“move them at dawn”"
