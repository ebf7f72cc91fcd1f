"""Several people writing to one shared library at once still make one audit chain, each
event naming its author: the database role it was written as (issue 19)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tests.conftest import CORPUS
from tests.support.postgres import Cluster
from workbench.cli import main
from workbench.store_pg import make_pg_engine

PEOPLE = ["alice", "bob", "carol", "dave"]

# One person's desktop: import a file of their own, then highlight and tag passages of a
# document everyone works on, each step its own transaction, as fast as it can.
WORKER = """
import sys
from pathlib import Path
from workbench.services import Workbench
marker, own, doc, offset, who = sys.argv[1:6]
with Workbench.open(marker) as wb:
    wb.import_paths([Path(own)])
    for n in range(4):
        start = 10 + 40 * n + int(offset)
        wb.add_highlight(int(doc), start=start, end=start + 8, tags=["Team/" + who])
"""


def test_four_writers_at_once_make_one_verifiable_chain_naming_each_author(
        pg_cluster: Cluster, pg_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    marker = tmp_path / "case"
    assert main(["--library", str(marker), "init", "--database", pg_db, "--store",
                 str(tmp_path / "store")]) == 0
    capsys.readouterr()
    assert main(["--library", str(marker), "import",
                 str(CORPUS / "un-report-crimes-against-humanity.txt"), "--json"]) == 0
    doc = str(json.loads(capsys.readouterr().out)["imported"][0]["id"])
    database = pg_db.split("@/", 1)[1].split("?")[0]
    grants = [f"GRANT ALL ON ALL {what} IN SCHEMA public TO {who}"
              for who in PEOPLE for what in ("TABLES", "SEQUENCES")]
    pg_cluster.execute(*[f"CREATE ROLE {who} LOGIN" for who in PEOPLE
                         if not _role_exists(pg_cluster, who)], database="postgres")
    pg_cluster.execute(*grants, database=database)

    procs = []
    for n, who in enumerate(PEOPLE):
        # Each desktop has its own marker naming its own role (and its own cache folder).
        mine = tmp_path / f"marker-{who}"
        mine.mkdir()
        info = json.loads((marker / "workbench-library.json").read_text())
        info["database"] = pg_cluster.url(database, user=who)
        (mine / "workbench-library.json").write_text(json.dumps(info))
        own = tmp_path / f"{who}.txt"
        own.write_text(f"Notes of {who}: interview {n} about the camps.\n" * 20)
        procs.append(subprocess.Popen(
            [sys.executable, "-c", WORKER, str(mine), str(own), doc, str(n * 9), who],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**__import__("os").environ, "XDG_CACHE_HOME": str(tmp_path / who)}))
    errors = [p.communicate(timeout=240)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, errors

    capsys.readouterr()
    assert main(["--library", str(marker), "verify", "--json"]) == 0
    checked = json.loads(capsys.readouterr().out)
    assert checked["ok"] is True, checked["problems"]
    engine = make_pg_engine(pg_db)
    try:
        with engine.connect() as conn:
            authors = dict(conn.execute(text(
                "SELECT author, count(*) FROM audit_events GROUP BY author")).all())
            ids = [r[0] for r in conn.execute(text("SELECT id FROM audit_events ORDER BY id"))]
    finally:
        engine.dispose()
    assert ids == list(range(1, len(ids) + 1))
    for who in PEOPLE:  # an import, 4 highlights and their tags: at least 5 events each
        assert authors.get(who, 0) >= 5, authors
    assert authors.get("postgres", 0) >= 2  # who made the library and imported the report
    assert checked["audit_events_checked"] == len(ids) - 1  # verify then wrote its own


def _role_exists(cluster: Cluster, role: str) -> bool:
    import psycopg

    with psycopg.connect(host=str(cluster.root), port=5432, user="postgres",
                         dbname="postgres") as conn:
        return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)
                            ).fetchone() is not None


def test_two_writers_adding_the_same_new_tag_make_one_tag(
        pg_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The core finds a tag by name and adds it when missing, as a single writer may; on the
    # server the second writer waits for the first one's commit, then finds its tag.
    import threading
    import time

    from workbench.models import Tag
    from workbench.services import Workbench

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    marker = tmp_path / "case"
    assert main(["--library", str(marker), "init", "--database", pg_db, "--store",
                 str(tmp_path / "store")]) == 0
    first = Workbench.open(marker)
    second = Workbench.open(marker)
    try:
        started = threading.Event()

        def slow_writer() -> None:
            with first.library.transaction() as s:
                s.add(Tag(name="Team"))
                s.flush()
                started.set()
                time.sleep(0.6)  # still uncommitted while the other adds "Team/bob"

        thread = threading.Thread(target=slow_writer)
        thread.start()
        assert started.wait(10)
        second.add_tag("Team/bob")
        thread.join()
        with second.library.read() as s:
            roots = s.execute(select(Tag.name).where(Tag.parent_id.is_(None))).scalars().all()
    finally:
        first.close()
        second.close()
    assert roots == ["Team"]
