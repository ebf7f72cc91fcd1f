"""The history's query: a page of audit events, newest first, by author and kind.

Keyset paging on the event id (``id < before ORDER BY id DESC LIMIT n``): each page is one
range read of the primary key however long the log, so the first page of a 100k-event
library costs what the first page of a small one does (docs/PERFORMANCE.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, not_, select

from ..errors import UserError
from ..models import AuditEvent
from . import _BY_OBJECT, _BY_TYPE, _OBJECT_KIND, KINDS, HistoryPage, HistoryRow, kind_of

if TYPE_CHECKING:
    from ..library import Library

MAX_PAGE = 1000


def kind_condition(kind: str) -> Any:
    if kind not in KINDS:
        raise UserError(f"{kind!r} is not a kind of change",
                        "choose one of: " + ", ".join(KINDS))
    for event_type, k in _BY_TYPE.items():
        if k == kind:
            return AuditEvent.event_type == event_type
    other = AuditEvent.event_type.not_in(list(_BY_TYPE))
    if kind == "library":
        return and_(other, not_(AuditEvent.object_type.in_(list(_OBJECT_KIND))))
    return and_(other, AuditEvent.object_type.in_(_BY_OBJECT[kind]))


def history(library: Library, *, limit: int = 100, before: int | None = None,
            author: str | None = None, kind: str | None = None) -> HistoryPage:
    from .sentences import describe

    limit = max(1, min(int(limit), MAX_PAGE))
    q = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit + 1)
    if before is not None:
        q = q.where(AuditEvent.id < int(before))
    if author:
        q = q.where(AuditEvent.author == author)
    if kind:
        q = q.where(kind_condition(kind))
    with library.read() as s:
        events = list(s.execute(q).scalars())
        more = len(events) > limit
        events = events[:limit]
        texts = describe(s, events)
        rows = [HistoryRow(id=e.id, at=e.at, author=e.author, actor=e.actor,
                           kind=kind_of(e.event_type, e.object_type), event_type=e.event_type,
                           object_type=e.object_type, object_id=e.object_id, what=t)
                for e, t in zip(events, texts, strict=True)]
    return HistoryPage(rows, rows[-1].id if more and rows else None)


def authors(library: Library) -> list[str]:
    with library.read() as s:
        found = s.execute(select(AuditEvent.author).where(AuditEvent.author.is_not(None))
                          .distinct()).scalars()
        return sorted((a for a in found if a), key=str.casefold)
