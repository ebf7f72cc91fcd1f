"""`workbench copies` and `workbench compare` end to end through ``cli.main``: an article
imported as a PDF and as a saved web page, a removed report and its preserved copy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.core.test_copies import CRIMES, _removed_report, _squash
from tests.support.files import make_html_capture, make_pdf, split_pages
from workbench.cli import main


class Cli:
    def __init__(self, library: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.library, self.capsys = library, capsys
        self.err = ""

    def __call__(self, *args: str, code: int = 0, json_out: bool = True) -> Any:
        self.capsys.readouterr()
        rc = main(["--library", str(self.library), *args, *(["--json"] if json_out else [])])
        out, self.err = self.capsys.readouterr()
        assert rc == code, self.err
        return json.loads(out) if json_out and rc == 0 else out


def test_copies_and_compare_commands(library_path: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str],
                                     corpus_texts: dict[str, str]) -> None:
    cli = Cli(library_path, capsys)
    text = corpus_texts[CRIMES]
    title, body = text.split("\n", 1)
    pdf = make_pdf(tmp_path / "report.pdf", split_pages(text))
    html = make_html_capture(tmp_path / "report.html", title, body.strip(),
                             url="https://example.org/report")
    official, removed, _old, _new = _removed_report(text)
    (tmp_path / "official.txt").write_text(official, encoding="utf-8")
    imported = cli("import", str(pdf), str(html), str(tmp_path / "official.txt"))
    ids = {Path(o["path"]).name: o["id"] for o in imported["imported"]}

    found = cli("copies", str(ids["report.pdf"]))
    assert found["document_id"] == ids["report.pdf"]
    by_id = {c["document_id"]: c for c in found["copies"]}
    assert set(by_id) == {ids["report.html"], ids["official.txt"]}
    page = by_id[ids["report.html"]]
    assert page["source_url"] == "https://example.org/report" and page["kind"] == "html"
    assert len(page["sha256"]) == 64 and page["similarity"] >= 0.8
    assert "captured_at" in page and page["status"] == "found"
    assert found["copies"][0]["document_id"] == ids["report.html"]  # best first
    listing = cli("copies", str(ids["report.pdf"]), json_out=False)
    assert "2 other copies" in listing and "https://example.org/report" in listing
    assert page["sha256"] in listing

    diff = cli("compare", str(ids["report.html"]), str(ids["official.txt"]))
    deletes = [c for c in diff["changes"] if c["kind"] == "delete"]
    assert [_squash(c["left_text"]) for c in deletes] == [_squash(p) for p in removed]
    assert all(c["right"][0] == c["right"][1] for c in deletes)
    assert diff["left"]["document_id"] == ids["report.html"]
    shown = cli("compare", str(ids["report.html"]), str(ids["official.txt"]), json_out=False)
    assert "deleted" in shown and "replaced" in shown and "noted concerns" in shown

    from workbench.services import Workbench

    with Workbench.open(library_path) as wb:
        wb.wait_for_index()
    plain = cli("search", "Bachelet")
    folded = cli("search", "Bachelet", "--collapse-copies")
    assert len(plain["hits"]) == 3 and len(folded["hits"]) == 1
    assert sorted([folded["hits"][0]["document_id"], *folded["hits"][0]["copies"]]) == sorted(
        ids.values())
    assert "+2 copies" in cli("search", "Bachelet", "--collapse-copies", json_out=False)

    cli("copies", str(ids["report.pdf"]), "--reject", str(ids["official.txt"]))
    after = cli("copies", str(ids["report.pdf"]))
    assert [c["document_id"] for c in after["copies"]] == [ids["report.html"]]
    confirmed = cli("copies", str(ids["report.pdf"]), "--confirm", str(ids["report.html"]))
    assert confirmed["copies"][0]["status"] == "confirmed"
    scan = cli("copies", "--scan")
    assert scan == {"signed": 0, "pairs": 0}
    assert [c["document_id"] for c in cli("copies", str(ids["report.pdf"]))["copies"]] == [
        ids["report.html"]]


def test_copies_refusals(library_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(library_path, capsys)
    cli("copies", code=2)
    assert "name a document" in cli.err and "Traceback" not in cli.err
    cli("copies", "99", code=2)
    assert "No document 99" in cli.err
    cli("compare", "1", code=2)
    cli("copies", "1", "--confirm", "2", "--reject", "3", code=2)
