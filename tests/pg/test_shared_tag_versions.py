"""Two desktops on one shared case (issue 19): a tag renamed by both, an area redacted on a
dossier both have open. The second, made against what it saw, is refused, not lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pg.test_shared_concurrency import desktop_of, make_shared
from tests.support.files import make_pdf
from tests.support.postgres import Cluster
from workbench.errors import ConflictError
from workbench.services import Workbench

pytestmark = pytest.mark.postgres


def test_a_stale_tag_rename_and_area_redaction_from_another_desktop_are_refused(
        pg_cluster: Cluster, pg_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    marker = make_shared(pg_db, tmp_path, capsys)
    alice_at = desktop_of(pg_cluster, pg_db, marker, "alice")
    bob_at = desktop_of(pg_cluster, pg_db, marker, "bob")
    pdf = make_pdf(tmp_path / "report.pdf", ["Page one.", "Page two: a face."])
    with Workbench.open(alice_at) as alice, Workbench.open(bob_at) as bob:
        alice.add_tag("Camps")
        tag = alice.list_tags()[0]
        seen_by_bob = bob.get_tag(tag["id"])
        assert tag["version"] == seen_by_bob["version"] == 1
        alice.rename_tag(tag["id"], "Detention sites", expected_version=tag["version"])
        with pytest.raises(ConflictError, match=r"^Changed by alice at "):
            bob.rename_tag(tag["id"], "Camps (Bob)", expected_version=seen_by_bob["version"])
        assert bob.get_tag(tag["id"])["path"] == "Detention sites"  # Alice's name stands

        report, _ = alice.import_paths([pdf])
        doc = report.imported[0].document_id
        dossier = alice.create_dossier("Findings").dossier_ids[0]
        alice.add_item(dossier, document=doc)
        seen = bob.get_dossier(dossier)["version"]
        alice.redact_area(dossier, doc, 2, (50, 60, 150, 90), "a face",
                          expected_version=seen)
        with pytest.raises(ConflictError, match=r"^Changed by alice at "):
            bob.redact_area(dossier, doc, 2, (50, 60, 250, 190), "the same face",
                            expected_version=seen)
        rules = bob.list_redactions(dossier)
        assert [r["reason"] for r in rules] == ["a face"]  # Alice's rule, not lost nor doubled
        bob.redact_area(dossier, doc, 2, (50, 60, 250, 190), "the same face",
                        expected_version=seen, force=True)
        last = alice.audit_events(object_type="dossier", object_id=str(dossier))[-1]
        assert last["author"] == "bob" and last["details"]["overwrote"]["changed_by"] == "alice"
        checked = alice.verify()
        assert checked["ok"] is True, checked["problems"]
