"""Row versions on a personal library (issue 19 part 2): an edit made against an older
version of a dossier, highlight, entity or event is refused, naming who changed it and when;
an overwrite is explicit and audited. The same API serves a shared library (tests/pg)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS
from tests.support.libraries import library_as, writing_as
from workbench.errors import ConflictError
from workbench.services import Workbench


def _last_event(wb: Workbench, object_type: str, object_id: int) -> dict[str, Any]:
    return wb.audit_events(object_type=object_type, object_id=str(object_id))[-1]


def test_a_stale_dossier_edit_is_refused_naming_who_changed_it_and_an_overwrite_is_audited(
        wb: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    wb.create_dossier("Report")
    d = wb.list_dossiers()[0]
    assert d["version"] == 1
    seen = d["version"]
    with writing_as(wb, "alice", monkeypatch) as alice:
        alice.add_item(d["id"], note="Alice's note", expected_version=seen)
    assert wb.get_dossier(d["id"])["version"] == 2  # an item's change is the dossier's

    with writing_as(wb, "bob", monkeypatch) as bob, pytest.raises(ConflictError) as caught:
        bob.update_dossier(d["id"], title="Bob's title", expected_version=seen)
    err = caught.value
    assert err.message.startswith("Changed by alice at ")
    assert err.message.endswith(" since you opened it: reload to see their change, "
                                "or overwrite")
    assert err.author == "alice" and err.version == 2
    when = _last_event(wb, "dossier", d["id"])["at"]
    assert err.at == when.replace("T", " ").split(".")[0] + " UTC"
    assert wb.get_dossier(d["id"])["title"] == "Report"  # nothing was lost or written

    with writing_as(wb, "bob", monkeypatch) as bob:
        bob.update_dossier(d["id"], title="Bob's title", expected_version=seen, force=True)
    now = wb.get_dossier(d["id"])
    assert now["title"] == "Bob's title" and now["version"] == 3
    last = _last_event(wb, "dossier", d["id"])
    assert last["author"] == "bob"
    assert last["details"]["overwrote"] == {"version_seen": 1, "version_replaced": 2,
                                            "changed_by": "alice", "changed_at": err.at}
    assert wb.verify()["ok"] is True  # the rewritten event still hashes into the chain

    # the version now seen is accepted, and each edit counts once
    wb.move_item(d["id"], now["entries"][0]["id"], 1, expected_version=3)
    wb.freeze(d["id"], expected_version=4)
    assert wb.get_dossier(d["id"])["version"] == 5


def test_highlights_entities_and_events_refuse_a_stale_edit(wb: Workbench) -> None:
    report, _ = wb.import_paths([CORPUS / "un-report-crimes-against-humanity.txt"])
    doc = report.imported[0].document_id
    wb.add_highlight(doc, start=10, end=40)
    h = wb.list_highlights()[0]
    assert h["version"] == 1
    wb.edit_highlight(h["id"], note="first", expected_version=1)
    with pytest.raises(ConflictError, match="since you opened it"):
        wb.edit_highlight(h["id"], note="second", expected_version=1)
    assert wb.get_highlight(h["id"])["note"] == "first"
    wb.edit_highlight(h["id"], tags=["Camps"], expected_version=2)
    assert wb.get_highlight(h["id"])["version"] == 3

    wb.add_entity("person", "Michelle Bachelet")
    e = wb.list_entities()[0]
    wb.edit_entity(e["id"], note="UN", expected_version=e["version"])
    with pytest.raises(ConflictError):
        wb.add_alias(e["id"], "M. Bachelet", expected_version=e["version"])
    assert wb.get_entity(e["id"])["version"] == 2

    wb.add_event("The report is published", "2022-08-31", highlights=[h["id"]])
    ev = wb.list_events()[0]
    assert ev["version"] == 1
    wb.edit_event(ev["id"], status="disputed", expected_version=1)
    with pytest.raises(ConflictError):
        wb.edit_event(ev["id"], statement="stale", expected_version=1)
    assert json.dumps(wb.get_event(ev["id"])["version"]) == "2"


def test_the_cli_refuses_a_stale_edit_with_exit_1_and_the_message(
        library_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.cli import main

    def run(*args: str) -> tuple[int, Any, str]:
        capsys.readouterr()
        rc = main(["--library", str(carols), *args, "--json"])
        out, err = capsys.readouterr()
        return rc, json.loads(out) if rc == 0 and out.strip() else None, err

    carols = library_as(library_path, "carol", monkeypatch)
    assert run("dossier", "create", "Report")[0] == 0
    _, listed, _ = run("dossier", "list")
    assert listed[0]["version"] == 1
    rc, added, _ = run("dossier", "add", "Report", "--note", "one", "--expected-version", "1")
    assert rc == 0
    rc, _, err = run("dossier", "comment", "Report", str(added["item"]), "stale",
                     "--expected-version", "1")
    assert rc == 1
    assert err.startswith("workbench: error: Changed by carol at ") and \
        "since you opened it: reload to see their change, or overwrite" in err
    assert len(err.strip().splitlines()) == 1
    rc, shown, _ = run("dossier", "show", "Report")
    assert shown["version"] == 2 and shown["entries"][0]["commentary"] == ""
    assert run("dossier", "comment", "Report", str(added["item"]), "fresh",
               "--expected-version", "2")[0] == 0
