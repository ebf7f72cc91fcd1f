"""The chronology as the facade exposes it: events (a dated statement with its source
highlights and a status) added, edited, deleted, listed in date order and exported.

``ChronologyMixin`` is one part of ``services.Workbench``. Each mutation is one transaction
that writes its audit event (ids, the date's kind and the status: never the statement or the
private note, since dossier bundles carry audit events) and returns an ``EventChanges``.
Dates are read by ``dates.parse_date``, which refuses what it cannot read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..annotate import tags as T
from ..changes import Changes
from ..errors import NotFound, UserError
from ..ids import row_id
from ..library import Library
from ..models import Event, EventSource, Highlight, utcnow
from ..shared.versions import versioned
from . import queries

# ``dates`` compiles its patterns on import (~50 ms): loaded when a date is read, so that
# commands which never read one (``workbench list``) do not pay for it.

if TYPE_CHECKING:
    from ..dossier.service import DossierChanges

STATUSES = ("undisputed", "disputed", "unverified")
SUGGESTED_STATEMENT_MAX = 400  # characters of a quote proposed as a statement


@dataclass
class EventChanges(Changes):
    event_ids: list[int] = field(default_factory=list)


def _changed(event_id: int, highlight_ids: Iterable[int] = ()) -> EventChanges:
    return EventChanges(events=True, event_ids=[event_id], highlight_ids=list(highlight_ids))


def _status(status: str) -> str:
    value = str(status).strip().lower()
    if value not in STATUSES:
        raise UserError(f"Unknown event status {status!r}", f"choose one of {', '.join(STATUSES)}")
    return value


def _statement(text: str) -> str:
    value = str(text).strip()
    if not value:
        raise UserError("An event needs a statement", "say what happened, e.g. 'He was "
                                                      "detained at the station'")
    return value


def _event(s: Session, event_id: int | str) -> Event:
    key = row_id(str(event_id))
    ev = s.get(Event, key) if key is not None else None
    if ev is None:
        raise NotFound(f"No event {event_id}", "see `workbench event list` for ids")
    return ev


def _highlight(s: Session, highlight_id: int | str) -> Highlight:
    key = row_id(str(highlight_id))
    h = s.get(Highlight, key) if key is not None else None
    if h is None:
        raise NotFound(f"No highlight {highlight_id}", "see `workbench highlight list` for ids")
    return h


def _source_ids(s: Session, event_id: int) -> list[int]:
    return list(s.execute(select(EventSource.highlight_id)
                          .where(EventSource.event_id == event_id)
                          .order_by(EventSource.highlight_id)).scalars())


class ChronologyMixin:
    library: Library

    # --- change --------------------------------------------------------------------------

    def add_event(self, statement: str, date: str, *, highlights: Sequence[int | str] = (),
                  status: str = "unverified", note: str = "") -> EventChanges:
        """A dated statement resting on ``highlights``; ``date`` as typed (see
        ``dates.ACCEPTED``). ``EventChanges.event_ids[0]`` is the new event."""
        from .dates import parse_date

        text, when, state = _statement(statement), parse_date(date), _status(status)
        with self.library.transaction() as s:
            hs = [_highlight(s, h) for h in dict.fromkeys(highlights)]
            ev = Event(statement=text, date_text=when.text, date_kind=when.kind,
                       date_from=when.date_from, date_to=when.date_to, status=state,
                       note=note or "")
            s.add(ev)
            s.flush()
            s.add_all(EventSource(event_id=ev.id, highlight_id=h.id) for h in hs)
            audit.record(s, audit.CREATION, "event", ev.id, {
                "date_kind": when.kind, "from": when.date_from, "to": when.date_to,
                "status": state, "highlight_ids": [h.id for h in hs]})
            return _changed(ev.id, [h.id for h in hs])

    @versioned("event")
    def edit_event(self, event_id: int | str, *, statement: str | None = None,
                   date: str | None = None, status: str | None = None,
                   note: str | None = None,
                   expected_version: int | None = None, force: bool = False) -> EventChanges:
        """Change what is given; a date that cannot be read changes nothing."""
        from .dates import parse_date

        when = parse_date(date) if date is not None else None
        text = _statement(statement) if statement is not None else None
        state = _status(status) if status is not None else None
        with self.library.transaction() as s:
            ev = _event(s, event_id)
            fields = []
            if text is not None:
                ev.statement = text
                fields.append("statement")
            if when is not None:
                ev.date_text, ev.date_kind = when.text, when.kind
                ev.date_from, ev.date_to = when.date_from, when.date_to
                fields.append("date")
            if state is not None:
                ev.status = state
                fields.append("status")
            if note is not None:
                ev.note = note
                fields.append("note")
            ev.modified_at = utcnow()
            audit.record(s, audit.MODIFICATION, "event", ev.id, {
                "fields": fields, "date_kind": ev.date_kind, "from": ev.date_from,
                "to": ev.date_to, "status": ev.status})
            return _changed(ev.id, _source_ids(s, ev.id))

    def delete_event(self, event_id: int | str) -> EventChanges:
        with self.library.transaction() as s:
            ev = _event(s, event_id)
            hids = _source_ids(s, ev.id)
            key = ev.id
            s.delete(ev)
            audit.record(s, audit.DELETION, "event", key, {"highlight_ids": hids})
            return _changed(key, hids)

    @versioned("event")
    def add_event_source(self, event_id: int | str, highlight_id: int | str,
                         *, expected_version: int | None = None,
                         force: bool = False) -> EventChanges:
        with self.library.transaction() as s:
            ev, h = _event(s, event_id), _highlight(s, highlight_id)
            if s.get(EventSource, (ev.id, h.id)) is not None:
                raise UserError(f"Highlight {h.id} is already a source of event {ev.id}")
            s.add(EventSource(event_id=ev.id, highlight_id=h.id))
            ev.modified_at = utcnow()
            audit.record(s, audit.MODIFICATION, "event", ev.id,
                         {"action": "add source", "highlight_id": h.id})
            return _changed(ev.id, [h.id])

    @versioned("event")
    def remove_event_source(self, event_id: int | str,
                            highlight_id: int | str,
                            *, expected_version: int | None = None,
                            force: bool = False) -> EventChanges:
        with self.library.transaction() as s:
            ev = _event(s, event_id)
            key = row_id(str(highlight_id))
            link = s.get(EventSource, (ev.id, key)) if key is not None else None
            if key is None or link is None:
                raise NotFound(f"Highlight {highlight_id} is not a source of event {ev.id}")
            s.delete(link)
            ev.modified_at = utcnow()
            audit.record(s, audit.MODIFICATION, "event", ev.id,
                         {"action": "remove source", "highlight_id": key})
            return _changed(ev.id, [key])

    # --- read ----------------------------------------------------------------------------

    def list_events(self, *, tags: Iterable[str | int] = (), entity: str | int | None = None,
                    collection: str | int | None = None) -> list[dict[str, Any]]:
        """Events in date order (see ``queries``), each with its sources and tags."""
        with self.library.read() as s:
            flt = queries.make_filter(s, tags=tags, entity=entity, collection=collection)
            return queries.events(s, flt)

    def get_event(self, event_id: int | str) -> dict[str, Any]:
        with self.library.read() as s:
            return queries.events(s, None, [_event(s, event_id).id])[0]

    def event_suggestion(self, highlight_id: int | str) -> dict[str, Any]:
        """What "New event from highlight…" proposes: the quote as the statement (trimmed),
        the dates the quote states (most specific first) and the highlight's tags."""
        from .dates import suggest_dates

        with self.library.read() as s:
            h = _highlight(s, highlight_id)
            tags = T.highlight_tag_paths(s, [h.id])[h.id]
            quote = h.quote
        statement = " ".join(quote.split())
        if len(statement) > SUGGESTED_STATEMENT_MAX:
            cut = statement[:SUGGESTED_STATEMENT_MAX].rsplit(" ", 1)[0]
            statement = cut + "…"
        return {"statement": statement, "dates": [d.to_json() for d in suggest_dates(quote)],
                "tags": tags}

    # --- a dossier's chronology section ---------------------------------------------------

    def add_chronology_section(self, dossier: str | int, *, title: str = "Chronology",
                               tags: Iterable[str | int] = (), entity: str | int | None = None,
                               collection: str | int | None = None,
                               section: str | None = None) -> DossierChanges:
        """Add a table of the events the filters choose (read again at every export) at the
        end of the dossier (or of ``section``). ``DossierChanges.item_ids[0]`` is the item."""
        from ..dossier import editing
        from ..dossier.service import DossierChanges
        from ..models import DossierItem
        from .dossier_section import KIND

        heading = " ".join(str(title).split())
        if not heading:
            raise UserError("A chronology section needs a title", "e.g. 'Chronology'")
        with self.library.transaction() as s:
            d = editing.get_dossier(s, dossier)
            editing.require_editable(d)
            flt = queries.make_filter(s, tags=tags, entity=entity, collection=collection)
            sec = editing.find_section(s, d, section, create=True) if section else None
            it = DossierItem(dossier_id=d.id, section_id=sec.id if sec else None, kind=KIND,
                             chronology={"title": heading, **flt.to_json(s)},
                             position=editing.next_position(s, d.id, sec.id if sec else None))
            s.add(it)
            s.flush()
            editing.renumber(s, d)
            d.modified_at = utcnow()
            audit.record(s, audit.MODIFICATION, "dossier", d.id,
                         {"action": "add item", "item_id": it.id, "kind": KIND,
                          "entity_id": flt.entity_id, "collection_id": flt.collection_id})
            return DossierChanges(dossiers=True, dossier_ids=[d.id], item_ids=[it.id])

    # --- export --------------------------------------------------------------------------

    def export_chronology(self, format: str, out: str | Path, *,
                          tags: Iterable[str | int] = (), entity: str | int | None = None,
                          collection: str | int | None = None) -> dict[str, Any]:
        """Write the (filtered) chronology as ``csv`` or ``docx``: date, statement, status,
        tags and sources (title, page, SHA-256). Notes are never exported."""
        from ..blobs import sha256_file
        from .export import FORMATS, write

        if format not in FORMATS:
            raise UserError(f"Unknown chronology format {format!r}",
                            f"choose one of {', '.join(FORMATS)}")
        from ..export_destination import check_destination
        from ..shared.roles import check_export

        check_export(self.library, dossier=False)  # a shared case's readers export nothing
        path = check_destination(out, self.library)
        rows = self.list_events(tags=tags, entity=entity, collection=collection)
        write(format, path, rows)
        digest = sha256_file(path)[0]
        from ..pending_events import PENDING, RECORDED, note

        # Appended now; beside the window holding the library, left for its next writer.
        state = note(self.library, audit.DISSEMINATION, "events", None, {
            "format": f"chronology {format}", "count": len(rows), "sha256": digest,
            "event_ids": [r["id"] for r in rows]})
        return {"format": format, "path": str(path), "events": len(rows), "sha256": digest,
                "recorded": state == RECORDED, "pending": state == PENDING}
