"""Images and scans: OCR with Tesseract, provenance, time budgets, and life without Tesseract.

OCR is slow, so the images are small and few. The 300-page TIFF runs with a 10 s time limit:
the OCR budget (80% of it) reads the first pages and the document imports with the rest named
as not read, which keeps the test fast and shows the per-file outcome a user gets.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.files import make_pdf
from tests.support.formats import CJK_FONT, make_text_image, make_tiff, text_image
from workbench.extract import Limits
from workbench.extract.ocr import NO_TESSERACT, OcrRun
from workbench.ingest import ImportOptions
from workbench.services import Workbench

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="the tesseract program is not installed (apt-get install tesseract-ocr "
           "tesseract-ocr-chi-sim); .ci/run installs it")


def _import(wb: Workbench, *paths: Path, **options: Any) -> dict[str, Any]:
    report, _ = wb.import_paths(list(paths), ImportOptions(**options))
    return report.to_json()


@needs_tesseract
@pytest.mark.skipif(not CJK_FONT.exists(), reason=f"the CJK font {CJK_FONT} is missing "
                    "(apt-get install fonts-noto-cjk)")
def test_chinese_image_becomes_searchable_text(wb: Workbench, tmp_path: Path) -> None:
    image = make_text_image(tmp_path / "scan.png", "人权状况报告\n强迫劳动问题", font=CJK_FONT,
                            size=64, width=600)
    [item] = _import(wb, image, ocr_languages="chi_sim")["imported"]
    info = wb.show_document(item["id"])
    assert info["kind"] == "image" and info["media_type"] == "image/png"
    text = wb.document_text(item["id"]).text
    assert "人权状况报告" in text and "强迫劳动" in text
    layer = info["text_layers"][0]
    assert layer["method"] == "ocr" and layer["languages"] == "chi_sim"
    assert "tesseract-" in layer["extractor_version"]
    assert info["language"] == "zh"
    assert wb.wait_for_index(30)
    assert item["id"] in [h.document_id for h in wb.search("人权状况").hits]
    assert item["id"] in [h.document_id for h in wb.search("lang:zh").hits]


@needs_tesseract
def test_multipage_tiff_pages_and_library_ocr_setting(wb: Workbench, tmp_path: Path) -> None:
    with wb.library.transaction() as session:
        wb.library.set_setting(session, "ocr_languages", "eng")
    tiff = make_tiff(tmp_path / "fax.tiff", ["Detention order one", "Transfer order two",
                                             "Release order three"])
    jpeg = make_text_image(tmp_path / "photo.jpg", "Checkpoint notice")
    cut = tmp_path / "cut.tiff"
    cut.write_bytes(tiff.read_bytes()[:int(tiff.stat().st_size * 0.6)])
    out = _import(wb, tiff, jpeg, cut)
    by_name = {Path(i["path"]).name: i for i in out["imported"]}
    damaged = by_name["cut.tiff"]  # the pages before the damage are kept, and it says so
    assert damaged["status"] == "imported with problems" and 1 <= damaged["pages"] < 3
    assert any("damaged after page" in p for p in damaged["problems"])
    assert wb.document_text(damaged["id"]).page_text(1).strip() == "Detention order one"
    fax = wb.document_text(by_name["fax.tiff"]["id"])
    assert [fax.page_text(n).strip() for n in (1, 2, 3)] == [
        "Detention order one", "Transfer order two", "Release order three"]
    info = wb.show_document(by_name["photo.jpg"]["id"])
    assert info["media_type"] == "image/jpeg"
    assert info["text_layers"][0]["languages"] == "eng"
    assert "Checkpoint notice" in wb.document_text(info["id"]).text


@needs_tesseract
def test_300_page_tiff_keeps_the_pages_read_within_the_time_limit(wb: Workbench,
                                                                 tmp_path: Path) -> None:
    tiff = make_tiff(tmp_path / "long.tiff", [f"Page {n}" for n in range(1, 301)], size=20,
                     width=160)
    note = tmp_path / "note.txt"
    note.write_text("The batch goes on after the long scan.", encoding="utf-8")
    started = time.monotonic()
    out = _import(wb, tiff, note, limits=Limits(timeout=10))
    assert time.monotonic() - started < 30
    by_name = {Path(i["path"]).name: i for i in out["imported"]}
    assert "note.txt" in by_name
    scan = by_name["long.tiff"]
    assert scan["pages"] == 300 and scan["status"] == "imported with problems"
    [note_text] = [p for p in scan["problems"] if p.startswith("OCR timed out")]
    assert "–300)" in note_text and "workbench ocr" in note_text
    text = wb.document_text(scan["id"])
    assert text.page_text(1).strip() == "Page 1"
    assert text.page_text(300).strip() == ""


@needs_tesseract
def test_ocr_run_that_exceeds_its_time_limit_stops_and_says_so() -> None:
    dense = text_image("\n".join(f"Line {n} of a long dense testimony about detention"
                                 for n in range(120)), size=22, width=1400)
    run = OcrRun("eng", budget=1.5)
    started = time.monotonic()
    texts = run.run([(1, lambda: dense), (2, lambda: dense)])
    assert time.monotonic() - started < 5  # Tesseract was stopped, not waited for
    assert texts == {1: "", 2: ""}
    [problem] = run.summary([1, 2])
    assert problem.startswith("OCR timed out: 2 page(s) not read (pages 1–2)")


@needs_tesseract
def test_import_with_ocr_over_the_time_limit_is_a_clear_outcome(wb: Workbench,
                                                                tmp_path: Path) -> None:
    big = text_image("\n".join(f"Line {n} of a long dense testimony about detention"
                               for n in range(150)), size=22, width=1400)
    path = tmp_path / "dense.png"
    big.save(str(path))  # type: ignore[attr-defined]
    note = tmp_path / "after.txt"
    note.write_text("Imported after the slow scan.", encoding="utf-8")
    out = _import(wb, path, note, limits=Limits(timeout=4))
    assert any(Path(i["path"]).name == "after.txt" for i in out["imported"])
    scans = [i for i in out["imported"] if Path(i["path"]).name == "dense.png"]
    if scans:  # the OCR budget stopped Tesseract: the image is kept, without text
        assert scans[0]["status"] == "imported with problems"
        assert any(p.startswith("OCR timed out") for p in scans[0]["problems"])
    else:  # on a very slow machine the worker's own time limit fired first
        [failed] = out["failed"]
        assert failed["status"] == "timed out"


@needs_tesseract
def test_scanned_pdf_pages_are_ocrd_without_touching_the_pdf(wb: Workbench,
                                                            tmp_path: Path) -> None:
    from fpdf import FPDF

    scan = tmp_path / "page.png"
    make_text_image(scan, "Scanned witness statement")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 6, "Typed cover page of the dossier.")
    pdf.add_page()
    pdf.image(str(scan), x=10, y=10, w=180)
    path = tmp_path / "mixed.pdf"
    pdf.output(str(path))
    [item] = _import(wb, path)["imported"]
    info = wb.show_document(item["id"])
    layer = info["text_layers"][0]
    assert layer["method"] == "text+ocr" and "tesseract-" in layer["extractor_version"]
    text = wb.document_text(item["id"])
    assert "Typed cover page" in text.page_text(1)
    assert "Scanned witness statement" in text.page_text(2)
    assert "read by OCR: pages 2" in info["problems"]
    assert Path(wb.original_path(item["id"])).read_bytes() == path.read_bytes()


def test_without_tesseract_images_and_scans_import_with_a_clear_problem(
        wb: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))  # the workers inherit it: no tesseract
    image = make_text_image(tmp_path / "scan.png", "Text nobody can read yet")
    pdf = make_pdf(tmp_path / "scan.pdf", ["", ""])
    out = _import(wb, image, pdf)
    assert out["failed"] == []
    for item in out["imported"]:
        assert item["status"] == "imported with problems"
        assert item["problems"] == [NO_TESSERACT], item
        assert wb.show_document(item["id"])["status"] == "no_text"


@needs_tesseract
def test_sideways_phone_photo_is_read_upright(tmp_path: Path) -> None:
    from PIL import Image

    from workbench.extract.base import ExtractOptions
    from workbench.extract.image import ImageExtractor

    photo = text_image("Rotated photo of a notice").rotate(90, expand=True)  # type: ignore[attr-defined]
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display", as phones write it
    path = tmp_path / "photo.jpg"
    photo.convert("RGB").save(str(path), exif=exif)
    result = ImageExtractor().extract(path, ExtractOptions(kind="image"))
    assert result.pages == ["Rotated photo of a notice"]
