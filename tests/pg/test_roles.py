"""Roles of a shared library enforced by PostgreSQL's grants (issue 19 part 3): a reader reads
and searches but changes nothing, an editor edits but neither redacts nor freezes, and each
refusal is said in words, not as a database error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.pg.test_shared_concurrency import desktop_of, make_shared
from tests.support.postgres import Cluster
from workbench.cli import main
from workbench.errors import UserError
from workbench.services import Workbench


def test_readers_and_editors_are_held_to_their_level_by_the_server(
        pg_cluster: Cluster, pg_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    marker = make_shared(pg_db, tmp_path, capsys)
    with Workbench.open(marker) as owner:
        report, _ = owner.import_paths([CORPUS / "un-report-crimes-against-humanity.txt"])
        doc = report.imported[0].document_id
        dossier = owner.create_dossier("Findings").dossier_ids[0]
        owner.add_item(dossier, document=doc)
    # desktop_of grants everything; the levels below take it back
    rita_at = desktop_of(pg_cluster, pg_db, marker, "rita")
    eddie_at = desktop_of(pg_cluster, pg_db, marker, "eddie")
    for who, level in (("rita", "reader"), ("eddie", "editor")):
        assert main(["--library", str(marker), "role", "grant", who, level]) == 0
    capsys.readouterr()
    assert main(["--library", str(marker), "role", "grant", "nobody_here", "reader"]) != 0
    assert "There is no role 'nobody_here'" in capsys.readouterr().err

    with Workbench.open(rita_at) as rita:
        assert [d["id"] for d in rita.list_documents()] == [doc]
        assert doc in [h.document_id for h in rita.search("Bachelet", facets=False).hits]
        with pytest.raises(UserError, match="You are a reader of this shared case"):
            rita.create_dossier("Mine")
        with pytest.raises(UserError, match="You are a reader"):
            rita.add_highlight(doc, start=10, end=30)
    capsys.readouterr()
    assert main(["--library", str(rita_at), "dossier", "create", "Mine"]) != 0
    err = capsys.readouterr().err
    assert "You are a reader of this shared case" in err and "Traceback" not in err

    with Workbench.open(eddie_at) as eddie:
        eddie.add_highlight(doc, start=10, end=30, tags=["Camps"])
        eddie.update_dossier(dossier, title="Findings (Eddie)")
        with pytest.raises(UserError, match="Only an owner of this shared case"):
            eddie.redact_term(dossier, "Bachelet", "witness safety")
        with pytest.raises(UserError, match="Only an owner of this shared case"):
            eddie.freeze(dossier)
        assert eddie.get_dossier(dossier)["frozen"] is False
        assert eddie.list_redactions(dossier) == []
        out = tmp_path / "eddie.html"
        with pytest.raises(UserError, match="Only an owner of this shared case may export"):
            eddie.export(dossier, "html", out)
        assert not out.exists()  # refused before anything was written
        eddie.export_highlights("csv", tmp_path / "eddie.csv")  # an editor's own coding
    # the server itself refuses an editor's record of a dossier's export
    from sqlalchemy import text

    from workbench import audit
    with Workbench.open(eddie_at) as eddie:
        with pytest.raises(UserError, match="Only an owner"), \
                eddie.library.transaction() as s:
            audit.record(s, audit.DISSEMINATION, "dossier", dossier, {"format": "html"})
        # nor may anyone but the log's owner rewrite it
        with pytest.raises(UserError, match="only ever added to"), \
                eddie.library.transaction() as s:
            s.execute(text("UPDATE audit_events SET actor = 'x'"))
    with Workbench.open(rita_at) as rita:
        with pytest.raises(UserError, match="readers export nothing"):
            rita.export_highlights("csv", tmp_path / "rita.csv")
        assert not (tmp_path / "rita.csv").exists()
        checked = rita.verify()  # a reader checks the chain, and records nothing
        assert checked["ok"] is True, checked["problems"]
    assert main(["--library", str(marker), "role", "grant", "eddie", "owner"]) == 0
    with Workbench.open(eddie_at) as eddie:  # now an owner: redacts and freezes
        eddie.redact_term(dossier, "Bachelet", "witness safety")
        eddie.freeze(dossier)
        assert eddie.get_dossier(dossier)["frozen"] is True
        assert eddie.export(dossier, "html", tmp_path / "owner.html")["recorded"] is True
    with Workbench.open(marker) as owner:
        grants = [e["details"] for e in owner.audit_events(object_type="library")
                  if e["details"].get("action") == "role grant"]
        assert [(g["role"], g["level"]) for g in grants] == [
            ("rita", "reader"), ("eddie", "editor"), ("eddie", "owner")]
        assert owner.verify()["ok"] is True
