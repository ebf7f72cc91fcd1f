"""The tamper-evident audit log: the library's chain of custody.

Every change to the library appends one event. Each event stores the SHA-256 of the previous
event's canonical serialization, and its own hash over its fields plus that link, so editing,
deleting, inserting or reordering any event breaks the chain at a point ``verify_chain`` names.
Event types follow PREMIS names where they fit (ingestion, fixity check, deletion,
modification, dissemination). Details hold ids and hashes, never document text.
"""

from __future__ import annotations

import functools
import getpass
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEvent

GENESIS = "0" * 64
# session.info key: (seq, hash) of the newest event added, and (seq, hash) of the event the
# transaction's first one links to
HEAD_INFO = "workbench.audit_head"

INGESTION = "ingestion"
FIXITY_CHECK = "fixity check"
DELETION = "deletion"
MODIFICATION = "modification"
DISSEMINATION = "dissemination"
CREATION = "creation"
REPLICATION = "replication"


# The chain's end, built once and run on the session's connection (no ORM dispatch): an
# import asks it for every document (issue 16)
_CHAIN_END = select(AuditEvent.__table__.c.id, AuditEvent.__table__.c.hash).order_by(
    AuditEvent.__table__.c.id.desc()).limit(1)

AUTHOR_ENV = "WORKBENCH_AUTHOR"  # the name a personal library's events are written under


@functools.cache
def current_actor() -> str:
    """The user logged in. Read once per process: without LOGNAME or USER set, getpass
    asks the password database, ~0.4 ms, three times for each imported document."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        return "unknown"


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(
    *, seq: int, at: str, actor: str, event_type: str, object_type: str,
    object_id: str | None, details: str, prev_hash: str, author: str | None = None,
) -> str:
    fields: dict[str, Any] = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "type": event_type,
        "object_type": object_type,
        "object_id": object_id,
        "details": details,
        "prev": prev_hash,
    }
    # Events from before authors (schema 0006) were hashed without the key: they still verify.
    if author is not None:
        fields["author"] = author
    return hashlib.sha256(canonical_json(fields).encode("utf-8")).hexdigest()


def current_author(session: Session) -> str:
    """Who writes this session's events: the database role on a server (store_pg), else the
    name configured in ``WORKBENCH_AUTHOR``, else the user logged in."""
    from .store_pg import server_role

    return server_role(session) or os.environ.get(AUTHOR_ENV) or current_actor()


def record(
    session: Session,
    event_type: str,
    object_type: str,
    object_id: str | int | None,
    details: dict[str, Any] | None = None,
    actor: str | None = None,
) -> AuditEvent:
    """Append one event inside the caller's transaction (the writer lock serialises appends;
    on a server database, an advisory lock held to the commit: store_pg.lock_audit_chain)."""
    from .store_pg import lock_audit_chain

    lock_audit_chain(session)
    last = session.connection().execute(_CHAIN_END).first()
    seq = (last[0] + 1) if last else 1
    prev = last[1] if last else GENESIS
    at = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    who = actor or current_actor()
    author = current_author(session)
    oid = None if object_id is None else str(object_id)
    body = canonical_json(details or {})
    ev = AuditEvent(
        id=seq, at=at, actor=who, event_type=event_type, object_type=object_type,
        object_id=oid, details=body, prev_hash=prev, author=author,
        hash=event_hash(seq=seq, at=at, actor=who, event_type=event_type,
                        object_type=object_type, object_id=oid, details=body, prev_hash=prev,
                        author=author),
    )
    session.add(ev)
    session.flush()
    # The store moves the library's audit head (audit_head.py) to this event once it commits;
    # the event this transaction's first one links to tells it the chain extends the head
    # without reading the database again.
    earlier = session.info.get(HEAD_INFO)
    base = earlier[2] if earlier else (seq - 1, prev)
    session.info[HEAD_INFO] = (seq, ev.hash, base)
    return ev


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    problem: str

    def __str__(self) -> str:
        return f"audit event {self.event_id}: {self.problem}"


def verify_chain(events: Iterable[AuditEvent]) -> list[ChainProblem]:
    """Walk the chain in id order; report every event whose link or own hash does not hold."""
    problems: list[ChainProblem] = []
    prev_hash = GENESIS
    expected_seq = 1
    for ev in events:
        if ev.id != expected_seq:
            problems.append(ChainProblem(ev.id, f"sequence gap: expected event {expected_seq}"))
        if ev.prev_hash != prev_hash:
            problems.append(ChainProblem(ev.id, "link to the previous event is broken"))
        actual = event_hash(seq=ev.id, at=ev.at, actor=ev.actor, event_type=ev.event_type,
                            object_type=ev.object_type, object_id=ev.object_id,
                            details=ev.details, prev_hash=ev.prev_hash,
                            author=getattr(ev, "author", None))
        if actual != ev.hash:
            problems.append(ChainProblem(ev.id, "contents were altered after it was written"))
        prev_hash = ev.hash
        expected_seq = ev.id + 1
    return problems


def event_dict(ev: AuditEvent) -> dict[str, Any]:
    return {
        "id": ev.id, "at": ev.at, "actor": ev.actor, "type": ev.event_type,
        "object_type": ev.object_type, "object_id": ev.object_id,
        "details": json.loads(ev.details), "prev_hash": ev.prev_hash, "hash": ev.hash,
        "author": ev.author,
    }


def mentioned(library: Any, marker: str, event_type: str | None = None) -> bool:
    """Whether an audit event (of ``event_type``, when given) holds ``marker`` in its details:
    how an event left for later (a backup's id, a pending event's id) is known as appended."""
    from sqlalchemy import select

    from .models import AuditEvent

    q = select(AuditEvent.id).where(AuditEvent.details.contains(marker))
    if event_type is not None:
        q = q.where(AuditEvent.event_type == event_type)
    with library.read() as s:
        return s.execute(q.limit(1)).first() is not None
