"""``highlight link|unlink|links``, links through ``highlight export|import`` and ``dossier
corroboration`` end to end, through ``cli.main`` with and without ``--json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workbench.cli import main

TEXTS = {
    "sister.txt": "Sister's account\n\nMy brother was detained in Urumqi in March 2018 "
                  "after he came back from Istanbul.",
    "foundation.txt": "Foundation report\n\nHe was detained in Urumqi in 2018, the foundation "
                      "said, after a programme abroad.",
    "officials.txt": "Official statement\n\nOfficials said he was never detained at all.",
}


class Cli:
    def __init__(self, library: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.library, self.capsys = library, capsys

    def __call__(self, *args: str, code: int = 0, json_out: bool = True) -> Any:
        self.capsys.readouterr()
        rc = main(["--library", str(self.library), *args, *(["--json"] if json_out else [])])
        out, err = self.capsys.readouterr()
        assert rc == code, err
        self.err = err
        if not json_out:
            return out
        return json.loads(out) if rc == 0 else None


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    for name, text in TEXTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    cli = Cli(tmp_path / "lib", capsys)
    cli("init")
    cli("import", *(str(tmp_path / n) for n in TEXTS))
    return cli


def _highlights(cli: Cli) -> list[int]:
    docs = {d["title"]: d["id"] for d in cli("list")}
    return [cli("highlight", "add", str(docs[title]), "--quote", quote)["id"] for title, quote in (
        ("Sister's account", "detained in Urumqi in March 2018"),
        ("Foundation report", "detained in Urumqi in 2018"),
        ("Official statement", "never detained"))]


def test_link_list_and_unlink(cli: Cli) -> None:
    a, b, c = _highlights(cli)
    made = cli("highlight", "link", str(a), str(b), "--relation", "corroborates",
               "--note", "same month")
    assert made["relation"] == "corroborates" and made["note"] == "same month"
    assert made["other"]["highlight_id"] == b and made["highlight_id"] == a
    cli("highlight", "link", str(c), str(a), "--relation", "contradicts")
    links = cli("highlight", "links", str(a))
    assert [(x["relation"], x["other"]["highlight_id"]) for x in links] == [
        ("corroborates", b), ("contradicts", c)]
    assert set(links[0]) == {"id", "relation", "other", "note", "created_at"}
    assert set(links[0]["other"]) == {"highlight_id", "document_id", "title", "page", "quote"}
    text = cli("highlight", "links", str(b), json_out=False)
    assert "corroborates" in text and "Sister's account" in text and "same month" in text

    cli("highlight", "link", str(a), str(b), "--relation", "corroborates", code=2)
    assert "already linked" in cli.err and "Traceback" not in cli.err
    cli("highlight", "link", str(a), str(a), "--relation", "same-event", code=2)
    assert "itself" in cli.err
    cli("highlight", "link", str(a), str(b), "--relation", "agrees", code=2)
    assert "corroborates" in cli.err

    gone = cli("highlight", "unlink", str(b), str(a))
    assert gone == {"highlight_ids": [b, a], "relation": None, "removed": 1}
    cli("highlight", "unlink", str(b), str(a), code=2)
    assert "not linked" in cli.err
    assert [x["relation"] for x in cli("highlight", "links", str(a))] == ["contradicts"]


def test_links_round_trip_through_export_and_import(cli: Cli, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    a, b, _ = _highlights(cli)
    cli("highlight", "link", str(a), str(b), "--relation", "same-event", "--note", "secret")
    out = cli("highlight", "export", "--format", "w3c", "-o", str(tmp_path / "h.jsonld"))
    assert out["count"] == 3 and out["links"] == 1
    assert "secret" not in (tmp_path / "h.jsonld").read_text(encoding="utf-8")

    other = Cli(tmp_path / "other", capsys)
    other("init")
    other("import", *(str(tmp_path / n) for n in TEXTS))
    report = other("highlight", "import", str(tmp_path / "h.jsonld"))
    assert report["imported"] == 3 and report["links_imported"] == 1
    new_a = next(h["id"] for h in other("highlight", "list")
                 if h["quote"] == "detained in Urumqi in March 2018")
    assert [x["relation"] for x in other("highlight", "links", str(new_a))] == ["same-event"]
    text = other("highlight", "import", str(tmp_path / "h.jsonld"), json_out=False)
    assert "links: 0 imported, 1 already present" in text


def test_dossier_corroboration_on_and_off(cli: Cli) -> None:
    a, b, _ = _highlights(cli)
    cli("highlight", "link", str(a), str(b), "--relation", "corroborates")
    d = cli("dossier", "create", "Detention")["id"]
    item = cli("dossier", "add", str(d), "--highlight", str(a))["item"]
    assert cli("dossier", "show", str(d))["entries"][0]["corroboration"] is True
    off = cli("dossier", "corroboration", str(d), str(item), "off")
    assert off == {"dossier": d, "item": item, "label": "Exhibit 1", "corroboration": False}
    assert cli("dossier", "show", str(d))["entries"][0]["corroboration"] is False
    text = cli("dossier", "corroboration", str(d), "Exhibit 1", "on", json_out=False)
    assert "Exhibit 1 lists the sources corroborating it" in text
    note = cli("dossier", "add", str(d), "--note", "Context.")["item"]
    cli("dossier", "corroboration", str(d), str(note), "on", code=2)
    assert "not a highlight exhibit" in cli.err
