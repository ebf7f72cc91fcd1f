"""The twelve leaks of issue 12 (L1–L12) and its fail-closed cases, each as an export test.

A library is made once from generated sources that put the names ``Ekpar``, ``艾克帕尔``,
``ئەكپەر`` and ``Ekpar Asat`` in the hiding places the adversarial test found; each test makes
a dossier, redacts the name and exports. Whether the name can still be read is judged by
``tests.support.leak_reading`` — an independent reader, not the matcher under test.
"""

from __future__ import annotations

import json
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.support.files import make_pdf
from tests.support.leak_reading import readable_in
from tests.support.libraries import copy_library, make_library
from workbench.errors import ExportError

FORMATS = ("pdf", "docx", "html", "bundle")
UYGHUR = "ئەكپەر"
CHINESE = "艾克帕尔"
NAV_HTML = ("<html><head><meta charset='{cs}'><title>Camp closures</title></head><body>"
            "<nav><a href='/'>Home</a> {name}</nav><!-- interview with {name} -->"
            "<main><article><h1>Camp closures</h1><p>The report describes the camp "
            "closures in detail and lists the sources consulted by the researchers."
            "</p><p>Officials declined to comment on the closures.</p></article></main>"
            "</body></html>")


def _eml(path: Path) -> Path:
    msg = EmailMessage()
    msg["From"] = "desk@example.org"
    msg["To"] = "team@example.org"
    msg["Subject"] = "Weekly notes"
    msg.set_content("The weekly notes cover the closures and nothing else of note.")
    msg.add_alternative("<p>The weekly notes mention Ekpar at length.</p>", subtype="html",
                        cte="base64")
    raw = msg.as_bytes()
    assert b"Ekpar" not in raw  # only inside the base64 part
    path.write_bytes(raw)
    return path


def _cjk_pdf(path: Path, html_body: str) -> Path:
    import weasyprint

    weasyprint.HTML(string=f"<html><body style='font-family: Noto Sans CJK SC'>{html_body}"
                           "</body></html>").write_pdf(str(path))
    return path


@pytest.fixture(scope="module")
def base_library(tmp_path_factory) -> Path:
    from workbench.ingest_types import ImportOptions
    from workbench.services import Workbench

    src = tmp_path_factory.mktemp("sources")
    lib = tmp_path_factory.mktemp("leaklib") / "lib"
    (src / "gbk.html").write_bytes(NAV_HTML.format(cs="gbk", name=CHINESE).encode("gbk"))
    (src / "utf16.html").write_bytes(NAV_HTML.format(cs="utf-16", name=CHINESE)
                                     .replace("Camp closures", "Camp closures II")
                                     .encode("utf-16"))
    _eml(src / "notes.eml")
    (src / "uyghur.txt").write_text("Witness statement. ئەكـپەر was taken at night. The "
                                    "family was not told where.", encoding="utf-8")
    (src / "spaced.txt").write_text("Statement two. 艾 克 帕 尔 was taken from the market "
                                    "and has not been seen since.", encoding="utf-8")
    (src / "linebreak.txt").write_text("Statement three. 艾克\n帕尔 was held for months "
                                       "without charge.", encoding="utf-8")
    _cjk_pdf(src / "linebreak.pdf", "<p style='width: 2.2em'>艾克帕尔</p><p>held for "
                                    "months without any charge at all.</p>")
    (src / "context.txt").write_text("Context. The neighbours said 艾 克 帕 尔 left early; "
                                     "the police came at dawn to the house of ئەكـپەر and "
                                     "searched it.", encoding="utf-8")
    make_pdf(src / "hyphen.pdf", ["The interview with Ek-\npar Asat was recorded in 2019 "
                                  "by the monitoring team."])
    make_pdf(src / "Ekpar_Asat_meta.pdf", ["A report on detention conditions in the region "
                                           "with no names in its text."])
    (src / "cyrillic.txt").write_text("The detainee \u0415kpar was moved twice that year.",
                                      encoding="utf-8")
    (src / "failclosed.txt").write_text(
        "Forms: Ek-\npar spoke; E k p a r wrote; EkparAsat signed; Ekpar-\nAsat left. "
        "The end.", encoding="utf-8")
    with Workbench.open(make_library(lib), program="tests") as wb:
        wb.import_paths(sorted(p for p in src.iterdir()))
        (src / "interview.txt").write_text("Interview transcript: the detention lasted two "
                                           "years and ended without trial.", encoding="utf-8")
        wb.import_paths([src / "interview.txt"], ImportOptions(
            source_url="https://example.org/ekpar-asat/interview?who=Ekpar%20Asat"))
    return lib


@pytest.fixture
def wb(base_library, tmp_path):
    from workbench.services import Workbench

    lib = tmp_path / "lib"
    copy_library(base_library, lib)
    with Workbench.open(lib) as b:
        yield b


