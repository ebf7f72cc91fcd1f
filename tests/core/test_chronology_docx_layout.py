"""The chronology's DOCX (session 17, a fresh-user walk, out/chrono-1.png): its four columns
were equal, so the sources were cramped and a tag broke as "Detention/Arrest s"; and a quote
was put in “…” even when the passage had quotation marks of its own (“”…””). The columns now
have widths that suit them (the date narrow, the statement wide, the sources wide enough for
a title, a page and a short hash, the status for a tag), every cell says its width (Word and
LibreOffice each read a different one), tags go one a line, and the quote marks follow the
one rule the window uses (workbench/quoting.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.shared import Inches

from workbench.chronology.export import write_docx

SHA = "b49bfa9d0dcd3492da6064f476a852b275e982d0395c2221edb7c3d1b304ae92"


def _event(statement: str, quote: str, tags: list[str]) -> dict[str, Any]:
    return {"id": 1, "date": {"text": "5 March 2018", "from": "2018-03-05", "to": "2018-03-05",
                              "kind": "exact"},
            "statement": statement, "status": "disputed", "tags": tags, "note": "private",
            "sources": [{"highlight_id": 1, "document_id": 1, "quote": quote, "page": 1,
                         "title": "Witness statement W-14 (March 2018 detention)",
                         "sha256": SHA}]}


def _write(tmp_path: Path, rows: list[dict[str, Any]]) -> Any:
    path = tmp_path / "chronology.docx"
    assert write_docx(path, rows) == len(rows)
    return docx.Document(str(path))


def test_the_columns_suit_their_content_and_every_cell_says_its_width(tmp_path: Path) -> None:
    d = _write(tmp_path, [_event("W-14's brother taken from his home in Kashgar by police",
                                 "he says her brother was taken", ["Detention/Arrests",
                                                                   "Forced labour"])])
    table = d.tables[0]
    section = d.sections[0]
    usable = section.page_width - section.left_margin - section.right_margin
    widths = [int(c.width) for c in table.columns]
    date, statement, status, sources = widths
    assert abs(sum(widths) - usable) <= Inches(0.05)  # the table spans the text width
    assert max(widths) == statement and date == min(widths)
    assert date <= Inches(1.2)  # narrow: "5 March 2018"
    assert statement >= Inches(1.8) and sources >= Inches(1.8)  # title, page, short hash
    # "Detention/Arrests" on one line, in a wide font (DejaVu Serif 9 pt: 1.13 in) too
    assert status >= Inches(1.13 + 0.16)
    for row in table.rows:  # Word reads the cells' widths, LibreOffice the grid's
        assert [int(c.width) for c in row.cells] == widths
    assert table.autofit is False  # Word would otherwise share the width out again
    layout = table._tbl.tblPr.find(docx.oxml.ns.qn("w:tblLayout"))
    assert layout is not None and layout.get(docx.oxml.ns.qn("w:type")) == "fixed"
    # tags one a line under the status; the citation on its own line under the quote
    status_cell = table.rows[1].cells[2].text.split("\n")
    assert status_cell == ["disputed", "Tags:", "Detention/Arrests", "Forced labour"]
    assert table.rows[1].cells[3].text.split("\n")[-1] == \
        "Witness statement W-14 (March 2018 detention), p. 1, SHA-256 b49bfa9d0dcd"
    # a chronology with short tags gives the statement the room
    narrow = _write(tmp_path, [_event("taken", "taken", ["Camps"])]).tables[0]
    assert int(narrow.columns[2].width) <= Inches(1.0)
    assert int(narrow.columns[1].width) > statement


def test_a_quote_is_put_in_quotation_marks_once(tmp_path: Path) -> None:
    rows = [_event("one", "“He was taken,” she said, “at night.”", []),
            _event("two", '"vocational training centre"', []),
            _event("three", "he was taken at night", [])]
    d = _write(tmp_path, rows)
    quotes = [r.cells[3].text.split("\n")[0] for r in d.tables[0].rows[1:]]
    assert quotes == ["“He was taken,” she said, “at night.”",
                      '"vocational training centre"',
                      "“he was taken at night”"]


def test_the_window_and_the_core_quote_by_one_rule() -> None:
    import ui.quoting
    import workbench.quoting

    assert ui.quoting.quoted is workbench.quoting.quoted
    assert ui.quoting.quote_marks is workbench.quoting.quote_marks
