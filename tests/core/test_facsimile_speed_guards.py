"""Guards on what made the facsimile export fast (issue 13's benchmark), each without giving up
a guarantee:

- Tesseract's invisible text layer lists only the character codes its page uses (its own
  ToUnicode maps the whole BMP, which pypdf expanded into 65,536 entries on every read), and
  reads back to the same text with pypdf and PDFium;
- the leak check reuses the renderer's OCR of a burnt-in page only when the image in the
  file it checks is byte for byte the one that was read (its SHA-256), in the languages the
  check needs; a page image changed after rendering is read again, and its leak is caught.
"""

from __future__ import annotations

import hashlib
import io
import re
import zlib
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from pypdf.generic import NameObject, NumberObject, StreamObject

from tests.support.tools import require_program
from workbench.dossier.redaction import Rule
from workbench.errors import RedactionLeak
from workbench.export import facsimile_raster, leak_ocr
from workbench.export.facsimile import FacsimilePage, FacsimileRequest, build_facsimile
from workbench.export.leakcheck import check_file

NAME = "Aygul Tursun"
TEXT = (f"The witness {NAME} described the camp near the river in detail. Guards counted "
        "the prisoners every morning before the work began; café, naïve.")
RULES = [Rule(NAME, "witness safety")]


def _source(path: Path) -> Path:
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=16)
    pdf.set_xy(60, 80)
    pdf.multi_cell(460, 24, TEXT)
    pdf.output(str(path))
    return path


def _name_rect(path: Path) -> tuple[float, float, float, float]:
    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[0]
        tp = page.get_textpage()
        start = tp.get_text_range().index(NAME)
        boxes = [tp.get_charbox(i) for i in range(start, start + len(NAME))]
        height = page.get_height()
        return (min(b[0] for b in boxes), height - max(b[3] for b in boxes),
                max(b[2] for b in boxes), height - min(b[1] for b in boxes))
    finally:
        doc.close()


@pytest.fixture
def burnt(tmp_path: Path) -> tuple[Path, Path, Any]:
    """A one-page facsimile whose name is burnt in, with its OCR layer (English)."""
    require_program("tesseract")
    src = _source(tmp_path / "src.pdf")
    out = tmp_path / "fac.pdf"
    result = build_facsimile(FacsimileRequest(src, [FacsimilePage(1, [], [_name_rect(src)])],
                                              "Exhibit 1", 1, ocr_languages="eng"), out)
    assert result.rasterised == [1] and "prisoners" in result.ocr_text[1]
    return src, out, result


def _page_image(path: Path) -> Any:
    reader = pypdf.PdfReader(str(path))
    xobjects = reader.pages[0]["/Resources"]["/XObject"]
    return next(x.get_object() for x in xobjects.values()
                if x.get_object().get("/Subtype") == "/Image")


def _to_unicode_streams(path: Path) -> list[bytes]:
    reader = pypdf.PdfReader(str(path))
    out = []
    for num in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(num)
        if isinstance(obj, dict) and "/ToUnicode" in obj:
            out.append(obj["/ToUnicode"].get_object().get_data())
    return out


