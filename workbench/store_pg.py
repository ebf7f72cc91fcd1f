"""PostgreSQL's side of the store: engines for a shared library's database on a server.

``store.py`` keeps the SQLite-only SQL; what a server database needs instead lives here, so
the rest of the core speaks portable SQLAlchemy over either. A shared library's URL never
carries a password: libpq finds it the usual ways (``PGPASSWORD``, ``~/.pgpass``,
``PGSERVICE``), so the marker a desktop opens can be shared and copied without a secret in it.
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from .errors import UserError

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
    return create_engine(engine_url(url), future=True, pool_pre_ping=True)
