"""The DOCX export opens in LibreOffice: converted headless, it reads right and leaks nothing.

The corpus dossier (a redacted name and quote) plus excerpts in Arabic and Chinese with a
redacted name in each is exported to DOCX, then LibreOffice converts it to plain text
(what a reader sees: headings, exhibit citations, hashes, no redacted text) and to flat
ODF (how it understood the file: a real table of contents, outline levels, right-to-left
paragraphs, metadata). python-docx's own reading is tested in test_export.py.

Without ``soffice`` the test skips locally but fails in CI (``CI=true``), so the check cannot
silently stop running there.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import unicodedata
from pathlib import Path

import pytest

from tests.core.test_dossier_fixtures import build_evidence_dossier, corpus_library

ARABIC_NAME = "علي حسن"
CHINESE_NAME = "王小明"
ARABIC = f"قال الشاهد {ARABIC_NAME} إن المعسكر كان مكتظا بالمحتجزين."
CHINESE = f"证人{CHINESE_NAME}说，营地里非常拥挤。"
TIMEOUT = 180


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        why = ("LibreOffice (soffice) is not installed; install the Debian package "
               "libreoffice-writer-nogui (listed in packaging/debian-packages.txt)")
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"{why}: CI must run the DOCX-in-LibreOffice check")
        pytest.skip(why)
    return exe


def convert(exe: str, src: Path, fmt: str, outdir: Path, profile: Path) -> Path:
    """``soffice --headless --convert-to fmt``, with a private profile (parallel runs would
    otherwise share one and clash) and a time limit that kills the whole process group."""
    cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", fmt, "--outdir", str(outdir), str(src)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"LibreOffice took over {TIMEOUT} s to convert {src.name}")
    result = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    assert proc.returncode == 0 and result.exists(), (out, err)
    return result


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    from workbench.services import Workbench

    exe = _soffice()
    root = tmp_path_factory.mktemp("lo")
    statements = root / "witness-statements.txt"
    statements.write_text(f"Witness statements\n\n{ARABIC}\n\n{CHINESE}\n", encoding="utf-8")
    lib = corpus_library(root / "lib", tmp_path_factory.mktemp("prep"))
    with Workbench.open(lib) as wb:
        d = build_evidence_dossier(wb)
        _report, changes = wb.import_paths([statements])
        (doc,) = changes.document_ids
        for quote in (ARABIC, CHINESE):
            h = wb.add_highlight(doc, quote=quote).highlight_ids[0]
            wb.add_item(d, highlight=h, section="Statements")
        wb.redact_term(d, ARABIC_NAME, "names a witness", label="protect a witness")
        wb.redact_term(d, CHINESE_NAME, "names a witness", label="protect a witness")
        result = wb.export(d, "docx", root / "dossier.docx")
        view = wb.dossier_view(d)
    out = root / "converted"
    out.mkdir()
    docx = Path(result["path"])
    profile = root / "lo-profile"
    text = convert(exe, docx, "txt:Text", out, profile).read_text(encoding="utf-8-sig")
    flat = convert(exe, docx, "fodt", out, profile).read_text(encoding="utf-8")
    return {"text": text, "flat": flat, "view": view, "docx": docx}


def test_libreoffice_reads_headings_citations_and_hashes(converted):
    text, view = norm(converted["text"]), converted["view"]
    assert norm(view.title) in text and "contents" in text
    for sec in view.sections:
        if sec.title:
            assert norm(sec.title) in text
    for it in view.exhibits:
        assert norm(it.heading) in text  # "Exhibit n: title", in the contents and the body
        assert text.count(norm(f"{it.label}:")) >= 2
    assert "provenance appendix" in text and "china digital times" in text
    for src in view.sources:
        assert f"sha-256: {src.short_hash}" in text  # each citation block
        assert src.sha256 in text  # the appendix
    assert "[redacted: witness identity]" in text and "[redacted: protect a witness]" in text
    assert norm("المعسكر كان مكتظا بالمحتجزين") in text
    assert norm("营地里非常拥挤") in text


def test_libreoffice_sees_no_redacted_text(converted):
    for variant in (converted["text"], converted["flat"]):
        flat = norm(variant)
        for gone in ("bachelet", "remain silent", norm(ARABIC_NAME), CHINESE_NAME):
            assert gone not in flat


def test_libreoffice_finds_a_contents_field_outline_and_rtl(converted):
    flat = converted["flat"]
    # The TOC field is imported as a real index LibreOffice can update.
    assert flat.count("<text:table-of-content ") == 1
    body = flat[flat.index("<text:index-body>"):flat.index("</text:index-body>")]
    entries = [norm(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<text:p\b.*?</text:p>",
                                                                    body, re.S)]
    view = converted["view"]
    assert [e for e in entries if e.startswith("exhibit")] == [
        norm(it.heading) for it in view.exhibits]
    assert "Contents_20_1" in body and "Contents_20_2" in body  # Word's toc 1 / toc 2 styles
    headings = {norm(re.sub(r"<[^>]+>", "", h)): int(level) for level, h in re.findall(
        r'<text:h\b[^>]*text:outline-level="(\d)"[^>]*>(.*?)</text:h>', flat, re.S)}
    assert headings[norm(view.exhibits[0].heading)] == 2
    assert headings["provenance appendix"] == 1 and headings["statements"] == 1
    assert "contents" not in headings  # the contents title is not listed in itself
    # The Arabic excerpt is a right-to-left paragraph.
    styles = dict(re.findall(r'<style:style style:name="([^"]+)"[^>]*>(.*?)</style:style>',
                             flat, re.S))
    rtl = [p for p in re.findall(r'<text:p text:style-name="([^"]+)">(.*?)</text:p>', flat,
                                 re.S) if "المعسكر" in p[1]]
    assert rtl and 'style:writing-mode="rl-tb"' in styles.get(rtl[0][0], ""), rtl


def test_libreoffice_metadata_is_only_what_the_user_chose(converted):
    meta = re.search(r"<office:meta>(.*?)</office:meta>", converted["flat"], re.S)
    assert meta is not None
    fields = dict(re.findall(r"<(?:dc|meta):([\w-]+)>([^<]*)<", meta.group(1)))
    assert fields["initial-creator"] == fields["creator"] == "A. Researcher · Rights NGO"
    assert fields["title"] == converted["view"].title
    assert int(fields["creation-date"][:4]) >= 2024 and int(fields["date"][:4]) >= 2024
    assert "python-docx" not in meta.group(1) and "2013" not in fields["creation-date"]
