"""Which schema revisions this build knows, and which one a database file records, read
without SQLAlchemy or Alembic.

Every open checks both (a library from a newer Workbench is refused, an older one upgraded,
a read-only one must be current). Importing SQLAlchemy or Alembic only for that would cost
every command most of its start-up, so the revision files are parsed as Python source and the
database is asked through the DB-API (``sqlite3``, or ``sqlcipher3`` for an encrypted file).
``workbench.store`` (the engine and the upgrade) and ``workbench.fast_read`` (the read-only
commands' path) both ask here.
"""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path
from typing import Any

Graph = tuple[set[str], set[str]]  # (every revision, every revision some other one follows)
# Every open reads the graph twice (refuse_newer, is_current): parsed once per set of files.
_graphs: dict[tuple[tuple[str, int, int], ...], Graph | None] = {}


def revision_graph(versions: Path) -> Graph | None:
    """The graph of the revision files in ``versions``; None when a file does not say
    plainly."""
    files = sorted(versions.glob("*.py"))
    try:  # a file added, removed or changed (tests write their own) is read again
        seen = tuple((str(p), s.st_mtime_ns, s.st_size) for p, s in
                     ((p, p.stat()) for p in files))
    except OSError:
        return _read_graph(files)
    if seen not in _graphs:
        _graphs[seen] = _read_graph(files)
    graph = _graphs[seen]
    return None if graph is None else (set(graph[0]), set(graph[1]))


def single_head(graph: Graph | None) -> str | None:
    """The one revision no other follows; None when there is not exactly one."""
    if graph is None:
        return None
    heads = graph[0] - graph[1]
    return next(iter(heads)) if len(heads) == 1 else None


def _header(source: str) -> str:
    """The lines of a revision file before its first function, where Alembic writes
    ``revision`` and ``down_revision``: parsing only them is a tenth of the work, which every
    command pays (docs/PERFORMANCE.md, "Fixed cost of a command")."""
    cut = source.find("\ndef ")
    return source if cut < 0 else source[:cut + 1]


def _assigned(source: str) -> dict[str, Any] | None:
    """``revision`` and ``down_revision`` as ``source`` assigns them at its top level; None
    when it does not parse or assigns something other than a literal."""
    values: dict[str, Any] = {}
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id in ("revision", "down_revision")):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                return None
    return values


def _read_graph(files: list[Path]) -> Graph | None:
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in files:
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None
        values = _assigned(_header(source))
        if values is None or "revision" not in values or "down_revision" not in values:
            values = _assigned(source)  # the header does not say: the whole file
        if values is None or not isinstance(values.get("revision"), str):
            return None
        revisions.add(values["revision"])
        down = values.get("down_revision")
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(down)
    return revisions, parents


def connect_raw(db_path: Path | str, key: str | None = None, **kwargs: Any) -> Any:
    """A DBAPI connection to the file (``sqlcipher3`` keyed first when ``key`` is given)."""
    if key is None:
        return sqlite3.connect(str(db_path), **kwargs)
    import sqlcipher3

    conn = sqlcipher3.connect(str(db_path), **kwargs)
    conn.execute(f'PRAGMA key = "{key}"')
    return conn


def stored_revision(db_path: Path, key: str | None = None) -> str | None:
    """The schema revision the database at ``db_path`` records, read without writing a byte or
    creating a file beside it (no ``-wal``/``-shm``): ``immutable`` unless a ``-wal`` holds
    changes, which only a WAL read sees. None when there is none or it cannot be read (the
    ordinary open then reports what is wrong, in its own words)."""
    wal = db_path.with_name(db_path.name + "-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    uri = f"{db_path.absolute().as_uri()}?mode=ro" + ("" if pending else "&immutable=1")
    try:
        con = connect_raw(uri, key, uri=True)
    except Exception:  # sqlite3 and sqlcipher3 raise their own classes
        return None
    try:
        found = con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                            "AND name = 'alembic_version'").fetchone()
        row = con.execute("SELECT version_num FROM alembic_version").fetchone() if found else None
    except Exception:  # damaged, or an encrypted file read without its key
        return None
    finally:
        con.close()
    return row[0] if row and isinstance(row[0], str) else None
