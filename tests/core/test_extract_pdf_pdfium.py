"""PDF text: PDFium reads every page from one open document; pypdf is the second opinion.

The rule (``workbench/extract/pdf_text.py``): pypdf is asked about a page only when PDFium
failed on it, found no text, or gave unmapped or garbled characters.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from pypdf.generic import DecodedStreamObject, NameObject

from tests.support.files import make_pdf
from workbench.errors import ExtractionError
from workbench.extract import ExtractOptions, ocr
from workbench.extract import pdf as pdf_mod
from workbench.extract.base import ENCRYPTED, UNREADABLE
from workbench.extract.pdf import PdfExtractor
from workbench.extract.pdf_text import clean_pdfium, looks_wrong

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["First page words.", "Second page words.", "Third page words."]


def _extract(path: Path) -> Any:
    return PdfExtractor().extract(path, ExtractOptions(kind="pdf"))


def _helvetica_pdf(path: Path, page_two: bytes | None = None) -> Path:
    """Three pages in a standard font; page two's content stream replaced by ``page_two``
    (``/F1`` standing for the page's font)."""
    pdf = FPDF()
    pdf.set_title("Field report")
    for text in PAGES:
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    if page_two is None:
        return path
    writer = pypdf.PdfWriter(clone_from=str(path))
    page = writer.pages[1]
    font = next(iter(page["/Resources"]["/Font"].keys()))
    stream = DecodedStreamObject()
    stream.set_data(page_two.replace(b"/F1 ", font.encode() + b" "))
    page[NameObject("/Contents")] = writer._add_object(stream)
    writer.write(str(path))
    return path


class _Count:
    def __init__(self) -> None:
        self.pdfium_opens = 0
        self.pypdf_pages = 0


@pytest.fixture
def count(monkeypatch: pytest.MonkeyPatch) -> _Count:
    """How often PDFium opens a document and pypdf reads a page."""
    seen = _Count()
    real_open = pdfium.PdfDocument
    real_page_text = pdf_mod._Pypdf.page_text

    def opening(*args: Any, **kwargs: Any) -> Any:
        seen.pdfium_opens += 1
        return real_open(*args, **kwargs)

    def page_text(self: Any, index: int) -> str:
        seen.pypdf_pages += 1
        return real_page_text(self, index)

    monkeypatch.setattr(pdf_mod.pdfium, "PdfDocument", opening)
    monkeypatch.setattr(pdf_mod._Pypdf, "page_text", page_text)
    return seen


def test_a_text_pdf_is_read_by_pdfium_from_one_open_document(tmp_path: Path,
                                                              count: _Count) -> None:
    path = make_pdf(tmp_path / "report.pdf", [p * 20 for p in PAGES], title="Report",
                    author="A. Witness")
    result = _extract(path)
    assert count.pdfium_opens == 1 and count.pypdf_pages == 0
    assert [" ".join(p.split()) for p in result.pages] == [" ".join((p * 20).split())
                                                           for p in PAGES]
    assert result.problems == [] and result.method == "text"
    # The extractor changed, so the provenance says so; pypdf is not named: it read nothing.
    assert result.extractor == "pypdfium2" and "pypdf" not in result.extractor_version
    assert result.metadata["title"] == "Report" and result.metadata["author"] == "A. Witness"
    assert result.metadata["published"] == "2022-09-01"


def test_pypdf_reads_a_page_where_pdfium_finds_no_text(tmp_path: Path, count: _Count) -> None:
    # A text matrix missing two operands: PDFium draws nothing, pypdf still reads the words.
    path = _helvetica_pdf(tmp_path / "matrix.pdf",
                          b"BT /F1 12 Tf 1 0 0 Tm (Hidden words) Tj ET")
    result = _extract(path)
    assert result.pages == ["First page words.", "Hidden words", "Third page words."]
    assert result.problems == ["page 2: read with pypdf (PDFium found no text)"]
    assert count.pypdf_pages == 1
    assert result.extractor_version == f"{PdfExtractor.version}+pypdf-{pypdf.__version__}"


def test_a_broken_content_stream_costs_nothing_else(tmp_path: Path) -> None:
    # An array left open: pypdf raises on this page; PDFium reads what is drawn before it.
    path = _helvetica_pdf(tmp_path / "broken.pdf",
                          b"BT /F1 12 Tf 72 700 Td (Visible words) Tj [(broken")
    with pytest.raises(Exception):  # noqa: B017 - pypdf's own error type varies by version
        pypdf.PdfReader(str(path)).pages[1].extract_text()
    result = _extract(path)
    assert result.pages == ["First page words.", "Visible words", "Third page words."]
    assert result.problems == []
    assert result.metadata["title"] == "Field report"


def test_a_page_pdfium_fails_on_is_read_by_pypdf(tmp_path: Path, count: _Count,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    real = pdf_mod._pdfium_text

    def failing(doc: Any, index: int, *check: Any) -> str:
        if index == 1:
            raise pdfium.PdfiumError("Failed to load page.")
        return real(doc, index, *check)

    monkeypatch.setattr(pdf_mod, "_pdfium_text", failing)
    result = _extract(_helvetica_pdf(tmp_path / "r.pdf"))
    assert result.pages == PAGES
    assert result.problems == ["page 2: read with pypdf after PDFium failed"]
    assert count.pypdf_pages == 1 and "+pypdf-" in result.extractor_version


def test_when_both_fail_the_page_is_empty_and_named(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    real = pdf_mod._pdfium_text

    def failing(doc: Any, index: int, *check: Any) -> str:
        if index == 2:
            raise pdfium.PdfiumError("Failed to load page.")
        return real(doc, index, *check)

    def pypdf_fails(self: Any, index: int) -> str:
        raise pypdf.errors.PdfReadError("broken")

    monkeypatch.setattr(pdf_mod, "_pdfium_text", failing)
    monkeypatch.setattr(pdf_mod._Pypdf, "page_text", pypdf_fails)
    monkeypatch.setattr(ocr, "available", lambda: False)  # else OCR reads the page
    result = _extract(_helvetica_pdf(tmp_path / "r.pdf"))
    assert result.pages == [*PAGES[:2], ""]
    assert result.problems[0] == ("page 3: text could not be extracted "
                                  "(PdfiumError, PdfReadError)")


def test_garbled_pdfium_text_is_checked_against_pypdf(tmp_path: Path, count: _Count,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    real = pdf_mod._pdfium_text

    def garbled(doc: Any, index: int, *check: Any) -> str:
        return ("Se\ufffd\ufffdnd p\ufffdge w\ue001rds." if index == 1
                else real(doc, index, *check))

    monkeypatch.setattr(pdf_mod, "_pdfium_text", garbled)
    path = _helvetica_pdf(tmp_path / "r.pdf")
    result = _extract(path)
    assert result.pages == PAGES
    assert result.problems == ["page 2: read with pypdf (PDFium's text had unmapped or "
                               "garbled characters)"]
    # When pypdf reads the page no better, PDFium's reading stays and nothing is reported.
    monkeypatch.setattr(pdf_mod._Pypdf, "page_text", lambda self, i: "\ufffd" * 10)
    again = _extract(path)
    assert again.pages[1] == "Se\ufffd\ufffdnd p\ufffdge w\ue001rds."
    assert again.problems == []


def test_a_pdf_pdfium_cannot_open_is_read_by_pypdf(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_mod, "_open_pdfium", lambda path: None)
    result = _extract(_helvetica_pdf(tmp_path / "r.pdf"))
    assert result.pages == PAGES
    assert result.problems == ["PDFium could not open this PDF: every page was read with pypdf"]
    assert result.metadata["title"] == "Field report"
    assert result.extractor_version.endswith(f"+pypdf-{pypdf.__version__}")


def test_encrypted_and_unreadable_files_say_why(tmp_path: Path) -> None:
    locked = make_pdf(tmp_path / "locked.pdf", ["secret"], password="s3cret")
    with pytest.raises(ExtractionError) as err:
        _extract(locked)
    assert err.value.status == ENCRYPTED and "password" in err.value.message
    owner_only = make_pdf(tmp_path / "owner.pdf", ["Owner-protected text."],
                          owner_password="owner", title="Protected")
    opened = _extract(owner_only)
    assert opened.pages == ["Owner-protected text."]
    assert opened.metadata["title"] == "Protected"
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\nthis is not really a PDF\n")
    with pytest.raises(ExtractionError) as err:
        _extract(junk)
    assert err.value.status == UNREADABLE and "not a readable PDF" in err.value.message


def test_pdfium_text_is_cleaned_for_search_and_quotes() -> None:
    # PDFium's U+FFFE marks a hyphen it removed at a line end: the word reads whole.
    assert clean_pdfium("manip\ufffeulation.\r\nNext line\rand \ufb01nal") == (
        "manipulation.\nNext line\nand final")
    # Arabic presentation forms become the letters search and quotes use (NFKC).
    assert clean_pdfium("\ufefb") == "\u0644\u0627"
    assert looks_wrong("  \n ") == "empty"
    assert looks_wrong("caf\u00c3\u00a9 au lait") is not None  # UTF-8 read as Latin-1
    assert looks_wrong("ordinary words, “quoted” – 2022 ©") is None


def test_the_worker_reads_a_text_pdf_without_loading_what_it_does_not_need(
        tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "report.pdf", PAGES)
    code = (
        "import json, sys\n"
        "from workbench.extract import worker\n"
        f"reply = worker.handle({{'path': {str(path)!r}, 'options': {{'kind': 'pdf'}}}})\n"
        # _hashlib maps OpenSSL's libcrypto (3.8 MB a worker) for the text's SHA-256, which
        # the interpreter's own _sha256 computes; search is the importing process's.
        # the pool's side (subprocess, threads, queues) is the importing process's too
        "heavy = ['pypdf', 'cryptography', 'PIL', 'numpy', 'sqlalchemy', 'whoosh',\n"
        "         '_hashlib', 'workbench.search', 'workbench.extract.isolation']\n"
        "print(json.dumps({'ok': reply['ok'], 'pages': reply['result']['pages'],\n"
        "                  'signed': bool(reply['result']['signing']),\n"
        "                  'loaded': [m for m in heavy if m in sys.modules]}))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(ROOT), check=True)
    out = json.loads(run.stdout)
    assert out["ok"] and len(out["pages"]) == 3 and out["signed"]
    assert out["loaded"] == []
