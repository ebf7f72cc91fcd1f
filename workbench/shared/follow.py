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
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from .. import audit
from ..models import AuditEvent, CollectionMember

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..library import Library

log = logging.getLogger(__name__)

WAIT_INDEXED = 5.0  # seconds the listener waits for the local writer before telling others
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


class LocalFollower:
    """Applies the events after ``seq`` to the library's local index; thread-safe."""

    def __init__(self, library: Library, seq: int) -> None:
        self.library, self.seq = library, seq
        self._lock = threading.Lock()
        self._stopped = False

    def catch_up(self) -> tuple[list[int], list[int]]:
        """Index again and drop what the events since the last call name; (changed, removed)."""
        with self._lock:
            if self._stopped:
                return [], []
            with self.library.read() as s:
                rows = s.execute(select(AuditEvent.id, AuditEvent.event_type,
                                        AuditEvent.object_type, AuditEvent.object_id,
                                        AuditEvent.details)
                                 .where(AuditEvent.id > self.seq).order_by(AuditEvent.id)).all()
                if not rows:
                    return [], []
                changed, removed = touched(s, ((r[1], r[2], r[3], r[4]) for r in rows))
            self.seq = int(rows[-1][0])
            local = local_index_of(self.library)
            if local is None:  # not attached yet: its check on attaching sees all this
                return [], []
            if removed:
                local.documents_removed(sorted(removed))
            if changed:
                local.documents_changed(sorted(changed))
        if changed or removed:
            local.wait_idle(WAIT_INDEXED)
        return sorted(changed), sorted(removed)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True


def start_following(library: Library, seq: int) -> LocalFollower | None:
    """A follower for a shared case searched locally (None otherwise), from event ``seq``.
    An index attached before this started may have missed what came between: its drift
    check is asked to look again (new, changed and deleted texts)."""
    from ..search import shared_search_choice

    if not getattr(library, "shared", False) or shared_search_choice() != "local":
        return None
    local = local_index_of(library)
    if local is not None:
        local.check()
    return LocalFollower(library, seq)
