"""Passages by tag through the real widgets: choose a tag, see its passages (its sub-tags'
too) across documents, sort and filter them, open one in place, export what is shown to CSV
and DOCX, and add the chosen ones to the open dossier (with notes as commentary)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog

from tests.ui.conftest import facade
from tests.ui.test_codebook import click_tag, coded_window


def _row_of(view: Any, quote: str) -> int:
    return next(i for i in range(view.proxy.rowCount())
                if view.proxy.index(i, 0).data() == quote)


def test_passages_by_tag_sort_filter_open_and_export(window: Any, tmp_path: Path, qtbot: Any,
                                                     monkeypatch: Any) -> None:
    data = coded_window(window, tmp_path)
    panel = window.codebook
    view = panel.passages
    click_tag(qtbot, panel, "Abuse")
    assert view.title.text() == "Passages: Abuse"
    assert view.model.rowCount() == 2  # its own and its sub-tag's, from both documents
    assert {view.proxy.index(i, 2).data() for i in range(2)} == {
        r["title"] for r in facade(window, lambda wb: wb.list_documents())}
    assert view.count.text() == "2 passages · 2 documents"

    # sort by source, then the other way round, with the header
    header = view.table.horizontalHeader()
    source = QPoint(header.sectionViewportPosition(2) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=source)
    titles = [r["document_title"] for r in view.shown_rows()]
    assert titles == sorted(titles, key=str.casefold)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=source)
    assert [r["document_title"] for r in view.shown_rows()] == titles[::-1]

    # filter: words of a note narrow the list
    qtbot.keyClicks(view.filter, "first-hand")
    assert view.proxy.rowCount() == 1 and view.count.text() == "1 of 2 passages · 1 document"
    assert view.proxy.index(0, 1).data() == "first-hand"

    # double-click opens the document at the passage
    rect = view.table.visualRect(view.proxy.index(0, 0))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    hl = facade(window, lambda wb: wb.get_highlight(data["ids"][0]))
    assert window.viewer.doc_id == data["camp"]
    assert window.viewer.text.mark_range == (hl["start"], hl["end"])

    # export what is shown (the filtered row) as CSV, then everything as DOCX
    out = tmp_path / "abuse.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.mouseClick(view.csv_button, Qt.MouseButton.LeftButton)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["quote"] for r in rows] == ["beat the workers"] and rows[0]["note"] == "first-hand"
    assert "Wrote 1 passage to" in panel.status.text()

    view.filter.clear()
    docx_out = tmp_path / "abuse"  # no suffix: the export adds it
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(docx_out), ""))
    qtbot.mouseClick(view.docx_button, Qt.MouseButton.LeftButton)
    import docx

    text = [p.text for p in docx.Document(str(tmp_path / "abuse.docx")).paragraphs]
    assert text[0] == "Passages: Abuse" and "beat them" in text and "beat the workers" in text
    events = [e for e in facade(window, lambda wb: wb.audit_events(object_type="highlights"))
              if e["type"] == "dissemination"]
    assert [e["details"]["format"] for e in events] == ["passages csv", "passages docx"]


def test_a_csv_cell_never_runs_as_a_formula(window: Any, tmp_path: Path, qtbot: Any,
                                            monkeypatch: Any) -> None:
    coded_window(window, tmp_path)
    panel = window.codebook
    click_tag(qtbot, panel, "Labour transfer")
    out = tmp_path / "labour.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    panel.passages.table.customContextMenuRequested.emit(
        panel.passages.table.viewport().rect().center())
    next(a for a in panel.passages.last_menu.actions() if a.text() == "Export CSV…").trigger()
    with open(out, encoding="utf-8-sig", newline="") as fh:
        assert next(csv.DictReader(fh))["note"] == "'=SUM(A1)"


def test_add_chosen_passages_to_the_open_dossier(window: Any, tmp_path: Path,
                                                 qtbot: Any) -> None:
    data = coded_window(window, tmp_path)
    if window.builder is None:
        return
    panel = window.codebook
    view = panel.passages
    click_tag(qtbot, panel, "Abuse")
    view.add_button.click()
    assert "dossier first" in panel.status.text()

    window.builder.create_dossier("Camp case")
    dossier_id = window.builder.dossier_id
    window.show_codebook()
    row = _row_of(view, "beat the workers")
    rect = view.table.visualRect(view.proxy.index(row, 0))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view.table.customContextMenuRequested.emit(rect.center())
    next(a for a in view.last_menu.actions()
         if a.text() == "Add to the open dossier, notes as commentary").trigger()
    entries = facade(window, lambda wb: wb.get_dossier(dossier_id))["entries"]
    assert [(e["highlight_id"], e["commentary"]) for e in entries] \
        == [(data["ids"][0], "first-hand")]
    assert panel.status.text() == "Added 1 passage to the dossier"

    # nothing selected: every shown passage, in the table's order, without commentary
    view.table.clearSelection()
    view.add_button.click()
    entries = facade(window, lambda wb: wb.get_dossier(dossier_id))["entries"]
    assert len(entries) == 3 and entries[-1]["commentary"] == ""
