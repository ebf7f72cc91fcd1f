"""Libraries for tests, on the engine the run chose: a new one, or a copy of a prepared one.

Tests that prepare a library once (a module's template, the corpus imported once per
process) and copy it for each test call ``make_library`` and ``copy_library`` instead of
``Library.create`` and ``shutil.copytree``. In the default run these are exactly that (a
personal library, a SQLite file in its folder). With ``WORKBENCH_TEST_DATABASE=postgres`` the
library is a shared one on this process's throwaway cluster, made as ``workbench init
--database … --store …`` makes it, its originals in the marker folder's ``originals/``: a new
one is a clone of a library made once, and a copy clones the prepared library's database
(``CREATE DATABASE … TEMPLATE``, tens of milliseconds) beside a copy of its originals.

A module using these is run on PostgreSQL as well (tests/conftest.py collects it there): the
functions carry ``opens_libraries``, which the collection looks for in a module's names.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

DATABASE_ENV = "WORKBENCH_TEST_DATABASE"  # "sqlite" (the default) or "postgres"
MARKER = "workbench-library.json"
F = TypeVar("F", bound=Callable[..., Any])

_template: dict[str, Any] = {}
_made: list[str] = []  # the databases make_library and copy_library made, in order
_copied: set[str] = set()  # those copied from: prepared libraries, kept to the cluster's end


def opens_libraries(fn: F) -> F:
    """Mark a helper whose libraries follow the run's engine (see the module docstring)."""
    fn.opens_libraries = True  # type: ignore[attr-defined]
    return fn


def on_postgres() -> bool:
    """True in the run whose libraries are shared ones on PostgreSQL."""
    chosen = os.environ.get(DATABASE_ENV, "sqlite")
    if chosen not in ("sqlite", "postgres"):
        raise ValueError(f"{DATABASE_ENV}={chosen!r}: use sqlite or postgres")
    return chosen == "postgres"


def pg_template() -> dict[str, Any]:
    """The marker of an empty shared library made once in this process; its database is the
    template a new library's is cloned from."""
    if "info" not in _template:
        import tempfile

        from tests.support.postgres import process_cluster
        from workbench import shared
        from workbench.library import Library

        cluster = process_cluster()
        name = cluster.new_database()
        marker = Path(tempfile.mkdtemp(prefix="wb-pg-template-")) / "lib"
        info = shared.create(marker, cluster.url(name), marker / "originals", "tests")
        Library.open(marker, program="tests").close()  # as a new library is: opened once
        _template["info"] = {**info, "db": name}
    return dict(_template["info"])


def _write_shared(dest: Path, info: dict[str, Any], database: str) -> None:
    from tests.support.postgres import process_cluster

    marker = {k: v for k, v in info.items() if k != "db"}
    marker.update(database=process_cluster().url(database), store=str(dest / "originals"))
    (dest / "originals").mkdir(parents=True, exist_ok=True)
    (dest / MARKER).write_text(json.dumps(marker, indent=1), encoding="utf-8")


def database_of(path: Path) -> str | None:
    """The name of the server database of the shared library at ``path`` (None: personal)."""
    from sqlalchemy.engine import make_url

    info = json.loads((path / MARKER).read_text(encoding="utf-8"))
    url = info.get("database")
    return None if url is None else make_url(url).database


def library_as(path: Path, name: str, monkeypatch: Any) -> Path:
    """Where to open the library at ``path`` so that what is done there is written by ``name``.
    A personal library's author is ``WORKBENCH_AUTHOR`` (set here): the same folder. A shared
    library's is the database role it is opened as: a marker of the same database and store
    for the role ``name`` (made when missing, with the rights of the library's tables), as
    another investigator's desktop has."""
    from workbench.audit import AUTHOR_ENV

    monkeypatch.setenv(AUTHOR_ENV, name)
    db = database_of(path) if on_postgres() else None
    if db is None:
        return path
    from tests.support.postgres import process_cluster

    cluster = process_cluster()
    cluster.execute(f"DO $$BEGIN CREATE ROLE {name} LOGIN; "
                    "EXCEPTION WHEN duplicate_object THEN NULL; END$$")
    cluster.execute(*[f"GRANT ALL ON ALL {what} IN SCHEMA {schema} TO {name}"
                      for what in ("TABLES", "SEQUENCES") for schema in ("public", "wbsearch")],
                    f"GRANT USAGE ON SCHEMA wbsearch TO {name}", database=db)
    mine = path.parent / f"{path.name}-as-{name}"
    mine.mkdir(exist_ok=True)
    info = json.loads((path / MARKER).read_text(encoding="utf-8"))
    info["database"] = cluster.url(db, user=name)
    (mine / MARKER).write_text(json.dumps(info, indent=1), encoding="utf-8")
    return mine


@contextmanager
def writing_as(wb: Any, name: str, monkeypatch: Any) -> Iterator[Any]:
    """The open library ``wb`` as ``name`` writes to it (``library_as``): on a personal library
    ``wb`` itself, its events now by ``name``; on a shared one the library opened a second
    time, as the role ``name``, and closed after the block."""
    path = library_as(wb.library.path, name, monkeypatch)
    if path == wb.library.path:
        yield wb
        return
    from workbench.services import Workbench

    with Workbench.open(path, program="tests") as other:
        yield other


@opens_libraries
def make_library(path: Path, program: str = "tests") -> Path:
    """A new, empty library at ``path`` (closed), as ``Library.create`` makes one."""
    if not on_postgres():
        from workbench.library import Library

        Library.create(path, program=program).close()
        return path
    from tests.support.postgres import process_cluster

    info = pg_template()
    name = process_cluster().new_database(template=info["db"])
    _made.append(name)
    path.mkdir(parents=True, exist_ok=True)
    _write_shared(path, info, name)
    return path


@opens_libraries
def copy_library(src: Path, dest: Path, *, ignore: Callable[..., Any] | None = None) -> Path:
    """A copy at ``dest`` of the closed library at ``src`` (``shutil.copytree``'s ``ignore``
    applies to its folder)."""
    db = database_of(src) if on_postgres() else None
    if db is None:
        shutil.copytree(src, dest, ignore=ignore)
        return dest
    from tests.support.postgres import process_cluster

    info = json.loads((src / MARKER).read_text(encoding="utf-8"))
    _copied.add(db)
    name = process_cluster().new_database(template=db)
    _made.append(name)
    shutil.copytree(src / "originals", dest / "originals", ignore=ignore)
    _write_shared(dest, info, name)
    return dest


def databases_made() -> int:
    """How many databases this process's libraries have made so far (a mark for
    ``drop_databases_since``)."""
    return len(_made)


def drop_databases_since(mark: int) -> None:
    """Drop the databases made since ``mark`` (a test's own libraries, at its teardown: kept to
    the cluster's end, hundreds of clones would fill the disk and the catalog). One that was
    copied from is a prepared library a later test copies again (a module's cache): kept."""
    if len(_made) <= mark:
        return
    from tests.support.postgres import process_cluster

    cluster = process_cluster()
    while len(_made) > mark:
        name = _made.pop()
        if name not in _copied:
            cluster.drop_database(name)
