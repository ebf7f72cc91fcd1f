"""Facsimile exhibits and area redactions in dossiers (issue 13, sections 3-4): the item's
pages, their defaults and checks, the area rule, and what the view and the JSON carry."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.files import make_pdf
from workbench.dossier.facsimile import format_pages, parse_pages
from workbench.errors import ExportError, NotFound, UserError

PAGES = ["Page one introduces the inquiry into the camps.",
         "Page two: the witness Aygul Tursun described the camp in detail.",
         "Page three closes the report with recommendations."]


@pytest.fixture
def pdf_doc(wb, tmp_path: Path) -> int:
    path = make_pdf(tmp_path / "report.pdf", PAGES, title="Camp report")
    wb.import_paths([path])
    return int(wb.list_documents()[0]["id"])


def _item(wb, d: int, item: int) -> dict:
    return next(i for i in wb.get_dossier(d)["entries"] if i["id"] == item)


def test_pages_syntax_round_trips_and_refuses_nonsense() -> None:
    assert parse_pages("3-4,7") == [3, 4, 7]
    assert parse_pages(" 7, 3-4 ,4 ") == [3, 4, 7]
    assert format_pages([7, 3, 4, 5, 1]) == "1,3-5,7"
    for bad in ("", "0", "4-3", "a", "3-", "-2", "1,,2", "2.5"):
        with pytest.raises(UserError):
            parse_pages(bad)


def test_highlight_facsimile_defaults_to_the_highlights_page(wb, pdf_doc: int) -> None:
    h = wb.add_highlight(pdf_doc, quote="the witness Aygul Tursun").highlight_ids[0]
    d = wb.create_dossier("Camps").dossier_ids[0]
    item = wb.add_item(d, highlight=h, facsimile=True).item_ids[0]
    got = _item(wb, d, item)
    assert got["facsimile"] is True
    assert got["facsimile_pages"] == "2"
    assert got["facsimile_pages_default"] is True
    plain = wb.add_item(d, highlight=h).item_ids[0]
    assert _item(wb, d, plain)["facsimile"] is False
    assert _item(wb, d, plain)["facsimile_pages"] is None
    view = wb.dossier_view(d)
    by_id = {it.id: it for it in view.items}
    assert by_id[item].facsimile is not None and by_id[item].facsimile.pages == [2]
    assert by_id[plain].facsimile is None


def test_document_facsimile_defaults_to_every_page_and_checks_the_count(wb, pdf_doc) -> None:
    d = wb.create_dossier("Camps").dossier_ids[0]
    item = wb.add_item(d, document=pdf_doc, facsimile=True).item_ids[0]
    assert _item(wb, d, item)["facsimile_pages"] == "1-3"
    with pytest.raises(UserError, match="3 pages"):
        wb.add_item(d, document=pdf_doc, facsimile=True, pages="2-4")
    with pytest.raises(UserError):
        wb.add_item(d, document=pdf_doc, pages="2")  # pages without a facsimile
    other = wb.add_item(d, document=pdf_doc, facsimile=True, pages="3,1").item_ids[0]
    got = _item(wb, d, other)
    assert (got["facsimile_pages"], got["facsimile_pages_default"]) == ("1,3", False)
    assert [i["label"] for i in wb.get_dossier(d)["entries"]] == ["Exhibit 1", "Exhibit 2"]


def test_set_facsimile_switches_audits_and_respects_freezing(wb, pdf_doc: int) -> None:
    d = wb.create_dossier("Camps").dossier_ids[0]
    item = wb.add_item(d, document=pdf_doc).item_ids[0]
    ch = wb.set_facsimile(d, item, True, "2")
    assert ch.dossiers and ch.item_ids == [item]
    assert _item(wb, d, item)["facsimile_pages"] == "2"
    wb.set_facsimile(d, "Exhibit 1", True, None)
    assert _item(wb, d, item)["facsimile_pages"] == "1-3"
    with pytest.raises(UserError, match="3 pages"):
        wb.set_facsimile(d, item, True, "9")
    note = wb.add_item(d, note="A note").item_ids[0]
    with pytest.raises(UserError, match="note"):
        wb.set_facsimile(d, note, True, None)
    wb.set_facsimile(d, item, False, None)
    assert _item(wb, d, item)["facsimile"] is False
    actions = [e["details"].get("action") for e in wb.audit_events(object_type="dossier")]
    assert actions.count("set facsimile") == 3
    wb.set_facsimile(d, item, True, "1")
    copy = wb.new_version(d).dossier_ids[0]
    assert [(i["facsimile"], i["facsimile_pages"]) for i in wb.get_dossier(copy)["entries"]
            if i["kind"] != "note"] == [(True, "1")]
    wb.freeze(d)
    with pytest.raises(UserError, match="frozen"):
        wb.set_facsimile(d, item, False, None)


def test_area_redaction_is_stored_listed_and_withholds_the_original(wb, pdf_doc) -> None:
    d = wb.create_dossier("Camps").dossier_ids[0]
    wb.add_item(d, document=pdf_doc, facsimile=True)
    ch = wb.redact_area(d, pdf_doc, 2, (50.0, 60.5, 200.0, 90.0), "a face",
                        label="witness safety")
    rid = ch.redaction_ids[0]
    rows = wb.list_redactions(d)
    assert rows == [{**rows[0], "id": rid, "kind": "area", "text": "", "scope": "dossier",
                     "label": "witness safety", "mark": "[REDACTED: witness safety]",
                     "reason": "a face",
                     "area": {"document_id": pdf_doc, "page": 2,
                              "rect": [50.0, 60.5, 200.0, 90.0]}}]
    view = wb.dossier_view(d, full_text=True)
    assert [(a.document_id, a.page, a.rect, a.label) for a in view.areas] == [
        (pdf_doc, 2, (50.0, 60.5, 200.0, 90.0), "witness safety")]
    assert view.rules == []  # an area has no text for the matcher
    assert pdf_doc in view.redacted_documents  # its original shows what the area hides
    event = wb.audit_events(object_type="dossier")[-1]["details"]
    assert event["action"] == "redact area" and event["redaction_id"] == rid
    # A text redaction next to it still works, and the empty text matches nothing.
    wb.redact_term(d, "Aygul Tursun", "names a witness")
    assert "Aygul Tursun" not in wb.view_text(d)
    copy = wb.new_version(d).dossier_ids[0]
    assert next(r["area"] for r in wb.list_redactions(copy))["page"] == 2
    wb.remove_redaction(d, rid)
    assert [r["kind"] for r in wb.list_redactions(d)] == ["term"]


@pytest.mark.parametrize(("page", "rect", "message"), [
    (4, (1, 1, 10, 10), "3 pages"),
    (0, (1, 1, 10, 10), "page"),
    (1, (10, 10, 5, 20), "x0"),
    (1, (10, 10, 20, 10), "y0"),
    (1, (-5, 10, 20, 30), "outside"),
    (1, (10, 10, 20, 9000), "outside"),
])
def test_area_redaction_refuses_bad_places(wb, pdf_doc, page, rect, message) -> None:
    d = wb.create_dossier("Camps").dossier_ids[0]
    wb.add_item(d, document=pdf_doc)
    with pytest.raises(UserError, match=message):
        wb.redact_area(d, pdf_doc, page, rect, "a face")
    assert wb.list_redactions(d) == []


def test_area_redaction_needs_a_cited_document_and_a_reason(wb, pdf_doc, tmp_path) -> None:
    d = wb.create_dossier("Camps").dossier_ids[0]
    with pytest.raises(UserError, match="cite"):
        wb.redact_area(d, pdf_doc, 1, (1, 1, 10, 10), "a face")
    wb.add_item(d, document=pdf_doc)
    with pytest.raises(UserError, match="reason"):
        wb.redact_area(d, pdf_doc, 1, (1, 1, 10, 10), " ")
    with pytest.raises(NotFound):
        wb.redact_area(d, 999, 1, (1, 1, 10, 10), "a face")


def test_plan_boxes_every_match_and_the_area_on_its_page(wb, pdf_doc, tmp_path) -> None:
    from contextlib import ExitStack

    from workbench.export.facsimile_plan import plan_facsimiles
    from workbench.pages.boxes import read_page_boxes

    h = wb.add_highlight(pdf_doc, quote="described the camp").highlight_ids[0]
    d = wb.create_dossier("Camps").dossier_ids[0]
    item = wb.add_item(d, highlight=h, facsimile=True, pages="1-2").item_ids[0]
    wb.redact_term(d, "Aygul Tursun", "names a witness")
    wb.redact_area(d, pdf_doc, 1, (10, 20, 30, 40), "a face")
    view = wb.dossier_view(d, full_text=True)
    with ExitStack() as held:
        plan = plan_facsimiles(wb.library, view, held, tmp_path / "scratch")[item]
        boxes = read_page_boxes(plan.source_pdf, 2)
    assert (plan.label, plan.source_pages, [p.number for p in plan.pages]) == ("Exhibit 1", 3,
                                                                                [1, 2])
    assert plan.pages[0].redactions == [(10.0, 20.0, 30.0, 40.0)] and not plan.pages[0].marks
    start = boxes.text.index("Aygul Tursun")
    name = [b for b in boxes.boxes[start:start + len("Aygul Tursun")] if b[2] > b[0]]
    (x0, y0, x1, y1), = plan.pages[1].redactions
    assert x0 < min(b[0] for b in name) and x1 > max(b[2] for b in name)
    assert y0 < min(b[1] for b in name) and y1 > max(b[3] for b in name)
    assert len(plan.pages[1].marks) == 1 and plan.pages[1].mark_colors
    assert next(it for it in view.items if it.id == item).facsimile_shown == ("1-2", 3)


def _image_pdf(path: Path, text: str) -> Path:
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    from tests.support.files import DEJAVU

    image = Image.new("L", (1400, 200), 255)
    ImageDraw.Draw(image).text((40, 60), text, fill=0,
                               font=ImageFont.truetype(str(DEJAVU), 64))
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=20, w=180)
    pdf.output(str(path))
    return path


def test_leak_check_reads_what_page_images_show(tmp_path: Path) -> None:
    """A name only an image shows is found by the check's OCR (and the page, only an image,
    no longer stops the check as unreadable)."""
    from tests.support.tools import require_program
    from workbench.dossier.redaction import Rule
    from workbench.errors import RedactionLeak
    from workbench.export.leakcheck import check_file

    require_program("tesseract")
    rules = [Rule("Aygul Tursun", "witness safety")]
    leaking = _image_pdf(tmp_path / "leak.pdf", "Witness Aygul Tursun")
    with pytest.raises(RedactionLeak, match=r"page 1 image \(OCR\)"):
        check_file(leaking, rules, "pdf")
    clean = _image_pdf(tmp_path / "clean.pdf", "Witness [REDACTED]")
    assert "page images (OCR)" in check_file(clean, rules, "pdf")


def test_web_page_facsimile_finds_its_quote_on_the_laid_out_capture(wb, tmp_path) -> None:
    """A saved web page has no pages until its capture is laid out: the default pages are
    where the highlight's quote lands, its marks and the name's boxes are found there."""
    from contextlib import ExitStack

    from tests.support.files import make_html_capture
    from workbench.export.facsimile_plan import plan_facsimiles

    filler = "\n\n".join(f"Paragraph {i} of the article about the region." for i in range(60))
    page = make_html_capture(tmp_path / "article.html", "Camp article",
                             f"{filler}\n\nThe witness Aygul Tursun described the camp.",
                             url="https://example.org/a")
    wb.import_paths([page])
    doc = wb.list_documents()[0]["id"]
    h = wb.add_highlight(doc, quote="described the camp").highlight_ids[0]
    d = wb.create_dossier("Web").dossier_ids[0]
    item = wb.add_item(d, highlight=h, facsimile=True).item_ids[0]
    got = _item(wb, d, item)
    assert (got["facsimile"], got["facsimile_pages"]) == (True, None)  # known at export
    wb.redact_term(d, "Aygul Tursun", "names a witness")
    view = wb.dossier_view(d, full_text=True)
    with ExitStack() as held:
        plan = plan_facsimiles(wb.library, view, held, tmp_path / "scratch")[item]
        assert plan.source_pdf.read_bytes().startswith(b"%PDF")
        assert "SCRIPT-SHOULD-NOT-APPEAR" not in plan.source_pdf.read_bytes().decode("latin-1")
    assert plan.source_pages > 1  # the filler pushed the quote past the first page
    (shown,) = plan.pages
    assert shown.number > 1 and shown.marks and shown.redactions
    with pytest.raises(ExportError, match="shows page"):
        wb.set_facsimile(d, item, True, "40")  # accepted: the pages are known only at export
        wb.export(d, "pdf", tmp_path / "web.pdf")
    assert not (tmp_path / "web.pdf").exists()


@pytest.mark.parametrize("workers", [0, 1])
def test_pdf_numbers_contents_footers_and_bates_around_inserted_pages(wb, pdf_doc, tmp_path,
                                                                      workers) -> None:
    """Facsimile pages land after their exhibit; the contents, the footers and the Bates
    numbers count them, in one process or with a layout worker."""
    from contextlib import ExitStack

    import pypdfium2 as pdfium

    from workbench.export.facsimile_plan import plan_facsimiles
    from workbench.export.pdf import write_pdf

    d = wb.create_dossier("Camps").dossier_ids[0]
    wb.add_item(d, document=pdf_doc, facsimile=True, pages="1,3")
    wb.add_item(d, note="Between the exhibits.")
    wb.add_item(d, document=pdf_doc, facsimile=True, pages="2")
    view = wb.dossier_view(d, full_text=True)
    out = tmp_path / "d.pdf"
    with ExitStack() as held:
        plans = plan_facsimiles(wb.library, view, held, tmp_path / "scratch")
        stats = write_pdf(view, out, bates="WB", workers=workers, facsimiles=plans)
    texts = [p.get_textpage().get_text_range() for p in pdfium.PdfDocument(str(out))]
    total = len(texts)
    assert stats["facsimile_pages"] == 3 and stats["pages"] == total
    stamps = [i for i, t in enumerate(texts, 1) if "of 3 of the source" in t]
    assert [texts[i - 1].split("\n")[0].strip() for i in stamps][:1] == [PAGES[0]]
    assert "Exhibit 2 · page 2 of 3 of the source" in texts[stamps[2] - 1]
    for i, text in enumerate(texts, 1):
        assert f"WB{i:06d}" in text  # one Bates sequence through every page
        assert (f"Page {i} of {total}" in text) == (i not in stamps)  # no footer on a source
    toc = next(i for i, t in enumerate(texts, 1) if t.startswith("Contents"))
    exhibit_2 = next(i for i, t in enumerate(texts, 1)
                     if i > toc and i not in stamps and "Exhibit 2: " in t)
    assert exhibit_2 > stamps[1]  # after the first exhibit's two facsimile pages
    assert str(exhibit_2) in texts[toc - 1].split()  # the contents' page number
