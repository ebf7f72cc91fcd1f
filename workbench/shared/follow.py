"""A desktop's own index of a shared case follows the change sequence (issue 19 part 4).

With ``WORKBENCH_SHARED_SEARCH=local`` a desktop searches its own Whoosh index of the case
(``search.postgres.LocalIndex``). The desktop that commits a change updates its own index;
what others commit reaches this one here: every change is an audit event in one sequence, so
the events after the last one applied name the documents to index again (imported, edited,
re-read, tagged, highlighted, put in or out of a collection, or under a renamed or moved tag)
and those to drop (deleted). ``LocalFollower.catch_up`` reads them and hands them to the local
index's writer; the facade's ``listen_for_changes`` calls it on the listener's own thread
before telling the caller, so the window (and any headless caller that listens) searches an
index that already holds the change. A change to the text of a document a check would see is
also caught by the index's drift check on the next open. A tag deleted elsewhere takes its
links with it, so its event names the documents that wore it (``document_ids``): they are
indexed again without it. (An older event, from before it named them, cannot: those
documents keep the tag in the local index until they next change or ``reindex``.)

The index remembers the last event it applied (``followed.json`` beside it: the library's id,
the event's number and hash), written atomically once a batch is in the index and again at
close. Opening the case follows on from there, so what others changed while this desktop had
it closed (a tag renamed, a document tagged or put in a collection) reaches the index on
opening. A position that cannot be trusted (none, another library's, ahead of the database,
or naming an event whose hash is no longer there: a restored or replaced database) is not
followed: the index is rebuilt and follows on from the newest event read before the rebuild.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from .. import audit
from ..audit_head import LIBRARY_ID
from ..models import AuditEvent, CollectionMember, Setting

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..library import Library

log = logging.getLogger(__name__)

WAIT_INDEXED = 5.0  # seconds the listener waits for the local writer before telling others
POSITION = "followed.json"  # beside the local index: the last event it holds
Event = tuple[str, str, "str | None", str]  # event type, object type, object id, details


def _int(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def touched(session: Session, events: Iterable[Event]) -> tuple[set[int], set[int]]:
    """(documents to index again, documents to drop) after ``events``."""
    changed: set[int] = set()
    removed: set[int] = set()
    tags: set[int] = set()
    collections: set[int] = set()
    for event_type, object_type, object_id, body in events:
        if event_type in (audit.DISSEMINATION, audit.FIXITY_CHECK, audit.REPLICATION):
            continue
        oid = _int(object_id)
        try:
            d = json.loads(body or "{}")
        except ValueError:
            d = {}
        if not isinstance(d, dict):
            d = {}
        if object_type == "document" and oid is not None:
            if event_type == audit.DELETION:
                removed.add(oid)
                changed.discard(oid)
            else:
                changed.add(oid)
                removed.discard(oid)
        elif object_type == "highlight" and _int(d.get("document_id")) is not None:
            changed.add(int(d["document_id"]))  # a document's tags include its highlights'
        elif object_type == "collection":
            for key in ("added_documents", "removed_documents"):
                changed.update(i for i in (d.get(key) or []) if isinstance(i, int))
            if d.get("operation") == "rename" and oid is not None:
                collections.add(oid)
        elif object_type == "tag" and oid is not None and event_type == audit.MODIFICATION:
            tags.add(oid)  # renamed, moved, merged into: its documents' tag paths changed
        elif object_type == "tag" and event_type == audit.DELETION:
            # Its links are gone with it: only the event still says which documents wore it
            # (or one of its sub-tags), so theirs are indexed again without it.
            changed.update(i for i in (d.get("document_ids") or []) if isinstance(i, int))
    if tags:
        from ..annotate.tags import affected_documents, descendants

        every = set(tags)
        for tag_id in tags:
            every.update(descendants(session, tag_id))
        changed.update(affected_documents(session, sorted(every)))
    if collections:
        changed.update(session.execute(select(CollectionMember.document_id).where(
            CollectionMember.collection_id.in_(collections))).scalars())
    return changed - removed, removed


def local_index_of(library: Library) -> Any | None:
    """The local Whoosh index serving a shared case's searches, once attached; else None
    (a personal library, the server's index, or an index not attached yet: attaching runs
    the drift check, which catches up by itself)."""
    if not getattr(library, "shared", False):
        return None
    hook = getattr(library, "_index", None)
    return getattr(hook, "local", None)


@dataclass(frozen=True)
class Start:
    """Where a local index follows on from when the case opens (read before its writer
    starts, so a rebuild it begins reads the database after ``seq``)."""

    library_id: str
    seq: int  # the index's own position, or (not trusted) the newest event now
    hash: str  # of event ``seq``
    trusted: str | None  # None, or why the index's position cannot be followed on from


def _read_position(index_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((index_dir / POSITION).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_position(index_dir: Path, library_id: str, seq: int, hash_: str) -> None:
    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = index_dir / (POSITION + ".tmp")
    tmp.write_text(json.dumps({"library_id": library_id, "seq": seq, "hash": hash_}),
                   encoding="utf-8")
    os.replace(tmp, index_dir / POSITION)  # never half a position


def start_of(library: Library) -> Start:
    """Whether the local index's stored position can be followed on from, and from where."""
    stored = _read_position(library.index_dir)
    with library.read() as s:
        row = s.get(Setting, LIBRARY_ID)
        library_id = "" if row is None else str(row.value)
        newest = int(s.execute(select(func.max(AuditEvent.id))).scalar() or 0)
        head = s.execute(select(AuditEvent.hash).where(AuditEvent.id == newest)).scalar() or ""
        seq = _int(stored.get("seq")) if stored else None
        why: str | None = None
        if stored is None or seq is None:
            why = "its place in the change sequence is unknown"
        elif stored.get("library_id") != library_id:
            why = "its place in the change sequence is another library's"
        elif seq > newest:
            why = "its place in the change sequence is ahead of the database"
        elif seq and s.execute(select(AuditEvent.hash).where(AuditEvent.id == seq)
                               ).scalar() != stored.get("hash"):
            why = "the event it followed up to is no longer in the database"
    if why is not None or stored is None or seq is None:
        return Start(library_id, newest, str(head), why)
    return Start(library_id, seq, str(stored.get("hash") or ""), None)


