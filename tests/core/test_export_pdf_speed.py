"""What the PDF export does to stay close to WeasyPrint's own layout time (issue 16), and that
none of it changes what a page shows or what a reader (or the leak check) reads from it."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pytest

# Latin with kerning pairs, a redaction-like bar, Arabic (shaped, right to left) and Chinese.
HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>{css}</style></head><body>
<h1>Exhibit 1: AVATAR Toward Lyon</h1>
<p>Paragraph with "quotes", kerning pairs (AV, To, Wa, Ly) and numbers 1,234.56.</p>
<p><span class="redacted">[REDACTED: witness]</span> said the water was cut on Tuesday.</p>
<p dir="rtl">قال الشاهد إن المياه قطعت يوم الثلاثاء</p>
<p>证人说，星期二断水了。</p>
</body></html>"""


def _html() -> str:
    from workbench.export.html import print_css

    return HTML.replace("{css}", print_css())


def _texts(pdf: bytes) -> tuple[list[str], list[str]]:
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    doc = pdfium.PdfDocument(pdf)
    return ([p.extract_text() for p in PdfReader(BytesIO(pdf)).pages],
            [doc[i].get_textpage().get_text_range() for i in range(len(doc))])


def _pixels(pdf: bytes) -> list[bytes]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    return [bytes(doc[i].render(scale=1).to_pil().tobytes()) for i in range(len(doc))]


def _content(pdf: bytes) -> bytes:
    from pypdf import PdfReader

    return b"\n".join(p.get_contents().get_data() for p in PdfReader(BytesIO(pdf)).pages)


def test_glyph_runs_are_drawn_whole_and_show_and_read_exactly_the_same() -> None:
    """WeasyPrint writes each glyph as its own string in a ``TJ`` array, ``<0033>0<0044>0``:
    a zero adjustment between two strings moves nothing, so the writer joins them. pypdf's text
    extraction (one of the leak check's readers) costs per string: 3x less on the benchmark's
    dossier. The pages must draw the same pixels and read the same text in PDFium and pypdf."""
    from weasyprint import HTML as WeasyHTML

    from workbench.export.common import resources_dir
    from workbench.export.pdf_layout import lay_out

    html, base = _html(), str(resources_dir())
    plain = WeasyHTML(string=html, base_url=base).write_pdf()
    part = lay_out(html, base)
    assert re.search(rb">0<", _content(plain))  # what WeasyPrint writes
    assert not re.search(rb"\[[^\]]*>0<[^\]]*\]\s*TJ", _content(part.pdf))
    assert _content(part.pdf).count(b"<") * 3 < _content(plain).count(b"<")
    assert _pixels(part.pdf) == _pixels(plain)
    assert _texts(part.pdf) == _texts(plain)


@pytest.mark.parametrize(("item", "joined"), [
    (b"[<0033>0<0044>0<0055>] TJ", b"[<003300440055>] TJ"),
    (b"[<0033>-12<0044>0<0055>0.5<0056>10<0057>0] TJ",
     b"[<0033>-12<00440055>0.5<0056>10<0057>0] TJ"),
    (b"[<0033>-0.0<0044>] TJ", b"[<0033>-0.0<0044>] TJ"),
    (b"[<12>0<34>] TJ", b"[<1234>] TJ"),
    (b"/F 1 Tf <0033>0<0044> Tj", b"/F 1 Tf <0033>0<0044> Tj"),  # not a TJ array: left alone
])
def test_only_zero_adjustments_between_strings_are_dropped(item: bytes, joined: bytes) -> None:
    from workbench.export.pdf_layout import join_glyph_runs

    assert join_glyph_runs(item) == joined


def _view() -> Any:
    from datetime import UTC, datetime

    from workbench.dossier.model import DossierView
    from workbench.dossier.redaction import Segment

    return DossierView(id=9, title="Stamps", author="Tester", organisation="NGO", case=None,
                       description=[Segment("x")], version=1, version_of_id=None,
                       frozen_at=None, created_at=datetime(2026, 1, 2, tzinfo=UTC),
                       sections=[], sources=[], rules=[])


