"""Records a user can correct: current beside captured values, validation, revert, audit, index,
and the citations, CSL-JSON and provenance appendix that read the corrected record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.dossier.citations import csl_item, provenance_rows, source_from
from workbench.errors import UserError
from workbench.ingest import ImportOptions
from workbench.models import Document
from workbench.records import apply_edit, clean_value, record_of
from workbench.services import Workbench

CAPTURED_URL = "https://www.example.org/news/2022/report"


def _doc(wb: Workbench, tmp_path: Path, title: str = "report",
         text: str = "The special rapporteur's report on forced labour in the region. ") -> int:
    path = tmp_path / "doc.txt"
    path.write_text(f"{title}\n\n{text * 3}\n", encoding="utf-8")
    report, _ = wb.import_paths([path], ImportOptions(source_url=CAPTURED_URL))
    [doc_id] = [o.document_id for o in report.imported if o.document_id]
    return doc_id


def _record(wb: Workbench, doc_id: int) -> dict[str, dict[str, object]]:
    return wb.show_document(doc_id)["record"]


def test_a_fresh_record_is_as_captured(wb: Workbench, tmp_path: Path) -> None:
    doc_id = _doc(wb, tmp_path)
    rec = _record(wb, doc_id)
    assert list(rec) == ["title", "author", "published", "source_url", "site", "language"]
    assert rec["title"] == {"value": "report", "captured": "report", "corrected": False}
    assert rec["source_url"] == {"value": CAPTURED_URL, "captured": CAPTURED_URL,
                                 "corrected": False}


def test_correction_keeps_the_captured_value_through_a_second_correction(
        wb: Workbench, tmp_path: Path) -> None:
    doc_id = _doc(wb, tmp_path)
    changes = wb.edit_document(doc_id, title="UN report, 31 August 2022", author="OHCHR",
                               published="2022-08-31", site="OHCHR",
                               source_url="https://www.ohchr.org/en/documents/report",
                               language="en-GB")
    assert changes.documents and changes.records and changes.index
    assert changes.document_ids == [doc_id]
    wb.edit_document(doc_id, title="OHCHR assessment")
    rec = _record(wb, doc_id)
    assert rec["title"] == {"value": "OHCHR assessment", "captured": "report", "corrected": True}
    assert rec["author"] == {"value": "OHCHR", "captured": None, "corrected": True}
    assert rec["language"]["value"] == "en"  # the region is dropped: lang: searches by language
    assert rec["source_url"] == {"value": "https://www.ohchr.org/en/documents/report",
                                 "captured": CAPTURED_URL, "corrected": True}
    shown = wb.show_document(doc_id)
    # The columns hold the corrected value; the collection record is never rewritten.
    assert shown["title"] == "OHCHR assessment" and shown["published"] == "2022-08-31"
    assert shown["collection_record"]["source_url"] == CAPTURED_URL
    assert wb.list_documents()[0]["title"] == "OHCHR assessment"


def test_revert_and_setting_the_captured_value_both_end_the_correction(
        wb: Workbench, tmp_path: Path) -> None:
    doc_id = _doc(wb, tmp_path)
    wb.edit_document(doc_id, title="Corrected", site="OHCHR",
                     source_url="https://www.ohchr.org/x")
    wb.edit_document(doc_id, revert=["title", "source_url"])
    wb.edit_document(doc_id, site="")  # back to the captured "none"
    rec = _record(wb, doc_id)
    assert all(not f["corrected"] for f in rec.values())
    assert rec["title"]["value"] == "report" and rec["source_url"]["value"] == CAPTURED_URL
    assert "corrections" not in wb.show_document(doc_id)["extra"]


def test_empty_value_clears_a_field_but_not_the_title(wb: Workbench, tmp_path: Path) -> None:
    doc_id = _doc(wb, tmp_path)
    wb.edit_document(doc_id, author="Someone")
    wb.edit_document(doc_id, revert=["author"])
    wb.edit_document(doc_id, published="2022")
    wb.edit_document(doc_id, published="  ")
    assert _record(wb, doc_id)["published"]["value"] is None
    with pytest.raises(UserError, match="title cannot be empty") as err:
        wb.edit_document(doc_id, title=" ")
    assert err.value.hint and "revert" in err.value.hint


@pytest.mark.parametrize(("field", "value", "message"), [
    ("published", "31/08/2022", "not a publication date"),
    ("published", "2022-02-30", "not a publication date"),
    ("published", "2022-13", "not a publication date"),
    ("language", "English", "not a language code"),
    ("language", "e1", "not a language code"),
    ("source_url", "www.ohchr.org/report", "not a web address"),
    ("source_url", "ftp://example.org/x", "not a web address"),
    ("source_url", "https://exa mple.org/", "not a web address"),
    ("author", "red \x1b[31mtext", "control characters"),
    ("kind", "pdf", "Cannot edit kind"),
])
def test_invalid_values_are_refused_with_a_hint(field: str, value: str, message: str) -> None:
    with pytest.raises(UserError, match=message) as err:
        clean_value(field, value)
    assert err.value.hint


@pytest.mark.parametrize(("field", "value", "stored"), [
    ("published", "2022", "2022"), ("published", "2022-08", "2022-08"),
    ("published", " 2022-08-31 ", "2022-08-31"), ("language", "ZH_cn", "zh"),
    ("language", "ug", "ug"), ("source_url", "HTTP://Example.org", "HTTP://Example.org"),
    ("site", "  China Digital Times ", "China Digital Times"),
])
def test_valid_values_are_stored_cleaned(field: str, value: str, stored: str) -> None:
    assert clean_value(field, value) == stored


def test_one_invalid_value_writes_nothing(wb: Workbench, tmp_path: Path) -> None:
    doc_id = _doc(wb, tmp_path)
    events = len(wb.audit_events())
    with pytest.raises(UserError):
        wb.edit_document(doc_id, title="Good title", published="last year")
    assert _record(wb, doc_id)["title"]["value"] == "report"
    assert len(wb.audit_events()) == events


def test_value_and_revert_of_one_field_conflict(wb: Workbench, tmp_path: Path) -> None:
    doc_id = _doc(wb, tmp_path)
    with pytest.raises(UserError, match="Both a new value and a revert"):
        wb.edit_document(doc_id, title="X", revert=["title"])


def test_each_edit_is_one_audit_event_with_old_and_new(wb: Workbench, tmp_path: Path) -> None:
    doc_id = _doc(wb, tmp_path)
    wb.edit_document(doc_id, title="First", author="OHCHR")
    wb.edit_document(doc_id, title="Second")
    wb.edit_document(doc_id, revert=["title"])
    unchanged = wb.edit_document(doc_id, author="OHCHR")  # no change: no event
    assert unchanged.document_ids == [] and not unchanged.documents
    events = [e for e in wb.audit_events(object_type="document", object_id=str(doc_id))
              if e["type"] == "modification"]
    assert [e["details"]["changes"] for e in events] == [
        [{"field": "title", "old": "report", "new": "First", "reverted": False},
         {"field": "author", "old": None, "new": "OHCHR", "reverted": False}],
        [{"field": "title", "old": "First", "new": "Second", "reverted": False}],
        [{"field": "title", "old": "Second", "new": "report", "reverted": True}],
    ]
    assert events[0]["details"]["fields"] == ["title", "author"]
    assert wb.verify()["ok"]


def test_title_language_and_url_corrections_reach_the_index(wb: Workbench,
                                                            tmp_path: Path) -> None:
    doc_id = _doc(wb, tmp_path)
    wb.edit_document(doc_id, title="Quagga assessment", language="ug",
                     source_url="https://archive.correct-host.net/page")
    assert wb.wait_for_index(30)

    def hits(query: str) -> set[int]:
        return {h.document_id for h in wb.search(query, limit=10).hits}

    assert hits("title:quagga") == {doc_id}
    assert hits("lang:ug") == {doc_id}
    assert hits("source:correct-host.net") == {doc_id}
    assert hits("source:example.org") == {doc_id}  # the captured address still finds it
    assert not wb.edit_document(doc_id, author="Nobody indexed").index


def test_record_of_reads_the_rows(wb: Workbench, tmp_path: Path) -> None:
    doc_id = _doc(wb, tmp_path)
    wb.edit_document(doc_id, site="OHCHR", source_url="https://www.ohchr.org/x")
    with wb.library.read() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        record = record_of(doc)
        assert [f.name for f in record.corrections] == ["source_url", "site"]
        assert record["site"].label == "Site" and record.value("site") == "OHCHR"
        assert record_of(doc, None)["source_url"].captured is None  # no collection record
    assert wb.document_record(doc_id).to_json() == _record(wb, doc_id)


def test_apply_edit_changes_nothing_for_equal_values(wb: Workbench, tmp_path: Path) -> None:
    doc_id = _doc(wb, tmp_path)
    with wb.library.read() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        assert apply_edit(doc, doc.collection_record, {"title": " report "}, ["author"]) == []


def test_citation_csl_and_appendix_use_corrected_values(wb: Workbench, tmp_path: Path) -> None:
    doc_id = _doc(wb, tmp_path)
    wb.edit_document(doc_id, title="UN assessment", author="OHCHR", language="fr",
                     published="2022-08-31", source_url="https://www.ohchr.org/report")
    with wb.library.read() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        src = source_from(doc, doc.collection_record)
    item = csl_item(src)
    assert item["title"] == "UN assessment" and item["author"] == [{"literal": "OHCHR"}]
    assert item["URL"] == "https://www.ohchr.org/report"
    assert item["issued"] == {"date-parts": [[2022, 8, 31]]} and item["language"] == "fr"
    rows = dict(provenance_rows(src))
    assert rows["Title"] == "UN assessment" and rows["Title as captured"] == "report"
    assert rows["Author"] == "OHCHR" and rows["Author as captured"] == "—"
    assert rows["Source URL"] == "https://www.ohchr.org/report"
    assert rows["Source URL as captured"] == CAPTURED_URL
    assert rows["Language"] == "fr" and rows["Language as captured"] == "en"
    labels = [k for k, _ in provenance_rows(src)]
    assert labels.index("Title as captured") == labels.index("Title") + 1
    assert "Site as captured" not in rows  # only fields that differ


def test_exports_show_both_values_and_redact_the_captured_one(wb: Workbench,
                                                               tmp_path: Path) -> None:
    """The appendix of the HTML and DOCX exports shows corrected and captured values; a
    redacted name only in the captured title is redacted there and in the bundle's audit
    events (which hold the old title), and every export passes its leak check."""
    doc_id = _doc(wb, tmp_path, title="Interview with Aygul Tursun",
                  text="Testimony about the camp and the guards. ")
    wb.edit_document(doc_id, title="Interview with a witness", site="Example News")
    d = wb.create_dossier("Corrections").dossier_ids[0]
    wb.add_item(d, document=doc_id)
    wb.redact_term(d, "Aygul Tursun", "witness identity")  # found in the captured title
    out = tmp_path / "out"
    out.mkdir()
    html = Path(wb.export(d, "html", out / "d.html")["path"]).read_text(encoding="utf-8")
    assert "<th>Title</th><td>Interview with a witness</td>" in html
    assert "<th>Title as captured</th><td>Interview with [REDACTED" in html
    assert "<th>Site as captured</th><td>—</td>" in html
    assert "Tursun" not in html
    wb.export(d, "bundle", out / "bundle")
    csl = json.loads((out / "bundle" / "data" / "sources.csl.json").read_text(encoding="utf-8"))
    assert csl[0]["title"] == "Interview with a witness"
    events = (out / "bundle" / "data" / "audit-events.json").read_text(encoding="utf-8")
    assert "Tursun" not in events and "Interview with [REDACTED" in events

    import docx  # python-docx

    path = Path(wb.export(d, "docx", out / "d.docx")["path"])
    cells = [[c.text for c in row.cells] for t in docx.Document(str(path)).tables
             for row in t.rows]
    assert any(row[0] == "Title as captured" and row[1].startswith("Interview with [REDACTED")
               for row in cells)
    assert ["Site", "Example News"] in cells


def test_the_captured_value_typed_back_is_a_revert_even_in_a_foreign_form(
        wb: Workbench, tmp_path: Path) -> None:
    doc_id = _doc(wb, tmp_path)
    with wb.library.transaction() as s:  # as an importer may capture it
        doc = s.get(Document, doc_id)
        assert doc is not None
        doc.published = "August 31, 2022"
    wb.edit_document(doc_id, published="2022-08-31")
    with pytest.raises(UserError):
        wb.edit_document(doc_id, published="September 1, 2022")
    wb.edit_document(doc_id, published=" August 31, 2022 ")
    assert _record(wb, doc_id)["published"] == {"value": "August 31, 2022",
                                                "captured": "August 31, 2022",
                                                "corrected": False}
