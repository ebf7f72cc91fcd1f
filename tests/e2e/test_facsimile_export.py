"""Facsimile exhibits end to end through the command line (issue 13): ``dossier add
--facsimile``, ``dossier facsimile``, ``dossier redact --area``, and the exports whose
facsimile pages must show the page but never a redacted name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_dossier_cli import Cli
from tests.support.files import make_pdf

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
