"""Row versions for the rest of what a team edits together (issue 19): tags (rename, recolour,
describe, move, merge), collections (rename, add or remove members), and a dossier's page and
redaction edits (an area, a term, a facsimile). A stale edit is refused naming who changed the
thing and when, a fresh one passes and counts once, an overwrite is audited with what it
replaced."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS
from tests.support.files import make_pdf
from tests.support.libraries import library_as, writing_as
from workbench.errors import ConflictError
from workbench.services import Workbench


def _last_event(wb: Workbench, object_type: str, object_id: int) -> dict[str, Any]:
    return wb.audit_events(object_type=object_type, object_id=str(object_id))[-1]


def _tag(wb: Workbench, path: str) -> dict[str, Any]:
    return next(t for t in wb.list_tags() if t["path"] == path)


def test_a_stale_tag_edit_is_refused_and_an_overwrite_says_what_it_replaced(
        wb: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    wb.add_tag("Camps")
    wb.add_tag("Places")
    camps = _tag(wb, "Camps")
    assert camps["version"] == 1 and wb.get_tag(camps["id"])["version"] == 1
    with writing_as(wb, "alice", monkeypatch) as alice:
        alice.rename_tag(camps["id"], "Detention sites", expected_version=1)
    assert _tag(wb, "Detention sites")["version"] == 2

    with writing_as(wb, "bob", monkeypatch) as bob:
        for stale in (lambda: bob.rename_tag(camps["id"], "Camps (Bob)", expected_version=1),
                      lambda: bob.edit_tag(camps["id"], color="#ff0000", expected_version=1),
                      lambda: bob.move_tag(camps["id"], "Places", expected_version=1),
                      lambda: bob.merge_tags(camps["id"], "Places", expected_version=1)):
            with pytest.raises(ConflictError,
                               match=r"^Changed by alice at .* since you opened"):
                stale()
    now = wb.get_tag(camps["id"])  # nothing of Bob's was written, Alice's name stands
    assert (now["path"], now["version"]) == ("Detention sites", 2)
    assert now["color"] == camps["color"]

    wb.edit_tag(camps["id"], color="#ff0000", expected_version=1, force=True)
    assert wb.get_tag(camps["id"])["version"] == 3
    overwrote = _last_event(wb, "tag", camps["id"])["details"]["overwrote"]
    assert overwrote["version_seen"] == 1 and overwrote["version_replaced"] == 2
    assert overwrote["changed_by"] == "alice"

    wb.move_tag(camps["id"], "Places", expected_version=3)
    assert wb.get_tag(camps["id"])["version"] == 4
    # a merge is checked against the tag merged away (what the person chose), and the tag
    # it goes into has changed: its version goes up too
    places = _tag(wb, "Places")
    with pytest.raises(ConflictError):
        wb.merge_tags(camps["id"], places["id"], expected_version=3)
    wb.merge_tags(camps["id"], places["id"], expected_version=4)
    assert wb.get_tag(places["id"])["version"] == places["version"] + 1
    assert wb.verify()["ok"] is True


def test_a_stale_collection_edit_is_refused(wb: Workbench,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    report, _ = wb.import_paths([CORPUS / "un-report-crimes-against-humanity.txt",
                                 CORPUS / "un-special-rapporteur-forced-labour.txt"])
    one, two = (o.document_id for o in report.imported)
    wb.add_to_collection([one], "Xinjiang")
    col = next(c for c in wb.list_collections() if c["name"] == "Xinjiang")
    seen = col["version"]
    with writing_as(wb, "alice", monkeypatch) as alice:
        alice.add_to_collection([two], "Xinjiang", expected_version=seen)
    with writing_as(wb, "bob", monkeypatch) as bob:
        with pytest.raises(ConflictError, match=r"^Changed by alice at "):
            bob.rename_collection("Xinjiang", "XJ", expected_version=seen)
        with pytest.raises(ConflictError):
            bob.remove_from_collection([one], "Xinjiang", expected_version=seen)
    now = next(c for c in wb.list_collections() if c["id"] == col["id"])
    assert (now["name"], now["documents"], now["version"]) == ("Xinjiang", 2, seen + 1)

    wb.rename_collection("Xinjiang", "XJ", expected_version=seen + 1)
    wb.remove_from_collection([one], "XJ", expected_version=seen + 2)
    now = next(c for c in wb.list_collections() if c["id"] == col["id"])
    assert (now["name"], now["documents"], now["version"]) == ("XJ", 1, seen + 3)
    assert [d["id"] for d in wb.list_documents(collection="XJ")] == [two]


@pytest.fixture
def pdf_dossier(wb: Workbench, tmp_path: Path) -> tuple[int, int, int]:
    path = make_pdf(tmp_path / "report.pdf", ["Page one.", "Page two: a witness named."])
    wb.import_paths([path])
    doc = int(wb.list_documents()[0]["id"])
    d = wb.create_dossier("Camps").dossier_ids[0]
    item = wb.add_item(d, document=doc).item_ids[0]
    return d, doc, item


def test_a_dossiers_area_term_and_facsimile_edits_refuse_a_stale_version(
        wb: Workbench, pdf_dossier: tuple[int, int, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    d, doc, item = pdf_dossier
    seen = wb.get_dossier(d)["version"]
    with writing_as(wb, "alice", monkeypatch) as alice:
        alice.redact_area(d, doc, 2, (50, 60, 150, 90), "a face", expected_version=seen)
    with writing_as(wb, "bob", monkeypatch) as bob, \
            pytest.raises(ConflictError, match=r"^Changed by alice at "):
        bob.redact_area(d, doc, 1, (50, 60, 150, 90), "a signature", expected_version=seen)
    with pytest.raises(ConflictError):
        wb.set_facsimile(d, item, True, expected_version=seen)
    with pytest.raises(ConflictError):
        wb.redact_term(d, "witness", "safety", expected_version=seen)
    assert len(wb.list_redactions(d)) == 1
    assert wb.get_dossier(d)["version"] == seen + 1

    wb.set_facsimile(d, item, True, expected_version=seen + 1)
    wb.redact_area(d, doc, 1, (50, 60, 150, 90), "a signature", expected_version=seen,
                   force=True)
    assert _last_event(wb, "dossier", d)["details"]["overwrote"]["version_seen"] == seen
    assert wb.get_dossier(d)["version"] == seen + 3
    assert len(wb.list_redactions(d)) == 2


def test_the_cli_takes_expected_version_on_tag_collection_and_redaction_edits(
        library_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.cli import main

    def run(*args: str) -> tuple[int, Any, str]:
        capsys.readouterr()
        rc = main(["--library", str(carols), *args, "--json"])
        out, err = capsys.readouterr()
        return rc, json.loads(out) if rc == 0 and out.strip() else None, err

    carols = library_as(library_path, "carol", monkeypatch)
    rc, tag, _ = run("tag", "add", "Camps")
    assert rc == 0 and tag["version"] == 1
    rc, tag, _ = run("tag", "rename", "Camps", "Sites", "--expected-version", "1")
    assert rc == 0 and tag["version"] == 2
    for stale in (("tag", "rename", "Sites", "Old"), ("tag", "edit", "Sites", "--color",
                  "#00ff00"), ("tag", "move", "Sites", "--top"), ("tag", "merge", "Sites",
                  "Other")):
        if stale[1] == "merge":
            assert run("tag", "add", "Other")[0] == 0
        rc, _, err = run(*stale, "--expected-version", "1")
        assert rc == 1, stale
        assert err.startswith("workbench: error: Changed by carol at ")
        assert len(err.strip().splitlines()) == 1
    assert [t["version"] for t in run("tag", "list")[1] if t["path"] == "Sites"] == [2]

    doc = tmp_path / "a.txt"
    doc.write_text("A witness statement about the camp.", encoding="utf-8")
    assert run("import", str(doc))[0] == 0
    rc, cols, _ = run("collections", "--add", "1", "--to", "Case", "--expected-version", "1")
    assert rc == 0 and cols == [{"id": 1, "name": "Case", "documents": 1, "version": 2}]
    rc, _, err = run("collections", "--rename", "Case", "--to", "X", "--expected-version", "1")
    assert rc == 1 and "Changed by carol at " in err
    rc, cols, _ = run("collections", "--rename", "Case", "--to", "X",
                      "--expected-version", "2")
    assert rc == 0 and cols[0]["name"] == "X" and cols[0]["version"] == 3
    rc, cols, _ = run("collections", "--remove", "1", "--from", "X",
                      "--expected-version", "3")
    assert rc == 0 and cols[0]["documents"] == 0

    assert run("dossier", "create", "Report")[0] == 0
    assert run("dossier", "add", "Report", "--document", "1")[0] == 0  # now version 2
    rc, _, err = run("dossier", "redact", "Report", "--term", "witness", "--reason", "r",
                     "--expected-version", "1")
    assert rc == 1 and "Changed by carol at " in err
    assert run("dossier", "redact", "Report", "--term", "witness", "--reason", "r",
               "--expected-version", "2")[0] == 0
    rc, _, err = run("dossier", "facsimile", "Report", "1", "on", "--expected-version", "2")
    assert rc == 1 and "Changed by carol at " in err
