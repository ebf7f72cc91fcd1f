"""A short run of the five-desktop soak (tests/soak/soak_shared.py, issue 19): five
processes, each its own database role, code and edit dossiers at once for a few seconds;
nothing a process believes it committed is lost, every refusal is the documented conflict,
the chain verifies and each author's audit events are what its process did."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.soak.soak_shared import run_soak
from tests.support.postgres import Cluster


def test_five_desktops_editing_at_once_lose_nothing_and_the_chain_verifies(
        pg_cluster: Cluster, pg_template: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    database = pg_cluster.new_database(template=pg_template)
    try:
        result = run_soak(pg_cluster, database, tmp_path, seconds=5, processes=5)
    finally:
        pg_cluster.drop_database(database)
    assert result["problems"] == [] and result["ok"], result
    # the run did what it is for: every process edited, and some edits met another's
    assert len(result["by_process"]) == 5
    assert all(p["audit_events"] > 0 for p in result["by_process"].values()), result
    assert result["conflicts"] > 0, result
    assert result["verify"]["ok"] is True
