"""The Alembic revisions build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from workbench.library import Library
from workbench.models import Base


def test_migrations_match_models(tmp_path: Path) -> None:
    with Library.create(tmp_path / "lib") as lib, lib.store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_sqlite_pragmas(tmp_path: Path) -> None:
    from sqlalchemy import text

    with Library.create(tmp_path / "lib") as lib, lib.store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