def _doc(wb, fragment: str) -> int:
    for d in wb.list_documents():
        info = wb.show_document(d["id"])
        if fragment in (info.get("original_filename") or ""):
            return d["id"]
    raise AssertionError(f"no document from {fragment}")


def _export_all(wb, d: int, tmp: Path, formats=FORMATS) -> dict[str, Path]:
    out = {}
    for fmt in formats:
        ext = {"bundle": "zip"}.get(fmt, fmt)
        path = tmp / f"out-{fmt}.{ext}"
        wb.export(d, fmt, path)
        out[fmt] = path
    return out


def _assert_unreadable(outputs: dict[str, Path], *terms: str) -> None:
    for fmt, path in outputs.items():
        for term in terms:
            assert readable_in(path, term) == [], (fmt, term)


def _note_dossier(wb, name: str, doc: int, title: str) -> int:
    """A dossier citing ``doc`` whole, with a note naming ``name`` (so it can be redacted)."""
    d = wb.create_dossier(title).dossier_ids[0]
    wb.add_item(d, document=doc)
    wb.add_item(d, note=f"The note names {name} once.")
    return d


# --- L1–L3: originals whose bytes hold the name where the text layer does not -------------


@pytest.mark.parametrize("source", ["gbk.html", "utf16.html", "notes.eml"])
def test_l1_l3_original_holding_the_name_in_other_encodings_is_withheld(wb, tmp_path, source):
    name = "Ekpar" if source.endswith(".eml") else CHINESE
    doc = _doc(wb, source)
    d = _note_dossier(wb, name, doc, "Originals")
    wb.redact_term(d, name, "witness safety")
    result = wb.export(d, "bundle", tmp_path / "b.zip")
    sha = wb.show_document(doc)["sha256"]
    assert sha in result["excluded_originals"]
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        names = zf.namelist()
        assert not any(sha in n and "/originals/" in n for n in names)
        info = zf.read(next(n for n in names if n.endswith("bag-info.txt"))).decode()
        assert f"Withheld-Original: {sha}" in info
        readme = zf.read(next(n for n in names if n.endswith("README.txt"))).decode()
    # Walk: with every original left out, the README still promised "originals/: the files".
    assert "originals/: none included" in readme
    _assert_unreadable({"bundle": tmp_path / "b.zip"}, name)


# --- L4–L6, L12: spellings of the name in exhibit text --------------------------------------


@pytest.mark.parametrize(("source", "quote", "term"), [
    ("uyghur.txt", "ئەكـپەر was taken at night", UYGHUR),             # L4 tatweel
    ("spaced.txt", "艾 克 帕 尔 was taken from the market", CHINESE),   # L5 spaced CJK
    ("linebreak.txt", "艾克\n帕尔 was held for months", CHINESE),        # L6 .txt line break
    ("cyrillic.txt", "The detainee \u0415kpar was moved", "Ekpar"),     # L12 Cyrillic Е
])
def test_l4_l6_l12_spellings_in_exhibits_are_redacted_in_every_format(wb, tmp_path, source,
                                                                       quote, term):
    doc = _doc(wb, source)
    h = wb.add_highlight(doc, quote=quote).highlight_ids[0]
    d = wb.create_dossier("Spellings").dossier_ids[0]
    wb.add_item(d, highlight=h, commentary="Taken at night.")
    wb.add_item(d, document=doc)
    wb.add_item(d, note=f"Also named as {term} in the register.")  # the plain spelling too
    wb.redact_term(d, term, "witness safety")
    _assert_unreadable(_export_all(wb, d, tmp_path), term)


def test_l6_cjk_name_split_across_lines_of_a_pdf_source(wb, tmp_path):
    doc = _doc(wb, "linebreak.pdf")
    text = wb.document_text(doc).text
    assert "艾克" in text and CHINESE not in text  # the PDF really splits the name
    d = _note_dossier(wb, CHINESE, doc, "PDF split")
    wb.redact_term(d, CHINESE, "witness safety")
    _assert_unreadable(_export_all(wb, d, tmp_path, ("pdf", "bundle")), CHINESE)


# --- L7: the name inside a highlight's context ----------------------------------------------


def test_l7_forms_in_a_highlights_context_stay_out_of_annotations(wb, tmp_path):
    doc = _doc(wb, "context.txt")
    h = wb.add_highlight(doc, quote="left early; the police came at dawn").highlight_ids[0]
    d = wb.create_dossier("Context").dossier_ids[0]
    wb.add_item(d, highlight=h)
    wb.add_item(d, note=f"Named as {CHINESE} and {UYGHUR} in the register.")
    wb.redact_term(d, CHINESE, "witness safety")
    wb.redact_term(d, UYGHUR, "witness safety")
    out = _export_all(wb, d, tmp_path, ("bundle",))
    _assert_unreadable(out, CHINESE, UYGHUR)


# --- L8: a hyphenated line break in PDF text ------------------------------------------------


