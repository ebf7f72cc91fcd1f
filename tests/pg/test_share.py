"""`workbench share`: a personal library copied into a new shared one, every original,
document, highlight, dossier and audit event with it, the chain intact, and the copy verified."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import CORPUS
from tests.pg.test_shared_library import Cli
from workbench.models import AuditEvent
from workbench.services import Workbench


def test_a_personal_library_is_copied_into_a_shared_one(
        pg_db: str, library_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    mine = Cli(library_path, capsys)
    mine("import", str(CORPUS / "un-report-crimes-against-humanity.txt"),
         str(CORPUS / "un-special-rapporteur-forced-labour.txt"))
    docs = mine("list")
    report = next(d["id"] for d in docs if d["title"].startswith("UN Report"))
    h = mine("highlight", "add", str(report), "--quote", "long-overdue report",
             "--tag", "Findings")
    d = mine("dossier", "create", "Submission", "--prefix", "S-")["id"]
    mine("dossier", "add", str(d), "--highlight", str(h["id"]))
    with Workbench.open(library_path, writable=False) as wb, wb.library.read() as s:
        before = [(e.id, e.hash) for e in s.execute(select(AuditEvent).order_by(AuditEvent.id))
                  .scalars()]

    marker, store = tmp_path / "team", tmp_path / "store"
    team = Cli(marker, capsys)
    copied = team("share", str(library_path), "--database", pg_db, "--store", str(store))
    assert copied["ok"] is True, copied
    assert copied["copied"]["documents"] == 2 and copied["copied"]["audit_events"] == len(before)
    assert copied["originals"] == 2 and copied["verify"]["ok"] is True

    assert [(x["id"], x["title"]) for x in team("list")] == [(x["id"], x["title"])
                                                             for x in docs]
    assert [x["quote"] for x in team("highlight", "list")] == ["long-overdue report"]
    assert team("dossier", "show", str(d))["entries"][0]["label"] == "S-1"
    assert team("search", "rapporteur")["hits"]
    with Workbench.open(marker) as wb, wb.library.read() as s:
        events = s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
        after = [(e.id, e.hash) for e in events]
        last = events[len(before)]
        assert last.event_type == "replication" and last.prev_hash == before[-1][1]
    assert after[:len(before)] == before  # the chain carried over verbatim, then extended
    # new ids on the server follow the copied ones
    new = team("highlight", "add", str(report), "--quote", "Michelle Bachelet")
    assert new["id"] == h["id"] + 1
    assert team("verify")["ok"] is True


def test_a_database_already_holding_a_library_is_not_shared_into(
        pg_db: str, library_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    Cli(tmp_path / "first", capsys)("init", "--database", pg_db, "--store", str(tmp_path / "s"))
    again = Cli(tmp_path / "second", capsys)
    again("share", str(library_path), "--database", pg_db, "--store", str(tmp_path / "s2"),
          code=1)
    assert "already holds" in again.err
    assert not (tmp_path / "second" / "workbench-library.json").exists()
    assert json.loads((tmp_path / "first" / "workbench-library.json").read_text())


def test_a_shared_copy_is_searchable_when_share_returns_however_slow_its_index(
        pg_db: str, library_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's search rows of the copy are written before `share` returns: its check
    was cut short by the close (a loaded CI machine), and every later command's check again,
    so the team's first search found nothing."""
    import time

    from sqlalchemy import create_engine, text

    from workbench.search.postgres.hook import PostgresBackend

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    mine = Cli(library_path, capsys)
    mine("import", str(CORPUS / "un-special-rapporteur-forced-labour.txt"))
    slow = PostgresBackend._repair

    def repair_slowly(self: PostgresBackend) -> None:
        time.sleep(1.0)  # the check starts late, as on a busy machine
        slow(self)

    monkeypatch.setattr(PostgresBackend, "_repair", repair_slowly)
    team = Cli(tmp_path / "team", capsys)
    assert team("share", str(library_path), "--database", pg_db,
                "--store", str(tmp_path / "store"))["ok"] is True
    engine = create_engine(pg_db.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM wbsearch.docs")).scalar_one() == 1
    finally:
        engine.dispose()
