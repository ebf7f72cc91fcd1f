"""Row versions: an edit made against what someone last saw is refused once another person
changed it since (issue 19: no lost update), in a shared or a personal library alike.

Highlights, dossiers, entities and events carry ``version`` (migration 0008), tags and
collections too (0009). It goes up by
one in every transaction that writes a ``modification`` audit event on the row: every change
the core makes writes one, so the versions follow every edit path without each having to
remember (a dossier's event also covers its items, sections and redactions). The facade's
edit methods are marked with ``versioned``: called with ``expected_version=N`` they check,
in the edit's own transaction and so under the writers' lock, that the row is still at N,
raising ``ConflictError`` naming who changed it and when (the audit log's last event on it);
with ``force=True`` the edit overwrites, and its audit event records what it replaced. An edit
whose event names another row than the one the person saw (a tag merged into another: the
event is the target's) checks that row itself with ``check``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import ConflictError
from ..models import AuditEvent, Collection, Dossier, Entity, Event, Highlight, Tag

P = ParamSpec("P")
R = TypeVar("R")

MODELS: dict[str, Any] = {"highlight": Highlight, "dossier": Dossier, "entity": Entity,
                          "event": Event, "tag": Tag, "collection": Collection}
_BUMPED = "workbench.versions_bumped"  # session.info: rows already bumped this transaction


@dataclass
class _Expectation:
    object_type: str
    version: int | None
    force: bool
    checked: bool = False


_expected: ContextVar[_Expectation | None] = ContextVar("workbench_expected_version",
                                                        default=None)


def versioned(object_type: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a facade edit method of one ``object_type`` row: its ``expected_version`` and
    ``force`` keywords (which it declares, and need not use) are checked against the row
    when the edit writes its audit event."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            expected: Any = kwargs.get("expected_version")
            force = bool(kwargs.get("force"))
            if expected is None and not force:
                return fn(*args, **kwargs)
            token = _expected.set(_Expectation(object_type,
                                               None if expected is None else int(expected),
                                               force))
            try:
                return fn(*args, **kwargs)
            finally:
                _expected.reset(token)

        return wrapper

    return decorate


def last_change(session: Session, object_type: str, object_id: str) -> tuple[str, str]:
    """(author, time) of the newest committed audit event on the row."""
    with session.no_autoflush:
        row = session.execute(
            select(AuditEvent.author, AuditEvent.actor, AuditEvent.at)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.id.desc()).limit(1)).first()
    if row is None:
        return "someone", "an unknown time"
    return str(row[0] or row[1]), _when(row[2])


def _when(at: str) -> str:
    # "2026-12-07T04:20:31.123456Z" → "2026-12-07 04:20:31 UTC": a person reads it
    return at.replace("T", " ").split(".")[0].rstrip("Z") + " UTC"


def _conflict(session: Session, object_type: str, object_id: str, current: int,
              expectation: _Expectation) -> dict[str, Any]:
    """Refuse (``ConflictError``) or, forced, what the overwrite replaced."""
    author, at = last_change(session, object_type, object_id)
    if not expectation.force:
        raise ConflictError(
            f"Changed by {author} at {at} since you opened it: reload to see their change, "
            "or overwrite",
            f"{object_type} {object_id} is now at version {current}, you saw version "
            f"{expectation.version}", author=author, at=at, version=current)
    return {"version_seen": expectation.version, "version_replaced": current,
            "changed_by": author, "changed_at": at}


def check(session: Session, object_type: str, object_id: int) -> dict[str, Any] | None:
    """Check the edit's expected version against ``object_id`` now, for an edit whose audit
    event is written on another row (it then is not checked again). Returns what a forced
    edit replaced, for its event's details, or None when nothing was replaced."""
    expectation = _expected.get()
    if (expectation is None or expectation.checked or expectation.object_type != object_type
            or expectation.version is None):
        return None
    expectation.checked = True
    with session.no_autoflush:
        row = session.get(MODELS[object_type], object_id)
    current = int(getattr(row, "version", None) or 1)
    if expectation.version == current:
        return None
    return _conflict(session, object_type, str(object_id), current, expectation)


def _record_overwrite(session: Session, ev: AuditEvent, overwrote: dict[str, Any]) -> None:
    """Write what a forced edit replaced into its own audit event, still unflushed: its
    details change, so its hash is computed again (``audit.record`` reads the hash for the
    library's audit head only after this flush)."""
    details = json.loads(ev.details)
    details["overwrote"] = overwrote
    ev.details = audit.canonical_json(details)
    ev.hash = audit.event_hash(seq=ev.id, at=ev.at, actor=ev.actor, event_type=ev.event_type,
                               object_type=ev.object_type, object_id=ev.object_id,
                               details=ev.details, prev_hash=ev.prev_hash, author=ev.author)


@event.listens_for(Session, "before_flush")
def _bump_versions(session: Session, _context: Any, _instances: Any) -> None:
    for ev in [o for o in session.new if isinstance(o, AuditEvent)]:
        model = MODELS.get(ev.object_type)
        if model is None or ev.event_type != audit.MODIFICATION or ev.object_id is None:
            continue
        bumped: set[tuple[str, str]] = session.info.setdefault(_BUMPED, set())
        key = (ev.object_type, ev.object_id)
        if key in bumped:
            continue
        with session.no_autoflush:
            row = session.get(model, int(ev.object_id))
        if row is None:
            continue
        current = int(row.version or 1)
        expectation = _expected.get()
        if (expectation is not None and not expectation.checked
                and expectation.object_type == ev.object_type
                and expectation.version is not None and expectation.version != current):
            _record_overwrite(session, ev, _conflict(session, ev.object_type, ev.object_id,
                                                     current, expectation))
        if expectation is not None and expectation.object_type == ev.object_type:
            expectation.checked = True
        row.version = current + 1
        bumped.add(key)
