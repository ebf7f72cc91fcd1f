"""The dossier commands end to end through ``cli.main --json``: build, redact, freeze,
export to every format, verify the bundle, tamper with it."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tests.core.test_dossier_fixtures import corpus_library
from workbench.cli import main


class Cli:
    def __init__(self, library: Path | None, capsys: pytest.CaptureFixture[str]) -> None:
        self.library, self.capsys = library, capsys

    def __call__(self, *args: str, code: int = 0) -> Any:
        self.capsys.readouterr()
        lib = ["--library", str(self.library)] if self.library else []
        rc = main([*lib, *args, "--json"])
        out, err = self.capsys.readouterr()
        assert rc == code, err
        self.err = err
        return json.loads(out) if rc == 0 or out.strip() else None


def test_dossier_workflow(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
                          capsys: pytest.CaptureFixture[str]) -> None:
    lib = corpus_library(tmp_path / "lib", tmp_path_factory.getbasetemp())
    cli = Cli(lib, capsys)
    docs = {d["title"].split(":")[0]: d["id"] for d in cli("list")}
    report = docs["UN Report"]
    h = cli("highlight", "add", str(report), "--quote",
            "Michelle Bachelet finally released her long-overdue report on Xinjiang")
    hid = h["id"] if isinstance(h, dict) and "id" in h else h["highlights"][0]["id"]

    d = cli("dossier", "create", "Xinjiang evidence", "--case", "Xinjiang", "--author",
            "A. Researcher", "--prefix", "A-")["id"]
    first = cli("dossier", "add", str(d), "--highlight", str(hid), "--commentary", "Key")
    assert first["label"] == "A-1"
    note = cli("dossier", "add", str(d), "--note", "Background follows.", "--section", "Intro")
    assert note["label"] is None
    doc_item = cli("dossier", "add", str(d), "--document", str(report))
    assert doc_item["label"] == "A-2"
    moved = cli("dossier", "move", str(d), str(doc_item["item"]), "1")
    assert [i["label"] for i in moved["items"]][:2] == ["A-1", "A-2"]
    assert moved["items"][0]["id"] == doc_item["item"]
    cli("dossier", "comment", str(d), "A-1", "The whole report")

    cli("dossier", "redact", str(d), "--term", "Nobody Atall", "--reason", "x", code=2)
    assert "occurs nowhere" in cli.err
    r = cli("dossier", "redact", str(d), "--term", "Bachelet", "--reason", "names a witness",
            "--label", "witness identity")
    assert r["redaction"] >= 1
    cli("dossier", "redact", str(d), "--item", str(first["item"]), "--quote",
        "long-overdue report", "--reason", "draft wording")
    shown = cli("dossier", "show", str(d))
    assert len(shown["redactions"]) == 2 and shown["case"] == "Xinjiang"
    assert [e["label"] for e in shown["entries"]] == ["A-1", "A-2", None]
    assert cli("dossier", "list")[0]["items"] == 3
    csl = cli("dossier", "sources", str(d), "--format", "csl-json")
    assert csl[0]["note"].startswith("SHA-256: ")

    frozen = cli("dossier", "freeze", str(d))
    assert frozen["frozen_at"]
    cli("dossier", "remove", str(d), "A-1", code=2)
    assert "frozen" in cli.err

    out = tmp_path / "out"
    out.mkdir()
    for fmt, name in (("html", "d.html"), ("docx", "d.docx"), ("pdf", "d.pdf"),
                      ("bundle", "bag.zip")):
        extra = ["--bates", "WB-"] if fmt == "pdf" else []
        res = cli("dossier", "export", str(d), "--format", fmt, "-o", str(out / name), *extra)
        assert res["sha256"] and Path(res["path"]).exists()
    html = unicodedata.normalize("NFKC", (out / "d.html").read_text(encoding="utf-8"))
    assert "Bachelet" not in html and "long-overdue report" not in html
    assert "[REDACTED: witness identity]" in html

    assert cli("verify-bundle", str(out / "bag.zip"))["ok"]
    data = bytearray((out / "bag.zip").read_bytes())
    bad = tmp_path / "bad.zip"
    import zipfile

    with zipfile.ZipFile(out / "bag.zip") as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename.endswith("dossier.pdf"):
                blob = blob[:-10] + bytes([blob[-10] ^ 1]) + blob[-9:]
            dst.writestr(info.filename, blob)
    assert data  # the original zip is untouched
    result = cli("verify-bundle", str(bad), code=1)
    assert result["ok"] is False and any("dossier.pdf" in p for p in result["problems"])

    copy = cli("dossier", "new-version", str(d))
    assert copy["version_of"] == d
    first_redaction = cli("dossier", "show", str(copy["id"]))["redactions"][0]["id"]
    assert cli("dossier", "unredact", str(copy["id"]), str(first_redaction))["removed"]
    audit = cli("audit", "--object-type", "dossier", "--object-id", str(d))
    assert sum(e["type"] == "dissemination" for e in audit) == 4


def test_verify_bundle_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(None, capsys)
    cli("verify-bundle", str(tmp_path / "missing"), code=2)
    (tmp_path / "plain.txt").write_text("x", encoding="utf-8")
    cli("verify-bundle", str(tmp_path / "plain.txt"), code=2)
    (tmp_path / "notbag").mkdir()
    assert cli("verify-bundle", str(tmp_path / "notbag"), code=1)["ok"] is False


def test_term_only_in_a_cited_original_withholds_it_from_the_bundle(
        tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
        capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile

    lib = corpus_library(tmp_path / "lib", tmp_path_factory.getbasetemp())
    cli = Cli(lib, capsys)
    docs = {d["title"].split(":")[0]: d for d in cli("list")}
    report = docs["UN Report"]
    h = cli("highlight", "add", str(report["id"]), "--quote", "Michelle Bachelet finally "
            "released her long-overdue report on Xinjiang")
    hid = h["id"] if isinstance(h, dict) and "id" in h else h["highlights"][0]["id"]
    d = cli("dossier", "create", "Originals")["id"]
    cli("dossier", "add", str(d), "--highlight", str(hid))
    # In the report's text, not in the excerpt: accepted; a name in no cited text: refused.
    cli("dossier", "redact", str(d), "--term", "Rayhan Asad", "--reason", "witness", code=2)
    assert "occurs nowhere" in cli.err
    assert cli("dossier", "redact", str(d), "--term", "Rayhan Asat", "--reason", "witness")
    sha = cli("show", str(report["id"]))["sha256"]
    res = cli("dossier", "export", str(d), "--format", "bundle", "-o", str(tmp_path / "b.zip"))
    assert res["excluded_originals"] == [sha]
    checked = cli("verify-bundle", str(tmp_path / "b.zip"))
    assert checked["ok"] and [w["sha256"] for w in checked["withheld_originals"]] == [sha]
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        assert not any(sha in n for n in zf.namelist())
        assert sha in zf.read("b/data/README.txt").decode("utf-8")
        assert f"Withheld-Original: {sha}" in zf.read("b/bag-info.txt").decode("utf-8")
        for n in zf.namelist():
            assert b"rayhan" not in zf.read(n).lower(), n
