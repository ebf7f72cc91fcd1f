"""A library on disk: the folder, its database, its originals, its lock and its index hook.

Layout of a library folder::

    workbench-library.json   marker with the folder format version
    library.sqlite           the database: the truth
    originals/               content-addressed originals (see blobs.py)
    index/                   the derived search index (rebuildable from the database)
    backups/                 database copies taken before upgrades
    library.lock             the writer lock (see lock.py)

A library opened read-only takes no lock and repairs nothing, so a second process can still
list or search while the GUI writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from . import __version__
from .blobs import BlobStore
from .errors import LibraryError, NotFound
from .lock import WriterLock
from .models import Setting
from .store import Store

MARKER = "workbench-library.json"
DB_NAME = "library.sqlite"
FORMAT_VERSION = 1


class IndexHook(Protocol):
    """What the library tells the search index; the search package provides the real one."""

    def documents_changed(self, ids: list[int]) -> None: ...

    def documents_removed(self, ids: list[int]) -> None: ...

    def close(self) -> None: ...


class NullIndex:
    def documents_changed(self, ids: list[int]) -> None:
        pass

    def documents_removed(self, ids: list[int]) -> None:
        pass

    def close(self) -> None:
        pass


class Library:
    def __init__(self, path: Path, store: Store, lock: WriterLock | None) -> None:
        self.path = path
        self.store = store
        self.lock = lock
        self.originals = BlobStore(path / "originals")
        self.index: IndexHook = NullIndex()

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, program: str = "workbench") -> Library:
        path = Path(path).absolute()
        if (path / MARKER).exists():
            return cls.open(path, program=program)
        if path.exists() and any(path.iterdir()):
            raise LibraryError(
                f"Cannot create a library in {path}: the folder is not empty",
                "choose an empty or new folder",
            )
        path.mkdir(parents=True, exist_ok=True)
        (path / MARKER).write_text(
            json.dumps({"format": FORMAT_VERSION, "created_by": f"workbench {__version__}"}),
            encoding="utf-8",
        )
        return cls.open(path, program=program)

    @classmethod
    def open(
        cls, path: Path, *, writable: bool = True, program: str = "workbench",
        attach_index: bool = True,
    ) -> Library:
        path = Path(path).absolute()
        marker = path / MARKER
        if not marker.exists():
            raise NotFound(
                f"No Workbench library at {path}",
                "create one with `workbench init`, or pass --library PATH",
            )
        try:
            fmt = json.loads(marker.read_text(encoding="utf-8")).get("format", 0)
        except ValueError as exc:
            raise LibraryError(f"The library marker {marker} is unreadable") from exc
        if fmt > FORMAT_VERSION:
            raise LibraryError(
                f"The library at {path} was made by a newer Workbench (format {fmt})",
                "update Workbench to open it",
            )
        lock = None
        if writable:
            lock = WriterLock(path, program)
            lock.acquire()
        try:
            store = Store.open_sqlite(path / DB_NAME) if writable else _open_readonly(path)
            lib = cls(path, store, lock)
            if attach_index:
                from .index import attach

                lib.index = attach(lib)
        except BaseException:
            if lock:
                lock.release()
            raise
        return lib

    def close(self) -> None:
        try:
            self.index.close()
        finally:
            self.store.close()
            if self.lock:
                self.lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- helpers ---------------------------------------------------------------------------

    @property
    def writable(self) -> bool:
        return self.lock is not None and self.lock.held

    @property
    def db_path(self) -> Path:
        return self.path / DB_NAME

    @property
    def index_dir(self) -> Path:
        return self.path / "index"

    @property
    def tmp_dir(self) -> Path:
        d = self.path / "tmp"
        d.mkdir(exist_ok=True)
        return d

    def require_writable(self) -> None:
        if not self.writable:
            raise LibraryError("The library is open read-only", "open it for writing")

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        self.require_writable()
        with self.store.transaction() as session:
            yield session

    def read(self) -> Any:
        return self.store.read()

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.store.read() as s:
            row = s.get(Setting, key)
            return default if row is None else row.value

    def set_setting(self, session: Session, key: str, value: Any) -> None:
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value


def _open_readonly(path: Path) -> Store:
    from .store import is_current, make_engine

    engine = make_engine(f"sqlite:///{path / DB_NAME}")
    if not is_current(engine):
        engine.dispose()
        raise LibraryError(
            f"The library at {path} needs an upgrade",
            "open it once for writing (e.g. `workbench verify`) to upgrade it",
        )
    return Store(engine)
