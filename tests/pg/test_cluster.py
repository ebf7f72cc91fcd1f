"""The throwaway cluster itself: reachable, one database per test, and never skipped in CI."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.support import postgres
from tests.support.postgres import Cluster


def test_each_test_gets_its_own_empty_database(pg_cluster: Cluster, pg_empty: str) -> None:
    engine = create_engine(pg_empty.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar() == "postgres"
            tables = conn.execute(text(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar()
    finally:
        engine.dispose()
    assert tables == 0


def test_a_missing_server_skips_but_fails_where_postgres_is_required(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "_bin_dir", lambda: None)
    monkeypatch.delenv(postgres.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        postgres.start_cluster()
    monkeypatch.setenv(postgres.REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="PostgreSQL is required"):
        postgres.start_cluster()
