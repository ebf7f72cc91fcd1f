"""Database engine, sessions and schema upgrades for one library.

All SQLite-specific SQL lives here (pragmas, backup, integrity check), so the rest of the core
speaks only portable SQLAlchemy and a shared PostgreSQL can serve the same models later.
Schema changes happen only through the Alembic revisions in ``migrations/``; opening an older
library takes a backup copy of the database before upgrading it. An encrypted library's
database is a SQLCipher file (the same SQL, every page encrypted, its WAL too), keyed through
the engine URL (``sqlite_url``).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from .audit import HEAD_INFO
from .bundled import data_dir
from .errors import LibraryError, WorkbenchError
from .schema_files import Graph, revision_graph, single_head
from .schema_files import connect_raw as connect_raw  # re-exported: older callers import it here
from .schema_files import stored_revision as stored_revision  # likewise


def _find_migrations() -> Path | None:
    try:
        return data_dir("migrations")
    except WorkbenchError:
        return None  # said when a library is opened, in one line: not a traceback at import


MIGRATIONS_DIR: Path | None = _find_migrations()  # tests point it at a copy


def migrations_dir() -> Path:
    """This installation's Alembic folder; ``WorkbenchError`` (reinstall) when it lost it."""
    return MIGRATIONS_DIR if MIGRATIONS_DIR is not None else data_dir("migrations")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


CIPHER_DRIVER = "sqlite+pysqlcipher"


def committed_log(engine: Engine) -> Path | None:
    """The file whose sync makes the database's commits survive a power cut: SQLite's WAL
    (``synchronous=NORMAL`` syncs it only at checkpoints). None for a database whose commits
    are durable when they return (any server database) or for one in memory."""
    if engine.dialect.name != "sqlite":
        return None
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("PRAGMA database_list").all()
    main = next((str(r[2]) for r in rows if r[1] == "main"), "")
    return Path(main + "-wal") if main else None


