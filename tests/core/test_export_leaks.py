"""The leak checker catches planted leaks in every channel; bad input leaves no file behind."""

from __future__ import annotations

import errno
import json
import zipfile
from pathlib import Path

import pytest

from tests.core.test_dossier_fixtures import REPORT, corpus_library, doc_ids
from tests.support.files import make_pdf
from tests.support.tools import require_program
from workbench.dossier.redaction import Rule
from workbench.errors import ExportError, RedactionLeak, UserError
from workbench.export.leakcheck import Needles, check_bytes, check_file, check_html_text

RULES = [Rule("Michelle Bachelet", "witness identity"), Rule("بشير", "witness")]


@pytest.fixture
def bench(tmp_path, tmp_path_factory):
    from workbench.services import Workbench

    lib = corpus_library(tmp_path / "lib", tmp_path_factory.getbasetemp())
    with Workbench.open(lib) as wb:
        yield wb


def _dossier(wb) -> int:
    docs = doc_ids(wb)
    h = wb.add_highlight(docs[REPORT], quote="Michelle Bachelet finally released her "
                                             "long-overdue report").highlight_ids[0]
    d = wb.create_dossier("Leak test").dossier_ids[0]
    wb.add_item(d, highlight=h)
    wb.redact_term(d, "Bachelet", "names a witness", label="witness identity")
    return d


# --- the checker on planted leaks ---------------------------------------------------------


@pytest.mark.parametrize("text", [
    "said MICHELLE   BACHELET today",            # case and whitespace runs
    "said Michelle\tBache-\nlet today",          # tab and a hyphenated line break
    "said Ｍｉｃｈｅｌｌｅ Ｂａｃｈｅｌｅｔ",         # full-width (NFKC)
    "said Michelle Bache\u00adlet\u200b",        # soft hyphen, zero-width space
    "said Mi&#99;helle Bachelet",                # an HTML entity
    "name: \ufe91\ufeb8\ufef4\ufeae",            # Arabic presentation forms (as PDFs give)
    "name: \u0631\u064a\u0634\u0628",            # Arabic in visual (reversed) order
])
def test_checker_catches_disguised_text(text):
    with pytest.raises(RedactionLeak):
        check_html_text(text, Needles(RULES), "planted")


def test_checker_passes_clean_text():
    assert check_html_text("said [REDACTED: witness identity] today", Needles(RULES), "x")


def test_planted_leak_in_pdf_text_and_metadata(tmp_path):
    require_program("pdftotext")
    body = make_pdf(tmp_path / "body.pdf", ["Nothing here.", "Then Michelle Bachelet spoke."])
    with pytest.raises(RedactionLeak, match="page 2"):
        check_file(body, RULES, "pdf")
    meta = make_pdf(tmp_path / "meta.pdf", ["Clean text."], title="About Michelle Bachelet")
    with pytest.raises(RedactionLeak, match="PDF"):
        check_file(meta, RULES, "pdf")
    clean = make_pdf(tmp_path / "clean.pdf", ["Clean text."], title="Clean")
    assert "pdftotext text" in check_file(clean, RULES, "pdf")


