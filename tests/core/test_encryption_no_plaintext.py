"""The proof: an encrypted library, used for real, leaves no readable word of its documents on
disk — not in its folder, not in the system's temporary folder, not in its memory scratch
once closed — and searches exactly as a plain library of the same files does."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.support.files import make_html_capture, make_pdf
from workbench.services import Workbench

SECRET = "Qelbinur tea garden moonlight passphrase"
# Words no library file could hold by chance: inserted in the generated PDF, HTML and scan.
PDF_WORDS = "Zharkentovich testified that Ulughbeyova was held at Qarqashquyruq camp."
HTML_WORDS = "The Mirzakhmetovna report names the Tolqunbekova checkpoint near Yarkandshahr."
SCAN_WORD = "KUMULVAKHIT"
QUERIES = ['"forced labour"', "Xinjiang", "Qarqashquyruq", "Tolqunbekova OR Mirzakhmetovna",
           "crimes against humanity", "rapporteur*", SCAN_WORD.lower()]


def _distinctive(text: str) -> set[str]:
    """Names and long words of a corpus text: none occurs in binary data or a font's licence
    by chance (common words like "conditions" do, in UTF-16)."""
    names = re.findall(r"(?<=[a-z,] )[A-Z][a-z]{6,}", text)
    long = re.findall(r"\b[a-z]{13,}\b", text)
    return set(names[:40]) | set(long[:20])


def _needles(words: set[str]) -> list[tuple[str, bytes]]:
    out = []
    for w in words:
        for form in {w, w.lower(), unicodedata.normalize("NFKC", w).casefold()}:
            for enc in ("utf-8", "utf-16-le", "utf-16-be"):
                out.append((f"{form} ({enc})", form.encode(enc)))
    return out


def _files(root: Path) -> Iterator[Path]:
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            p = Path(dirpath) / name
            if p.is_file() and not p.is_symlink():
                yield p


def _leaks(root: Path, needles: list[tuple[str, bytes]]) -> list[str]:
    found = []
    for path in _files(root):
        data = path.read_bytes()
        found += [f"{path.relative_to(root)}: {label}" for label, n in needles if n in data]
    return found


def _build(folder: Path, sources: list[Path], passphrase: str | None,
           out_dir: Path) -> dict[str, object]:
    """Import, search, highlight, build and export a dossier, re-extract, close; the answers."""
    out_dir.mkdir()
    with Workbench.open(folder, create=True, passphrase=passphrase) as wb:
        report, _ = wb.import_paths(sources)
        assert report.to_json()["counts"]["failed"] == 0, report.to_json()["failed"]
        wb.library.index.wait_idle(60)
        pdf_id = next(o["id"] for o in report.to_json()["imported"]
                      if o["path"].endswith(".pdf"))
        hl = wb.add_highlight(pdf_id, quote="Qarqashquyruq camp", tags=["Detention/Camps"],
                              note="Ulughbeyova's account").highlight_ids[0]
        dossier = wb.create_dossier("Submission on Qarqashquyruq").dossier_ids[0]
        wb.add_item(dossier, highlight=hl, commentary="Zharkentovich's testimony")
        wb.add_item(dossier, document=pdf_id)
        for fmt, name in (("bundle", "d.zip"), ("pdf", "d.pdf"), ("html", "d.html")):
            wb.export(dossier, fmt, out_dir / name)
        wb.reextract(pdf_id)
        wb.library.originals.verify(report.to_json()["imported"][0]["sha256"])
        wb.original_path(pdf_id)  # the viewer's decrypted copy
        # a full rebuild too: the bulk writer, its sidecars and the common-word list
        assert wb.library.index.worker is not None
        wb.library.index.worker.request_rebuild("test")
        wb.library.index.wait_idle(60)
        answers: dict[str, object] = {
            q: [(h.document_id, h.page, h.spans) for h in wb.search(q).hits] for q in QUERIES}
        answers["in_document"] = wb.search_in_document(pdf_id, "Qarqashquyruq").spans
    return answers


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """A system temporary folder and a memory folder of this test's own, to search after."""
    systmp = tmp_path / "systmp"
    systmp.mkdir()
    ram = Path(tempfile.mkdtemp(prefix="wbtest-ram-", dir="/dev/shm"))
    monkeypatch.setenv("TMPDIR", str(systmp))
    monkeypatch.setattr(tempfile, "tempdir", str(systmp))
    monkeypatch.setenv("WORKBENCH_RAM_DIR", str(ram))
    try:
        yield systmp, ram
    finally:
        shutil.rmtree(ram, ignore_errors=True)


@pytest.mark.slow
def test_an_encrypted_library_leaves_no_plaintext_and_searches_as_a_plain_one(
        tmp_path: Path, private_tmp: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    if not Path("/dev/shm").is_dir():
        pytest.skip("no /dev/shm on this system")
    from workbench.search.whoosh import sidecar

    monkeypatch.setattr(sidecar, "MIN_DOCS", 1)  # every segment gets its sidecar
    systmp, ram = private_tmp
    src = tmp_path / "sources"
    src.mkdir()
    words = {"Zharkentovich", "Ulughbeyova", "Qarqashquyruq", "Mirzakhmetovna", "Tolqunbekova",
             "Yarkandshahr"}
    for p in sorted(CORPUS.glob("*.txt")):
        shutil.copy(p, src / p.name)
    body = "\n\n".join(CORPUS.joinpath(n).read_text(encoding="utf-8")[:1500]
                       for n in sorted(x.name for x in CORPUS.glob("*.txt")))
    make_pdf(src / "testimony.pdf", [PDF_WORDS, body[:1400]], title="Qarqashquyruq testimony")
    make_html_capture(src / "capture.html", "Tolqunbekova checkpoint", HTML_WORDS + "\n\n" + body,
                      url="https://example.org/Yarkandshahr")
    if shutil.which("tesseract"):  # OCR writes page images and its text to temp files
        from tests.support.formats import make_text_image

        make_text_image(src / "scan.png", f"Statement of {SCAN_WORD}\nTESTIMONY", size=48)
        words.add(SCAN_WORD)
    sources = sorted(src.iterdir())

    for p in CORPUS.glob("*.txt"):
        words |= _distinctive(p.read_text(encoding="utf-8"))
    needles = [*_needles(words), ("the passphrase", SECRET.encode()),
               ("the passphrase", SECRET.encode("utf-16-le"))]

    plain_tmp = tmp_path / "plain-tmp"
    plain_tmp.mkdir()
    with monkeypatch.context() as m:  # the plain library's temporary files are its own
        m.setenv("TMPDIR", str(plain_tmp))
        m.setattr(tempfile, "tempdir", str(plain_tmp))
        plain = _build(tmp_path / "plain", sources, None, tmp_path / "out-plain")
    enc = _build(tmp_path / "encrypted", sources, SECRET, tmp_path / "out-enc")
    assert enc == plain  # same hits, same pages, same order
    assert enc["Qarqashquyruq"] and enc['"forced labour"']
    assert enc[SCAN_WORD.lower()] or not shutil.which("tesseract")

    # the checker finds what it looks for: the plain library holds these words
    assert _leaks(tmp_path / "plain", needles)
    assert _leaks(tmp_path / "encrypted", needles) == []
    assert _leaks(systmp, needles) == []
    assert list(ram.iterdir()) == []  # the scratch was deleted
    assert any((tmp_path / "encrypted" / "index").rglob("*.wbx"))  # sidecars were sealed too
    # the exports, outside the library, are the user's files: written, in plaintext
    assert (tmp_path / "out-enc" / "d.pdf").stat().st_size > 0
