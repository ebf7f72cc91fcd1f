"""Highlights and the page through the facade: page boxes derived from the original and
cached per layer, text highlights with quads on the right lines, highlights made on the page
(text and region), re-extraction, and documents without pages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.support.files import make_pdf
from tests.support.libraries import copy_library, make_library
from workbench.errors import UserError
from workbench.pages.boxes import read_page_boxes, union

PAGE2 = ("Alpha beta gamma delta epsilon.\nThe witness spoke last about the camp.\n"
         "Third line closes the page.")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from workbench.library import Library
    from workbench.services import Workbench

    base = tmp_path_factory.mktemp("pages")
    pdf = make_pdf(base / "report.pdf", ["Cover page of the report.", PAGE2])
    txt = base / "notes.txt"
    txt.write_text("Plain notes without pages.\n", encoding="utf-8")
    make_library(base / "lib")
    with Workbench(Library.open(base / "lib", attach_index=False)) as wb:
        report, _ = wb.import_paths([pdf, txt])
    ids = {Path(o.path).name: o.document_id for o in report.imported}
    return {"path": base / "lib", "pdf": ids["report.pdf"], "txt": ids["notes.txt"],
            "file": pdf}


@pytest.fixture
def lib(template: dict[str, Any], tmp_path: Path) -> Iterator[dict[str, Any]]:
    from workbench.library import Library
    from workbench.services import Workbench

    dest = tmp_path / "lib"
    copy_library(template["path"], dest, ignore=shutil.ignore_patterns("library.lock"))
    with Workbench(Library.open(dest, attach_index=False)) as wb:
        yield {**template, "wb": wb}


def _word_box(path: Path, page: int, word: str) -> tuple[float, float, float, float]:
    pb = read_page_boxes(path, page)
    i = pb.text.index(word)
    return union(pb.boxes[i:i + len(word)])


def test_page_boxes_are_the_layer_page_and_are_kept(lib: dict[str, Any]) -> None:
    from workbench.models import PageBoxes as Row

    wb, doc = lib["wb"], lib["pdf"]
    text = wb.document_text(doc)
    pb = wb.page_boxes(doc, 2)
    assert pb is not None and pb.source == "pdfium"
    assert pb.text == text.page_text(2) and len(pb.boxes) == len(pb.text)
    with wb.library.read() as s:
        rows = s.execute(select(Row.page, Row.source)).all()
    assert rows == [(2, "pdfium")]  # derived on first use, for that page only
    assert wb.page_boxes(doc, 2) == pb  # read back from the cache, same boxes
    assert wb.page_boxes(doc, 9) is None


def test_text_highlight_from_the_text_view_gets_quads_on_its_line(lib: dict[str, Any]) -> None:
    wb, doc, pdf = lib["wb"], lib["pdf"], lib["file"]
    h = wb.get_highlight(wb.add_highlight(doc, quote="witness spoke").highlight_ids[0])
    geom = h["page_geometry"]
    assert geom["kind"] == "text" and [p["page"] for p in geom["pages"]] == [2]
    (quad,) = geom["pages"][0]["quads"]
    witness, spoke = _word_box(pdf, 2, "witness"), _word_box(pdf, 2, "spoke")
    alpha = _word_box(pdf, 2, "Alpha")
    assert quad == pytest.approx([witness[0], witness[1], spoke[2], spoke[3]], abs=0.01)
    assert quad[1] > alpha[1]  # the second line, not the first
    # Across a line end: one quad per line.
    two = wb.get_highlight(wb.add_highlight(doc, quote="epsilon. The witness")
                           .highlight_ids[0])["page_geometry"]["pages"][0]["quads"]
    assert len(two) == 2 and two[0][3] <= two[1][1] + 1
    assert wb.geometry_for_range(doc, h["start"], h["end"]) == geom
    assert wb.list_highlights(doc)[0]["page_geometry"] is not None


def test_page_highlight_over_one_word_quotes_that_word(lib: dict[str, Any]) -> None:
    wb, doc, pdf = lib["wb"], lib["pdf"], lib["file"]
    x0, y0, x1, y1 = _word_box(pdf, 2, "camp")
    rect = (x0 + 1, y0 + 1, x1 - 1, y1 - 1)
    assert wb.page_text_at(doc, 2, [rect]) is not None
    ch = wb.add_page_highlight(doc, 2, [rect], tags=["Places"], note="the camp")
    h = wb.get_highlight(ch.highlight_ids[0])
    assert (h["quote"], h["page"], h["tags"], h["note"]) == ("camp", 2, ["Places"], "the camp")
    text = wb.document_text(doc).text
    assert text[h["start"]:h["end"]] == "camp"
    assert (h["start"], h["end"]) == wb.page_text_at(doc, 2, [rect])
    assert h["page_geometry"]["kind"] == "text"
    # A selection's line rects across two lines give the run from the first to the last.
    a, b = _word_box(pdf, 2, "epsilon."), _word_box(pdf, 2, "The")
    two = wb.get_highlight(wb.add_page_highlight(doc, 2, [a, b]).highlight_ids[0])
    assert two["quote"] == "epsilon.\nThe"
    with pytest.raises(UserError, match="No text lies under") as err:
        wb.add_page_highlight(doc, 2, [(300, 600, 400, 700)])
    assert "region" in str(err.value)
    with pytest.raises(UserError, match="x0 < x1"):
        wb.add_page_highlight(doc, 2, [(50, 50, 10, 60)])


def test_region_with_nothing_inside_has_an_empty_quote_and_survives_reextraction(
        lib: dict[str, Any]) -> None:
    wb, doc, pdf = lib["wb"], lib["pdf"], lib["file"]
    empty = wb.get_highlight(wb.add_page_highlight(
        doc, 2, [(300, 600, 400, 700)], region=True).highlight_ids[0])
    assert (empty["quote"], empty["page"], empty["status"]) == ("", 2, "anchored")
    assert empty["start"] == empty["end"] == wb.document_text(doc).pages[1][1]
    assert empty["page_geometry"] == {"kind": "region",
                                      "pages": [{"page": 2, "quads": [[300, 600, 400, 700]]}]}
    x0, y0, x1, y1 = _word_box(pdf, 2, "witness")
    worded = wb.get_highlight(wb.add_page_highlight(
        doc, 2, [(x0 - 2, y0 - 2, x1 + 2, y1 + 2)], region=True).highlight_ids[0])
    assert worded["quote"] == "witness"
    texted = wb.add_highlight(doc, quote="Third line").highlight_ids[0]

    report = wb.reextract(doc)
    assert report["orphaned"] == 0
    after = {h["id"]: h for h in wb.list_highlights(doc)}
    for h in (empty, worded):
        now = after[h["id"]]
        assert now["layer_version"] == 2 and now["status"] == "anchored"
        assert (now["quote"], now["page_geometry"]) == (h["quote"], h["page_geometry"])
    moved = after[texted]
    assert moved["layer_version"] == 2 and moved["page_geometry"]["pages"][0]["page"] == 2
    assert wb.page_boxes(doc, 2) is not None  # the new layer derived its own


def test_a_layer_that_is_not_the_pdfium_reading_has_no_boxes(lib: dict[str, Any]) -> None:
    from workbench.extract.base import Extraction

    wb, doc = lib["wb"], lib["pdf"]
    wb.add_text_layer(doc, Extraction(pages=["Cover.", PAGE2.replace("witness", "witnesses")],
                                      extractor="other", extractor_version="1"))
    assert wb.page_boxes(doc, 2) is None
    assert wb.page_words(doc, 2)["words"] == []
    with pytest.raises(UserError, match="no character positions") as err:
        wb.add_page_highlight(doc, 2, [(10, 10, 200, 60)])
    assert "re-extract" in str(err.value)
    h = wb.get_highlight(wb.add_highlight(doc, quote="witnesses").highlight_ids[0])
    assert h["page_geometry"] is None
    # A region needs no characters.
    assert wb.add_page_highlight(doc, 2, [(10, 10, 200, 60)], region=True).highlight_ids


def test_page_words_are_runs_of_letters_with_their_boxes(lib: dict[str, Any]) -> None:
    wb, doc, pdf = lib["wb"], lib["pdf"], lib["file"]
    words = wb.page_words(doc, 2)
    assert words["source"] == "pdfium" and words["width"] == pytest.approx(595.28)
    texts = [w["text"] for w in words["words"]]
    assert texts[:4] == ["Alpha", "beta", "gamma", "delta"] and "witness" in texts
    rect = next(w["rect"] for w in words["words"] if w["text"] == "witness")
    assert rect == pytest.approx(list(_word_box(pdf, 2, "witness")), abs=0.01)


def test_documents_without_pages_have_no_page_api(lib: dict[str, Any]) -> None:
    wb, doc = lib["wb"], lib["txt"]
    assert wb.page_boxes(doc, 1) is None
    assert wb.geometry_for_range(doc, 0, 5) is None
    assert wb.page_text_at(doc, 1, [(0, 0, 100, 100)]) is None
    assert wb.page_words(doc, 1) == {"page": 1, "width": None, "height": None,
                                     "source": None, "words": []}
    h = wb.get_highlight(wb.add_highlight(doc, quote="Plain notes").highlight_ids[0])
    assert h["page_geometry"] is None
    with pytest.raises(UserError):
        wb.add_page_highlight(doc, 1, [(0, 0, 100, 100)])


def test_ocr_word_boxes_split_each_word_and_skip_the_gaps() -> None:
    from workbench.pages.boxes import ZERO
    from workbench.pages.ocr_boxes import align

    text = "Forced labour\nin the\u200f region"
    boxes = align(text, [[10, 5, 70, 20, "Forced"], [80, 5, 130, 20, "labour"],
                         [10, 30, 20, 45, "in"], [25, 30, 45, 45, "the"],
                         [50, 30, 95, 45, "\u200fregion"], [0, 0, 1, 1, "absent"]])
    assert boxes[0] == (10, 5, 20, 20) and boxes[5] == (60, 5, 70, 20)
    assert boxes[6] == ZERO and boxes[13] == ZERO  # the space and the line end
    assert boxes[text.index("region") + 5] == (87.5, 30, 95, 45)
    assert boxes[text.index("\u200f")] == ZERO


def test_scanned_pdf_keeps_its_ocr_word_boxes(tmp_path: Path) -> None:
    from tests.support.scans import scan
    from workbench.extract import ocr
    from workbench.library import Library
    from workbench.models import PageBoxes as Row
    from workbench.services import Workbench

    if not ocr.available():
        pytest.skip("Tesseract is not installed")
    image = scan("en")
    pdf = tmp_path / "scan.pdf"
    image.save(str(pdf), "PDF", resolution=100.0)  # type: ignore[attr-defined]
    make_library(tmp_path / "lib")
    with Workbench(Library.open(tmp_path / "lib", attach_index=False)) as wb:
        report, _ = wb.import_paths([pdf])
        doc = report.imported[0].document_id
        with wb.library.read() as s:
            assert s.execute(select(Row.page, Row.source)).all() == [(1, "ocr")]  # at import
        words = wb.page_words(doc, 1)
        assert words["source"] == "ocr"
        # The page is the image at 100 dpi: 720 pixels are 518.4 points wide.
        assert words["width"] == pytest.approx(720 * 72 / 100, abs=0.01)
        found = {w["text"]: w["rect"] for w in words["words"]}
        assert {"Report", "human", "labour"} <= set(found)
        assert found["Report"][1] < found["labour"][1]  # first line above the second
        x0, y0, x1, y1 = found["human"]
        h = wb.get_highlight(wb.add_page_highlight(
            doc, 1, [(x0 - 1, y0 - 1, x1 + 1, y1 + 1)], region=True).highlight_ids[0])
        assert h["quote"] == "human"
        t = wb.get_highlight(wb.add_highlight(doc, quote="Forced labour").highlight_ids[0])
        assert t["page_geometry"]["kind"] == "text"
        assert t["page_geometry"]["pages"][0]["quads"][0][1] > y0


def test_tag_passages_name_a_region_without_text_by_its_page(
        lib: dict[str, Any], tmp_path: Path) -> None:
    import csv

    import docx

    wb, doc = lib["wb"], lib["pdf"]
    wb.add_page_highlight(doc, 2, [(300, 600, 400, 700)], region=True, tags=["Photos"])
    out = tmp_path / "passages.csv"
    wb.export_passages("Photos", "csv", out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        assert [r["quote"] for r in csv.DictReader(fh)] == ["[region on page 2]"]
    wb.export_passages("Photos", "docx", tmp_path / "passages.docx")
    texts = [p.text for p in docx.Document(str(tmp_path / "passages.docx")).paragraphs]
    assert "[region on page 2]" in texts
