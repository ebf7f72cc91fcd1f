"""Character boxes of a PDF page, aligned with the text the import stores (pages.boxes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.support.files import make_pdf
from workbench.errors import UserError
from workbench.extract.pdf_text import clean_pdfium
from workbench.pages.boxes import ZERO, clean_aligned, pack, read_page_boxes, union, unpack

ROOT = Path(__file__).resolve().parents[2]


def _import_text(path: Path, page: int) -> str:
    """The page's text exactly as the extractor reads it before the layer is built."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return clean_pdfium(doc[page - 1].get_textpage().get_text_range())
    finally:
        doc.close()


def _word(boxes: list, text: str, word: str) -> tuple[float, float, float, float]:
    i = text.index(word)
    return union(boxes[i:i + len(word)])


def test_plain_page_boxes_follow_the_text(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "plain.pdf", [
        "First page.",
        "Alpha beta gamma.\nThe witness spoke last.",
    ])
    pb = read_page_boxes(pdf, 2)
    assert pb.text == _import_text(pdf, 2)
    assert len(pb.boxes) == len(pb.text)
    assert (pb.width, pb.height) == pytest.approx((595.28, 841.89), abs=0.01)
    alpha, beta = _word(pb.boxes, pb.text, "Alpha"), _word(pb.boxes, pb.text, "beta")
    witness = _word(pb.boxes, pb.text, "witness")
    # Top-left origin: the first line is near the top; words of a line share its band.
    assert 0 < alpha[1] < alpha[3] < 60
    assert alpha[2] <= beta[0] and (alpha[1], alpha[3]) == pytest.approx((beta[1], beta[3]))
    assert witness[1] >= alpha[3] - 1  # the second line lies below the first
    # The line end PDFium inserts has no box; every letter has one.
    nl = pb.text.index("\n")
    assert pb.boxes[nl] == ZERO
    assert all(b != ZERO for c, b in zip(pb.text, pb.boxes, strict=True) if c.isalpha())
    # The same page through an already-open document gives the same answer.
    doc = pdfium.PdfDocument(str(pdf))
    try:
        assert read_page_boxes(doc, 2) == pb
    finally:
        doc.close()


def test_ligatures_and_compatibility_forms_share_their_glyph_box(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "lig.pdf", ["The \ufb01nal \u00bd cup of \ufb02our."])
    pb = read_page_boxes(pdf, 1)
    assert pb.text == _import_text(pdf, 1)
    assert "final 1\u20442 cup of flour" in pb.text
    f, i = pb.text.index("fi"), pb.text.index("fi") + 1
    assert pb.boxes[f] == pb.boxes[i] != ZERO  # one glyph, two letters
    half = pb.text.index("1\u20442")
    assert pb.boxes[half] == pb.boxes[half + 1] == pb.boxes[half + 2] != ZERO
    assert pb.boxes[half][0] >= _word(pb.boxes, pb.text, "final")[2] - 0.01


def test_arabic_presentation_forms_align(tmp_path: Path) -> None:
    # Presentation forms (as PDFs carry Arabic and Uyghur), lam-alef as one ligature glyph.
    pdf = make_pdf(tmp_path / "ar.pdf", ["\ufe91\ufeb8\ufef4\ufeae \ufefb"])
    pb = read_page_boxes(pdf, 1)
    assert pb.text == _import_text(pdf, 1)
    letters = [i for i, c in enumerate(pb.text) if c.strip()]
    assert all("\u0600" <= pb.text[i] <= "\u06ff" for i in letters)
    assert all(pb.boxes[i] != ZERO for i in letters)
    la = pb.text.index("\u0644\u0627")
    assert pb.boxes[la] == pb.boxes[la + 1]  # lam-alef: one glyph
    # Distinct glyphs of one word do not share boxes (each letter kept its own).
    word = [i for i in letters if i not in (la, la + 1)]
    assert len({pb.boxes[i] for i in word}) == len(word)


def test_composition_across_characters_falls_back_to_alignment() -> None:
    a, e, acute, x = (1.0, 1.0, 5.0, 9.0), (5.0, 1.0, 9.0, 9.0), (5.5, 0.0, 8.0, 3.0), \
        (9.0, 1.0, 13.0, 9.0)
    raw = "ae\u0301\ufffe\r\nx\r"
    text, boxes = clean_aligned(raw, [a, e, acute, ZERO, ZERO, ZERO, x, ZERO])
    assert text == clean_pdfium(raw) == "a\u00e9\nx\n"
    assert boxes == [a, union([e, acute]), ZERO, x, ZERO]