def _mapped_codes(cmap: bytes) -> int:
    """How many codes a ToUnicode CMap maps (its bfchar entries and bfrange spans)."""
    count = 0
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        count += len(re.findall(rb"<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>", block))
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*[<\[]", block):
            count += int(hi, 16) - int(lo, 16) + 1
    return count


# --- the OCR text layer --------------------------------------------------------------------

def _pypdf_text(pdf: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def _pdfium_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return str(doc[0].get_textpage().get_text_range())
    finally:
        doc.close()


def test_the_ocr_layer_maps_only_the_codes_it_uses_and_reads_the_same() -> None:
    program = require_program("tesseract")
    from PIL import Image, ImageDraw, ImageFont

    from tests.support.files import DEJAVU

    image = Image.new("L", (1600, 420), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(DEJAVU), 44)
    draw.text((40, 40), "Testimony recorded — café, naïve, 12 €", font=font, fill=0)
    draw.text((40, 200), "Second line: the prisoners, 2019", font=font, fill=0)
    png = io.BytesIO()
    image.save(png, "PNG")
    raw, text = facsimile_raster.tesseract_page(program, png.getvalue(), "eng", 200)
    assert raw is not None and "prisoners" in text
    # Tesseract's own layer maps the whole BMP (what made reading it slow): the test can fail.
    assert any(_mapped_codes(c) >= 65536 for c in _raw_cmaps(raw))
    compact = facsimile_raster.compact_text_layer(raw)
    cmaps = _raw_cmaps(compact)
    assert cmaps and all(_mapped_codes(c) < 100 for c in cmaps)
    assert _pypdf_text(compact) == _pypdf_text(raw)
    assert _pdfium_text(compact) == _pdfium_text(raw)
    assert "prisoners" in _pypdf_text(compact)


def _raw_cmaps(pdf: bytes) -> list[bytes]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [font.get_object()["/ToUnicode"].get_object().get_data()
            for font in reader.pages[0]["/Resources"]["/Font"].values()]


def test_a_burnt_in_page_carries_the_compact_layer(burnt: tuple[Path, Path, Any]) -> None:
    _src, out, _result = burnt
    cmaps = _to_unicode_streams(out)
    assert cmaps and all(_mapped_codes(c) < 200 for c in cmaps)
    assert "prisoners" in pypdf.PdfReader(str(out)).pages[0].extract_text()


# --- the leak check's reuse of the renderer's OCR -------------------------------------------

def _count_ocr(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = leak_ocr._read

    def counted(image: Any, languages: str) -> str | Exception:
        calls.append(1)
        return real(image, languages)
    monkeypatch.setattr(leak_ocr, "_read", counted)
    return calls


def test_the_leak_check_reuses_the_reading_of_the_same_page_image(
        burnt: tuple[Path, Path, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    _src, out, result = burnt
    image = _page_image(out)
    assert result.image_sha256[1] == hashlib.sha256(image._data).hexdigest()
    calls = _count_ocr(monkeypatch)
    assert "page images (OCR)" in check_file(out, RULES, "pdf")
    assert calls == []


def test_a_page_image_changed_after_rendering_is_read_again_and_its_leak_caught(
        burnt: tuple[Path, Path, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    src, out, _result = burnt
    # The forgery: after the renderer read it, the burnt-in image is swapped for one of the
    # same size that shows the name again, below the text (the black box drawn over the image
    # where the name was would hide it there).
    image = _page_image(out)
    width, height = int(image["/Width"]), int(image["/Height"])
    doc = pdfium.PdfDocument(str(src))
    try:
        page = doc[0]
        scale = width / page.get_width()
        pixels = page.render(scale=scale).to_pil().convert("L").resize((width, height))
    finally:
        doc.close()
    x0, y0, x1, y1 = (round(v * scale) for v in _name_rect(src))
    pixels.paste(pixels.crop((x0 - 4, y0 - 4, x1 + 4, y1 + 4)), (round(60 * scale),
                                                                 round(500 * scale)))
    writer = pypdf.PdfWriter(clone_from=str(out))
    for ref in writer.pages[0]["/Resources"]["/XObject"].values():
        obj = ref.get_object()
        if obj.get("/Subtype") == "/Image":
            assert isinstance(obj, StreamObject)
            obj._data = zlib.compress(pixels.tobytes())
            obj[NameObject("/ColorSpace")] = NameObject("/DeviceGray")
            obj[NameObject("/Width")] = NumberObject(width)
            obj[NameObject("/Height")] = NumberObject(height)
    forged = out.with_name("forged.pdf")
    writer.write(str(forged))
    calls = _count_ocr(monkeypatch)
    with pytest.raises(RedactionLeak, match=r"page 1 image \(OCR\)"):
        check_file(forged, RULES, "pdf")
    assert calls == [1]


def test_a_reading_in_other_languages_is_not_reused() -> None:
    digest = hashlib.sha256(b"a page image").hexdigest()
    leak_ocr.remember(digest, "eng", "the text")
    assert leak_ocr.recall(digest, "eng") == "the text"
    assert leak_ocr.recall(digest, "eng+ara") is None  # the check needs Arabic too
    assert leak_ocr.recall(hashlib.sha256(b"another").hexdigest(), "eng") is None
    leak_ocr.remember(digest, "ara+eng+uig", "النص")
    assert leak_ocr.recall(digest, "eng+ara") == "النص"


# --- the dossier export ----------------------------------------------------------------------

PAGES = ["Page one introduces the inquiry into the camps.",
         f"Page two: the witness {NAME} described the camp in detail, and the guards.",
         "Page three closes the report with recommendations."]


@pytest.fixture
def dossier(wb: Any, tmp_path: Path) -> int:
    from tests.support.files import make_pdf

    wb.import_paths([make_pdf(tmp_path / "report.pdf", PAGES, title="Camp report")])
    doc = int(wb.list_documents()[0]["id"])
    h = wb.add_highlight(doc, quote="the witness").highlight_ids[0]
    d = int(wb.create_dossier("Camps").dossier_ids[0])
    wb.add_item(d, highlight=h, facsimile=True, pages="1-3")
    wb.redact_term(d, NAME, "witness safety")
    return d


def test_planning_burns_the_redacted_pages_and_starts_their_ocr(wb: Any, dossier: int,
                                                                 tmp_path: Path) -> None:
    require_program("tesseract")
    from contextlib import ExitStack

    from workbench.export.facsimile_plan import plan_facsimiles

    with ExitStack() as held:
        plans = plan_facsimiles(wb.library, wb.dossier_view(dossier, full_text=True), held,
                                tmp_path / "scratch")
        (plan,) = plans.values()
        assert [p.number for p in plan.pages] == [1, 2, 3] and plan.redacted_pages == [2]
        assert list(plan.burnt) == [1]  # page 2, by its index in the plan
        pdf, text = plan.burnt[1].ocr.result()
        assert pdf is not None and "guards" in text and "Tursun" not in text


def test_an_export_reads_each_burnt_page_once(wb: Any, dossier: int, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The renderer reads the burnt page for its text layer; the leak check of the PDF, and
    of the bundle's dossier.pdf and its exhibit's facsimile PDF, reuse that reading."""
    require_program("tesseract")
    runs: list[str] = []
    real = facsimile_raster.tesseract_page

    def counted(*args: Any) -> tuple[bytes | None, str]:
        runs.append("renderer")
        return real(*args)
    monkeypatch.setattr(facsimile_raster, "tesseract_page", counted)
    checks = _count_ocr(monkeypatch)
    done = wb.export(dossier, "pdf", tmp_path / "out.pdf")
    assert "page images (OCR)" in done["leak_checks"]
    assert runs == ["renderer"] and checks == []
    wb.export(dossier, "bundle", tmp_path / "out.zip")
    assert runs == ["renderer"] * 2 and checks == []


def test_facsimiles_without_redaction_are_written_while_others_wait_for_ocr(
        tmp_path: Path) -> None:
    """An exhibit whose burnt page's OCR is still under way does not hold back the writing
    of the exhibits after it that have nothing to wait for (they were written only once
    every OCR had finished: on the export's critical path)."""
    import threading
    from concurrent.futures import Future

    from workbench.export.facsimile import build_facsimiles
    from workbench.export.facsimile_raster import OcrPool, burn_page

    src = _source(tmp_path / "src.pdf")
    rect = _name_rect(src)
    doc = pdfium.PdfDocument(str(src))
    with OcrPool() as pool:
        burnt = burn_page(pool, doc[0], 1, [rect], 200, "eng", False)
    doc.close()
    pending: Future[tuple[bytes | None, str]] = Future()
    burnt.ocr = pending
    waiting = FacsimileRequest(src, [FacsimilePage(1, [], [rect])], "Exhibit 1", 1)
    plain = FacsimileRequest(src, [FacsimilePage(1, [], [])], "Exhibit 2", 1)
    outs = [tmp_path / "one.pdf", tmp_path / "two.pdf"]
    done = threading.Thread(target=build_facsimiles, args=(
        [(waiting, outs[0]), (plain, outs[1])],), kwargs={"prepared": [{0: burnt}, {}]})
    done.start()
    try:
        for _ in range(200):
            if outs[1].exists():
                break
            done.join(0.05)
        assert outs[1].exists() and not outs[0].exists()
    finally:
        pending.set_result((None, ""))
        done.join()
    assert outs[0].exists()


def test_the_contents_links_compute_the_anchors_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each link looked every anchor's final page up again (twice): 400 exhibits' links
    made 320,000 page lookups."""
    from pypdf import PdfWriter

    from workbench.export import pdf_assemble
    from workbench.export.pdf_layout import Part

    pdf = FPDF(unit="pt", format="A4")
    for _ in range(40):
        pdf.add_page()
    part = Part(bytes(pdf.output()), 40,
                anchors={f"item-{i}": (i, 10.0, 10.0, 20.0, 20.0) for i in range(40)},
                links=[(0, f"item-{i}", (1.0, 1.0, 5.0, 5.0)) for i in range(40)])
    layout = pdf_assemble.Layout([part])
    for after in range(0, 40, 4):
        layout.insert(after, 2)
    writer = PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(part.pdf)))
    for _ in range(20):
        writer.add_blank_page(595, 842)
    calls: list[int] = []
    real = pdf_assemble.Layout.final

    def final(self: Any, flow: int) -> int:
        calls.append(flow)
        return real(self, flow)
    monkeypatch.setattr(pdf_assemble.Layout, "final", final)
    pdf_assemble._links(writer, layout)
    assert len(writer.pages[0]["/Annots"]) == 40
    assert len(calls) <= 2 * (40 + 40)


def test_the_page_stamps_are_laid_out_before_waiting_for_the_facsimiles(
        wb: Any, dossier: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The footers need only the page count, known once the facsimiles' pages are reserved:
    laid out while Tesseract reads the burnt pages, not after its last reading."""
    from workbench.export import pdf as pdf_export

    order: list[str] = []
    real_render, real_stamps = pdf_export.render_plans, pdf_export.draw_stamps

    def render(*args: Any, **kwargs: Any) -> Any:
        order.append("facsimiles")
        return real_render(*args, **kwargs)

    def stamps(*args: Any, **kwargs: Any) -> Any:
        order.append("stamps")
        return real_stamps(*args, **kwargs)
    monkeypatch.setattr(pdf_export, "render_plans", render)
    monkeypatch.setattr(pdf_export, "draw_stamps", stamps)
    wb.export(dossier, "pdf", tmp_path / "out.pdf")
    assert order == ["stamps", "facsimiles"]
