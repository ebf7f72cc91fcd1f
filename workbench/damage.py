"""Telling a damaged database apart from a bug, and saying so in one sentence.

Flipped bytes, a cut file or a broken header surface deep inside SQLAlchemy as
``DatabaseError``s ("database disk image is malformed", "file is not a database") or as text
that no longer decodes. Without this they read as an internal error; with it, every command
on a damaged library says what happened and what to do (``workbench verify``, then restore).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import exc as sa_exc

from .errors import LibraryDamaged

# What SQLite says when the file itself is broken (not "locked", not a constraint).
_DAMAGE_WORDS = ("malformed", "not a database", "could not decode", "database corrupt",
                 "encrypted or is not")


def damage_reason(exc: BaseException) -> str | None:
    """The database's own words when ``exc`` means its file is damaged, else None."""
    orig = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
    if isinstance(orig, UnicodeDecodeError | json.JSONDecodeError):
        return f"stored text no longer decodes: {orig}"
    if isinstance(orig, sqlite3.DatabaseError) and not isinstance(orig, sqlite3.IntegrityError):
        text = str(orig)
        if any(word in text.lower() for word in _DAMAGE_WORDS):
            return text.split("\n")[0][:200]
    return None


def restore_hint(library: Path) -> str:
    """Where to go from a damaged database: the newest backup if there is one."""
    from .integrity import restore_command

    return f"run `workbench verify` to see what can still be read, then {restore_command(library)}"


def damaged(library: Path, reason: str) -> LibraryDamaged:
    return LibraryDamaged(f"The library database is damaged ({reason})", restore_hint(library))


@contextmanager
def reported(library: Path) -> Iterator[None]:
    """Turn a damaged-database error raised inside the block into ``LibraryDamaged``."""
    try:
        yield
    except (sa_exc.DBAPIError, sqlite3.DatabaseError, UnicodeDecodeError,
            json.JSONDecodeError) as exc:
        reason = damage_reason(exc)
        if reason is None:
            raise
        raise damaged(library, reason) from exc
