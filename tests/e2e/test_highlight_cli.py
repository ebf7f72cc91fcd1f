"""The highlight, tag, orphans and reextract commands end to end, through ``cli.main`` with
``--json``, on a generated PDF and HTML capture of one corpus article."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.support.files import make_html_capture, make_pdf, split_pages
from workbench.cli import main

ARTICLE = "un-special-rapporteur-forced-labour"


class Cli:
    def __init__(self, library: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.library, self.capsys = library, capsys

    def __call__(self, *args: str, code: int = 0) -> Any:
        self.capsys.readouterr()
        rc = main(["--library", str(self.library), *args, "--json"])
        out, err = self.capsys.readouterr()
        assert rc == code, err
        self.err = err
        return json.loads(out) if rc == 0 else None


@pytest.fixture
def files(tmp_path: Path, corpus_texts: dict[str, str]) -> list[Path]:
    text = corpus_texts[ARTICLE]
    title, body = text.split("\n\n", 1)
    return [make_pdf(tmp_path / "labour.pdf", split_pages(text), title=title),
            make_html_capture(tmp_path / "labour.html", title, body,
                              url="https://chinadigitaltimes.net/2022/08/forced-labor/")]


def test_highlight_workflow(tmp_path: Path, files: list[Path],
                            capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(tmp_path / "lib", capsys)
    cli("init")
    imported = cli("import", *map(str, files))["imported"]
    pdf, html = (d["id"] for d in imported)

    added = cli("highlight", "add", str(pdf), "--quote", "reasonable to conclude that forced",
                "--tag", "Forced labour/Labour transfer", "--tag", "UN", "--note", "key",
                "--color", "#ff0000")
    assert set(added) == {"id", "document_id", "start", "end", "page", "quote"}
    assert added["document_id"] == pdf and added["page"] == 1
    assert added["quote"].split() == ["reasonable", "to", "conclude", "that", "forced"]

    cli("highlight", "add", str(pdf), "--quote", "Xinjiang", code=2)
    assert "occurs" in cli.err and "--occurrence" in cli.err
    second = cli("highlight", "add", str(pdf), "--quote", "Xinjiang", "--occurrence", "2")
    cli("highlight", "add", str(pdf), "--quote", "reasonable to concluded that farced",
        code=2)
    assert "nearest match" in cli.err and "reasonable to conclude" in cli.err
    cli("highlight", "add", str(html), "--quote", "reasonable to conclude that forced",
        "--tag", "UN")

    rows = cli("highlight", "list", "--tag", "Forced labour")
    assert [r["id"] for r in rows] == [added["id"]]
    assert len(cli("highlight", "list", "--doc", str(pdf))) == 2
    edited = cli("highlight", "edit", str(second["id"]), "--note", "where", "--tag", "Places")
    assert (edited["note"], edited["tags"]) == ("where", ["Places"])
    assert cli("highlight", "show", str(added["id"]))["color"] == "#ff0000"

    similar = cli("highlight", "similar", str(added["id"]))
    assert [r["document_id"] for r in similar] == [html]
    assert similar[0]["match"] == "exact"

    # Tags.
    made = cli("tag", "add", "Places/Xinjiang", "--color", "#00aa00", "--description", "XUAR")
    assert made["path"] == "Places/Xinjiang" and made["color"] == "#00aa00"
    cli("tag", "move", "Forced labour", "--to", "Forced labour/Labour transfer", code=2)
    assert cli("tag", "rename", "UN", "United Nations")["path"] == "United Nations"
    assert cli("tag", "move", "United Nations", "--to", "Places")["path"] \
        == "Places/United Nations"
    assert cli("tag", "move", "Places/United Nations", "--top")["path"] == "United Nations"
    tags = {t["path"]: t for t in cli("tag", "list")}
    assert tags["United Nations"]["highlights"] == 2
    assert tags["Forced labour"]["highlights_total"] == 1
    cli("tag", "delete", "Places", code=2)
    assert "--cascade" in cli.err
    cli("tag", "merge", "Places/Xinjiang", "Places")
    cli("tag", "delete", "Places", "--reassign-to", "United Nations")
    assert cli("highlight", "show", str(second["id"]))["tags"] == ["United Nations"]
    assert cli("tag", "document", str(html), "Sources/Web")["tags"] == ["Sources/Web"]
    tree = cli("tag", "list", "--tree")
    assert {t["name"] for t in tree} == {"Forced labour", "United Nations", "Sources"}

    # Exports.
    w3c = cli("highlight", "export", "--format", "w3c", "-o", str(tmp_path / "h.jsonld"))
    assert w3c["count"] == 3
    data = json.loads((tmp_path / "h.jsonld").read_text(encoding="utf-8"))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld" and data["total"] == 3
    out = cli("highlight", "export", "--format", "csv", "-o", str(tmp_path / "h.csv"),
              "--doc", str(pdf))
    with open(tmp_path / "h.csv", encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == out["count"] == 2
    cli("highlight", "export", "--format", "qdc", "-o", str(tmp_path / "t.qdc"))
    assert ET.parse(tmp_path / "t.qdc").getroot().tag == "{urn:QDA-XML:codebook:1.0}CodeBook"

    # Into a second library holding the same files.
    other = Cli(tmp_path / "other", capsys)
    other("init")
    other("import", *map(str, files))
    report = other("highlight", "import", str(tmp_path / "h.jsonld"))
    assert (report["imported"], report["orphaned"], report["missing_documents"]) == (3, 0, [])
    mine = {(h["start"], h["end"], h["quote"], h["note"], tuple(h["tags"]))
            for h in cli("highlight", "list")}
    theirs = {(h["start"], h["end"], h["quote"], h["note"], tuple(h["tags"]))
              for h in other("highlight", "list")}
    assert mine == theirs

    # Re-extraction keeps every highlight; nothing is orphaned on identical text.
    r = cli("reextract", str(pdf))
    assert (r["highlights"], r["anchored"], r["orphaned"], r["layer_version"]) == (2, 2, 0, 2)
    assert cli("orphans") == []

    assert cli("highlight", "delete", str(second["id"])) == {"deleted": second["id"]}
    cli("highlight", "show", str(second["id"]), code=2)
    kinds = [e["type"] for e in cli("audit", "--object-type", "highlight")]
    assert kinds.count("creation") == 3 and "deletion" in kinds and "modification" in kinds
