"""The main path through the real widgets: import → search → open hit → select → highlight with a
tag → add to a dossier → reorder → redact → export, checked in the library and the export."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import facade


def _import_corpus(win: Any, corpus_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(corpus_dir.glob("*.txt")):
        shutil.copy(p, src / p.name)
    win.imports.start([src])
    win.imports.plan_dialog.accept()
    assert len(win.imports.summary_dialog.report.imported) == 3


def test_main_path(window: Any, corpus_dir: Path, tmp_path: Path) -> None:
    if window.search_panel is None or window.highlighter is None or window.builder is None:
        pytest.fail("this core build lacks search, highlights or dossiers")
    _import_corpus(window, corpus_dir, tmp_path)
    assert facade(window, lambda wb: wb.wait_for_index(60))

    # search with Ctrl+K's field; hits carry emphasised snippets
    window.focus_search()
    window.search_field.setText("Obokata")
    window.run_search()
    panel = window.search_panel
    assert window.middle.currentWidget() is panel
    assert panel.hits and panel.total >= 1
    from ui.search.delegate import HTML_ROLE

    assert "Obokata" in panel.results.item(0).data(HTML_ROLE)
    assert "font-weight:600'>Obokata<" in panel.results.item(0).data(HTML_ROLE)

    # a facet filter narrows the hits, "All" widens them again
    kinds = panel.facets["kind"]
    assert kinds.count() >= 2
    kinds.setCurrentIndex(1)
    panel._facet_changed("kind")
    assert panel.filters == {"kind": kinds.itemData(1)}
    assert all(h.kind == kinds.itemData(1) for h in panel.hits)
    kinds.setCurrentIndex(0)
    panel._facet_changed("kind")
    assert panel.filters == {}

    # opening a hit scrolls the viewer to the match and marks it
    panel.open_hit(0)
    hit = panel.hits[0]
    viewer = window.viewer
    assert viewer.doc_id == hit.document_id
    start, end = viewer.text.mark_range
    assert viewer.text_info.text[start:end] == "Obokata"

    # select a passage and highlight it with a tag and a note (shortcut H's action)
    layer = viewer.text_info.text
    quote = "reasonable to conclude that forced labor among Uyghur"
    q0 = layer.index(quote)
    viewer.text.select_range(q0, q0 + len(quote))
    window.acts["highlight"].trigger()
    dialog = window.highlighter.dialog
    assert dialog is not None
    dialog.pick("Evidence/Forced labour")
    dialog.pick("证据/强迫劳动")  # non-Latin tag path, entered without keyClicks
    dialog.note.setPlainText("Core finding of the Special Rapporteur")
    dialog.accept()
    hl = facade(window, lambda wb: wb.list_highlights(doc=hit.document_id))
    assert len(hl) == 1
    assert hl[0]["quote"] == quote
    assert set(hl[0]["tags"]) == {"Evidence/Forced labour", "证据/强迫劳动"}
    assert hl[0]["note"] == "Core finding of the Special Rapporteur"
    # painted in the viewer, listed in the Highlights tab, tags in the sidebar
    assert [(h.start, h.end) for h in viewer.text.highlights] == [(q0, q0 + len(quote))]
    assert window.highlighter.pane.list.count() == 1
    tag_names = {t["path"] for t in window.sidebar_data["tags"]}
    assert "Evidence/Forced labour" in tag_names

    # clicking the highlight opens it for editing; retag it
    window.highlighter.edit(hl[0]["id"])
    edit = window.highlighter.dialog
    edit.tag_list.findItems("证据/强迫劳动", Qt.MatchFlag.MatchExactly)[0].setCheckState(
        Qt.CheckState.Unchecked)
    edit.accept()
    hl = facade(window, lambda wb: wb.list_highlights(doc=hit.document_id))
    assert hl[0]["tags"] == ["Evidence/Forced labour"]

    # a dossier: the highlight (selected in the Highlights tab, Ctrl+D) and a whole document
    builder = window.builder
    builder.create_dossier("Forced labour — case file")
    assert builder.dossier_id is not None
    window.highlighter.pane.list.setCurrentRow(0)
    window.acts["add_to_dossier"].trigger()
    other = next(d for d in facade(window, lambda wb: wb.list_documents())
                 if d["id"] != hit.document_id)
    builder.add([], [other["id"]])
    entries = facade(window, lambda wb: wb.get_dossier(builder.dossier_id))["entries"]
    assert [e["kind"] for e in entries] == ["highlight", "document"]
    assert builder.items.entry_ids() == [e["id"] for e in entries]

    # reorder by the list's own move: the document goes first; labels follow the core
    builder.items.request_move(entries[1]["id"], 0)
    entries = facade(window, lambda wb: wb.get_dossier(builder.dossier_id))["entries"]
    assert [e["kind"] for e in entries] == ["document", "highlight"]
    assert builder.items.entry_ids() == [e["id"] for e in entries]

    # commentary and a redaction
    builder.items.setCurrentRow(1)
    builder.commentary.setPlainText("Shows the finding in the Rapporteur's own words.")
    builder._save_commentary()
    builder.redact("Uyghur", "protect the community named in the quote")
    data = facade(window, lambda wb: wb.get_dossier(builder.dossier_id))
    assert data["redactions"] and data["redactions"][0]["text"] == "Uyghur"
    assert builder.redactions.count() == 1

    # export (HTML, Bates prefix) on the worker; the file has no redacted word
    out = tmp_path / "export" / "dossier.html"
    out.parent.mkdir()
    builder.format.setCurrentIndex(builder.format.findData("html"))
    builder.export(out, "html", "NGO-")
    assert builder.last_export is not None, builder.status.text()
    assert out.exists()
    body = out.read_text(encoding="utf-8")
    assert "Uyghur" not in body
    assert "reasonable to conclude that forced labor among" in body
    assert "Shows the finding" in body
    assert builder.result_box is not None
    events = facade(window, lambda wb: wb.audit_events(object_type="dossier"))
    assert any(e.get("event_type") == "dissemination" or "dissem" in str(e) for e in events)
