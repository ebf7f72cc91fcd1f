"""A shared library: the database on a PostgreSQL server, the originals in a shared folder.

What a desktop opens is a small marker folder holding ``workbench-library.json`` (format 2)::

    {"format": 2, "database": "postgresql://user@host/db", "store": "/mnt/share/case",
     "library_id": "...", "name": "..."}

The URL never holds a password (libpq finds it in ``PGPASSWORD``, ``~/.pgpass`` or a
``PGSERVICE`` entry), so the marker can be handed to a colleague. The originals are stored
as in a personal library, write-once by SHA-256 (``blobs.py``), in the ``store`` folder,
which every desktop must reach (a network share). The library id is kept in the database's
settings as well: a marker pointing at another library's database is refused. Each desktop
keeps its own search index of the case in its per-user cache folder, under the library id;
the index's drift check on open brings it up to date with what others changed. No writer
lock is taken: the database's transactions let several writers in (store_pg.py).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import platformdirs

from ..audit_head import LIBRARY_ID
from ..errors import LibraryError, UserError
from ..paths import APP_AUTHOR, APP_NAME

SHARED_FORMAT = 2  # an older Workbench refuses the marker rather than make a SQLite file


def is_shared(info: dict[str, Any]) -> bool:
    return isinstance(info.get("database"), str)


def cache_dir(library_id: str) -> Path:
    """This desktop's folder for a shared library's derived files (its search index)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "shared" / library_id


def marker_info(path: Path, database: str, store: Path, name: str | None,
                library_id: str) -> dict[str, Any]:
    from .. import __version__

    return {"format": SHARED_FORMAT, "created_by": f"workbench {__version__}",
            "database": database, "store": str(store), "library_id": library_id,
            "name": name or path.name}


def create(path: Path, database: str, store: Path, name: str | None = None) -> dict[str, Any]:
    """Make the schema on the server, the store folder and the marker at ``path``; returns
    the marker's contents. A database that already holds a library is refused."""
    from .. import audit
    from ..models import Setting
    from ..store_pg import check_no_password, open_pg_store, safe_url

    check_no_password(database)
    if path.exists() and any(path.iterdir()):
        raise UserError(f"Cannot create a shared library's marker in {path}: the folder is "
                        "not empty", "choose an empty or new folder with --library PATH")
    store = store.expanduser().absolute()
    pg = open_pg_store(database)
    try:
        with pg.read() as s:
            taken = s.get(Setting, LIBRARY_ID) is not None
        if taken:
            raise LibraryError(f"The database {safe_url(database)} already holds a shared "
                               "library", "open it with the marker its creator made, or "
                               "choose an empty database")
        library_id = uuid.uuid4().hex
        info = marker_info(path, database, store, name, library_id)
        try:
            store.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"Cannot make the originals' folder {store}: "
                            f"{exc.strerror or exc}", "choose a folder you can write") from exc
        with pg.transaction() as s:
            s.add(Setting(key=LIBRARY_ID, value=library_id))
            audit.record(s, audit.CREATION, "library", library_id,
                         {"shared": True, "name": info["name"], "store": str(store)})
    finally:
        pg.close()
    path.mkdir(parents=True, exist_ok=True)
    (path / "workbench-library.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info


def check_library_id(store: Any, info: dict[str, Any], path: Path) -> None:
    """Refuse a database that is not the one the marker was made for."""
    from ..models import Setting
    from ..store_pg import safe_url

    with store.read() as s:
        row = s.get(Setting, LIBRARY_ID)
        found = None if row is None else row.value
    if found != info.get("library_id"):
        raise LibraryError(
            f"The database {safe_url(info['database'])} named by the marker at {path} holds "
            + ("no Workbench library" if found is None else "another library"),
            "ask for the marker of the shared library you mean to open")


def open_library(cls: Any, path: Path, info: dict[str, Any], *, writable: bool,
                 attach_index: bool) -> Any:
    """The ``Library`` (``cls``) of the shared library whose marker ``info`` is at ``path``.

    Opened for writing, the schema is brought to head and the search index attached at once
    (its drift check catches up with others' changes meanwhile); read-only, neither.
    """
    from ..store_pg import ServerWriter, open_pg_store

    for key in ("store", "library_id"):
        if not isinstance(info.get(key), str):
            raise LibraryError(f"The shared library's marker at {path} names no {key}",
                               "ask for the marker of the shared library you mean to open")
    store = open_pg_store(info["database"], upgrade_schema=writable)
    try:
        check_library_id(store, info, path)
        lib = cls(path, store, ServerWriter() if writable else None,
                  originals=Path(info["store"]),
                  index_dir=cache_dir(info["library_id"]) / "index")
    except BaseException:
        store.close()
        raise
    lib.shared = True
    if attach_index:
        lib._index = None  # attached on first use, by the library itself
        if writable:
            try:
                _ = lib.index  # at once: its writer thread checks it against the database
            except BaseException:
                lib.close()
                raise
    return lib