def _chars(pdf: bytes) -> list[list[tuple[str, tuple[float, ...]]]]:
    """Every drawn character of every page with its box, as PDFium reads them."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    pages = []
    for i in range(len(doc)):
        text = doc[i].get_textpage()
        pages.append([(text.get_text_range(k, 1), text.get_charbox(k))
                      for k in range(text.count_chars())
                      if text.get_text_range(k, 1).strip()])
    return pages


def _stamped_blank_pages(stamps: Any, count: int) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    from workbench.export.pdf_assemble import _stamp

    writer = PdfWriter()
    for _ in range(count):
        page = writer.add_blank_page(width=595.275591, height=841.889764)
        page[NameObject("/Contents")] = writer._add_object(DecodedStreamObject())
    _stamp(writer, stamps)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_drawn_stamps_are_where_weasyprint_put_them_and_read_the_same() -> None:
    """The footer, the Bates number and the contents' numbers drawn as PDF text (no second
    WeasyPrint document) land on the same spots, in the same font and size, and read the
    same in PDFium, pdftotext and pypdf."""
    from workbench.export.common import resources_dir
    from workbench.export.html import pdf_stamps
    from workbench.export.pdf_layout import lay_out
    from workbench.export.pdf_stamps import draw, drawable

    numbers = [(0, 100.0, 50.0, 600.0, "17"), (0, 130.5, 50.0, 600.0, "123"),
               (1, 160.25, 70.0, 580.0, "5"), (2, 900.0, 60.0, 590.0, "1000")]
    pages, total, bates = [0, 1, 2], 1152, "WB-(A)\\"
    assert drawable(bates) and not drawable("证-")
    laid = lay_out(pdf_stamps(_view(), pages, total, bates, numbers), str(resources_dir()))
    drawn = _stamped_blank_pages(draw(pages, total, bates, numbers), len(pages))
    want, got = _chars(laid.pdf), _chars(drawn)
    assert [[c for c, _b in p] for p in got] == [[c for c, _b in p] for p in want]
    assert "".join(c for c, _b in got[2]).endswith("Page3of1152WB-(A)\\000003")
    for page_got, page_want in zip(got, want, strict=True):
        for (_c, box), (_c2, box2) in zip(page_got, page_want, strict=True):
            # left, bottom, right to a hundredth of a point; PDFium puts a box's top by the
            # font's ascent, which a TrueType font and WeasyPrint's CID font give it apart
            assert box[:3] == pytest.approx(box2[:3], abs=0.01)
            assert box[3] == pytest.approx(box2[3], abs=0.2)
    assert _texts(drawn)[0][2].split() == ["1000", "Page", "3", "of", "1152", "WB-(A)\\000003"]


@pytest.mark.parametrize("bates", ["CASE-", "证据-"])
def test_each_page_reads_its_footer_and_bates_number_drawn_or_laid_out(
        bates: str, tmp_path: Any) -> None:
    """A Bates prefix the drawn font has is drawn; one in another script is laid out by
    WeasyPrint: either way every page reads its own footer and number."""
    import pypdfium2 as pdfium

    from tests.core.test_export import _synthetic_view
    from workbench.export import pdf as pdf_export

    view = _synthetic_view(6)
    path = tmp_path / "small.pdf"
    stats = pdf_export.write_pdf(view, path, bates=bates, workers=0)
    assert (stats["stamps_cpu_s"] == []) == pdf_export.drawable(bates)
    doc = pdfium.PdfDocument(path)
    total = len(doc)
    for i in range(total):
        text = " ".join(doc[i].get_textpage().get_text_range().split())
        assert f"Page {i + 1} of {total}" in text
        assert f"{bates}{i + 1:06d}" in text
