"""Facsimile exhibits (issue 13): the source's own pages, stamped, marked, and burnt in where
redacted, carrying nothing else of the source file.

Every source PDF here is generated: fpdf2 lays out the pages, pypdf then adds what a real
report can carry and a facsimile must not (metadata, XMP, annotations, attachments,
JavaScript, form fields, outlines, structure tree, page-piece data, a thumbnail, and a font
dictionary that points back at the page tree, as a hostile file could).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from pypdf.annotations import Link, Text
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    RectangleObject,
    TextStringObject,
)

from tests.support.tools import require_program
from workbench.errors import ExportError
from workbench.export import facsimile_raster
from workbench.export.facsimile import FacsimilePage, FacsimileRequest, build_facsimile

NAME = "Aygul Tursun"
WITNESS = (f"The witness {NAME} described the camp near the river in detail. "
           "Guards counted the prisoners every morning before the work began.")
MARKERS = ["AUTHOR-MARKER", "TITLE-MARKER", "XMP-MARKER", "ANNOT-MARKER", "LINK-MARKER",
           "ATTACH-MARKER", "JS-MARKER", "OPEN-MARKER", "PAGE-AA-MARKER", "FORM-MARKER",
           "OUTLINE-MARKER", "STRUCT-MARKER", "PIECE-MARKER", "THUMB-MARKER", "IMAGE-XMP-MARKER",
           "OTHER-PAGE-MARKER"]
FORBIDDEN_KEYS = {"/Annots", "/AcroForm", "/JavaScript", "/JS", "/OpenAction", "/AA",
                  "/Outlines", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/Metadata",
                  "/StructTreeRoot", "/StructParents", "/PieceInfo", "/Thumb", "/Info", "/Names",
                  "/Properties", "/Evil"}
RED = (255, 0, 0)
GREEN = (0, 160, 0)


# --- source files ------------------------------------------------------------------------

def _layout(path: Path, pages: list[str]) -> Path:
    """A text PDF (pt units): each page's text at the top, a red square at (100, 300)-(160,
    360) and a green one at (300, 300)-(360, 360) in fpdf's top-left points."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_creation_date(__import__("datetime").datetime(2022, 9, 1))
    for text in pages:
        pdf.add_page()
        pdf.set_font("helvetica", size=14)
        pdf.set_xy(60, 80)
        pdf.multi_cell(460, 20, text)
        pdf.set_fill_color(*RED)
        pdf.rect(100, 300, 60, 60, style="F")
        pdf.set_fill_color(*GREEN)
        pdf.rect(300, 300, 60, 60, style="F")
    pdf.output(str(path))
    return path


def _stream(writer: pypdf.PdfWriter, data: bytes, **entries: Any) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in entries.items():
        stream[NameObject("/" + key)] = value
    return writer._add_object(stream)


