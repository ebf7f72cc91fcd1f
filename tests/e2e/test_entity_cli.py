"""``workbench entity …`` and ``dossier redact --entity`` end to end through ``cli.main``
(issue 18 §2): register a person in three scripts, find his mentions, redact him as a person.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core import test_entities as entities
from tests.core.test_entities import EN, UG, ZH
from tests.e2e.test_dossier_cli import Cli
from workbench.redact.matcher import matcher_for
from workbench.redact.scan import scan_paths

base_library = entities.base_library  # imported once per module


@pytest.fixture
def cli(base_library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    import shutil

    lib = tmp_path / "lib"
    shutil.copytree(base_library, lib)
    return Cli(lib, capsys)


def test_register_find_mentions_and_redact_a_person(cli: Cli, tmp_path: Path) -> None:
    e = cli("entity", "add", EN, "--kind", "person", "--alias", UG, "--note", "private note")
    assert e["names"] == [EN, UG] and e["kind"] == "person"
    added = cli("entity", "alias", "ekpar asat", ZH)
    assert added["names"] == [EN, UG, ZH]
    assert [x["id"] for x in cli("entity", "list", "--kind", "person")] == [e["id"]]
    shown = cli("entity", "show", ZH)
    assert shown["id"] == e["id"] and shown["linked_documents"] == []

    found = cli("entity", "mentions", str(e["id"]))
    titles = {d["title"] for d in found}
    assert titles == {"Detained entrepreneur", "خاتىرە", "笔记", "Poster text"}
    english = next(d for d in found if d["title"] == "Detained entrepreneur")
    assert english["mention_count"] == 3
    assert {"name", "start", "end", "page", "context", "context_spans"} <= set(
        english["mentions"][0])

    docs = {d["title"]: d["id"] for d in cli("list")}
    linked = cli("entity", "link", EN, str(docs["Detained entrepreneur"]))
    assert linked["documents"] == 1

    d = cli("dossier", "create", "Aksu")["id"]
    for title in ("Detained entrepreneur", "笔记"):
        cli("dossier", "add", str(d), "--document", str(docs[title]))
    # One spelling alone: done, with a warning naming the name still shown.
    term = cli("dossier", "redact", str(d), "--term", EN, "--reason", "family at risk")
    assert len(term["warnings"]) == 1 and ZH in term["warnings"][0]
    assert "workbench: WARNING:" in cli.err and f"--entity {e['id']}" in cli.err
    cli("dossier", "unredact", str(d), str(term["redaction"]))

    r = cli("dossier", "redact", str(d), "--entity", EN, "--reason", "family at risk",
            "--label", "witness safety")
    assert r["entity_id"] == e["id"] and r["mark"] == "[REDACTED: witness safety]"
    assert r["warnings"] == []
    listed = cli("dossier", "show", str(d))["redactions"]
    assert [(x["kind"], x["entity_id"], x["text"]) for x in listed] == [
        ("entity", e["id"], "")]

    out = tmp_path / "aksu.html"
    cli("dossier", "export", str(d), "--format", "html", "-o", str(out))
    assert scan_paths([out], matcher_for((EN, UG, ZH))).findings == []

    cli("entity", "delete", EN, code=2)
    assert "redaction" in cli.err and "\n" not in cli.err.strip()
    cli("dossier", "redact", str(d), "--entity", "Nobody", "--reason", "r", code=2)
    assert "No entity" in cli.err


def test_suggest_edit_and_remove(cli: Cli) -> None:
    names = {s["name"]: s for s in cli("entity", "suggest")}
    assert names["Human Rights Watch"]["documents"] == 2
    hrw = cli("entity", "add", "Human Rights Watch", "--kind", "organisation")
    assert "Human Rights Watch" not in {s["name"] for s in cli("entity", "suggest")}
    edited = cli("entity", "edit", str(hrw["id"]), "--name", "HRW", "--note", "n")
    assert edited["name"] == "HRW" and edited["names"] == ["HRW", "Human Rights Watch"]
    removed = cli("entity", "alias", "HRW", "Human Rights Watch", "--remove")
    assert removed["names"] == ["HRW"]
    cli("entity", "alias", "HRW", "HRW", "--remove", code=2)
    assert "last name" in cli.err
    cli("entity", "add", "X", "--kind", "animal", code=2)
    assert cli("entity", "delete", "HRW") == {"deleted": hrw["id"]}
    assert cli("entity", "list") == []