class LocalFollower:
    """Applies the events after ``seq`` to a local index (``local``, else the library's once
    attached); thread-safe. With ``start`` it keeps that index's position (``followed.json``)
    and ``generation`` tells it whether the rebuild it asked for is done."""

    def __init__(self, library: Library, seq: int, local: Any | None = None, *,
                 start: Start | None = None,
                 generation: Callable[[], str | None] | None = None) -> None:
        self.library, self.seq, self.local = library, seq, local
        self.start = start
        self._hash = start.hash if start else ""
        self._generation = generation
        self._rebuild_from: tuple[str | None] | None = None  # the generation to replace
        self._lock = threading.Lock()
        self._stopped = False

    def _writer(self) -> Any | None:
        return getattr(self.local, "worker", None)

    def begin(self) -> None:
        """On opening: follow on from the position, or rebuild when it cannot be trusted.
        Hands the documents to the writer and returns (it indexes them meanwhile)."""
        writer = self._writer()
        if self.start is None or writer is None:
            return
        if self.start.trusted is None:
            self.catch_up(wait=False)
            return
        gen = self._generation() if self._generation else None
        self._rebuild_from = (gen,)
        if gen is not None:  # no index at all: its writer's check is building one already
            log.info("rebuilding the local index: %s", self.start.trusted)
            writer.request_rebuild(self.start.trusted)

    def catch_up(self, wait: bool = True) -> tuple[list[int], list[int]]:
        """Index again and drop what the events since the last call name; (changed, removed)."""
        with self._lock:
            if self._stopped:
                return [], []
            with self.library.read() as s:
                rows = s.execute(select(AuditEvent.id, AuditEvent.event_type,
                                        AuditEvent.object_type, AuditEvent.object_id,
                                        AuditEvent.details, AuditEvent.hash)
                                 .where(AuditEvent.id > self.seq).order_by(AuditEvent.id)).all()
                if rows:
                    changed, removed = touched(s, ((r[1], r[2], r[3], r[4]) for r in rows))
            if not rows:
                if wait:
                    self._save()  # a rebuild or an earlier batch may have finished since
                return [], []
            self.seq, self._hash = int(rows[-1][0]), str(rows[-1][5])
            local = self.local if self.local is not None else local_index_of(self.library)
            if local is None:  # not attached yet: its check on attaching sees all this
                return [], []
            if removed:
                local.documents_removed(sorted(removed))
            if changed:
                local.documents_changed(sorted(changed))
        if wait and (not (changed or removed) or local.wait_idle(WAIT_INDEXED)):
            with self._lock:
                self._save()
        return sorted(changed), sorted(removed)

    def _save(self) -> None:
        """Write the position once everything up to it is in the index (caller holds the
        lock). Not while the writer is busy or a write failed, nor before the rebuild asked
        for replaced the index."""
        writer = self._writer()
        if self.start is None or writer is None or not self.start.library_id:
            return
        if not writer.idle or getattr(writer, "incomplete", False):
            return
        if self._rebuild_from is not None:
            gen = self._generation() if self._generation else None
            if gen is None or gen == self._rebuild_from[0]:
                return  # not rebuilt yet, or the rebuild was abandoned
            self._rebuild_from = None
        try:
            _write_position(self.library.index_dir, self.start.library_id, self.seq, self._hash)
        except OSError:  # the index is derived: the next open rebuilds it at worst
            log.warning("could not keep the local index's position", exc_info=True)

    def closed(self) -> None:
        """After the local index's writer drained and stopped: keep the position reached."""
        with self._lock:
            self._stopped = True
            self._save()

    def stop(self) -> None:
        """A listener stopped. The local index's own follower goes on until it is closed."""
        if self.start is None:
            with self._lock:
                self._stopped = True


def start_following(library: Library, seq: int) -> LocalFollower | None:
    """The follower for a shared case searched locally (None otherwise): the local index's
    own, which follows on from its stored position; else one from event ``seq``, whose
    index's drift check is asked to look again for what came between."""
    from ..search import shared_search_choice

    if not getattr(library, "shared", False) or shared_search_choice() != "local":
        return None
    own = getattr(getattr(library, "_index", None), "follower", None)
    if isinstance(own, LocalFollower):
        return own
    local = local_index_of(library)
    if local is not None:
        local.check()
    return LocalFollower(library, seq)
