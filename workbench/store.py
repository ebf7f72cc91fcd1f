"""Database engine, sessions and schema upgrades for one library.

All SQLite-specific SQL lives here (pragmas, backup, integrity check), so the rest of the core
speaks only portable SQLAlchemy and a shared PostgreSQL can serve the same models later.
Schema changes happen only through the Alembic revisions in ``migrations/``; opening an older
library takes a backup copy of the database before upgrading it.
"""

from __future__ import annotations

import ast
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from .errors import LibraryError

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))  # patched by tests
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def script_head() -> str | None:
    """The head revision, read from the revision files without importing Alembic.

    Every open checks the schema; importing Alembic for that costs most of a second of start-up
    for each command-line call. Returns None when the files do not give one clear head (then
    the caller asks Alembic itself).
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        values: dict[str, Any] = {}
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            return None
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id in ("revision", "down_revision")):
                try:
                    values[node.targets[0].id] = ast.literal_eval(node.value)
                except ValueError:
                    return None
        if not isinstance(values.get("revision"), str):
            return None
        revisions.add(values["revision"])
        down = values.get("down_revision")
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(down)
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


def is_current(engine: Engine) -> bool:
    head = script_head() or head_revision(engine)
    return current_revision(engine) == head


def upgrade(engine: Engine, db_path: Path | None) -> str | None:
    """Bring the schema to head; back up an existing SQLite file first. Returns the backup path."""
    current = current_revision(engine)
    if current is not None and current == script_head():
        return None
    from alembic import command

    head = head_revision(engine)
    if current == head:
        return None
    backup: str | None = None
    if current is not None and db_path is not None and db_path.exists():
        backup = str(backup_sqlite(db_path, f"pre-upgrade-{current}"))
    cfg = alembic_config(engine)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except Exception as exc:  # an upgrade failure must name the backup, not lose data
        where = f" The database was backed up to {backup} first." if backup else ""
        raise LibraryError(f"Could not upgrade the library database: {exc}.{where}") from exc
    return backup


def backup_sqlite(db_path: Path, label: str) -> Path:
    """A consistent copy of the live database (SQLite's online backup, WAL included)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dest_dir = db_path.parent / "backups"
    dest_dir.mkdir(exist_ok=True)
    dest = dest_dir / f"{db_path.stem}-{label}-{stamp}.sqlite"
    src = sqlite3.connect(str(db_path))
    try:
        dst = sqlite3.connect(str(dest))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return dest


def integrity_problems(engine: Engine) -> list[str]:
    """Problems the database engine itself finds in its files (empty when healthy)."""
    if engine.dialect.name != "sqlite":
        return []
    with engine.connect() as conn:
        rows = [r[0] for r in conn.execute(text("PRAGMA integrity_check")).fetchall()]
        fk = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
    problems = [r for r in rows if r != "ok"]
    problems += [f"foreign key violation in {r[0]} row {r[1]}" for r in fk]
    return problems


class Store:
    """Engine plus a session factory; ``transaction()`` is the unit of every mutation."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False, future=True)

    @classmethod
    def open_sqlite(cls, db_path: Path) -> Store:
        engine = make_engine(f"sqlite:///{db_path}")
        upgrade(engine, db_path)
        return cls(engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def close(self) -> None:
        self.engine.dispose()
