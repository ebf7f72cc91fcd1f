"""The Alembic revisions build on PostgreSQL the very schema they build in a SQLite library."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import inspect, text

from workbench.store import current_revision, make_engine, script_head, sqlite_url, upgrade
from workbench.store_pg import make_pg_engine

# Generic types, most specific first (Text is a String; a PostgreSQL DOUBLE PRECISION a Float).
_KINDS: list[type[Any]] = [sa.Boolean, sa.DateTime, sa.JSON, sa.LargeBinary, sa.Float,
                           sa.Integer, sa.Text, sa.String]


def _kind(t: Any) -> str:
    for kind in _KINDS:
        if isinstance(t, kind):
            length = getattr(t, "length", None) if kind is sa.String else None
            return kind.__name__ + (f"({length})" if length else "")
    return type(t).__name__


def _default(value: str | None) -> str | None:
    """A server default as both engines would mean it: 'x'::text and 'x', 0 and false."""
    if value is None or value.startswith("nextval("):  # a serial id: SQLite's rowid alias
        return None
    v = value.split("::")[0].strip("()").lower()
    return {"0": "false", "1": "true"}.get(v, v)


def schema(engine: sa.Engine) -> dict[str, Any]:
    insp = inspect(engine)
    out: dict[str, Any] = {}
    for table in sorted(insp.get_table_names()):
        if table == "alembic_version":
            continue
        out[table] = {
            "columns": [(c["name"], _kind(c["type"]), c["nullable"], _default(c["default"]))
                        for c in insp.get_columns(table)],
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in insp.get_indexes(table)
                              if "duplicates_constraint" not in i),
            "unique": sorted((u["name"], tuple(u["column_names"]))
                             for u in insp.get_unique_constraints(table)),
            "fks": sorted((f["name"] or "", tuple(f["constrained_columns"]), f["referred_table"],
                           tuple(f["referred_columns"]),
                           (f["options"].get("ondelete") or "NO ACTION").upper())
                          for f in insp.get_foreign_keys(table)),
        }
    return out


def test_the_migrations_build_the_sqlite_schema_on_postgresql(pg_empty: str,
                                                              tmp_path: Path) -> None:
    pg = make_pg_engine(pg_empty)
    lite = make_engine(sqlite_url(tmp_path / "library.sqlite"))
    try:
        upgrade(lite, None)
        assert upgrade(pg, None) is None  # nothing to back up on a server
        assert current_revision(pg) == script_head()
        on_pg, on_sqlite = schema(pg), schema(lite)
    finally:
        pg.dispose()
        lite.dispose()
    assert len(on_sqlite) > 20
    assert sorted(on_pg) == sorted(on_sqlite)
    for table in on_sqlite:
        assert on_pg[table] == on_sqlite[table], table


def test_a_layer_whose_text_is_edited_loses_its_hash_on_postgresql_too(pg_empty: str) -> None:
    # SQLite's trigger (revision 0003) has its PostgreSQL twin: the index's drift check relies
    # on it to re-index a layer whose text was changed behind Workbench's back.
    pg = make_pg_engine(pg_empty)
    try:
        upgrade(pg, None)
        with pg.begin() as conn:
            conn.execute(text(
                "INSERT INTO documents (id, sha256, title, kind, media_type, size, "
                "original_filename, created_at, modified_at, status, problems, page_count, "
                "extra) VALUES (1, 'a', 't', 'text', 'text/plain', 1, 'f', now(), now(), "
                "'ok', '[]', 1, '{}')"))
            conn.execute(text(
                "INSERT INTO text_layers (id, document_id, version, extractor, "
                "extractor_version, method, text, created_at, text_sha256) VALUES "
                "(1, 1, 1, 'x', '1', 'text', 'old', now(), 'h'), "
                "(2, 1, 2, 'x', '1', 'text', 'kept', now(), 'k')"))
            conn.execute(text("UPDATE text_layers SET text = 'new' WHERE id = 1"))
            conn.execute(text("UPDATE text_layers SET method = 'ocr' WHERE id = 2"))
            rows = dict(conn.execute(text("SELECT id, text_sha256 FROM text_layers")).all())
    finally:
        pg.dispose()
    assert rows == {1: None, 2: "k"}
