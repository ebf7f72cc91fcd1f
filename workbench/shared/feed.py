"""Others' changes to a shared library, for every desktop that has it open (issue 19 part 5).

Every change is already an audit event, numbered in one sequence: what changed after the
event a desktop saw last is the events after it, read back as the ``Changes`` its window
applies to its own edits (``changes_from``). Each commit on the server also sends
``NOTIFY workbench_changes, '<seq>'`` (store_pg); ``ChangeListener`` waits for it on a
connection of its own, on a background thread, and when it cannot listen polls every two
seconds instead. A personal library has one writer, this desktop: nothing to listen for.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from .. import audit
from ..changes import Changes
from ..models import AuditEvent

if TYPE_CHECKING:
    from ..library import Library

log = logging.getLogger(__name__)

CHANNEL = "workbench_changes"
POLL_SECONDS = 2.0  # when LISTEN is not possible; also how long a lost connection waits
_WAIT = 0.5  # how often the listening thread looks whether it was stopped

# Events that change nothing a window shows (exports, checks, backups).
_QUIET = {audit.DISSEMINATION, audit.FIXITY_CHECK, audit.REPLICATION}


def changes_from(events: Iterable[tuple[str, str, str | None]]) -> Changes:
    """``Changes`` for audit events given as (event type, object type, object id)."""
    ch = Changes()
    for event_type, object_type, object_id in events:
        if event_type in _QUIET:
            continue
        oid = int(object_id) if object_id is not None and object_id.isdigit() else None
        if object_type == "document":
            ch.documents = ch.collections = ch.index = True
            if event_type == audit.MODIFICATION:  # a record, its tags or a new text layer
                ch.records = ch.tags = True
            if oid is not None:
                ch.document_ids.append(oid)
        elif object_type in ("highlight", "highlights"):
            ch.highlights = ch.tags = True
            if oid is not None and object_type == "highlight":
                ch.highlight_ids.append(oid)
        elif object_type == "tag":
            ch.tags = True
        elif object_type == "dossier":
            ch.dossiers = True
            if oid is not None:
                ch.dossier_ids.append(oid)
        elif object_type == "collection":
            ch.collections = True
        elif object_type == "entity":
            ch.entities = True
        elif object_type in ("event", "events"):
            ch.events = True
        elif object_type == "highlight_link":
            ch.links = True
        elif object_type == "document_copy":
            ch.copies = True
        elif object_type in ("saved_search", "alias_group"):
            ch.searches = True
    return ch


def latest(library: Library) -> int:
    with library.read() as s:
        return int(s.execute(select(func.max(AuditEvent.id))).scalar() or 0)


def changes_since(library: Library, seq: int | None) -> tuple[int, Changes]:
    """(the newest event's number, what the events after ``seq`` changed); with ``seq``
    None, only the number to start from."""
    if seq is None:
        return latest(library), Changes()
    with library.read() as s:
        rows = s.execute(select(AuditEvent.id, AuditEvent.event_type, AuditEvent.object_type,
                                AuditEvent.object_id)
                         .where(AuditEvent.id > seq).order_by(AuditEvent.id)).all()
    if not rows:
        return seq, Changes()
    return int(rows[-1][0]), changes_from((r[1], r[2], r[3]) for r in rows)


class ChangeListener:
    """Calls ``on_change()`` (on its own thread) soon after any desktop commits a change to
    the shared library at ``conninfo``: at once on PostgreSQL's NOTIFY, or within
    ``poll`` seconds when it cannot listen. The callback fetches what changed itself
    (``changes_since``); it may be called with nothing new, never misses a change."""

    def __init__(self, conninfo: str, on_change: Callable[[], None],
                 poll: float = POLL_SECONDS) -> None:
        self.conninfo, self.on_change, self.poll = conninfo, on_change, poll
        self.listening = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="workbench-changes",
                                        daemon=True)

    def start(self) -> ChangeListener:
        self._thread.start()
        return self

    def stop(self, wait: float = 2.0) -> None:
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(wait)

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def _tell(self) -> None:
        if self._stop.is_set():
            return
        try:
            self.on_change()
        except Exception:  # the caller's trouble must not end the listening
            log.exception("a change listener's callback failed")

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening = True
                    self._tell()  # whatever was committed while not listening
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=_WAIT, stop_after=1):
                            self._tell()
            except Exception as exc:  # no server for now: poll until it is back
                log.info("listening for changes failed (%s); polling", type(exc).__name__)
            self.listening = False
            if not self._stop.wait(self.poll):
                self._tell()


def conninfo_of(library: Library) -> str | None:
    """The libpq URI of a shared library's server (no password: libpq finds it), or None
    for a personal library."""
    url = library.store.engine.url
    if url.get_backend_name() != "postgresql":
        return None
    return str(url.set(drivername="postgresql").render_as_string(hide_password=False))


class SharedChangesMixin:
    """The facade's part: what others changed, and a listener that says when."""

    library: Library

    def changes_since(self, seq: int | None) -> tuple[int, Changes]:
        """What the changes after audit event ``seq`` changed, as the ``Changes`` a window
        applies, and the number to ask from next time (``None``: where to start)."""
        return changes_since(self.library, seq)

    def listen_for_changes(self, on_change: Callable[[], None],
                           poll: float = POLL_SECONDS) -> ChangeListener | None:
        """A started ``ChangeListener`` on a shared library (None on a personal one, whose
        only writer is this desktop). Closing the library stops it."""
        conninfo = conninfo_of(self.library)
        if conninfo is None:
            return None
        tell = on_change
        follower = self.__dict__.get("_local_follower")
        if follower is None:  # a local index of the case follows the changes too (follow.py)
            from .follow import start_following

            follower = start_following(self.library, latest(self.library))
            self.__dict__["_local_follower"] = follower
        if follower is not None:
            def tell() -> None:
                try:  # first: the caller then searches an index that holds the change
                    follower.catch_up()
                except Exception:  # the index is derived: the next word or open repairs it
                    log.exception("the local index did not follow a change")
                on_change()
        listener = ChangeListener(conninfo, tell, poll).start()
        self.__dict__.setdefault("_change_listeners", []).append(listener)
        return listener

    def stop_listening(self) -> None:
        """Stop every listener this facade started (``close`` does)."""
        for listener in self.__dict__.pop("_change_listeners", []):
            listener.stop()
        follower = self.__dict__.pop("_local_follower", None)
        if follower is not None:
            follower.stop()