def _poison(src: Path, dst: Path) -> Path:
    """``src`` with everything a facsimile must leave behind added to it."""
    writer = pypdf.PdfWriter(clone_from=str(src))
    writer.add_metadata({"/Author": "AUTHOR-MARKER", "/Title": "TITLE-MARKER"})
    root = writer._root_object
    root[NameObject("/Metadata")] = _stream(writer, b"<x:xmpmeta>XMP-MARKER</x:xmpmeta>",
                                            Type=NameObject("/Metadata"),
                                            Subtype=NameObject("/XML"))
    writer.add_attachment("secret.txt", b"ATTACH-MARKER")
    names = root.setdefault(NameObject("/Names"), DictionaryObject()).get_object()
    names[NameObject("/JavaScript")] = DictionaryObject({NameObject("/Names"): ArrayObject([
        TextStringObject("init"), DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('JS-MARKER');")})])})
    root[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"),
        NameObject("/JS"): TextStringObject("app.alert('OPEN-MARKER');")})
    writer.add_outline_item(title="OUTLINE-MARKER", page_number=0)
    root[NameObject("/StructTreeRoot")] = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/StructTreeRoot"),
        NameObject("/Alt"): TextStringObject("STRUCT-MARKER")}))
    first = writer.pages[0]
    writer.add_annotation(0, Text(rect=(10, 10, 40, 40), text="ANNOT-MARKER"))
    link = Link(rect=(50, 50, 90, 70), url="http://LINK-MARKER.example/")
    writer.add_annotation(0, link)
    field = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("name"),
        NameObject("/V"): TextStringObject("FORM-MARKER"),
        NameObject("/Rect"): RectangleObject((100, 700, 300, 720))}))
    first[NameObject("/Annots")].append(field)
    root[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject([field])})
    first[NameObject("/AA")] = DictionaryObject({NameObject("/O"): DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"),
        NameObject("/JS"): TextStringObject("app.alert('PAGE-AA-MARKER');")})})
    first[NameObject("/PieceInfo")] = DictionaryObject({NameObject("/Editor"): DictionaryObject({
        NameObject("/Private"): TextStringObject("PIECE-MARKER")})})
    first[NameObject("/Thumb")] = _stream(writer, b"THUMB-MARKER")
    first[NameObject("/StructParents")] = NumberObject(0)
    resources = first["/Resources"].get_object()
    resources[NameObject("/Properties")] = DictionaryObject({
        NameObject("/MC0"): DictionaryObject({NameObject("/Note"): TextStringObject("x")})})
    # A hostile font dictionary reaching the whole page tree (every page's content) and an
    # XObject with its own XMP packet.
    font = next(iter(resources["/Font"].values())).get_object()
    font[NameObject("/Evil")] = root.indirect_reference
    resources.setdefault(NameObject("/XObject"), DictionaryObject())
    resources["/XObject"][NameObject("/Unused")] = _stream(
        writer, b"0 0 m", Type=NameObject("/XObject"), Subtype=NameObject("/Form"),
        BBox=RectangleObject((0, 0, 1, 1)),
        Metadata=_stream(writer, b"IMAGE-XMP-MARKER", Type=NameObject("/Metadata")))
    writer.write(str(dst))
    return dst


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("facsimile")
    plain = _layout(folder / "plain.pdf", [WITNESS, "Second page: the report's findings.",
                                           "Third page: OTHER-PAGE-MARKER annex.",
                                           "Fourth page: the recommendations."])
    return _poison(plain, folder / "source.pdf")


# --- reading outputs -----------------------------------------------------------------------

def _objects(path: Path) -> Iterator[Any]:
    reader = pypdf.PdfReader(str(path))
    for num in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(num)
        except Exception:  # a free entry
            continue
        if obj is not None:
            yield obj
    yield reader.trailer


def _every_byte(path: Path) -> bytes:
    """The file's bytes, every stream's decoded data and every string's value."""
    parts = [path.read_bytes()]

    def strings(obj: Any, depth: int = 0) -> None:
        if isinstance(obj, str | bytes) and not isinstance(obj, NameObject):
            parts.append(obj.encode("utf-8", "replace") if isinstance(obj, str) else obj)
        elif isinstance(obj, dict) and depth < 50:
            for value in obj.values():
                strings(value, depth + 1)
        elif isinstance(obj, list) and depth < 50:
            for value in obj:
                strings(value, depth + 1)

    for obj in _objects(path):
        strings(obj)
        if isinstance(obj, pypdf.generic.StreamObject):
            try:
                parts.append(obj.get_data())
            except Exception:
                parts.append(obj._data)
    return b"\n".join(parts)


def _keys(obj: Any, seen: set[int] | None = None) -> set[str]:
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return set()
    seen.add(id(obj))
    out: set[str] = set()
    if isinstance(obj, dict):
        for key, value in obj.items():
            out.add(str(key))
            if not isinstance(value, IndirectObject):
                out |= _keys(value, seen)
    elif isinstance(obj, list):
        for value in obj:
            if not isinstance(value, IndirectObject):
                out |= _keys(value, seen)
    return out


def _pdfium_text(path: Path, page: int) -> str:
    doc = pdfium.PdfDocument(str(path))
    try:
        return doc[page].get_textpage().get_text_range()
    finally:
        doc.close()


def _find(path: Path, page: int, word: str) -> tuple[float, float, float, float]:
    """``word``'s box on an unrotated page of ``path``, in top-left points."""
    doc = pdfium.PdfDocument(str(path))
    pg = doc[page]
    tp = pg.get_textpage()
    text = tp.get_text_range()
    start = text.index(word)
    boxes = [tp.get_charbox(i) for i in range(start, start + len(word))]
    height = pg.get_height()
    rect = (min(b[0] for b in boxes), height - max(b[3] for b in boxes),
            max(b[2] for b in boxes), height - min(b[1] for b in boxes))
    doc.close()
    return rect


