"""A library on disk: the folder, its database, its originals, its lock and its index hook.

Layout of a library folder::

    workbench-library.json   marker with the folder format version
    library.sqlite           the database: the truth
    originals/               content-addressed originals (see blobs.py)
    index/                   the derived search index (rebuildable from the database)
    backups/                 database copies taken before upgrades
    library.lock             the writer lock (see lock.py)
    audit-head.json          the audit chain's last event and the library id (audit_head.py)
    keys.json                an encrypted library's wrapped data key (crypto/keys.py)

A library opened read-only takes no lock and repairs nothing, so a second process can still
list or search while the GUI writes. A library whose folder cannot be written (a read-only
disk or share) opens only read-only: it writes nothing at all, not even SQLite's ``-shm``
file, and opening it for writing says it is read-only (``LibraryReadOnly``).

An encrypted library (``Library.create(path, passphrase=...)``) is opened with
``Library.open(path, passphrase=...)``; see ``workbench/crypto/`` for what is encrypted.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from . import __version__, audit_head, shared
from .blobs import BlobStore
from .crypto import is_encrypted, registry, scratch
from .damage import reported, restore_hint
from .errors import LibraryDamaged, LibraryError, LibraryReadOnly, NotFound
from .lock import WriterLock
from .models import Setting
from .store import Store, refuse_newer, stored_revision
from .write_errors import writes_to

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .crypto.keys import LibraryKey
    from .store_pg import ServerWriter

MARKER = "workbench-library.json"
DB_NAME = "library.sqlite"
FORMAT_VERSION = 2  # the newest marker this build opens; 2: a shared library's (shared/)
PERSONAL_FORMAT = 1


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
    # True for a shared library (workbench/shared/): others may write to it at the same time
    shared = False

    def __init__(self, path: Path, store: Store, lock: WriterLock | ServerWriter | None,
                 key: LibraryKey | None = None, *, originals: Path | None = None,
                 index_dir: Path | None = None) -> None:
        self.path = path
        self.store = store
        self.lock = lock
        # An encrypted library's key (None for a plain one): its originals, index files and
        # temporary files are sealed or kept in memory (workbench/crypto/).
        self.key = key
        # A shared library's originals and index live elsewhere (workbench/shared/)
        self.originals = BlobStore(originals or path / "originals", key=key)
        self._index_dir = index_dir or path / "index"
        # None: the search index is attached when first used (see ``index``).
        self._index: IndexHook | None = NullIndex()
        self._attaching = threading.Lock()
        self._scratch: Path | None = None
        if key is not None:
            self._scratch = scratch.make()
            scratch.redirect_tempdir(self._scratch)
            registry.register(self.index_dir, key.file_key)

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, program: str = "workbench", *,
               passphrase: str | None = None, index_on_first_use: bool = False) -> Library:
        """Create a library (an encrypted one with ``passphrase``), or open the one there."""
        path = Path(path).absolute()
        if (path / MARKER).exists():
            return cls.open(path, program=program, passphrase=passphrase,
                            index_on_first_use=index_on_first_use)
        if path.exists() and any(path.iterdir()):
            raise LibraryError(
                f"Cannot create a library in {path}: the folder is not empty",
                "choose an empty or new folder",
            )
        from .crypto import keys as crypto_keys  # cryptography: only for an encrypted one

        if passphrase is not None:
            crypto_keys.check_new_passphrase(passphrase)
        path.mkdir(parents=True, exist_ok=True)
        key = crypto_keys.create(path, passphrase) if passphrase is not None else None
        marker: dict[str, Any] = {"format": PERSONAL_FORMAT,
                                  "created_by": f"workbench {__version__}"}
        if key is not None:
            marker["encrypted"] = True
        (path / MARKER).write_text(json.dumps(marker), encoding="utf-8")
        return cls.open(path, program=program, key=key, index_on_first_use=index_on_first_use)

    @classmethod
    def open(
        cls, path: Path, *, writable: bool = True, program: str = "workbench",
        attach_index: bool = True, passphrase: str | None = None, key: LibraryKey | None = None,
        index_on_first_use: bool = False,
    ) -> Library:
        """Open the library at ``path``. An encrypted one needs its ``passphrase`` (else
        ``PassphraseRequired``; a wrong one: ``WrongPassphrase``) or its unwrapped ``key``
        (e.g. of the library a backup copy was taken from). ``index_on_first_use``: a writable
        library's search index too is attached when first used (``index``), not at once (the
        desktop app attaches it once its list is shown: importing the engine takes a while)."""
        path = Path(path).absolute()
        marker = path / MARKER
        if not marker.exists():
            raise NotFound(
                f"No Workbench library at {path}",
                "create one with `workbench init`, or pass --library PATH",
            )
        try:
            info = json.loads(marker.read_text(encoding="utf-8"))
            fmt = info.get("format", 0)
        except (ValueError, AttributeError) as exc:
            raise LibraryError(f"The library marker {marker} is unreadable") from exc
        if fmt > FORMAT_VERSION:
            raise LibraryError(
                f"The library at {path} was made by a newer Workbench (format {fmt})",
                "update Workbench to open it",
            )
        if shared.is_shared(info):
            return shared.open_library(cls, path, info, writable=writable,
                                       attach_index=attach_index)
        if key is None and is_encrypted(path):
            from .crypto.keys import unlock  # cryptography: only for an encrypted library

            key = unlock(path, passphrase)
        # Before the lock, the read-only test file and the upgrade's backup: a library a newer
        # Workbench wrote is refused without a byte or a file of it changed.
        refuse_newer(stored_revision(path / DB_NAME, key.db_key_hex if key else None), path)
        lock = None
        if writable:
            refuse_read_only(path)
            lock = WriterLock(path, program)
            lock.acquire()
        lib: Library | None = None
        try:
            with reported(path), writes_to(path, "opening it for writing"):
                store = _guarded_open(path, writable, key)
            lib = cls(path, store, lock, key)
            if writable and (path / "audit-pending").is_dir():  # pending_events.PENDING_DIR
                from .pending_events import record_left

                record_left(lib)  # what an export beside this writer's predecessor left
            if attach_index and writable and not index_on_first_use:
                from .search import attach

                # At once: its writer thread checks the index against the database meanwhile.
                lib.index = attach(lib)
            elif attach_index:
                # A reader attaches it when it first searches: `list` or `show` then never
                # load the search engine (tests/core/test_cli_imports.py).
                lib._index = None
        except BaseException:
            if lib is not None:
                lib._drop_scratch()
            if lock:
                lock.release()
            raise
        return lib

    @property
    def index(self) -> IndexHook:
        """The search index hook; on a library opened read-only, attached on first use."""
        if self._index is None:
            with self._attaching:
                if self._index is None:
                    from .search import attach

                    self._index = attach(self)
        return self._index

    @index.setter
    def index(self, hook: IndexHook) -> None:
        self._index = hook

    def close(self) -> None:
        try:
            if self._index is not None:  # never attached: nothing to close
                self._index.close()
        finally:
            self.store.close()
            self._drop_scratch()
            if self.lock:
                self.lock.release()

    def _drop_scratch(self) -> None:
        if self._scratch is not None:
            registry.unregister(self.index_dir)
            scratch.restore_tempdir()
            scratch.remove(self._scratch)
            self._scratch = None

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
        return self._index_dir

    @property
    def tmp_dir(self) -> Path:
        """Where temporary files of this library go: its ``tmp/`` folder, or for an
        encrypted library a private folder in memory, deleted on close (crypto/scratch.py)."""
        if self._scratch is not None:
            return self._scratch
        d = self.path / "tmp"
        d.mkdir(exist_ok=True)
        return d

    def require_writable(self) -> None:
        if not self.writable:
            refuse_read_only(self.path)  # say why when its folder cannot be written
            raise LibraryError("The library is open read-only", "open it for writing")

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        self.require_writable()
        with reported(self.path), writes_to(self.path, "saving the change"), \
                self.store.transaction() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Any]:  # Any, as before: callers' inference stays the same
        with reported(self.path), self.store.read() as session:
            yield session

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


def _guarded_open(path: Path, writable: bool, key: LibraryKey | None = None) -> Store:
    """Open the database only when it is the one this library recorded (audit_head.py): an
    empty one is not re-created by the schema upgrade, nor written into."""
    empty = audit_head.empty_database_problem(path, path / DB_NAME)
    if empty:
        raise LibraryDamaged(f"The library database cannot be used: {empty}",
                             restore_hint(path))
    db_key = key.db_key_hex if key is not None else None
    if not writable:
        return _open_readonly(path, db_key)
    store = Store.open_sqlite(path / DB_NAME, db_key)
    try:
        keeper = audit_head.HeadKeeper(path, store.engine)
        keeper.open_check(restore_hint(path))
    except BaseException:
        store.close()
        raise
    store.on_audit_commit = keeper.after_commit
    store.audit_batch = keeper.batch
    return store


def write_problem(path: Path) -> str | None:
    """None when files can be created in the library folder, else why not (the system's
    words). A real file is tried: permissions, ACLs and network shares make ``os.access``
    guess wrong."""
    try:
        fd, name = tempfile.mkstemp(prefix=".write-test-", dir=path)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return exc.strerror or str(exc)
        return None  # e.g. a full disk: not read-only, and the write itself will say so
    os.close(fd)
    os.unlink(name)
    return None


def refuse_read_only(path: Path) -> None:
    """Raise ``LibraryReadOnly`` when the library at ``path`` cannot be written."""
    problem = write_problem(path)
    what = "folder"
    if problem is None and (path / DB_NAME).exists() and not os.access(path / DB_NAME, os.W_OK):
        problem, what = "permission denied", "database file"
    if problem is not None:
        raise LibraryReadOnly(
            f"The library at {path} is read-only (its {what} cannot be written): {problem}",
            "only reading works there: list, show, search, audit, verify, export; copy the "
            "library to a writable folder to change it")


def _open_readonly(path: Path, db_key: str | None = None) -> Store:
    from sqlalchemy.exc import OperationalError

    from .store import is_current, make_readonly_engine

    db = path / DB_NAME
    wal = path / f"{DB_NAME}-wal"
    pending = wal.exists() and wal.stat().st_size > 0
    # In a folder nobody can write, the database cannot change: SQLite may read it without
    # its -shm file, which it could not create there (unless a -wal still holds changes).
    frozen = not os.access(path, os.W_OK) and not pending
    engine = make_readonly_engine(db, immutable=frozen, key=db_key)
    try:
        try:
            current = is_current(engine)
        except OperationalError:
            if frozen or pending:
                raise
            # The -shm could not be made in a folder that can be written: its disk is full.
            # With no -wal holding changes the file alone is the database: read it so.
            engine.dispose()
            engine = make_readonly_engine(db, immutable=True, key=db_key)
            current = is_current(engine)
    except OperationalError as exc:
        engine.dispose()
        if pending and not os.access(path, os.W_OK):
            raise LibraryError(
                f"The library at {path} cannot be read from this read-only folder: its "
                f"latest changes are still in {wal.name} (it was not closed cleanly)",
                "open it once where its folder can be written, or copy it to such a "
                "folder") from exc
        raise LibraryError(f"The library database {db} cannot be read: {exc.orig}") from exc
    if not current:
        engine.dispose()
        raise LibraryError(
            f"The library at {path} needs an upgrade",
            "open it once for writing (e.g. `workbench verify`) to upgrade it",
        )
    return Store(engine)
