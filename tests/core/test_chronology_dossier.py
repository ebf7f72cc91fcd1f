"""A chronology section in a dossier: a table of events with cited sources in every export,
through the dossier's redactions and leak check."""

from __future__ import annotations

import unicodedata
import zipfile

import pytest

from tests.core.test_chronology import chronology_library, docs, highlights
from workbench.errors import NotFound, UserError


@pytest.fixture
def wb(tmp_path, tmp_path_factory):
    from workbench.services import Workbench

    path = chronology_library(tmp_path / "lib", tmp_path_factory.getbasetemp())
    with Workbench.open(path) as bench:
        yield bench


def _dossier(wb) -> tuple[int, dict[str, int]]:
    h = highlights(wb)
    wb.add_event("Ekpar Asat was taken from his home by police", "5 March 2018",
                 highlights=[h["taken"]], status="disputed", note="PRIVATE-NOTE")
    wb.add_event("Detentions began in the village, Tursun said", "March 2018",
                 highlights=[h["began"]], status="undisputed")
    wb.add_event("The camp was built", "2017–2018", highlights=[h["built"]])  # not Detention
    d = wb.create_dossier("Detentions").dossier_ids[0]
    wb.add_item(d, highlight=h["held"])
    ch = wb.add_chronology_section(d, title="Timeline of detentions", tags=["Detention"])
    assert ch.dossiers and len(ch.item_ids) == 1
    wb.redact_term(d, "Ekpar Asat", "a witness's brother", label="witness safety")
    wb.redact_term(d, "Tursun", "names a witness")  # only in a chronology statement
    return d, h


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def test_the_section_is_an_item_of_the_dossier(wb):
    d, _ = _dossier(wb)
    entries = wb.get_dossier(d)["entries"]
    section = next(e for e in entries if e["kind"] == "chronology")
    assert section["label"] is None and section["missing"] is None
    assert section["chronology"] == {"title": "Timeline of detentions", "tags": ["Detention"],
                                     "entity_id": None, "collection_id": None}
    view = wb.dossier_view(d)
    item = next(it for it in view.items if it.kind == "chronology")
    assert item.heading == "Timeline of detentions" and not item.is_exhibit
    table = item.chronology
    assert [r.date for r in table.rows] == ["March 2018", "5 March 2018"]
    # statements and quotes come redacted; the sources join the dossier's sources
    texts = " ".join(seg.text for r in table.rows for seg in r.statement)
    assert "Ekpar" not in texts and "Tursun" not in texts and "taken from his home" in texts
    assert any(seg.redacted for seg in table.rows[1].statement)
    assert docs(wb)["witness.txt"] in {s.document_id for s in view.sources}
    # the witness statement names the redacted person: its original stays out of bundles
    assert docs(wb)["witness.txt"] in wb.dossier_view(d, full_text=True).redacted_documents
    copy = wb.new_version(d).dossier_ids[0]
    assert [e["kind"] for e in wb.get_dossier(copy)["entries"]] == ["highlight", "chronology"]


def test_refusals(wb):
    d = wb.create_dossier("D").dossier_ids[0]
    with pytest.raises(NotFound):
        wb.add_chronology_section(d, tags=["No such tag"])
    with pytest.raises(UserError):
        wb.add_chronology_section(d, title="  ")
    wb.freeze(d)
    with pytest.raises(UserError):
        wb.add_chronology_section(d)


def test_every_export_shows_the_table_without_the_redacted_name(wb, tmp_path):
    import docx
    import pypdfium2 as pdfium

    d, _ = _dossier(wb)
    witness_sha = next(x["sha256"] for x in wb.list_documents()
                       if x["id"] == docs(wb)["witness.txt"])
    out = {fmt: tmp_path / f"d.{ext}" for fmt, ext in
           (("html", "html"), ("docx", "docx"), ("pdf", "pdf"), ("bundle", "zip"))}
    for fmt, path in out.items():
        wb.export(d, fmt, path)  # each export's own leak check passes

    html = _nfkc(out["html"].read_text(encoding="utf-8"))
    assert 'class="chronology"' in html and "Timeline of detentions" in html
    for text in ("5 March 2018", "March 2018", "disputed", "taken from his home by police",
                 "In March 2018 the authorities began detaining", witness_sha[:12]):
        assert text in html, text
    assert "[REDACTED: witness safety]</span> was taken" in html
    for gone in ("Ekpar", "Asat", "Tursun", "PRIVATE-NOTE", "The camp was built"):
        assert gone not in html, gone

    document = docx.Document(str(out["docx"]))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    body = _nfkc("\n".join([p.text for p in document.paragraphs] + cells))
    assert "Timeline of detentions" in body and "taken from his home by police" in body
    assert "[REDACTED: witness safety] was taken" in body and witness_sha[:12] in body
    for gone in ("Ekpar", "Tursun", "PRIVATE-NOTE", "The camp was built"):
        assert gone not in body, gone

    def pdf_text(data: bytes) -> str:
        pdf = pdfium.PdfDocument(data)
        try:
            return _nfkc(" ".join(page.get_textpage().get_text_range() for page in pdf))
        finally:
            pdf.close()

    text = " ".join(pdf_text(out["pdf"].read_bytes()).split())
    assert "Timeline of detentions" in text and "taken from his home by police" in text
    assert "Ekpar" not in text and "Tursun" not in text
    with zipfile.ZipFile(out["bundle"]) as z:
        names = z.namelist()
        bundled = " ".join(" ".join(pdf_text(z.read(n)).split()) for n in names
                           if n.endswith("dossier.pdf"))
        assert "taken from his home by police" in bundled and "Ekpar" not in bundled
        assert not any(witness_sha in n for n in names)  # withheld: it names him

    # The project's leak scanner reads every byte of every export: no spelling of the names.
    from workbench.redact.matcher import matcher_for
    from workbench.redact.scan import scan_paths

    names = matcher_for(("Ekpar Asat", "Tursun"))
    report = scan_paths(list(out.values()), names)
    assert report.findings == [] and report.unreadable == []
    # ... which does find them in the table of a copy of the dossier without its redactions
    plain = wb.new_version(d).dossier_ids[0]
    for r in wb.list_redactions(plain):
        wb.remove_redaction(plain, r["id"])
    wb.export(plain, "html", tmp_path / "plain.html")
    assert scan_paths([tmp_path / "plain.html"], names).findings
    assert "Detentions began in the village, Tursun said" in (
        tmp_path / "plain.html").read_text(encoding="utf-8")
