"""Facsimile exhibits end to end through the command line (issue 13): ``dossier add
--facsimile``, ``dossier facsimile``, ``dossier redact --area``, and the exports whose
facsimile pages must show the page but never a redacted name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_dossier_cli import Cli
from tests.support.files import make_pdf
from tests.support.tools import require_program

WITNESS = "Aygul Tursun"
PAGES = ["The inquiry visited the region in May. Officials declined to meet the mission.",
         f"Testimony: the witness {WITNESS} described the camp and the guards in detail.",
         "The report closes with recommendations to the government and to companies."]


@pytest.fixture
def cli(library_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(library_path, capsys)


def _pdf_document(cli: Cli, tmp_path: Path, pages: list[str] = PAGES) -> int:
    path = make_pdf(tmp_path / "camp-report.pdf", pages, title="Camp report")
    cli("import", str(path))
    return int(cli("list")[0]["id"])


def test_cli_facsimile_items_and_area_rules(cli: Cli, tmp_path: Path) -> None:
    doc = _pdf_document(cli, tmp_path)
    h = cli("highlight", "add", str(doc), "--quote", "described the camp")
    d = cli("dossier", "create", "Camps")["id"]
    added = cli("dossier", "add", str(d), "--highlight", str(h["id"]), "--facsimile")
    whole = cli("dossier", "add", str(d), "--document", str(doc), "--facsimile",
                "--pages", "3, 1")
    items = {i["id"]: i for i in cli("dossier", "show", str(d))["entries"]}
    assert (items[added["item"]]["facsimile"], items[added["item"]]["facsimile_pages"]) == (
        True, "2")
    assert items[whole["item"]]["facsimile_pages"] == "1,3"
    cli("dossier", "add", str(d), "--document", str(doc), "--facsimile", "--pages", "4",
        code=2)
    assert "3 pages" in cli.err and "Traceback" not in cli.err
    cli("dossier", "add", str(d), "--document", str(doc), "--pages", "x", code=2)
    assert "--pages" in cli.err

    off = cli("dossier", "facsimile", str(d), added["label"], "off")
    assert (off["facsimile"], off["facsimile_pages"]) == (False, None)
    on = cli("dossier", "facsimile", str(d), str(added["item"]), "on", "--pages", "2-3")
    assert (on["facsimile"], on["facsimile_pages"], on["label"]) == (True, "2-3", "Exhibit 1")

    r = cli("dossier", "redact", str(d), "--area", f"{doc}:2:72,90.5,300,120",
            "--reason", "shows a face", "--label", "witness safety")
    assert r["mark"] == "[REDACTED: witness safety]"
    shown = cli("dossier", "show", str(d))["redactions"]
    assert shown[0]["kind"] == "area" and shown[0]["text"] == ""
    assert shown[0]["area"] == {"document_id": doc, "page": 2, "rect": [72.0, 90.5, 300.0,
                                                                          120.0]}
    for bad in (f"{doc}:2:72,90", f"{doc}:0:1,1,2,2", "x:1:1,1,2,2", f"{doc}:2:1,1,2,nan0"):
        cli("dossier", "redact", str(d), "--area", bad, "--reason", "r", code=2)
        assert "Traceback" not in cli.err
    cli("dossier", "redact", str(d), "--area", f"{doc}:2:300,90,72,120", "--reason", "r",
        code=2)
    assert "x0 < x1" in cli.err
    cli("dossier", "redact", str(d), "--area", f"{doc}:2:1,1,2,2", "--term", "guards",
        "--reason", "r", code=2)
    assert len(cli("dossier", "show", str(d))["redactions"]) == 1


def _seed_like_pdf(path: Path) -> Path:
    """Three pages of the corpus report, the witness named on the second."""
    from tests.support.files import split_pages

    text = (Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
            / "un-report-crimes-against-humanity.txt").read_text(encoding="utf-8")
    pages = split_pages(text, 900)[:3]
    pages[1] = f"Testimony of {WITNESS}, a former detainee, recorded in Almaty.\n\n{pages[1]}"
    return make_pdf(path, pages, title="Serious Human Rights Violations")


def _inflated_streams(data: bytes) -> list[bytes]:
    import re
    import zlib

    out = []
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            out.append(zlib.decompressobj().decompress(data[m.end():m.end() + 5_000_000]))
        except zlib.error:
            continue
    return out


def _assert_no_name_anywhere(pdf_bytes: bytes, vector_words: str) -> list[int]:
    """The name in no byte, no inflated stream, neither text extractor and no OCR of a page
    image; returns the pages that are images (rasterised)."""
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    import pytesseract
    from pypdf import PdfReader

    from workbench.redact.matcher import matcher_for

    matcher = matcher_for((WITNESS,))
    assert matcher.find(pdf_bytes.decode("latin-1")) is None
    for stream in _inflated_streams(pdf_bytes):
        assert matcher.find(stream.decode("latin-1")) is None
        assert matcher.find(stream.decode("utf-16-be", "ignore")) is None
    for page in PdfReader(io.BytesIO(pdf_bytes)).pages:
        assert matcher.find(page.extract_text() or "") is None
    pdf = pdfium.PdfDocument(pdf_bytes)
    images, texts = [], []
    for i, page in enumerate(pdf, 1):
        text = page.get_textpage().get_text_range()
        texts.append(text)
        assert matcher.find(text) is None
        if next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])), None):
            images.append(i)
            seen = pytesseract.image_to_string(page.render(scale=200 / 72).to_pil())
            assert matcher.find(seen) is None
            assert "Almaty" in seen  # OCR reads the page: the name is gone, not unreadable
    assert any(vector_words in t for i, t in enumerate(texts, 1) if i not in images)
    return images


def test_redacted_facsimile_leaves_no_trace_of_the_name(cli: Cli, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's end-to-end case: a facsimile exhibit of a PDF whose second page names a
    witness, redacted by term; the PDF and the bundle show the pages, never the name."""
    import zipfile

    require_program("tesseract")
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")  # this test's own OCR: 5x faster when busy
    source = _seed_like_pdf(tmp_path / "report.pdf")
    cli("import", str(source))
    doc = cli("list")[0]["id"]
    h = cli("highlight", "add", str(doc), "--quote", "a former detainee")
    d = cli("dossier", "create", "Xinjiang testimony")["id"]
    cli("dossier", "add", str(d), "--highlight", str(h["id"]), "--facsimile", "--pages", "1-2")
    cli("dossier", "redact", str(d), "--term", WITNESS, "--reason", "her family is detained",
        "--label", "witness safety")

    out = cli("dossier", "export", str(d), "--format", "pdf", "-o", str(tmp_path / "d.pdf"),
              "--bates", "WB")
    assert "page images (OCR)" in out["leak_checks"]
    data = (tmp_path / "d.pdf").read_bytes()
    rasterised = _assert_no_name_anywhere(data, "Michelle Bachelet")
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    pages = [p.get_textpage().get_text_range() for p in pdf]
    stamped = [i for i, t in enumerate(pages, 1) if "of the source" in t]
    assert len(stamped) == 2 and rasterised == [stamped[1]]  # only the redacted page
    assert "Exhibit 1 · page 1 of 3 of the source" in pages[stamped[0] - 1]
    assert f"WB{stamped[1]:06d}" in pages[stamped[1] - 1]  # the export's Bates sequence
    citation = pages[stamped[0] - 2]
    assert "source pages 1-2 of 3" in citation and "SHA-256" in citation

    bundle = tmp_path / "d.zip"
    cli("dossier", "export", str(d), "--format", "bundle", "-o", str(bundle))
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        facsimile = next(n for n in names if n.endswith("data/exhibits/exhibit-1-facsimile.pdf"))
        manifest = zf.read(next(n for n in names if n.endswith("/manifest-sha256.txt")))
        assert b"data/exhibits/exhibit-1-facsimile.pdf" in manifest
        for name in names:
            if name.endswith(".pdf"):
                _assert_no_name_anywhere(zf.read(name), "Michelle Bachelet")
            else:
                assert WITNESS.lower() not in zf.read(name).decode("utf-8", "ignore").lower()
        assert len(pdfium.PdfDocument(zf.read(facsimile))) == 2
    assert cli("verify-bundle", str(bundle))["ok"] is True