def _render(path: Path, page: int) -> Any:
    doc = pdfium.PdfDocument(str(path))
    try:
        return doc[page].render(scale=1, draw_annots=False).to_pil().convert("RGB")
    finally:
        doc.close()


def _colour_box(image: Any, colour: tuple[int, int, int]) -> tuple[int, int, int, int] | None:
    """The bounding box (x0, y0, x1, y1 exclusive) of the pixels close to ``colour``."""
    import numpy as np

    near = (np.abs(np.asarray(image, dtype=int) - np.array(colour)) < 40).all(axis=2)
    ys, xs = np.nonzero(near)
    if not len(xs):
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _request(src: Path, pages: list[FacsimilePage], **kwargs: Any) -> FacsimileRequest:
    return FacsimileRequest(source_pdf=src, pages=pages, stamp=kwargs.pop("stamp", "Exhibit 3"),
                            source_pages=len(pypdf.PdfReader(str(src)).pages), **kwargs)


# --- vector pages --------------------------------------------------------------------------

def test_vector_page_keeps_its_text_and_nothing_else_of_the_source(
        source: Path, tmp_path: Path) -> None:
    data = _every_byte(source)
    assert [m for m in MARKERS if m.encode() not in data] == []  # the test can fail
    out = tmp_path / "fac.pdf"
    result = build_facsimile(_request(source, [FacsimilePage(1, [], []),
                                               FacsimilePage(2, [], [])]), out)
    assert result.pages == 2 and result.rasterised == [] and result.ocr_text == {}
    reader = pypdf.PdfReader(str(out))
    assert len(reader.pages) == 2
    assert "camp near the river" in reader.pages[0].extract_text()
    assert NAME in _pdfium_text(out, 0)
    assert "the report's findings" in _pdfium_text(out, 1)
    data = _every_byte(out)
    left = [m for m in MARKERS if m.encode() in data]
    assert left == []
    keys: set[str] = set()
    for obj in _objects(out):
        keys |= _keys(obj)
    assert keys & FORBIDDEN_KEYS == set()
    assert "/Info" not in reader.trailer


