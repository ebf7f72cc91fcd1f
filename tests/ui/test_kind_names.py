"""A document's kind has one name wherever the window shows it: the document list's Kind
column, the viewer's line under the title, the Original tab's notice, a search hit, the
search's kind filter (which still filters by the kind's code), the import plan and an entity's
mentions. (Fresh-user walk: "EMAIL" in the list, "e-mail" in the Entities tab.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tests.ui.conftest import facade, select_listed
from ui.kind_names import kind_name, kind_phrase
from ui.models.documents import COLUMNS

EML = """From: Researcher <r@example.org>
To: Team <t@example.org>
Subject: Witness statement received
Date: Mon, 5 Sep 2022 10:00:00 +0000
Content-Type: text/plain; charset=utf-8

The witness statement about the camp arrived today. The testimony describes forced labour.
"""
HTML = ("<html lang='en'><head><title>Saved page about the camp</title></head><body><p>The saved "
        "web page describes the camp and the testimony of detainees in detail.</p></body></html>")


def _files(tmp_path: Path) -> list[Path]:
    (tmp_path / "note.eml").write_text(EML, encoding="utf-8")
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")
    return [tmp_path / "note.eml", tmp_path / "page.html"]


def _import(window: Any, tmp_path: Path) -> dict[str, int]:
    """The e-mail and the web page imported through the window's import plan: {kind: id}."""
    window.imports.start(_files(tmp_path))
    plan = window.imports.plan_dialog
    model = plan.table.model()
    details = sorted(str(model.index(r, 2).data()).split(" · ")[0]
                     for r in range(model.rowCount()))
    assert details == ["E-mail", "Web page"]  # the import plan's own words
    plan.accept()
    window.imports.summary_dialog.accept()
    docs = facade(window, lambda wb: wb.list_documents())
    return {d["kind"]: int(d["id"]) for d in docs}


def test_one_name_for_each_kind() -> None:
    assert kind_name("email") == "E-mail" and kind_phrase("email") == "e-mail"
    assert kind_name("html") == "Web page" and kind_name("pdf") == "PDF"
    assert kind_name("docx") == "Word document" and kind_phrase("docx") == "Word document"
    assert kind_name("epub") == "EPUB"  # a kind this window does not know yet
    assert kind_name("") == "" and kind_name(None) == ""
    from workbench.extract.formats import FORMATS

    names = [kind_name(f.kind) for f in FORMATS]
    assert len(set(names)) == len(names), "two kinds with one name: the kind filter repeats it"


def test_the_list_the_viewer_and_the_mentions_say_the_same(window: Any, qtbot: Any,
                                                           tmp_path: Path) -> None:
    ids = _import(window, tmp_path)
    model = window.documents.model
    column = [key for key, _label in COLUMNS].index("kind")
    select_listed(window, ids["email"], qtbot)
    shown = {str(model.index(r, 0).data()): str(model.index(r, column).data())
             for r in range(model.rowCount())}
    assert shown == {"Witness statement received": "E-mail",
                     "Saved page about the camp": "Web page"}
    # whole in its tooltip, for a Kind column too narrow at a large text size
    assert {str(model.index(r, column).data(Qt.ItemDataRole.ToolTipRole))
            for r in range(model.rowCount())} == {"E-mail", "Web page"}

    window.open_document(ids["email"])
    assert window.viewer.meta.text().startswith("E-mail · ")
    original = window.viewer.original
    window.viewer.tabs.setCurrentWidget(original)
    original.ensure_loaded()
    assert "This e-mail is shown as reading text" in original.message.text()

    from ui.entities.mentions import origin

    assert origin({"kind": "email", "original_filename": "note.eml"})[0] == "E-mail · note.eml"
    assert origin({"kind": "html", "site": "example.org"})[0] == "Web page · example.org"


def test_search_hits_and_the_kind_filter_name_kinds_and_filter_by_code(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    _import(window, tmp_path)
    assert facade(window, lambda wb: wb.wait_for_index(60))
    window.focus_search()
    window.search_field.setText("testimony")
    window.run_search()
    panel = window.search_panel
    from ui.search.delegate import HTML_ROLE

    metas = sorted(str(panel.results.item(i).data(HTML_ROLE)).split("font-size:90%'>")[1]
                   .split(" · ")[0] for i in range(panel.results.count()))
    assert metas == ["E-mail", "Web page"]
    box = panel.facets["kind"]
    items = {box.itemText(i): box.itemData(i) for i in range(1, box.count())}
    assert items == {"E-mail (1)": "email", "Web page (1)": "html"}
    box.setCurrentIndex(box.findData("email"))
    box.activated.emit(box.currentIndex())
    assert panel.filters == {"kind": "email"}
    assert [h.kind for h in panel.hits] == ["email"]


def test_the_list_filter_finds_a_kind_by_its_name_and_its_code(window: Any, qtbot: Any,
                                                               tmp_path: Path) -> None:
    """"Filter by title, source, kind…": the Kind column says "Web page", so typing that finds
    the web page, as typing its code (``html``) still does."""
    ids = _import(window, tmp_path)
    panel = window.documents
    model = panel.model

    def listed(text: str) -> set[int]:
        panel.filter.clear()
        qtbot.keyClicks(panel.filter, text)
        qtbot.waitUntil(lambda: model.needle == text, timeout=3000)  # after the debounce
        return {model.document_id(r) for r in range(model.rowCount())} - {None}

    assert listed("web page") == {ids["html"]}
    assert listed("E-MAIL") == {ids["email"]}
    assert listed("html") == {ids["html"]}  # the code, as before
    assert listed("email") == {ids["email"]}
    assert listed("camp") == {ids["html"]}  # a title, as before
    assert listed("mail") == {ids["email"]}
