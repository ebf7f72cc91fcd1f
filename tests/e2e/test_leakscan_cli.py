"""``workbench leakscan`` end to end: what it finds, its exit codes and JSON shape, and that
neither the term nor the text found ever reaches stdout or stderr."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.support.files import make_pdf
from workbench.cli import main

TERMS = ["Ekpar Asat", "艾克帕尔", "ئەكپەر"]
# Every spelling planted below, so the output can be checked against each.
TERM_ARGS = [arg for t in TERMS for arg in ("--term", t)]
SPELLINGS = ["ekpar", "asat", "艾克帕尔", "艾", "ئەكپەر", "ئەك", "e k p a r", "ek-par"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["leakscan", *args])
    out, err = capsys.readouterr()
    for text in (out, err):
        low = text.casefold()
        for spelling in SPELLINGS:
            assert spelling not in low, f"{spelling!r} printed"
    return code, out, err


def planted(root: Path) -> Path:
    root.mkdir()
    (root / "clean.txt").write_text("Nothing to see here.", encoding="utf-8")
    (root / "notes.txt").write_text("met Ek-\npar Asat at noon", encoding="utf-8")
    (root / "page.html").write_bytes("<nav>艾克帕尔</nav><p>clean</p>".encode("gbk"))
    with zipfile.ZipFile(root / "box.zip", "w") as zf:
        zf.writestr("Ekpar_Asat.txt", "clean")
        zf.writestr("inner/a.json", json.dumps({"n": "ئەكپەر"}, ensure_ascii=True))
    return root


def test_finds_every_planted_place_without_printing_it(tmp_path, capsys):
    root = planted(tmp_path / "files")
    code, out, _err = run(capsys, str(root), *TERM_ARGS)
    assert code == 1
    assert "notes.txt" in out and "page.html" in out and "box.zip" in out
    assert "[term 1]" in out  # the member named after the witness, masked
    code, out, _ = run(capsys, str(root), "--json", *TERM_ARGS)
    report: dict[str, Any] = json.loads(out)
    assert code == 1 and report["clean"] is False and report["files"] == 4
    assert set(report) == {"clean", "files", "readings", "findings", "unreadable", "notes"}
    assert all(set(f) == {"path", "place", "term", "form"} for f in report["findings"])
    terms = {(Path(f["path"]).name, f["term"]) for f in report["findings"]}
    assert {("notes.txt", 1), ("page.html", 2), ("box.zip", 1), ("box.zip", 3)} <= terms
    assert not any(Path(f["path"]).name == "clean.txt" for f in report["findings"])
    forms = {f["form"] for f in report["findings"] if f["path"].endswith("notes.txt")}
    assert forms == {"with other spacing, hyphens or separators"}


def test_clean_exits_0_and_unreadable_exits_3(tmp_path, capsys):
    root = tmp_path / "clean"
    root.mkdir()
    (root / "a.txt").write_text("Nothing.", encoding="utf-8")
    code, out, _ = run(capsys, str(root), "--term", TERMS[0], "--json")
    assert code == 0 and json.loads(out) == {"clean": True, "files": 1,
                                             "readings": json.loads(out)["readings"],
                                             "findings": [], "unreadable": [], "notes": []}
    make_pdf(root / "locked.pdf", ["Ekpar Asat"], password="secret")
    code, out, _ = run(capsys, str(root), "--term", TERMS[0], "--json")
    report = json.loads(out)
    assert code == 3 and report["clean"] is False and report["findings"] == []
    assert report["unreadable"][0]["path"].endswith("locked.pdf")
    assert "password" in report["unreadable"][0]["reason"]
    code, out, _ = run(capsys, str(root), "--term", TERMS[0])
    assert code == 3 and "UNREADABLE" in out and "not shown to be clean" in out


def test_terms_file_and_usage_errors(tmp_path, capsys):
    root = planted(tmp_path / "files")
    terms = tmp_path / "terms.txt"
    terms.write_text("\n".join(TERMS) + "\n\n", encoding="utf-8")
    code, out, _ = run(capsys, str(root / "page.html"), "--terms-file", str(terms), "--json")
    assert code == 1 and {f["term"] for f in json.loads(out)["findings"]} == {2}
    assert run(capsys, str(root))[0] == 2  # no term
    assert run(capsys, str(tmp_path / "missing"), "--term", "x")[0] == 2
    assert run(capsys, str(root), "--term", "--- ...")[0] == 2  # nothing to look for
    assert run(capsys, str(root), "--terms-file", str(tmp_path / "none.txt"))[0] == 2


def test_an_email_attachment_and_a_pdf_page(tmp_path, capsys):
    root = tmp_path / "mail"
    root.mkdir()
    body = base64.b64encode("<p>见到了艾克帕尔</p>".encode()).decode()
    (root / "m.eml").write_text(
        "From: a@example.org\nTo: b@example.org\nSubject: notes\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'
        "clean\n--b\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64"
        f'\nContent-Disposition: attachment; filename="x.html"\n\n{body}\n--b--\n',
        encoding="ascii")
    make_pdf(root / "r.pdf", ["Page one.", "Then ئەكپەر spoke."])
    code, out, _ = run(capsys, str(root), "--json", *TERM_ARGS)
    places = {(Path(f["path"]).name, f["place"]) for f in json.loads(out)["findings"]}
    assert code == 1
    assert any(n == "m.eml" and "MIME part 2 (text/html, base64)" in p for n, p in places)
    assert ("r.pdf", "page 2 text (PDFium)") in places


def test_runs_as_a_program(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("hello EKPAR ASAT", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "workbench.cli", "leakscan", str(f),
                           "--term", "Ekpar Asat"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "ekpar" not in (proc.stdout + proc.stderr).casefold()
    assert "a.txt" in proc.stdout and "term 1" in proc.stdout


def test_finds_the_name_in_an_unredacted_export_and_not_once_redacted(tmp_path, capsys):
    """The same dossier exported in every format before and after redacting the name: the
    scanner finds it in each unredacted export and in none of the redacted ones."""
    from tests.e2e.test_dossier_cli import Cli

    src = tmp_path / "src"
    src.mkdir()
    (src / "statement.txt").write_text(
        "Statement. The witness Ekpar Asat was taken from the market; 艾 克 帕 尔 and "
        "ئەكـپەر are his names in the other scripts. He has not been seen since.",
        encoding="utf-8")
    lib = tmp_path / "lib"
    cli = Cli(lib, capsys)
    cli("init")
    doc = cli("import", str(src / "statement.txt"))["imported"][0]["id"]
    d = cli("dossier", "create", "Market statement")["id"]
    cli("dossier", "add", str(d), "--document", str(doc))
    out = tmp_path / "out"
    out.mkdir()
    formats = {"pdf": "pdf", "docx": "docx", "html": "html", "bundle": "zip"}
    for fmt, ext in formats.items():
        cli("dossier", "export", str(d), "--format", fmt, "-o", str(out / f"plain.{ext}"))
    for ext in formats.values():
        code, text, _ = run(capsys, str(out / f"plain.{ext}"), *TERM_ARGS, "--json")
        assert code == 1
        assert {f["term"] for f in json.loads(text)["findings"]} == {1, 2, 3}, ext
    for term in TERMS:
        cli("dossier", "redact", str(d), "--term", term, "--reason", "witness safety")
    for fmt, ext in formats.items():
        cli("dossier", "export", str(d), "--format", fmt, "-o", str(out / f"redacted.{ext}"))
        code, text, _ = run(capsys, str(out / f"redacted.{ext}"), *TERM_ARGS, "--json")
        assert code == 0, text
        assert json.loads(text)["clean"] is True


def test_a_file_given_and_inside_a_given_folder_is_scanned_once(tmp_path, capsys):
    root = planted(tmp_path / "p")
    code, text, _ = run(capsys, str(root / "notes.txt"), str(root), *TERM_ARGS, "--json")
    report = json.loads(text)
    assert code == 1
    assert report["files"] == len([p for p in root.rglob("*") if p.is_file()])
    notes = [f for f in report["findings"] if f["path"].endswith("notes.txt")]
    assert len(notes) == 1
