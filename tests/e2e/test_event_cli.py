"""The chronology's commands end to end through ``cli.main``: suggest, add, list, edit,
export, and the refusals a user meets (an unreadable date, an unknown status)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.core.test_chronology import chronology_library, docs
from workbench.cli import main


class Cli:
    def __init__(self, library: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.library, self.capsys = library, capsys

    def __call__(self, *args: str, code: int = 0, json_out: bool = True) -> Any:
        self.capsys.readouterr()
        rc = main(["--library", str(self.library), *args, *(["--json"] if json_out else [])])
        out, err = self.capsys.readouterr()
        assert rc == code, err
        self.err = err
        return json.loads(out) if json_out and rc == 0 else out


def test_event_commands(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
                        capsys: pytest.CaptureFixture[str]) -> None:
    lib = chronology_library(tmp_path / "lib", tmp_path_factory.getbasetemp())
    cli = Cli(lib, capsys)
    from workbench.services import Workbench

    with Workbench.open(lib) as wb:
        witness = docs(wb)["witness.txt"]
    h = cli("highlight", "add", str(witness), "--quote", "In March 2018 the authorities "
            "began detaining people in the village.", "--tag", "Detention")["id"]
    got = cli("event", "suggest", str(h))
    assert got["dates"][0] == {"text": "March 2018", "kind": "month", "from": "2018-03-01",
                               "to": "2018-03-31"}
    assert got["tags"] == ["Detention"]
    assert "Date: March 2018 (month 2018-03-01 to 2018-03-31)" in cli(
        "event", "suggest", str(h), json_out=False)

    ev = cli("event", "add", got["statement"], "--date", got["dates"][0]["text"],
             "--highlight", str(h), "--status", "undisputed", "--note", "ask the sister")
    assert ev["date"]["kind"] == "month" and ev["sources"][0]["highlight_id"] == h
    later = cli("event", "add", "Still held", "--date", "after June 2019")
    assert later["date"] == {"text": "after June 2019", "kind": "after", "from": "2019-07-01",
                             "to": None}
    earlier = cli("event", "add", "The camp was built", "--date", "2017-2018")
    assert [e["id"] for e in cli("event", "list")] == [earlier["id"], ev["id"], later["id"]]
    assert [e["id"] for e in cli("event", "list", "--tag", "Detention")] == [ev["id"]]
    text = cli("event", "list", json_out=False)
    assert "after June 2019" in text and "The camp was built" in text

    # refusals: one line, exit 2, saying how to write it
    cli("event", "add", "Something", "--date", "05/03/2018", code=2)
    assert "ambiguous" in cli.err and "2018-03-05" in cli.err and "Traceback" not in cli.err
    cli("event", "add", "Something", "--date", "next spring", code=2)
    assert "Cannot read the date" in cli.err and len(cli.err.strip().splitlines()) == 1
    cli("event", "add", "Something", "--date", "2018", "--status", "probable", code=2)
    cli("event", "edit", str(later["id"]), "--date", "someday", code=2)
    cli("event", "list", "--collection", "No such case", code=2)

    edited = cli("event", "edit", str(later["id"]), "--statement", "He was still held",
                 "--date", "late 2019", "--highlight", str(h))
    assert edited["date"]["kind"] == "range" and edited["sources"][0]["highlight_id"] == h
    edited = cli("event", "edit", str(later["id"]), "--remove-highlight", str(h))
    assert edited["sources"] == []

    out = cli("event", "export", "--format", "csv", "--out", str(tmp_path / "c.csv"))
    assert out["events"] == 3 and len(out["sha256"]) == 64
    with (tmp_path / "c.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["date"] for r in rows] == ["2017-2018", "March 2018", "late 2019"]
    assert "ask the sister" not in (tmp_path / "c.csv").read_text(encoding="utf-8-sig")
    out = cli("event", "export", "--format", "docx", "--out", str(tmp_path / "c.docx"),
              "--tag", "Detention")
    assert out["events"] == 1 and (tmp_path / "c.docx").stat().st_size > 0

    assert cli("event", "delete", str(earlier["id"])) == {"deleted": earlier["id"]}
    cli("event", "show", str(earlier["id"]), code=2)
    assert len(cli("event", "list")) == 2


def test_dossier_add_chronology(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
                                capsys: pytest.CaptureFixture[str]) -> None:
    lib = chronology_library(tmp_path / "lib", tmp_path_factory.getbasetemp())
    cli = Cli(lib, capsys)
    cli("event", "add", "Detentions began in the village", "--date", "March 2018")
    d = cli("dossier", "create", "Timeline")["id"]
    added = cli("dossier", "add", str(d), "--chronology", "--title", "Events", "--collection",
                "Witnesses")
    assert added["dossier"] == d and added["label"] is None
    entry = cli("dossier", "show", str(d))["entries"][0]
    assert entry["kind"] == "chronology" and entry["chronology"]["title"] == "Events"
    cli("dossier", "add", str(d), "--chronology", "--tag", "No such tag", code=2)
    cli("dossier", "add", str(d), "--note", "x", "--tag", "Detention", code=2)
    assert "go with --chronology" in cli.err
