"""The audit chain's head, kept outside the database: what the library should hold.

A database cut to zero bytes, short of its last audit rows, or swapped for an older copy or
another library's is still a valid database; the chain inside it cannot tell. So the library
folder keeps ``audit-head.json``: the sequence number and hash of the last audit event and a
random library id (also in the database's settings). Each commit that appended events moves
it forward (temporary file, fsync, rename), once the database still holds the event it
recorded before and the commits it names are on disk (the WAL is synced first: the database
commits with ``synchronous=NORMAL``, which survives a crash of the program but not a power
cut until the WAL is synced). Comparing the two:

- the database's chain is longer than the head: a crash between commit and head write; the
  head catches up at the next writable open;
- the head is ahead of the database, the event at its sequence number has another hash, or the
  library id differs: the database was truncated, replaced by an older copy or swapped.
  Opening for writing refuses (``LibraryDamaged``); ``verify`` reports it (kind ``head``).

A library from before this file has none: it is written at the next writable open.

An import's commits come in a burst, and each head write costs three fsyncs (the WAL, the
file, its folder: a quarter of a small file's import). Inside ``HeadKeeper.batch()`` (the
import pipeline's) the head moves in memory on every commit but is written at most every
``COALESCE_SECONDS``, and on leaving the batch. That only widens the window the design
already allows — the head lagging behind committed events, caught up at the next open — and
never writes a head ahead of the database.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from .atomic import write_json
from .errors import LibraryDamaged

log = logging.getLogger(__name__)

HEAD_NAME = "audit-head.json"
LIBRARY_ID = "library_id"  # the settings key holding the same id inside the database
COALESCE_SECONDS = 0.5  # the longest a head write waits inside a batch


@dataclass(frozen=True)
class Head:
    library_id: str
    seq: int
    hash: str

    def to_json(self) -> dict[str, Any]:
        return {"library_id": self.library_id, "seq": self.seq, "hash": self.hash}


@dataclass(frozen=True)
class DbState:
    """What the database says about the same things."""

    library_id: str | None
    last_seq: int
    hash_at_head: str | None  # the hash of the event at the head's sequence number


def read_head(folder: Path) -> Head | None:
    """The recorded head, or None for a library that has none yet."""
    path = folder / HEAD_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Head(str(raw["library_id"]), int(raw["seq"]), str(raw["hash"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LibraryDamaged(
            f"The library's audit head {path} is unreadable ({exc})",
            "if the database is known to be good, delete the file: it is written again") from exc


def write_head(folder: Path, head: Head) -> None:
    write_json(folder / HEAD_NAME, head.to_json())


def db_state(engine: Engine, at_seq: int) -> DbState:
    with engine.connect() as conn:
        raw_id = conn.execute(text("SELECT value FROM settings WHERE key = :k"),
                              {"k": LIBRARY_ID}).scalar()
        last = conn.execute(text("SELECT max(id) FROM audit_events")).scalar()
        at = conn.execute(text("SELECT hash FROM audit_events WHERE id = :i"),
                          {"i": at_seq}).scalar() if at_seq > 0 else None
    library_id = json.loads(raw_id) if isinstance(raw_id, str) else raw_id
    return DbState(None if library_id is None else str(library_id), int(last or 0), at)


def mismatch(head: Head, state: DbState) -> str | None:
    """Why the database is not the one the head describes (None when it is, or extends it)."""
    if state.library_id is None:
        return (f"the database carries no library id, but this folder's audit head names "
                f"library {head.library_id}: it is another library's database, or a copy "
                f"from before the id was recorded")
    if state.library_id != head.library_id:
        return (f"the database belongs to another library (id {state.library_id}, this "
                f"folder's is {head.library_id})")
    if state.last_seq < head.seq:
        return (f"the database's audit log ends at event {state.last_seq}, but this library "
                f"had recorded event {head.seq}: the database was truncated or replaced by "
                f"an older copy")
    if head.seq > 0 and state.hash_at_head != head.hash:
        return (f"audit event {head.seq} is not the one this library recorded: the database "
                f"was replaced or its log rewritten")
    return None


def empty_database_problem(folder: Path, db_path: Path) -> str | None:
    """An empty or missing database where the library says it held something: the schema
    upgrade would otherwise re-create it silently, and imports carry on into it."""
    wal = Path(str(db_path) + "-wal")
    empty = (not db_path.exists() or db_path.stat().st_size == 0) and not (
        wal.exists() and wal.stat().st_size > 0)
    if not empty:
        return None
    head = read_head(folder)
    what = "missing" if not db_path.exists() else "empty (0 bytes)"
    if head is not None and head.seq > 0:
        return (f"the library database is {what}, but this library had recorded "
                f"{head.seq} audit events")
    originals = folder / "originals"
    if originals.is_dir() and any(p.is_file() for p in originals.glob("??/??/*")):
        return f"the library database is {what}, but originals are stored in the library"
    return None


class HeadKeeper:
    """Checks the head at a writable open and moves it after each commit with events."""

    def __init__(self, folder: Path, engine: Engine) -> None:
        self.folder = folder
        self.engine = engine
        self._lock = threading.Lock()
        self.head: Head | None = None
        self._batches = 0
        self._pending = False  # self.head is ahead of the file (inside a batch)
        # Never written: -inf, not 0.0, since monotonic() counts from the machine's boot (a
        # test's hour-long coalescing on a machine up for minutes never wrote the first one).
        self._written_at = float("-inf")
        self._log: Path | None = None  # the database's commit log file, looked up once
        self._log_known = False

    def open_check(self, hint: str) -> None:
        """Refuse a database that is not this library's; catch up or create the head."""
        head = read_head(self.folder)
        if head is None:
            self.head = self._create()
            return
        state = db_state(self.engine, head.seq)
        problem = mismatch(head, state)
        if problem:
            raise LibraryDamaged(f"The library database is not the one this library "
                                 f"recorded: {problem}", hint)
        self.head = head
        if state.last_seq > head.seq:  # committed, then stopped before the head was written
            with self.engine.connect() as conn:
                last = conn.execute(text("SELECT hash FROM audit_events WHERE id = :i"),
                                    {"i": state.last_seq}).scalar_one()
            self._move(Head(head.library_id, state.last_seq, str(last)))

    def _create(self) -> Head:
        state = db_state(self.engine, 0)
        library_id = state.library_id
        if library_id is None:
            library_id = uuid.uuid4().hex
            with self.engine.begin() as conn:
                conn.execute(text("INSERT INTO settings (key, value) VALUES (:k, :v)"),
                             {"k": LIBRARY_ID, "v": json.dumps(library_id)})
        last = ""
        if state.last_seq:
            with self.engine.connect() as conn:
                last = str(conn.execute(text("SELECT hash FROM audit_events WHERE id = :i"),
                                        {"i": state.last_seq}).scalar_one())
        head = Head(library_id, state.last_seq, last)
        write_head(self.folder, head)
        return head

    def after_commit(self, seq: int, event_hash: str,
                     base: tuple[int, str] | None = None) -> None:
        """Move the head to event ``seq`` when the database still extends the recorded head.

        A database that no longer does (verify's own fixity event appended to a shortened
        log) must not heal the evidence, so the head then stays where it is. A failure to
        write is logged: the head catches up at the next writable open.
        """
        with self._lock:
            head = self.head
            if head is None or seq <= head.seq:
                return
            try:
                # The commit's first event links to the head itself (every ordinary commit):
                # the chain extends the head, so the database need not be read again.
                extends = base is not None and base == (head.seq, head.hash)
                if (not extends and head.seq > 0
                        and db_state(self.engine, head.seq).hash_at_head != head.hash):
                    log.warning("audit head not moved: the database no longer holds event %d "
                                "as recorded (run `workbench verify`)", head.seq)
                    return
                self._move(Head(head.library_id, seq, event_hash))
            except OSError as exc:
                log.warning("could not write the audit head (%s); it catches up at the next "
                            "open", exc)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Commits inside write the head at most every ``COALESCE_SECONDS``; the last one
        is written on leaving (nested batches: the outermost)."""
        with self._lock:
            self._batches += 1
        try:
            yield
        finally:
            with self._lock:
                self._batches -= 1
                if self._batches == 0 and self._pending:
                    try:
                        self._flush()
                    except OSError as exc:
                        log.warning("could not write the audit head (%s); it catches up at "
                                    "the next open", exc)

    def _move(self, head: Head) -> None:
        self.head = head
        if self._batches and time.monotonic() - self._written_at < COALESCE_SECONDS:
            self._pending = True
            return
        self._flush()

    def _flush(self) -> None:
        assert self.head is not None
        # The head is synced when written: the events it names must be on disk first, or a
        # power cut leaves a head ahead of the database, read as a swapped or cut database.
        from .store import committed_log, sync_committed

        if not self._log_known:
            self._log, self._log_known = committed_log(self.engine), True
        sync_committed(self._log)
        write_head(self.folder, self.head)
        self._pending = False
        self._written_at = time.monotonic()


def problems(folder: Path, engine: Engine) -> list[str]:
    """For ``verify``: why the database is not the one the head describes (empty when it is
    or when there is no head yet)."""
    head = read_head(folder)
    if head is None:
        return []
    found = mismatch(head, db_state(engine, head.seq))
    return [found] if found else []


def rewrite(folder: Path, engine: Engine) -> Head:
    """Make the head describe the database as it is now (after a restore put a known-good
    database in place): its library id and its last event. Creates the id if it has none."""
    (folder / HEAD_NAME).unlink(missing_ok=True)
    keeper = HeadKeeper(folder, engine)
    keeper.open_check("")
    assert keeper.head is not None
    return keeper.head
