"""``tag passages`` and ``dossier add --commentary-from-note`` end to end through ``cli.main``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.e2e.test_highlight_cli import Cli, files  # noqa: F401  (fixture)


def test_tag_passages_lists_and_writes_both_files(
        tmp_path: Path, files: list[Path], capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    import docx

    cli = Cli(tmp_path / "lib", capsys)
    cli("init")
    pdf, html = (d["id"] for d in cli("import", *map(str, files))["imported"])
    a = cli("highlight", "add", str(pdf), "--quote", "reasonable to conclude that forced",
            "--tag", "Forced labour/Labour transfer", "--note", "key")["id"]
    b = cli("highlight", "add", str(html), "--quote", "reasonable to conclude that forced",
            "--tag", "Forced labour")["id"]
    out = cli("tag", "passages", "Forced labour", "--csv", str(tmp_path / "p.csv"),
              "--docx", str(tmp_path / "p.docx"))
    assert out["tag"] == "Forced labour"
    assert [p["id"] for p in out["passages"]] == [a, b]
    assert [e["format"] for e in out["exports"]] == ["csv", "docx"]
    with open(tmp_path / "p.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["highlight_id"]) for r in rows] == [a, b] and rows[0]["note"] == "key"
    assert docx.Document(str(tmp_path / "p.docx")).paragraphs[0].text \
        == "Passages: Forced labour"
    only = cli("tag", "passages", "Forced labour", "--doc", str(html))
    assert [p["id"] for p in only["passages"]] == [b] and only["exports"] == []

    cli("dossier", "create", "Case")
    item = cli("dossier", "add", "Case", "--highlight", str(a), "--commentary-from-note")["item"]
    entry = next(e for e in cli("dossier", "show", "Case")["entries"] if e["id"] == item)
    assert entry["commentary"] == "key"
