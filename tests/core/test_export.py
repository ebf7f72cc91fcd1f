"""Every export format, written once per module from the corpus dossier and read back."""

from __future__ import annotations

import getpass
import json
import shutil
import socket
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest

from tests.core.test_dossier_fixtures import build_evidence_dossier, corpus_library
from tests.support.tools import require_program
from workbench.export.verify import verify_bundle

TERM = "bachelet"


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from workbench.services import Workbench

    root = tmp_path_factory.mktemp("export")
    lib = corpus_library(root / "lib", tmp_path_factory.mktemp("prep"))
    out = root / "out"
    out.mkdir()
    with Workbench.open(lib) as wb:
        d = build_evidence_dossier(wb)
        results = {
            "pdf": wb.export(d, "pdf", out / "dossier.pdf", bates="WB-"),
            "docx": wb.export(d, "docx", out / "dossier.docx"),
            "html": wb.export(d, "html", out / "dossier.html"),
            "bundle": wb.export(d, "bundle", out / "bundle"),
            "zip": wb.export(d, "bundle", out / "bundle.zip"),
        }
        view = wb.dossier_view(d)
        events = wb.audit_events(object_type="dossier", object_id=str(d))
    return {"out": out, "results": results, "view": view, "events": events, "lib": lib}


def _pdf_texts(path: Path) -> tuple[str, str]:
    from pypdf import PdfReader

    pypdf_text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    poppler = subprocess.run([require_program("pdftotext"), "-enc", "UTF-8", str(path), "-"],
                             capture_output=True, check=True).stdout.decode("utf-8")
    return pypdf_text, poppler


def test_pdf_has_citations_hashes_bates_and_no_redacted_text(exported):
    view = exported["view"]
    for text in _pdf_texts(exported["out"] / "dossier.pdf"):
        flat = norm(text)
        assert TERM not in flat and "remain silent" not in flat
        assert "[redacted: witness identity]" in flat
        assert "exhibit 1" in flat and "exhibit 3" in flat and "provenance appendix" in flat
        assert "wb-000001" in flat and "wb-000002" in flat
        assert "china digital times" in flat and "2022-09-01" in flat
        for src in view.sources:
            assert src.short_hash in flat
            assert src.sha256 in flat.replace(" ", "").replace("\n", "")


def test_pdf_shapes_non_latin_text_with_bundled_fonts(exported):
    from pypdf import PdfReader

    path = exported["out"] / "dossier.pdf"
    _, poppler = _pdf_texts(path)
    flat = norm(poppler)
    assert "新疆维吾尔自治区" in flat
    assert norm("العربية") in flat and norm("تېكىست") in flat
    assert "“curly quotes”" in flat and "cn" in flat  # the flag is drawn as its letters
    fonts = set()
    for page in PdfReader(path).pages:
        for f in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert fonts and all("WB-" in f for f in fonts), fonts  # only the bundled fonts


def test_pdf_metadata_is_only_what_the_user_chose(exported):
    from pypdf import PdfReader

    path = exported["out"] / "dossier.pdf"
    meta = PdfReader(path).metadata
    assert meta.title == "Xinjiang evidence"
    assert meta.author == "A. Researcher · Rights NGO"
    fields = " ".join(str(v) for v in meta.values())
    for private in (getpass.getuser(), socket.gethostname(), str(exported["lib"]), "/tmp"):
        assert private not in fields
    from workbench.dossier.redaction import Rule
    from workbench.export.common import resources_dir
    from workbench.export.leakcheck import Needles, check_pdf

    # No local path anywhere in the file, decompressed streams included.
    private = [Rule(str(exported["lib"]), "library path"), Rule(str(resources_dir()), "fonts"),
               Rule("file://", "file URL")]
    check_pdf(path, Needles(private))


def test_docx_reads_back_with_citations_and_clean_metadata(exported):
    import docx

    path = exported["out"] / "dossier.docx"
    d = docx.Document(str(path))
    text = "\n".join(p.text for p in d.paragraphs)
    text += "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    assert TERM not in norm(text) and "[REDACTED: witness identity]" in text
    assert "Exhibit 1" in text and "SHA-256" in text
    for src in exported["view"].sources:
        assert src.short_hash in text and src.sha256 in text
    assert d.core_properties.author == "A. Researcher · Rights NGO"
    assert d.core_properties.created.year >= 2024
    assert any(p.style.name.startswith("Heading") for p in d.paragraphs)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert not any("thumbnail" in n for n in names)
        blob = b"".join(zf.read(n) for n in names)
    assert b"python-docx" not in blob and b"Macintosh" not in blob
    assert b"TOC \\o" in blob  # a real table-of-contents field
    assert TERM.encode() not in blob.lower()


def test_html_is_self_contained(exported):
    html = (exported["out"] / "dossier.html").read_text(encoding="utf-8")
    low = html.lower()
    assert "<script" not in low and " src=" not in low and "url(" not in low
    assert "@import" not in low and "<link" not in low
    assert "content-security-policy" in low
    assert TERM not in norm(html) and "redacted: witness identity" in low
    for src in exported["view"].sources:
        assert src.sha256 in html