def test_planted_leak_in_docx_part(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Clean body")
    d.core_properties.comments = "ask Michelle Bachelet"
    d.save(str(tmp_path / "x.docx"))
    with pytest.raises(RedactionLeak, match=r"docProps/core\.xml|python-docx"):
        check_file(tmp_path / "x.docx", RULES, "docx")


def test_planted_leak_in_bundle_json_and_file_name(tmp_path):
    bag = tmp_path / "bag"
    (bag / "data").mkdir(parents=True)
    (bag / "data" / "events.json").write_text(
        json.dumps({"note": "Michelle Bachelet"}, ensure_ascii=True), encoding="utf-8")
    with pytest.raises(RedactionLeak, match=r"events\.json"):
        check_file(bag, RULES, "bundle")
    (bag / "data" / "events.json").unlink()
    (bag / "data" / "michelle-bachelet.txt").write_text("clean", encoding="utf-8")
    with pytest.raises(RedactionLeak, match="file name"):
        check_file(bag, RULES, "bundle")
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as zf:
        zf.writestr("b/data/a.jsonld", '{"x": "\\u004dichelle Bache\\u006cet"}')
    with pytest.raises(RedactionLeak):
        check_file(tmp_path / "b.zip", RULES, "bundle")


def test_pdf_inside_a_bundle_is_read_as_pdf(tmp_path):
    pdf = make_pdf(tmp_path / "x.pdf", ["Michelle Bachelet"])
    with pytest.raises(RedactionLeak, match=r"inner\.pdf"):
        check_bytes("inner.pdf", pdf.read_bytes(), Needles(RULES), "inner.pdf", pdf)


def test_export_with_a_planted_leak_fails_and_leaves_nothing(bench, tmp_path, monkeypatch):
    import workbench.export.html as html_mod
    import workbench.export.pdf as pdf_mod

    d = _dossier(bench)
    real = html_mod.render

    real_front = pdf_mod.pdf_front

    def leaky(view, **kw):
        return real(view, **kw) + "<p>Bachelet</p>"

    def leaky_front(view):
        return real_front(view).replace("</body>", "<p>Bachelet</p></body>")

    monkeypatch.setattr(html_mod, "render", leaky)
    monkeypatch.setattr(pdf_mod, "pdf_front", leaky_front)
    out = tmp_path / "out"
    out.mkdir()
    for fmt, name in (("html", "x.html"), ("pdf", "x.pdf")):
        with pytest.raises(RedactionLeak, match="witness identity"):
            bench.export(d, fmt, out / name)
    assert list(out.iterdir()) == []
    assert not [e for e in bench.audit_events() if e["type"] == "dissemination"]


# --- bad input ----------------------------------------------------------------------------


def test_empty_dossier_is_refused(bench, tmp_path):
    d = bench.create_dossier("Empty").dossier_ids[0]
    with pytest.raises(ExportError, match="empty"):
        bench.export(d, "pdf", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_missing_or_unwritable_destination(bench, tmp_path, monkeypatch):
    d = _dossier(bench)
    with pytest.raises(ExportError, match="does not exist"):
        bench.export(d, "html", tmp_path / "nope" / "x.html")
    import workbench.export.common as common

    monkeypatch.setattr(common.os, "access", lambda *a, **k: False)
    with pytest.raises(ExportError, match="not writable"):
        bench.export(d, "docx", tmp_path / "x.docx")


@pytest.mark.parametrize("fmt", ["html", "docx", "bundle"])
def test_full_disk_leaves_no_partial_file(bench, tmp_path, monkeypatch, fmt):
    d = _dossier(bench)
    import workbench.export as export_mod

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_mod, "check_file", full, raising=False)
    import workbench.export.leakcheck as lc

    monkeypatch.setattr(lc, "check_file", full)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportError, match="disk is full"):
        bench.export(d, fmt, out / f"x.{fmt}.zip")
    assert list(out.iterdir()) == []


def test_unknown_format_and_term_nowhere(bench, tmp_path):
    d = _dossier(bench)
    with pytest.raises(ExportError, match="file name"):
        bench.export(d, "html", tmp_path / "for-BACHELET.html")
    with pytest.raises(ExportError, match="format"):
        bench.export(d, "odt", tmp_path / "x.odt")
    with pytest.raises(UserError, match="occurs nowhere"):
        bench.redact_term(d, "Zyxwvut", "nothing")


def test_sources_as_csl_json(bench):
    d = _dossier(bench)
    (item,) = bench.sources_csl(d)
    assert item["type"] in ("document", "webpage") and item["note"].startswith("SHA-256: ")
    assert "Bachelet" not in json.dumps(item)


def test_redacted_term_in_document_title_is_redacted_in_citations(bench, tmp_path):
    d = _dossier(bench)
    docs = doc_ids(bench)
    bench.edit_document(docs[REPORT], title="Bachelet’s report")
    out = bench.export(d, "html", tmp_path / "t.html")
    text = Path(out["path"]).read_text(encoding="utf-8")
    assert "achelet" not in text and "[REDACTED: witness identity]’s report" in text


def test_progress_and_cancel(bench, tmp_path):
    from workbench.errors import Cancelled
    from workbench.progress import CancelToken

    d = _dossier(bench)
    steps = []
    bench.export(d, "html", tmp_path / "a.html", progress=steps.append)
    assert [s.done for s in steps] == [0, 1, 3] and steps[-1].stage == "done"
    token = CancelToken()
    token.cancel()
    out = tmp_path / "c"
    out.mkdir()
    with pytest.raises(Cancelled):
        bench.export(d, "docx", out / "x.docx", cancel=token)
    assert list(out.iterdir()) == []
