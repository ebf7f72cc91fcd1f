"""Two desktops on one shared library at the same moment (issue 19, parts 2 and 5): the same
file imported by both is a duplicate for the second, never an error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import CORPUS
from tests.support.postgres import Cluster
from workbench.cli import main
from workbench.errors import ConflictError
from workbench.services import Workbench
from workbench.store_pg import AUDIT_LOCK_KEY, make_pg_engine

IMPORTER = """
import json, sys
from pathlib import Path
from workbench.services import Workbench
with Workbench.open(sys.argv[1]) as wb:
    report, _ = wb.import_paths([Path(sys.argv[2])])
    print(json.dumps([[o.status, o.document_id, o.error] for o in report.outcomes]))
"""


def make_shared(pg_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    marker = tmp_path / "case"
    assert main(["--library", str(marker), "init", "--database", pg_db, "--store",
                 str(tmp_path / "store")]) == 0
    capsys.readouterr()
    return marker


def _waiting_for_the_lock(conn: object) -> int:
    return int(conn.execute(text(  # type: ignore[attr-defined]
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).scalar())


def test_the_same_file_imported_by_two_desktops_at_once_is_a_duplicate_for_the_second(
        pg_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = make_shared(pg_db, tmp_path, capsys)
    source = CORPUS / "un-report-crimes-against-humanity.txt"
    engine = make_pg_engine(pg_db)
    try:
        with engine.connect() as holder, engine.connect() as watcher:
            # Hold the writers' lock so both desktops have planned (the file is new to both)
            # and wait to save it at the same moment.
            holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": AUDIT_LOCK_KEY})
            procs = [subprocess.Popen(
                [sys.executable, "-c", IMPORTER, str(marker), str(source)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / f"cache{n}")})
                for n in range(2)]
            deadline = time.monotonic() + 60
            while _waiting_for_the_lock(watcher) < 2:
                assert time.monotonic() < deadline, "both importers never reached the save"
                assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
                time.sleep(0.05)
            holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": AUDIT_LOCK_KEY})
            holder.commit()
        results = []
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1])[0])
        statuses = sorted(r[0] for r in results)
        assert statuses == ["duplicate", "imported"], results
        assert results[0][1] == results[1][1]  # the duplicate names the document imported
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM documents")).scalar() == 1
    finally:
        engine.dispose()


def desktop_of(pg_cluster: Cluster, pg_db: str, marker: Path, who: str) -> Path:
    """A marker of the same shared library opened as the server role ``who`` (its own
    desktop): the role is made when missing and may write the library's tables."""
    database = pg_db.split("@/", 1)[1].split("?")[0]
    pg_cluster.execute(f"DO $$BEGIN CREATE ROLE {who} LOGIN; "
                       "EXCEPTION WHEN duplicate_object THEN NULL; END$$", database="postgres")
    pg_cluster.execute(*[f"GRANT ALL ON ALL {what} IN SCHEMA {schema} TO {who}"
                         for what in ("TABLES", "SEQUENCES") for schema in ("public", "wbsearch")],
                       f"GRANT USAGE ON SCHEMA wbsearch TO {who}", database=database)
    mine = marker.parent / f"marker-{who}"
    mine.mkdir()
    info = json.loads((marker / "workbench-library.json").read_text())
    info["database"] = pg_cluster.url(database, user=who)
    (mine / "workbench-library.json").write_text(json.dumps(info))
    return mine


def test_two_desktops_editing_one_dossier_the_stale_edit_is_refused_and_overwrite_audited(
        pg_cluster: Cluster, pg_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    marker = make_shared(pg_db, tmp_path, capsys)
    alice_at = desktop_of(pg_cluster, pg_db, marker, "alice")
    bob_at = desktop_of(pg_cluster, pg_db, marker, "bob")
    with Workbench.open(alice_at) as alice, Workbench.open(bob_at) as bob:
        alice.create_dossier("Findings")
        # both open the dossier
        seen_by_alice = alice.list_dossiers()[0]
        seen_by_bob = bob.get_dossier(seen_by_alice["id"])
        assert seen_by_alice["version"] == seen_by_bob["version"] == 1
        dossier = seen_by_bob["id"]
        alice.add_item(dossier, note="Witness 4 saw the convoy",
                       expected_version=seen_by_alice["version"])

        with pytest.raises(ConflictError) as caught:
            bob.update_dossier(dossier, title="Findings (Bob)",
                               expected_version=seen_by_bob["version"])
        assert caught.value.message.startswith("Changed by alice at ")
        assert "since you opened it: reload to see their change, or overwrite" in \
            caught.value.message
        now = bob.get_dossier(dossier)  # nothing lost: Alice's item is there, title unchanged
        assert now["title"] == "Findings" and len(now["entries"]) == 1
        assert now["version"] == 2

        bob.update_dossier(dossier, title="Findings (Bob)",
                           expected_version=seen_by_bob["version"], force=True)
        after = alice.get_dossier(dossier)
        assert after["title"] == "Findings (Bob)" and len(after["entries"]) == 1
        assert after["version"] == 3
        last = alice.audit_events(object_type="dossier", object_id=str(dossier))[-1]
        assert last["author"] == "bob"
        assert last["details"]["overwrote"]["changed_by"] == "alice"
        assert last["details"]["overwrote"]["version_seen"] == 1
        checked = alice.verify()
        assert checked["ok"] is True, checked["problems"]