def test_bundle_folder_is_a_valid_bag_without_redacted_text(exported):
    import bagit

    path = exported["out"] / "bundle"
    bag = bagit.Bag(str(path))
    bag.validate()
    assert verify_bundle(path)["ok"]
    data = path / "data"
    assert (data / "dossier.pdf").exists()
    csl = json.loads((data / "sources.csl.json").read_text(encoding="utf-8"))
    assert {c["note"] for c in csl} == {f"SHA-256: {s.sha256}" for s in exported["view"].sources}
    anno = json.loads((data / "annotations.jsonld").read_text(encoding="utf-8"))
    assert anno["type"] == "AnnotationCollection" and anno["total"] == 3
    events = json.loads((data / "audit-events.json").read_text(encoding="utf-8"))
    assert events and {e["actor"] for e in events} == {"withheld"}
    readme = (data / "README.txt").read_text(encoding="utf-8")
    excluded = exported["results"]["bundle"]["excluded_originals"]
    assert excluded and all(sha in readme for sha in excluded)
    originals = {p.name.split(".")[0] for p in (data / "originals").iterdir()}
    assert not originals & set(excluded)
    for f in path.rglob("*"):
        if f.is_file():
            assert TERM not in f.name.lower()
            if f.suffix in (".json", ".jsonld", ".txt"):
                assert TERM not in norm(f.read_text(encoding="utf-8")), f
    info = (path / "bag-info.txt").read_text(encoding="utf-8")
    assert getpass.getuser() not in info.replace("Bag-Software-Agent", "")
    assert str(exported["lib"]) not in info and socket.gethostname() not in info


def test_bundle_tamper_is_detected(exported, tmp_path):
    from workbench.cli import main

    copy = tmp_path / "bundle"
    shutil.copytree(exported["out"] / "bundle", copy)
    assert main(["verify-bundle", str(copy)]) == 0
    target = copy / "data" / "dossier.pdf"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    result = verify_bundle(copy)
    assert not result["ok"] and any("dossier.pdf" in p for p in result["problems"])
    assert main(["verify-bundle", str(copy)]) == 1


def test_zip_bundle_verifies_and_detects_tamper(exported, tmp_path):
    import bagit

    path = exported["out"] / "bundle.zip"
    assert verify_bundle(path)["ok"]
    with zipfile.ZipFile(path) as zf:
        assert {n.split("/")[0] for n in zf.namelist()} == {"bundle"}
        zf.extractall(tmp_path / "x")
        members = {n: zf.read(n) for n in zf.namelist()}
    bagit.Bag(str(tmp_path / "x" / "bundle")).validate()
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, blob in members.items():
            if name.endswith("sources.csl.json"):
                blob = blob.replace(b"SHA-256", b"SHA-257")
            zf.writestr(name, blob)
    assert not verify_bundle(bad)["ok"]


def test_every_export_is_an_audited_dissemination(exported):
    from workbench.blobs import file_digest as sha256_file

    out = exported["out"]
    events = [e for e in exported["events"] if e["type"] == "dissemination"]
    assert len(events) == 5
    hashes = {e["details"]["sha256"] for e in events}
    for name in ("dossier.pdf", "dossier.docx", "dossier.html", "bundle.zip"):
        assert sha256_file(out / name) in hashes
    assert sha256_file(out / "bundle" / "tagmanifest-sha256.txt") in hashes
    assert not list(out.glob(".*partial*"))


def _page_texts(path: Path) -> list[str]:
    """Each page's text as poppler lays it out (the contents' numbers at the line ends)."""
    out = subprocess.run([require_program("pdftotext"), "-layout", "-enc", "UTF-8", str(path),
                          "-"],
                         capture_output=True, check=True).stdout.decode("utf-8")
    return out.split("\f")[:-1]