def test_rotated_and_cropped_pages_use_the_displayed_top_left(tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "src.pdf", ["Alpha beta gamma delta.\nWitness name here."])
    plain = read_page_boxes(src, 1)
    crop = (20.0, 700.0, 400.0, 830.0)  # left, bottom, right, top in user space
    rotated: dict[int, Path] = {}
    for rot in (0, 90, 180, 270):
        doc = pdfium.PdfDocument(str(src))
        page = doc[0]
        page.set_rotation(rot)
        page.set_cropbox(*crop)
        page.close()
        rotated[rot] = tmp_path / f"r{rot}.pdf"
        doc.save(str(rotated[rot]))
        doc.close()
    w, h = crop[2] - crop[0], crop[3] - crop[1]
    x0, y0, x1, y1 = _word(plain.boxes, plain.text, "Witness")
    # Unrotated, cropped: shifted by the crop box's left and its distance from the top.
    top_cut = plain.height - crop[3]
    c0, c1, c2, c3 = x0 - crop[0], y0 - top_cut, x1 - crop[0], y1 - top_cut
    expected = {
        0: (w, h, (c0, c1, c2, c3)),
        90: (h, w, (h - c3, c0, h - c1, c2)),
        180: (w, h, (w - c2, h - c3, w - c0, h - c1)),
        270: (h, w, (c1, w - c2, c3, w - c0)),
    }
    for rot, (ew, eh, ebox) in expected.items():
        pb = read_page_boxes(rotated[rot], 1)
        assert (pb.width, pb.height) == pytest.approx((ew, eh), abs=0.01), rot
        assert _word(pb.boxes, pb.text, "Witness") == pytest.approx(ebox, abs=0.01), rot
    _agrees_with_qt_pdf({rot: read_page_boxes(p, 1) for rot, p in rotated.items()}, rotated)


def _agrees_with_qt_pdf(readings: dict, files: dict[int, Path]) -> None:
    """Qt PDF (what the viewer shows) puts the word inside our box, on every rotation."""
    code = (
        "import json, sys\n"
        "from PySide6.QtGui import QGuiApplication\n"
        "from PySide6.QtPdf import QPdfDocument\n"
        "app = QGuiApplication([])\n"
        "out = {}\n"
        "for rot, path in json.loads(sys.argv[1]).items():\n"
        "    d = QPdfDocument(); d.load(path)\n"
        "    text = d.getAllText(0).text(); i = text.index('Witness')\n"
        "    r = d.getSelectionAtIndex(0, i, 7).boundingRectangle().normalized()\n"
        "    out[rot] = [r.left(), r.top(), r.right(), r.bottom()]\n"
        "print(json.dumps(out))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-c", code, json.dumps({k: str(v) for k, v in
                                                                  files.items()})],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    if run.returncode != 0 and "No module named 'PySide6" in run.stderr:
        pytest.skip("Qt PDF is not installed")
    assert run.returncode == 0, run.stderr
    for rot, (qx0, qy0, qx1, qy1) in json.loads(run.stdout).items():
        pb = readings[int(rot)]
        ours = _word(pb.boxes, pb.text, "Witness")
        # Qt rounds its rects to whole points and uses tighter glyph boxes than ours.
        assert ours[0] - 1.5 <= qx0 < qx1 <= ours[2] + 1.5, (rot, ours, (qx0, qy0, qx1, qy1))
        assert ours[1] - 1.5 <= qy0 < qy1 <= ours[3] + 1.5, (rot, ours, (qx0, qy0, qx1, qy1))


def test_pack_round_trips_to_a_hundredth_of_a_point_and_is_small(tmp_path: Path) -> None:
    from tests.support.files import split_pages

    body = " ".join(f"Paragraph {i} says the detainees were moved at night to site {i * 7}."
                    for i in range(60))
    pdf = make_pdf(tmp_path / "full.pdf", split_pages(body, 3000)[:1])
    pb = read_page_boxes(pdf, 1)
    assert len(pb.text) > 2000
    data = pack(pb.boxes)
    back = unpack(data)
    assert len(back) == len(pb.boxes)
    assert all(abs(a - b) <= 0.005 + 1e-9 for x, y in zip(back, pb.boxes, strict=True)
               for a, b in zip(x, y, strict=True))
    # A full page of text costs about 1.3 bytes a character (packed columns, zlib).
    assert len(data) / len(pb.boxes) < 2, len(data) / len(pb.boxes)
    assert unpack(pack([])) == []


def test_a_page_that_does_not_exist_is_a_user_error(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "one.pdf", ["Only page."])
    with pytest.raises(UserError, match="page 3 does not exist"):
        read_page_boxes(pdf, 3)
    with pytest.raises(UserError, match="cannot read"):
        read_page_boxes(tmp_path / "missing.pdf", 1)
