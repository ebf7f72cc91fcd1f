"""The failed-redaction check (issue 13, section 5) on hand-written PDFs: what it flags, what it
must leave alone, where the areas are, and what the import keeps of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from tests.support import xray_pdfs as X
from workbench import xray
from workbench.xray import XrayArea, import_check, problem_line, scan_pdf

NAME_CHARS = len(X.NAME.replace(" ", ""))
# The black box every "covering" layout draws, in user space, and as displayed (top-left).
BOX = (118, 676, 196, 692)
BOX_SHOWN = (118, X.HEIGHT - 692, 196, X.HEIGHT - 676)


def scan(page: X.Page) -> list[XrayArea]:
    return scan_pdf(pdfium.PdfDocument(X.pdf_bytes([page])))


def inside(bbox: tuple[float, ...], outer: tuple[float, ...], slack: float = 1.0) -> bool:
    return (bbox[0] >= outer[0] - slack and bbox[1] >= outer[1] - slack
            and bbox[2] <= outer[2] + slack and bbox[3] <= outer[3] + slack)


@pytest.mark.parametrize("page, kind", [
    (X.black_box_over_text(), xray.SHAPE),
    (X.box_in_form(), xray.SHAPE),
    (X.image_over_text(), xray.IMAGE),
    (X.square_annotation(), xray.ANNOTATION),
    (X.redact_annotation(), xray.ANNOTATION),
    (X.stamp_annotation("0 g 0 0 78 16 re f"), xray.ANNOTATION),
    (X.stamp_annotation("1 g 0 0 78 16 re f BT /F1 14 Tf 1 0 0 rg 4 2 Td (DRAFT COPY) Tj ET"),
     xray.ANNOTATION),
], ids=["black-box", "box-in-form", "image", "square-annotation", "redact-annotation",
        "opaque-stamp", "white-stamp-with-words"])
def test_text_under_something_drawn_over_it_is_flagged(page, kind):
    areas = scan(page)
    assert len(areas) == 1
    area = areas[0]
    assert (area.page, area.kind, area.characters, area.text) == (1, kind, NAME_CHARS, X.NAME)
    assert inside(area.bbox, BOX_SHOWN)
    # The name's box, not the whole line's: the visible "Witness:" starts at x = 72.
    assert area.bbox[0] > 110


def test_white_text_on_white_is_flagged_as_one_run_per_line():
    (area,) = scan(X.white_on_white())
    assert area.kind == xray.COLOUR
    assert area.text == f"Witness: {X.NAME}"
    assert area.characters == len(f"Witness:{X.NAME}".replace(" ", ""))
    assert X.HEIGHT - area.bbox[3] >= 660 - 1 and X.HEIGHT - area.bbox[1] <= 700


def test_text_in_the_colour_of_the_box_beneath_it_is_flagged():
    (area,) = scan(X.text_coloured_like_box())
    assert (area.kind, area.text) == (xray.COLOUR, X.NAME)


@pytest.mark.parametrize("page", [
    X.ordinary_page(),
    X.shaded_table_header(),
    X.callout_box(),
    X.highlight_annotation(),
    X.semi_transparent_box(),
    X.light_background_image(),
    X.scanned_page(),
    X.ocr_under_image(),
    X.square_annotation(extra="/CA 0.5"),
    X.square_annotation(interior=""),
    X.stamp_annotation("BT /F1 14 Tf 1 0 0 rg 4 2 Td (DRAFT COPY) Tj ET"),
], ids=["ordinary", "shaded-table-header", "callout-box", "yellow-highlight",
        "semi-transparent-box", "light-background-image", "scanned-page-ocr-text",
        "ocr-text-under-page-image", "translucent-square", "square-outline-only",
        "transparent-stamp"])
def test_ordinary_layouts_are_not_flagged(page):
    assert scan(page) == []


def test_a_rotated_page_reports_the_area_where_it_is_displayed():
    rotated = X.Page(X.black_box_over_text().content, rotate=90)
    doc = pdfium.PdfDocument(X.pdf_bytes([rotated]))
    (area,) = scan_pdf(doc)
    page = doc[0]
    width, height = page.get_size()
    assert (width, height) == (X.HEIGHT, X.WIDTH)  # displayed landscape
    image = page.render(scale=1, grayscale=True).to_numpy()
    x0, y0, x1, y1 = area.bbox
    assert x1 - x0 < y1 - y0  # the line of text now runs downwards
    # The area as reported is where the black box shows on the rendered page.
    assert image[int((y0 + y1) / 2), int((x0 + x1) / 2)] < 40
    assert image[int(y0) - 20, int((x0 + x1) / 2)] > 200


def test_each_page_and_each_cover_is_its_own_area():
    two_boxes = X.Page(X.text(72, 700, X.BODY) + X.text(72, 680, f"{X.NAME} and Ekpar Asat")
                       + X.box(70, 676, 145, 692) + X.box(170, 676, 232, 692))
    doc = pdfium.PdfDocument(X.pdf_bytes([X.black_box_over_text(), X.ordinary_page(),
                                          two_boxes]))
    areas = scan_pdf(doc)
    assert [(a.page, a.kind) for a in areas] == [(1, xray.SHAPE), (3, xray.SHAPE),
                                                 (3, xray.SHAPE)]
    assert sorted(a.text for a in areas[1:]) == ["Aygul Tursun", "Ekpar Asat"]
    assert problem_line(areas) == "possible failed redaction: pages 1, 3 (3 areas)"


def test_problem_line():
    def area(page: int) -> XrayArea:
        return XrayArea(page, (0, 0, 1, 1), 1, xray.SHAPE, "x")

    assert problem_line([]) is None
    assert problem_line([area(3)]) == "possible failed redaction: page 3 (1 area)"
    assert problem_line([area(3), area(3)]) == "possible failed redaction: page 3 (2 areas)"
    assert problem_line([area(5), area(3), {"page": 5}, area(3)]) == (
        "possible failed redaction: pages 3, 5 (4 areas)")
    assert problem_line([area(p) for p in (1, 2, 3, 4, 9)]) == (
        "possible failed redaction: pages 1–4, 9 (5 areas)")


def test_import_check_keeps_no_text_and_costs_a_line_when_it_fails(monkeypatch):
    doc = pdfium.PdfDocument(X.pdf_bytes([X.ordinary_page(), X.redact_annotation()]))
    stored, problems = import_check(doc, {})
    assert problems == ["possible failed redaction: page 2 (1 area)"]
    assert stored == [{"page": 2, "bbox": stored[0]["bbox"], "characters": NAME_CHARS,
                       "kind": xray.ANNOTATION}]
    assert "Aygul" not in json.dumps(stored)

    real = xray.scan_open_page

    def broken_on_page_2(page: Any, number: int, *args: Any) -> list[XrayArea]:
        if number == 2:
            raise ValueError("a hostile page")
        return real(page, number, *args)

    monkeypatch.setattr(xray, "scan_open_page", broken_on_page_2)
    assert import_check(doc, {}) == (
        [], ["the failed-redaction check could not read this PDF (ValueError) after page 1 "
             "of 2"])

    def slow_on_page_2(page: Any, number: int, *args: Any) -> list[XrayArea]:
        if number == 2:
            raise xray.OutOfTime
        return real(page, number, *args)

    monkeypatch.setattr(xray, "scan_open_page", slow_on_page_2)
    assert import_check(doc, {})[1] == [
        "the failed-redaction check ran out of time after page 1 of 2"]


def test_the_import_gives_the_check_a_share_of_the_files_time():
    import time

    check = xray.ImportCheck({"deadline": time.time() + 40}, 10)
    assert 9 < check.deadline - time.monotonic() <= 10  # a quarter of what is left
    check = xray.ImportCheck({"deadline": time.time() + 4000}, 10)
    assert check.deadline - time.monotonic() <= xray.MAX_SECONDS
    check = xray.ImportCheck({"deadline": time.time() - 5}, 10)  # late: half a second
    assert check.deadline - time.monotonic() <= 0.5


def test_the_check_stops_at_its_deadline():
    doc = pdfium.PdfDocument(X.pdf_bytes([X.black_box_over_text()] * 3))
    result = xray.scan_document(doc, deadline=0.0)  # long past on the monotonic clock
    assert (result.pages, result.checked, result.complete, result.areas) == (3, 0, False, [])


# --- the import and the library --------------------------------------------------------------

@pytest.fixture
def imported(wb: Any, tmp_path: Path) -> dict[str, int]:
    leaky = X.write(tmp_path / "leaky.pdf", [X.ordinary_page(), X.black_box_over_text(),
                                              X.ordinary_page(), X.white_on_white()])
    clean = X.write(tmp_path / "clean.pdf", [X.shaded_table_header(), X.highlight_annotation()])
    note = tmp_path / "note.txt"
    note.write_text(f"{X.BODY}\n", encoding="utf-8")
    report, _changes = wb.import_paths([leaky, clean, note])
    assert not report.failed
    ids = {Path(o.path).name: o.document_id for o in report.imported}
    return ids


def test_import_reports_the_problem_and_keeps_the_areas_without_text(wb, imported):
    info = wb.show_document(imported["leaky.pdf"])
    lines = [p for p in info["problems"] if "failed redaction" in p]
    assert lines == ["possible failed redaction: pages 2, 4 (2 areas)"]
    assert info["status"] == "problems"  # a warning: the document is imported and searchable
    kept = info["extra"]["xray"]
    assert [(a["page"], a["kind"], a["characters"]) for a in kept] == [
        (2, xray.SHAPE, NAME_CHARS), (4, xray.COLOUR, len(f"Witness:{X.NAME}") - 1)]
    assert all(set(a) == {"page", "bbox", "characters", "kind"} for a in kept)
    assert "Aygul" not in json.dumps(info["extra"])

    clean = wb.show_document(imported["clean.pdf"])
    assert clean["extra"]["xray"] == []
    assert not any("failed redaction" in p for p in clean["problems"])


def test_wb_xray_reads_what_the_import_kept_and_shows_text_only_when_asked(wb, imported):
    doc = imported["leaky.pdf"]
    plain = wb.xray(doc)
    assert plain == wb.show_document(doc)["extra"]["xray"]
    assert "Aygul" not in json.dumps(plain)
    shown = wb.xray(doc, show=True)
    assert [a["text"] for a in shown] == [X.NAME, f"Witness: {X.NAME}"]
    assert [{k: a[k] for k in plain[0]} for a in shown] == plain
    assert "Aygul" not in json.dumps(wb.show_document(doc)["extra"])  # still not stored
    assert wb.xray(imported["note.txt"]) == []
    assert wb.xray(imported["clean.pdf"], show=True) == []


def test_a_pdf_imported_before_the_check_is_checked_on_demand(wb, imported):
    from workbench.models import Document

    doc_id = imported["leaky.pdf"]
    with wb.library.transaction() as s:
        row = s.get(Document, doc_id)
        row.extra = {k: v for k, v in row.extra.items() if k != "xray"}
    assert [(a["page"], a["kind"]) for a in wb.xray(doc_id)] == [(2, xray.SHAPE),
                                                               (4, xray.COLOUR)]
    assert "text" not in wb.xray(doc_id)[0]


def test_the_list_filters_documents_with_a_possible_failed_redaction(wb, imported):
    found = wb.list_documents(failed_redactions=True)
    assert [d["id"] for d in found] == [imported["leaky.pdf"]]
    assert wb.count_documents(failed_redactions=True) == 1
    assert wb.count_documents() == 3


def test_boxes_are_compared_in_blocks_with_the_same_answer(monkeypatch):
    # Many text objects against many covers are compared a block of texts at a time, so a
    # hostile page cannot ask for gigabytes; the answer must not depend on the block size.
    page = X.Page(X.shaded_table_header().content + X.black_box_over_text().content)
    whole = scan(page)
    assert [a.kind for a in whole] == [xray.SHAPE]
    monkeypatch.setattr(xray, "PAIRS", 1)
    assert scan(page) == whole


def test_a_page_with_nothing_that_could_hide_text_reads_no_text_box(monkeypatch):
    # Most imported pages are plain text: their text objects' boxes are not read at all
    # (about a fifth of the walk), while any page with a cover, an annotation or white text is.
    from workbench import xray_pdf

    read: list[object] = []
    bounds = xray_pdf._Floats.bounds

    def counting(self: Any, obj: Any) -> Any:
        read.append(xray_pdf.R.FPDFPageObj_GetType(obj))
        return bounds(self, obj)

    monkeypatch.setattr(xray_pdf._Floats, "bounds", counting)
    assert scan(X.ordinary_page()) == []
    assert read == []
    for page in (X.black_box_over_text(), X.white_on_white(), X.square_annotation()):
        read.clear()
        assert scan(page) != []
        assert xray_pdf.R.FPDF_PAGEOBJ_TEXT in read