def _outline(path: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    flat: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for it in items:
            if isinstance(it, list):
                walk(it, depth + 1)
            else:
                flat.append((depth, it.title, reader.get_destination_page_number(it)))
    walk(reader.outline, 0)
    return flat


def _check_pdf_pages(path: Path, exhibits: list[str], bates: str) -> None:
    """Footers and Bates numbers on every page in order; a bookmark to every exhibit, on the
    page where its heading is; the contents give that page for every exhibit."""
    pages = _page_texts(path)
    n = len(pages)
    for i, text in enumerate(pages, 1):
        assert f"Page {i} of {n}" in text, i
        assert f"{bates}{i:06d}" in text and text.count(bates) == 1, i
    starts = {title.split(":")[0]: page for _d, title, page in _outline(path)
              if title.startswith("Exhibit")}
    assert set(starts) == set(exhibits)
    first_body = min(starts.values())
    listed: dict[str, int] = {}
    for text in pages[:first_body]:
        for line in text.splitlines():
            words = line.split()
            if words and words[-1].isdigit() and ":" in line:
                listed.setdefault(line.strip().split(":")[0], int(words[-1]))
    for label in exhibits:
        page = starts[label]
        assert any(line.strip().startswith(label + ":") for line in pages[page].splitlines())
        assert listed.get(label) == page + 1, label


def test_pdf_pages_carry_footers_bates_contents_numbers_and_bookmarks(exported):
    path = exported["out"] / "dossier.pdf"
    labels = [it.label for it in exported["view"].exhibits]
    _check_pdf_pages(path, labels, "WB-")
    outline = _outline(path)
    titles = [t for _d, t, _p in outline]
    assert "Contents" in titles and "Provenance appendix" in titles
    assert all(any(t.startswith(label + ":") for t in titles) for label in labels)
    assert {d for d, t, _p in outline if t.startswith("Exhibit")} <= {0, 1}


def _synthetic_view(exhibits: int):
    """A dossier view of many tiny exhibits, built without a library and without citation
    blocks (their sources are gone), so it is quick to lay out."""
    from workbench.dossier.model import DossierView, ViewItem, ViewSection
    from workbench.dossier.redaction import Rule, Segment

    sections = []
    for s in range(3):
        items = [ViewItem(id=s * 1000 + i, kind="highlight", label=f"Exhibit {s * 1000 + i}",
                          position=i, body=[Segment("Short quote "), Segment("", "witness"),
                                            Segment(" spoke.")],
                          commentary=[], page=1, highlight_id=i, document_id=1)
                 for i in range(1, exhibits // 3 + 1)]
        sections.append(ViewSection(s + 1, f"Part {s + 1}", items))
    sections.append(ViewSection(4, "Part 4 (empty)", []))
    return DossierView(id=9, title="Large dossier", author="Tester", organisation="NGO",
                       case=None, description=[Segment("Many exhibits.")], version=1,
                       version_of_id=None, frozen_at=None, created_at=src_time(),
                       sections=sections, sources=[], rules=[Rule("Lemkin", "witness")])


def src_time() -> object:
    from datetime import UTC, datetime

    return datetime(2026, 1, 2, tzinfo=UTC)


def test_large_dossier_in_parallel_has_page_numbers_in_contents(tmp_path):
    """Above the old limit of 300 (when the contents lost their numbers), laid out by two
    processes: every exhibit's number in the contents is the page it starts on."""
    from pypdf import PdfReader

    from workbench.export.leakcheck import check_file
    from workbench.export.pdf import write_pdf

    view = _synthetic_view(312)
    path = tmp_path / "large.pdf"
    write_pdf(view, path, bates="CASE-", workers=1)
    _check_pdf_pages(path, [it.label for it in view.exhibits], "CASE-")
    outline = _outline(path)
    assert {t for d, t, _p in outline if d == 0} == {
        "Large dossier", "Contents", "Part 1", "Part 2", "Part 3", "Part 4 (empty)",
        "Provenance appendix"}
    assert {d for d, t, _p in outline if t.startswith("Exhibit")} == {1}  # under its part
    assert check_file(path, view.rules, "pdf")
    meta = PdfReader(path).metadata
    assert meta.title == "Large dossier" and meta.author == "Tester · NGO"
    assert meta.producer == "Workbench" and meta.creator == "Workbench"
    assert set(meta) <= {"/Title", "/Author", "/Creator", "/Producer", "/CreationDate",
                         "/ModDate"}


def test_parallel_path_keeps_numbers_and_redactions(exported, tmp_path):
    """The corpus dossier forced through the parallel path, and the single-process one."""
    from workbench.export.leakcheck import check_file
    from workbench.export.pdf import write_pdf

    view = exported["view"]
    write_pdf(view, tmp_path / "one.pdf", bates="WB-", workers=0)
    write_pdf(view, tmp_path / "two.pdf", bates="WB-", workers=1)
    _check_pdf_pages(tmp_path / "one.pdf", [it.label for it in view.exhibits], "WB-")
    assert check_file(tmp_path / "two.pdf", view.rules, "pdf")
    _check_pdf_pages(tmp_path / "two.pdf", [it.label for it in view.exhibits], "WB-")
    for text in _pdf_texts(tmp_path / "two.pdf"):
        assert TERM not in norm(text) and "[redacted: witness identity]" in norm(text)


def test_pdf_falls_back_to_one_process_when_no_worker_starts(exported, tmp_path, monkeypatch):
    import workbench.export.pdf_layout as layout_mod
    from workbench.export.pdf import write_pdf

    monkeypatch.setattr(layout_mod.sys, "executable", str(tmp_path / "no-python"))
    stats = write_pdf(exported["view"], tmp_path / "x.pdf", bates="WB-", workers=1)
    assert stats["workers"] == 0
    _check_pdf_pages(tmp_path / "x.pdf", [it.label for it in exported["view"].exhibits], "WB-")