def test_the_same_request_writes_the_same_bytes(source: Path, tmp_path: Path) -> None:
    req = _request(source, [FacsimilePage(2, [(60, 70, 300, 110)], [])], bates=["WB-000001"])
    build_facsimile(req, tmp_path / "a.pdf")
    build_facsimile(req, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_stamp_and_bates_on_every_page(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "fac.pdf"
    build_facsimile(_request(source, [FacsimilePage(2, [], []), FacsimilePage(4, [], [])],
                             bates=["WB-000012", "WB-000013"]), out)
    first, second = (re.sub(r"\s+", " ", _pdfium_text(out, i)) for i in (0, 1))
    assert "Exhibit 3 · page 2 of 4 of the source" in first and "WB-000012" in first
    assert "Exhibit 3 · page 4 of 4 of the source" in second and "WB-000013" in second
    assert "WB-000013" not in first


@pytest.mark.parametrize("prefix", ["证据 3", "الملحق 3"])
def test_a_non_latin_exhibit_label_prints(source: Path, tmp_path: Path, prefix: str) -> None:
    out = tmp_path / "fac.pdf"
    build_facsimile(_request(source, [FacsimilePage(2, [], [])], stamp=prefix,
                             bates=["WB-7"]), out)
    text = _pdfium_text(out, 0)
    assert prefix.split()[0] in text and "WB-7" in text
    assert "page 2 of 4 of the source" in re.sub(r"\s+", " ", text)


def test_bad_requests_are_export_errors(source: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="page 9"):
        build_facsimile(_request(source, [FacsimilePage(9, [], [])]), tmp_path / "x.pdf")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    with pytest.raises(ExportError, match="cannot be read"):
        build_facsimile(FacsimileRequest(junk, [FacsimilePage(1, [], [])], "Exhibit 1", 1),
                        tmp_path / "y.pdf")
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "y.pdf").exists()


# --- redacted pages -------------------------------------------------------------------------

def test_a_redacted_page_is_burnt_in_and_read_again_by_ocr(source: Path, tmp_path: Path) -> None:
    require_program("tesseract")
    out = tmp_path / "fac.pdf"
    rect = _find(source, 0, NAME)
    result = build_facsimile(_request(source, [FacsimilePage(1, [], [rect]),
                                               FacsimilePage(2, [], [])],
                                      ocr_languages="eng"), out)
    assert result.rasterised == [1] and result.notes == []
    ocr = result.ocr_text[1]
    assert "witness" in ocr and "prisoners" in ocr
    for word in ("Aygul", "Tursun"):
        assert word not in ocr
        assert word not in _pdfium_text(out, 0)
        assert word not in pypdf.PdfReader(str(out)).pages[0].extract_text()
        assert word.encode() not in _every_byte(out)
        assert word.encode("utf-16-be") not in _every_byte(out)
    # The searchable layer is the OCR of the redacted image; the next page stays vector.
    assert "prisoners" in _pdfium_text(out, 0)
    assert "the report's findings" in pypdf.PdfReader(str(out)).pages[1].extract_text()
    page = pypdf.PdfReader(str(out)).pages[0]
    images, fonts = _page_resources(page)
    assert len(images) == 1
    assert all("GlyphLess" in f or "Helvetica" in f for f in fonts)
    # The black box is in the pixels.
    image = _render(out, 0)
    cx, cy = (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2
    assert image.getpixel((int(cx), int(cy))) == (0, 0, 0)
    assert not any(m.encode() in _every_byte(out) for m in MARKERS)


def _page_resources(page: Any) -> tuple[list[str], list[str]]:
    """Image XObjects and font names anywhere under ``page``'s resources."""
    images: list[str] = []
    fonts: list[str] = []

    def walk(resources: Any) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            fonts.append(str(font.get_object().get("/BaseFont")))
        for name, xobj in (resources.get("/XObject") or {}).items():
            xobj = xobj.get_object()
            if xobj.get("/Subtype") == "/Image":
                images.append(str(name))
            else:
                walk(xobj.get("/Resources"))
    walk(page.get("/Resources"))
    return images, fonts


def test_without_tesseract_the_page_is_the_image_alone(
        source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(facsimile_raster, "tesseract_program", lambda: None)
    out = tmp_path / "fac.pdf"
    result = build_facsimile(_request(source, [FacsimilePage(1, [], [_find(source, 0, NAME)])]),
                             out)
    assert result.rasterised == [1] and result.ocr_text == {1: ""}
    assert result.notes and "Tesseract" in result.notes[0]
    text = _pdfium_text(out, 0)
    assert "witness" not in text and "Exhibit 3" in text  # the stamp only


# --- geometry: rotation and crop boxes --------------------------------------------------------

def _turned(plain: Path, dst: Path, rotation: int) -> Path:
    writer = pypdf.PdfWriter(clone_from=str(plain))
    for page in writer.pages:
        page.rotate(rotation)
        page.cropbox = RectangleObject((20, 30, 560, 800))
    writer.write(str(dst))
    return dst


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_rects_land_on_the_page_as_displayed(tmp_path: Path, rotation: int) -> None:
    src = _turned(_layout(tmp_path / "plain.pdf", ["Rotated page."]), tmp_path / "src.pdf",
                  rotation)
    before = _render(src, 0)
    red, green = _colour_box(before, RED), _colour_box(before, GREEN)
    assert red and green
    mark = (green[0], green[1], green[2], green[3])
    redact = (red[0], red[1], red[2], red[3])
    out = tmp_path / "fac.pdf"
    build_facsimile(_request(src, [FacsimilePage(1, [mark], [], ["#0000ff"]),
                                   FacsimilePage(1, [mark], [redact], ["#0000ff"])],
                             ocr_languages="eng", ocr=False), out)
    for index in (0, 1):
        after = _render(out, index)
        assert after.size == before.size
        centre = ((mark[0] + mark[2]) // 2, (mark[1] + mark[3]) // 2)
        r, g, b = after.getpixel(centre)
        assert b > 60 and g > 40 and r < 60  # green under a translucent blue mark
    vector, raster = _render(out, 0), _render(out, 1)
    assert _colour_box(vector, RED) == red  # the vector copy did not move
    assert _colour_box(raster, RED) is None  # the redacted square is gone
    centre = ((redact[0] + redact[2]) // 2, (redact[1] + redact[3]) // 2)
    assert raster.getpixel(centre) == (0, 0, 0)


# --- what else a page can carry ----------------------------------------------------------------

def test_a_photo_keeps_its_pixels_but_not_its_exif(tmp_path: Path) -> None:
    from PIL import Image

    exif = Image.Exif()
    exif[270] = "EXIF-MARKER"  # ImageDescription; a camera writes its serial and GPS here
    Image.new("RGB", (60, 40), (20, 90, 200)).save(
        tmp_path / "photo.jpg", "JPEG", exif=exif.tobytes(), comment=b"COM-MARKER")
    pdf = FPDF(unit="pt")
    pdf.add_page()
    pdf.image(str(tmp_path / "photo.jpg"), x=100, y=100, w=120)
    pdf.output(str(tmp_path / "src.pdf"))
    src = tmp_path / "src.pdf"
    assert b"EXIF-MARKER" in src.read_bytes() and b"COM-MARKER" in src.read_bytes()
    out = tmp_path / "fac.pdf"
    build_facsimile(_request(src, [FacsimilePage(1, [], [])]), out)
    data = _every_byte(out)
    assert b"EXIF-MARKER" not in data and b"COM-MARKER" not in data
    r, _g, b = _render(out, 0).getpixel((160, 140))
    assert b > 150 and r < 80  # the photo still shows


def test_a_page_with_layers_is_rendered_as_it_displays(tmp_path: Path) -> None:
    plain = _layout(tmp_path / "plain.pdf", ["A page with a hidden layer."])
    writer = pypdf.PdfWriter(clone_from=str(plain))
    resources = writer.pages[0]["/Resources"].get_object()
    resources[NameObject("/Properties")] = DictionaryObject({
        NameObject("/OC1"): writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/OCG"),
            NameObject("/Name"): TextStringObject("Names")}))})
    writer.write(str(tmp_path / "src.pdf"))
    result = build_facsimile(_request(tmp_path / "src.pdf", [FacsimilePage(1, [], [])],
                                      ocr=False), tmp_path / "fac.pdf")
    assert result.rasterised == [1]
    assert result.notes and "optional content" in result.notes[0]
    assert "hidden layer" not in _pdfium_text(tmp_path / "fac.pdf", 0)



def test_a_huge_page_is_rendered_within_the_pixel_limit(
        source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(facsimile_raster, "MAX_PIXELS", 200_000)
    rect = _find(source, 0, NAME)
    out = tmp_path / "fac.pdf"
    build_facsimile(_request(source, [FacsimilePage(1, [], [rect])], ocr=False), out)
    page = pypdf.PdfReader(str(out)).pages[0]
    image = next(x.get_object() for x in page["/Resources"]["/XObject"].values()
                 if x.get_object().get("/Subtype") == "/Image")
    assert int(image["/Width"]) * int(image["/Height"]) <= 200_000
    cx, cy = (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2
    assert _render(out, 0).getpixel((int(cx), int(cy))) == (0, 0, 0)


def test_a_mark_over_a_redaction_leaves_the_box_black(source: Path, tmp_path: Path) -> None:
    """The highlight's translucent mark is drawn over the page; where it crosses a burnt-in
    box the box must still print black, not dark olive."""
    rect = _find(source, 0, NAME)
    mark = (rect[0] - 40, rect[1] - 4, rect[2] + 40, rect[3] + 4)  # the whole phrase
    out = tmp_path / "fac.pdf"
    build_facsimile(_request(source, [FacsimilePage(1, [mark], [rect])], ocr=False), out)
    doc = pdfium.PdfDocument(str(out))
    try:
        image = doc[0].render(scale=2, draw_annots=False).to_pil().convert("RGB")
    finally:
        doc.close()
    centre = (int(rect[0] + rect[2]), int(rect[1] + rect[3]))  # at scale 2
    assert max(image.getpixel(centre)) <= 10
    # ... while the mark still shows beside it (yellow over white paper, above the line).
    r, g, b = image.getpixel((int((mark[0] + 10) * 2), int((mark[1] + 1.5) * 2)))
    assert r > 230 and g > 200 and b < 200
