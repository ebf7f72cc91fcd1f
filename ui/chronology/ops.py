"""Chronology actions: one worker call each (load, add, edit, delete, export, suggest).

The widgets never call the facade; they hand these functions the session and a callback.
Saving an event with its sources is one worker task that merges the ``Changes`` of each call,
so the view redraws once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.changes import Changes

from ..session import Session
from ..tasks import Task

STATUSES = ("unverified", "undisputed", "disputed")


@dataclass
class Filters:
    """What the Chronology view narrows to (empty = everything)."""

    tag: str = ""
    entity: str = ""
    collection: str = ""

    def kwargs(self) -> dict[str, Any]:
        return {"tags": (self.tag,) if self.tag else (), "entity": self.entity or None,
                "collection": self.collection or None}


@dataclass
class EventForm:
    """What the event dialog holds when the user saves it."""

    statement: str
    date: str
    status: str = "unverified"
    note: str = ""
    sources: list[int] = field(default_factory=list)


def load_events(session: Session, filters: Filters,
                on_done: Callable[[list[dict[str, Any]]], None]) -> Task:
    return session.query(lambda wb: wb.list_events(**filters.kwargs()), on_done,
                         "read the chronology")


def load_choices(session: Session, on_done: Callable[[dict[str, list[str]]], None]) -> Task:
    """The filters' choices: tag paths, entity names (when the register exists), collections."""

    def work(wb: Any) -> dict[str, list[str]]:
        entities = ([e["name"] for e in wb.list_entities()]
                    if callable(getattr(wb, "list_entities", None)) else [])
        return {"tags": [t["path"] for t in wb.list_tags()], "entities": entities,
                "collections": [c["name"] for c in wb.list_collections()]}

    return session.query(work, on_done, "read the chronology's filters")


def suggest(session: Session, highlight_id: int,
            on_done: Callable[[dict[str, Any]], None]) -> Task:
    return session.query(lambda wb: wb.event_suggestion(highlight_id), on_done,
                         "suggest an event from the highlight")


def add_event(session: Session, form: EventForm,
              on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> Task:
    return session.mutate(lambda wb: wb.add_event(form.statement, form.date,
                                                  highlights=tuple(form.sources),
                                                  status=form.status, note=form.note),
                          on_done, "add the event", on_error)


def edit_event(session: Session, event_id: int, form: EventForm, before: Sequence[int],
               on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> Task:
    """Saves the dialog: the fields, then the sources added and removed (``before`` = the
    event's sources when the dialog opened)."""

    def work(wb: Any) -> Changes:
        changes: Changes = wb.edit_event(event_id, statement=form.statement, date=form.date,
                                         status=form.status, note=form.note)
        for hid in form.sources:
            if hid not in before:
                changes = changes.merge(wb.add_event_source(event_id, hid))
        for hid in before:
            if hid not in form.sources:
                changes = changes.merge(wb.remove_event_source(event_id, hid))
        return changes

    return session.mutate(work, on_done, "change the event", on_error)


def set_status(session: Session, event_id: int, status: str) -> Task:
    return session.mutate(lambda wb: wb.edit_event(event_id, status=status),
                          doing="change the event's status")


def delete_event(session: Session, event_id: int) -> Task:
    return session.mutate(lambda wb: wb.delete_event(event_id), doing="delete the event")


def export(session: Session, fmt: str, path: Path, filters: Filters,
           on_done: Callable[[dict[str, Any]], None]) -> Task:
    return session.query(lambda wb: wb.export_chronology(fmt, path, **filters.kwargs()),
                         on_done, "export the chronology")