def test_l8_hyphenated_break_is_redacted_in_html(wb, tmp_path):
    # PDFium joins a word hyphenated at a line end ("Ekpar"), but the original PDF still
    # holds "Ek-" / "par", which the bundle's original check must catch.
    doc = _doc(wb, "hyphen.pdf")
    assert "Ekpar" in wb.document_text(doc).text or "Ek-" in wb.document_text(doc).text
    d = wb.create_dossier("Hyphen").dossier_ids[0]
    wb.add_item(d, document=doc)
    wb.redact_term(d, "Ekpar Asat", "witness safety")
    _assert_unreadable(_export_all(wb, d, tmp_path), "Ekpar Asat", "Ekpar")


def test_l8_hyphenated_break_in_a_text_layer_is_redacted(wb, tmp_path):
    """A text layer that keeps the break (a text file, pypdf's reading, OCR): the matcher
    must still see the name across "Ek-" and a line end."""
    src = tmp_path / "hyphen.txt"
    src.write_text("The interview with Ek-\npar Asat was recorded in 2019.", encoding="utf-8")
    wb.import_paths([src])
    doc = _doc(wb, "hyphen.txt")
    assert "Ek-\npar" in wb.document_text(doc).text
    d = wb.create_dossier("Hyphen text").dossier_ids[0]
    wb.add_item(d, document=doc)
    wb.redact_term(d, "Ekpar Asat", "witness safety")
    _assert_unreadable(_export_all(wb, d, tmp_path), "Ekpar Asat", "Ekpar")


# --- L9, L10: the name in a URL and in a file name ------------------------------------------


def test_l9_name_in_the_source_url_is_redacted_in_citations_and_csl(wb, tmp_path):
    doc = _doc(wb, "interview.txt")
    d = _note_dossier(wb, "Ekpar Asat", doc, "URL")
    wb.redact_term(d, "Ekpar Asat", "witness safety")
    out = _export_all(wb, d, tmp_path)
    _assert_unreadable(out, "Ekpar Asat")
    with zipfile.ZipFile(out["bundle"]) as zf:
        csl = json.loads(zf.read(next(n for n in zf.namelist()
                                      if n.endswith("sources.csl.json"))))
    assert any("REDACTED" in (item.get("URL") or "") for item in csl)


def test_l10_name_in_the_file_name_is_redacted_in_appendix_and_audit(wb, tmp_path):
    doc = _doc(wb, "Ekpar_Asat_meta.pdf")
    d = _note_dossier(wb, "Ekpar Asat", doc, "File name")
    wb.redact_term(d, "Ekpar Asat", "witness safety")
    _assert_unreadable(_export_all(wb, d, tmp_path), "Ekpar Asat")


# --- L11: no hash that confirms a guess ------------------------------------------------------


def test_l11_bundle_has_no_hash_of_a_redacted_quote(wb, tmp_path):
    import hashlib

    doc = _doc(wb, "cyrillic.txt")
    quote = "\u0415kpar was moved twice"
    h = wb.add_highlight(doc, quote=quote).highlight_ids[0]
    d = wb.create_dossier("Oracle").dossier_ids[0]
    wb.add_item(d, highlight=h)
    wb.add_item(d, note="Named as Ekpar in the register.")
    wb.redact_term(d, "Ekpar", "witness safety")
    wb.export(d, "bundle", tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        blob = b"".join(zf.read(n) for n in zf.namelist())
        events = json.loads(zf.read(next(n for n in zf.namelist()
                                         if n.endswith("audit-events.json"))))
        annotations = json.loads(zf.read(next(n for n in zf.namelist()
                                              if n.endswith("annotations.jsonld"))))
    for guess in (quote, "Ekpar was moved twice"):
        assert hashlib.sha256(guess.encode()).hexdigest().encode() not in blob
    assert "quote_sha256" not in json.dumps(events)
    assert any(e.get("hash_withheld") for e in events if e["object_type"] == "highlight")
    selectors = annotations["first"]["items"][0]["target"]["selector"]
    assert [s["type"] for s in selectors] == ["TextQuoteSelector"]  # no length of the quote


# --- fail closed, and say what to do ---------------------------------------------------------


def test_forms_that_used_to_fail_closed_now_export_redacted(wb, tmp_path):
    doc = _doc(wb, "failclosed.txt")
    d = _note_dossier(wb, "Ekpar", doc, "Forms")
    wb.redact_term(d, "Ekpar", "witness safety")
    _assert_unreadable(_export_all(wb, d, tmp_path), "Ekpar")


def test_a_bates_prefix_holding_the_name_is_refused_with_a_way_out(wb, tmp_path):
    doc = _doc(wb, "failclosed.txt")
    d = wb.create_dossier("Bates").dossier_ids[0]
    wb.add_item(d, document=doc)
    wb.redact_term(d, "Ekpar", "witness safety")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportError) as err:
        wb.export(d, "pdf", out / "x.pdf", bates="EKPAR-")
    assert "Bates prefix" in str(err.value) and "--bates" in str(err.value)
    assert "report this as a bug" not in str(err.value)
    assert not list(out.iterdir())
