"""PostgreSQL's side of the store: engines for a shared library's database on a server.

``store.py`` keeps the SQLite-only SQL; what a server database needs instead lives here, so
the rest of the core speaks portable SQLAlchemy over either. A shared library's URL never
carries a password: libpq finds it the usual ways (``PGPASSWORD``, ``~/.pgpass``,
``PGSERVICE``), so the marker a desktop opens can be shared and copied without a secret in it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Integer, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from .errors import LibraryError, UserError
from .models import AuditEvent
from .store import Store, is_current, upgrade

DRIVER = "postgresql+psycopg"


def is_pg_url(url: str) -> bool:
    return url.split(":", 1)[0].split("+", 1)[0] in ("postgresql", "postgres")


def engine_url(url: str) -> str:
    """``url`` (``postgresql://user@host/db``, libpq's spelling) with the psycopg driver."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # SQLAlchemy's ArgumentError names the URL: say it plainly
        raise UserError(f"Not a database URL: {url!r}",
                        "write it as postgresql://USER@HOST/DATABASE") from exc
    if not is_pg_url(url):
        raise UserError(f"Not a PostgreSQL URL: {url!r}",
                        "write it as postgresql://USER@HOST/DATABASE")
    return parsed.set(drivername=DRIVER).render_as_string(hide_password=False)


def make_pg_engine(url: str) -> Engine:
    # pool_pre_ping: a desktop keeps a shared library open for hours; a server restart or a
    # dropped connection in between costs one reconnect, not an error on the next click
    engine = create_engine(engine_url(url), future=True, pool_pre_ping=True)
    event.listen(engine, "handle_error", _refused_in_words)
    return engine


def _refused_in_words(context: Any) -> None:
    """The server refused a write the role's level does not allow (shared/roles.py): say so
    as a ``UserError`` instead of a database error."""
    import psycopg

    if isinstance(context.original_exception, psycopg.errors.InsufficientPrivilege):
        from .shared.roles import refusal

        said = refusal(str(context.original_exception), context.engine.url.username
                       if context.engine is not None else None)
        if said is not None:
            raise said from context.original_exception


def check_no_password(url: str) -> None:
    """Refuse a URL that carries a password: the marker holding it is a file people copy."""
    if make_url(engine_url(url)).password is not None:
        raise UserError("The database URL holds a password, which would be written into the "
                        "library's marker for anyone who copies it",
                        "leave it out of the URL; PostgreSQL's client finds it in PGPASSWORD, "
                        "~/.pgpass or a PGSERVICE entry")


def safe_url(url: str) -> str:
    """``url`` fit to print: any password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: nothing in it to hide reliably
        return "(the database URL)"


def open_pg_store(url: str, *, upgrade_schema: bool = True) -> Store:
    """A store on the server database at ``url``, its schema brought to head (or, without
    ``upgrade_schema``, checked to be there: a reader changes nothing).

    Nothing is backed up before an upgrade: a server database is backed up with the server's
    own tools (pg_dump), by whoever runs it.
    """
    from sqlalchemy.exc import OperationalError

    engine = make_pg_engine(url)
    try:
        if upgrade_schema:
            upgrade(engine, None)
        elif not is_current(engine):
            raise LibraryError(f"The shared library's database {safe_url(url)} needs an "
                               "upgrade", "open it once for writing to upgrade it")
    except OperationalError as exc:
        engine.dispose()
        raise LibraryError(f"Cannot reach the shared library's database {safe_url(url)}: "
                           f"{str(exc.orig).strip().splitlines()[0]}",
                           "check that the server runs and that your password is in "
                           "PGPASSWORD or ~/.pgpass") from exc
    except BaseException:
        engine.dispose()
        raise
    store = Store(engine)
    store.before_write = lock_writers
    return store


# Any fixed number, the same in every process: the key of the advisory lock that serialises
# appends to the audit chain ("WBAUDIT" in ASCII).
AUDIT_LOCK_KEY = 0x5742415544495400


def lock_audit_chain(session: Session) -> None:
    """Serialise appending to the audit chain across every process writing to the server.

    A transaction-level advisory lock: held until the transaction commits or rolls back, so
    the next writer reads the chain's end only once this one's events are committed, and
    several writers at once still make one chain. Taken again in the same transaction, it is
    simply held. On SQLite the library's writer lock already makes appends one at a time.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})


def lock_writers(session: Session) -> None:
    """Take the audit lock at the start of every write transaction on the server.

    The core was written for one writer at a time (SQLite's writer lock): it looks for a tag,
    a collection or an entity by name and adds it when missing, which two writers at once
    would both do (four processes tagging under one new parent made four parents). Holding
    the lock from the first statement keeps that true: the writers' transactions, short by
    design (an import extracts outside them), run one after another, each seeing what the one
    before committed (READ COMMITTED), while readers and extraction still run in parallel.
    Taking it first also means no transaction holds row locks while it waits for it.

    A role that may not append to the audit log (a reader: shared/roles.py) is told so here,
    before anything is written.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    _, may_write = session.execute(  # one round trip: the lock, and whether it may write
        text("SELECT pg_advisory_xact_lock(:key)::text, "
             "has_table_privilege('audit_events', 'INSERT')"),
        {"key": AUDIT_LOCK_KEY}).one()
    if not may_write:
        from .shared.roles import reader_refusal

        raise reader_refusal(server_role(session))


CHANGES_CHANNEL = "workbench_changes"  # shared.feed listens on it


@event.listens_for(Session, "after_flush")
def _notify_changes(session: Session, _context: Any) -> None:
    """Tell every desktop listening that a change is on its way: ``NOTIFY`` with the newest
    audit event's number, which PostgreSQL delivers only when (and if) the transaction
    commits. Every change writes an audit event, so every change is announced."""
    seqs = [o.id for o in session.new if isinstance(o, AuditEvent)]
    if seqs and session.get_bind().dialect.name == "postgresql":
        session.connection().execute(text("SELECT pg_notify(:channel, :seq)"),
                                     {"channel": CHANGES_CHANNEL, "seq": str(max(seqs))})


def reset_sequences(connection: Any, tables: list[Any]) -> None:
    """After rows were inserted with their ids (a copied library), start each table's id
    sequence after the largest id, so the next row does not collide."""
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer) or pk[0].autoincrement is False:
            continue
        seq = connection.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                 {"t": table.name, "c": pk[0].name}).scalar()
        if seq is not None:
            connection.execute(text(f'SELECT setval(:s, COALESCE((SELECT max("{pk[0].name}") '
                                    f'FROM "{table.name}"), 0) + 1, false)'), {"s": seq})


_ROLE = "workbench.server_role"  # session.info: the role, read once per session


def server_role(session: Session) -> str | None:
    """The database role this session writes as, on a server (None on SQLite)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    if _ROLE not in session.info:
        session.info[_ROLE] = session.execute(text("SELECT current_user")).scalar_one()
    return str(session.info[_ROLE])


class ServerWriter:
    """What stands for the writer lock of a library on a server: none is taken, as PostgreSQL's
    transactions let several writers in at once; ``held`` until the library is closed."""

    held = True

    def release(self) -> None:
        self.held = False