def sync_committed(log_file: Path | None) -> None:
    """Sync ``committed_log``'s file; a missing WAL means a checkpoint already synced it all."""
    if log_file is None:
        return
    try:
        fd = os.open(log_file, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def upsert(connection: Any, model: Any, rows: list[dict[str, Any]], key: list[str]) -> None:
    """Insert ``rows`` into ``model``'s table, replacing the row of any ``key`` already there,
    in one statement: the dialect's own upsert (SQLite and PostgreSQL spell it alike)."""
    # only the dialect in use: importing sqlalchemy.dialects.postgresql costs a personal
    # library's import 19 modules
    stmt: Any
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(model)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(model)
    replaced = {c.name: stmt.excluded[c.name] for c in model.__table__.columns
                if c.name not in key}
    connection.execute(stmt.on_conflict_do_update(index_elements=key, set_=replaced), rows)


def sqlite_url(db_path: Path, key: str | None = None) -> str:
    """The URL of the database at ``db_path``; with ``key`` (SQLCipher's raw-key literal,
    ``LibraryKey.db_key_hex``) an encrypted one, keyed as each connection opens.

    The key travels in the URL's password so that everything which opens the database by URL
    (the index rebuild's worker processes, ``backup_to``'s copy) keys it the same way.
    """
    if key is None:
        return f"sqlite:///{db_path}"
    return URL.create(CIPHER_DRIVER, username="", password=key,
                      database=str(db_path)).render_as_string(hide_password=False)


def url_key(url: URL) -> str | None:
    """The SQLCipher key an engine URL carries (None for a plain database)."""
    return url.password if url.drivername == CIPHER_DRIVER else None


def make_engine(url: str) -> Engine:
    # SQLAlchemy's SQLCipher dialect defaults to one connection per thread, closed when a
    # sixth thread connects; the pool a plain file database gets serves threads better.
    extra: dict[str, Any] = {"poolclass": QueuePool} if url.startswith(CIPHER_DRIVER) else {}
    engine = create_engine(url, future=True, **extra)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _readonly_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def make_readonly_engine(db_path: Path, *, immutable: bool, key: str | None = None) -> Engine:
    """An engine that reads ``db_path`` and never writes it nor creates a file beside it.

    ``mode=ro`` opens the file read-only; still, a database in WAL mode wants its ``-shm``
    file, which cannot be created in a folder that cannot be written. There ``immutable``
    tells SQLite the file cannot change (true: nobody can write the folder), and it reads it
    with no ``-shm`` and no locks. Only when no ``-wal`` holds changes: it would not be read.
    """
    uri = f"{db_path.absolute().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    engine = create_engine(
        sqlite_url(db_path, key), future=True, poolclass=QueuePool,
        creator=lambda: connect_raw(uri, key, uri=True, check_same_thread=False))
    event.listen(engine, "connect", _readonly_pragmas)
    return engine


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    # ConfigParser reads "%" as interpolation: an encrypted library's URL-quoted key has some
    cfg.set_main_option("sqlalchemy.url",
                        engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _revision_graph() -> Graph | None:
    """(every revision, every revision some other one follows) of this build's migrations."""
    return revision_graph(migrations_dir() / "versions")


def script_head() -> str | None:
    """The head revision, read from the revision files without importing Alembic.

    Every open checks the schema; importing Alembic for that costs most of a second of start-up
    for each command-line call. Returns None when the files do not give one clear head (then
    the caller asks Alembic itself).
    """
    return single_head(_revision_graph())


def known_revisions() -> set[str]:
    """Every schema revision this build's migrations know (empty when they cannot be read)."""
    graph = _revision_graph()
    return graph[0] if graph is not None else set()


def refuse_newer(revision: str | None, where: Path) -> None:
    """Raise ``LibraryError`` when ``revision`` is one these migrations do not know: the
    library was written by a newer Workbench, whose schema this build must not touch."""
    graph = _revision_graph()
    if revision is None or graph is None or revision in graph[0]:
        return
    from . import __version__

    raise LibraryError(
        f"The library at {where} was written by a newer Workbench (schema {revision}); this is "
        f"Workbench {__version__}, which knows schemas up to {script_head()}",
        "install the newer version of Workbench to open it; this one changed nothing")


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
    # Before the backup: a newer library is left exactly as it is (its caller checks first;
    # this holds for every other way in).
    refuse_newer(current, db_path.parent if db_path is not None else Path("."))
    backup: str | None = None
    if current is not None and db_path is not None and db_path.exists():
        backup = str(backup_sqlite(db_path, f"pre-upgrade-{current}", url_key(engine.url)))
    cfg = alembic_config(engine)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except Exception as exc:  # an upgrade failure must name the backup, not lose data
        where = f" The database was backed up to {backup} first." if backup else ""
        raise LibraryError(f"Could not upgrade the library database: {exc}.{where}") from exc
    return backup


def backup_sqlite(db_path: Path, label: str, key: str | None = None) -> Path:
    """A consistent copy of the live database (SQLite's online backup, WAL included)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dest_dir = db_path.parent / "backups"
    dest_dir.mkdir(exist_ok=True)
    dest = dest_dir / f"{db_path.stem}-{label}-{stamp}.sqlite"
    src = connect_raw(db_path, key)
    try:
        dst = connect_raw(dest, key)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return dest


BACKUP_PAGES = 2048  # pages per backup step: between steps the copy can be cancelled


def online_backup(src: Any, dst: Any, step: Callable[[int, int], None] | None = None,
                  scalars: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Copy the database of DBAPI connection ``src`` into ``dst`` with SQLite's online backup.

    ``scalars`` (name -> a query of one value) are read in the same read transaction the copy
    is taken from, so they describe exactly the copy, however much other connections write
    meanwhile (WAL: they are not blocked). ``step(done, total)`` runs between steps of
    ``BACKUP_PAGES`` pages; what it raises stops the copy. Works with any binding whose
    connections have ``backup`` (the standard ``sqlite3``, ``sqlcipher3``).
    """
    cur = src.cursor()
    cur.execute("BEGIN")  # the snapshot: backup steps inside an open read transaction use it
    try:
        values = {name: cur.execute(sql).fetchone()[0] for name, sql in (scalars or {}).items()}

        def progress(_status: int, remaining: int, total: int) -> None:
            if step is not None:
                step(total - remaining, total)

        src.backup(dst, pages=BACKUP_PAGES, progress=progress)
    finally:
        cur.execute("ROLLBACK")
        cur.close()
    return values


def _journal_delete(dbapi_conn: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=DELETE")
    cur.close()


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


# result codes (sqlite3.h), the same in SQLCipher
_SQLITE_FULL, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CANTOPEN = 13, 8, 10, 14


def write_failure(exc: BaseException) -> str | None:
    """``"full"`` when ``exc`` (a SQLAlchemy or DB-API error) says the database could not
    grow because its disk or quota is full, ``"read-only"`` when its file or folder cannot
    be written, ``"io"`` when a file beside it could not be made or written (its ``-wal`` or
    ``-shm``: on a full disk SQLite says only "disk I/O error"), else None. Bindings without
    result codes are recognised by SQLite's words."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        code &= 0xFF  # an extended code (SQLITE_READONLY_DIRECTORY...) keeps its primary
    words = str(orig).lower()
    if code == _SQLITE_FULL or "database or disk is full" in words:
        return "full"
    if code == _SQLITE_READONLY or "attempt to write a readonly database" in words:
        return "read-only"
    if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN) or "disk i/o error" in words:
        return "io"
    return None


class Store:
    """Engine plus a session factory; ``transaction()`` is the unit of every mutation."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False, future=True)
        # Called with (seq, hash) of the newest audit event, and the (seq, hash) the commit's
        # first event links to, after each commit that added events: the library keeps its
        # audit head outside the database (audit_head.py).
        self.on_audit_commit: Callable[[int, str, tuple[int, str]], None] | None = None
        # Wraps a burst of commits (an import) so the audit head is written once for them
        # (audit_head.HeadKeeper.batch); does nothing without a head keeper.
        self.audit_batch: Callable[[], AbstractContextManager[None]] = nullcontext
        # Run first in every write transaction: a server database without the library's
        # writer lock serialises its writers here (store_pg.lock_writers).
        self.before_write: Callable[[Session], None] | None = None

    @classmethod
    def open_sqlite(cls, db_path: Path, key: str | None = None) -> Store:
        engine = make_engine(sqlite_url(db_path, key))
        try:
            upgrade(engine, db_path)
        except BaseException:
            engine.dispose()  # a refused or failed upgrade leaves no connection open
            raise
        return cls(engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            if self.before_write is not None:
                self.before_write(session)
            yield session
            head = session.info.pop(HEAD_INFO, None)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        if head is not None and self.on_audit_commit is not None:
            self.on_audit_commit(*head)

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def backup_to(self, dest: Path, step: Callable[[int, int], None] | None = None,
                  scalars: Mapping[str, str] | None = None) -> dict[str, Any]:
        """A consistent copy of the live database at ``dest`` (a new file), taken without the
        writer lock while others write; see ``online_backup`` for ``step`` and ``scalars``.

        The copy is opened through this store's own engine URL and binding, so a store that
        keys its connections (SQLCipher) keys the copy the same way.
        """
        if self.engine.dialect.name != "sqlite":
            raise LibraryError("Only a library in a SQLite file can be backed up this way")
        copy_engine = make_engine(self.engine.url.set(database=str(dest)).render_as_string(
            hide_password=False))
        dbapi = self.engine.dialect.dbapi
        errors = dbapi.Error if dbapi is not None else sqlite3.Error
        source = self.engine.raw_connection()
        try:
            target = copy_engine.raw_connection()
            try:
                copy = target.driver_connection
                assert copy is not None
                # A copy is one self-contained file: no -wal/-shm beside it, even after a
                # read-only open (the library turns WAL back on when opened for writing).
                # Before the copy too: written through a WAL it needs twice its size.
                _journal_delete(copy)
                values = online_backup(source.driver_connection, copy, step, scalars)
                _journal_delete(copy)  # the pages copied said WAL
                return values
            except errors as exc:  # e.g. "database or disk is full"
                raise LibraryError(f"Could not copy the database to {dest}: {exc}",
                                   "free some space, or choose another folder or disk"
                                   ) from exc
            finally:
                target.close()
        finally:
            source.close()
            copy_engine.dispose()

    def close(self) -> None:
        self.engine.dispose()
