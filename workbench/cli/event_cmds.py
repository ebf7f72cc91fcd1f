"""Command-line commands for the chronology: ``event add|edit|delete|list|show|export|suggest``.

Documented, with their ``--json`` shapes, in ``docs/cli/chronology.md``. ``dossier add
--chronology`` (a chronology section in a dossier) lives with the dossier commands.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from workbench.cli import argtypes
from workbench.cli.common import Result, command, group, not_recorded, one_line, table

if TYPE_CHECKING:  # the facade is imported when a command runs (cli.run), not to parse
    from workbench.services import Workbench

STATUSES = ("undisputed", "disputed", "unverified")  # as workbench.chronology.service
_id = argtypes.record_id


def add_filters(p: argparse.ArgumentParser) -> None:
    """``--tag``/``--entity``/``--collection``: which events (shared with ``dossier add``)."""
    p.add_argument("--tag", action="append", default=[], metavar="PATH",
                   help="events whose source highlights carry this tag or a sub-tag "
                        "(repeatable: any of them)")
    p.add_argument("--entity", metavar="ENTITY",
                   help="events naming this entity (id or any of its names) in their "
                        "statement or a source quote, or citing a document linked to it")
    p.add_argument("--collection", metavar="NAME",
                   help="events with a source document in this collection")


def register(sub: Any) -> None:
    ev = group(sub, "event", "the chronology: dated statements resting on highlights")
    p = command(ev, "add", cmd_add, "add an event: a dated statement with its sources",
                writes=True)
    p.add_argument("statement", metavar="STATEMENT", help="what happened")
    p.add_argument("--date", required=True, metavar="DATE",
                   help="e.g. 2018-03-05, 'March 2018', 2017-2019, 'before June 2018'")
    p.add_argument("--highlight", action="append", default=[], type=_id, metavar="ID",
                   help="a highlight the event rests on (repeatable)")
    p.add_argument("--status", choices=STATUSES, default="unverified")
    p.add_argument("--note", default="", metavar="TEXT",
                   help="a private note (never exported)")

    p = command(ev, "edit", cmd_edit, "change an event's statement, date, status, note or "
                "sources", writes=True)
    p.add_argument("id", metavar="ID", type=_id)
    p.add_argument("--statement", metavar="TEXT")
    p.add_argument("--date", metavar="DATE")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--note", metavar="TEXT", help="a private note (never exported)")
    p.add_argument("--highlight", action="append", default=[], type=_id, metavar="ID",
                   help="add a source highlight (repeatable)")
    p.add_argument("--remove-highlight", action="append", default=[], type=_id,
                   metavar="ID", help="remove a source highlight (repeatable)")
    argtypes.add_expected_version(p)

    p = command(ev, "delete", cmd_delete, "delete an event (its highlights stay)", writes=True)
    p.add_argument("id", metavar="ID", type=_id)

    p = command(ev, "list", cmd_list, "events in date order")
    add_filters(p)

    p = command(ev, "show", cmd_show, "one event with its sources")
    p.add_argument("id", metavar="ID", type=_id)

    p = command(ev, "export", cmd_export, "write the chronology as CSV or DOCX",
                read_only_ok=True, writes=True)
    p.add_argument("--format", required=True, choices=("csv", "docx"))
    p.add_argument("--out", "-o", required=True, type=argtypes.path, metavar="PATH")
    add_filters(p)

    p = command(ev, "suggest", cmd_suggest, "propose an event from a highlight: its quote as "
                "the statement and the dates the quote states")
    p.add_argument("highlight", metavar="HIGHLIGHT", type=_id)


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    return {"tags": args.tag, "entity": args.entity, "collection": args.collection}


def _event_text(ev: dict[str, Any]) -> str:
    lines = [f"Event {ev['id']}: {one_line(ev['date']['text'])} ({ev['status']})",
             f"  {one_line(ev['statement'])}"]
    if ev["tags"]:
        lines.append(f"  tags: {', '.join(one_line(t) for t in ev['tags'])}")
    for s in ev["sources"]:
        page = f", p. {s['page']}" if s["page"] else ""
        lines.append(f"  source: highlight {s['highlight_id']}, {one_line(s['title'])}{page}, "
                     f"SHA-256 {s['sha256'][:12]}: “{one_line(s['quote'])[:120]}”")
    if ev["note"]:
        lines.append(f"  note (private): {one_line(ev['note'])}")
    return "\n".join(lines)


def cmd_add(wb: Workbench, args: argparse.Namespace) -> Result:
    ch = wb.add_event(args.statement, args.date, highlights=args.highlight,
                      status=args.status, note=args.note)
    ev = wb.get_event(ch.event_ids[0])
    return Result(ev, f"Added event {ev['id']}: {one_line(ev['date']['text'])} "
                      f"({ev['date']['kind']} {ev['date']['from'] or '…'} to "
                      f"{ev['date']['to'] or '…'})")


def cmd_edit(wb: Workbench, args: argparse.Namespace) -> Result:
    # checked by the first step, which always writes (then the sources, one step each)
    wb.edit_event(args.id, statement=args.statement, date=args.date, status=args.status,
                  note=args.note, expected_version=args.expected_version)
    for h in args.highlight:
        wb.add_event_source(args.id, h)
    for h in args.remove_highlight:
        wb.remove_event_source(args.id, h)
    ev = wb.get_event(args.id)
    return Result(ev, _event_text(ev))


def cmd_delete(wb: Workbench, args: argparse.Namespace) -> Result:
    wb.delete_event(args.id)
    return Result({"deleted": args.id}, f"Deleted event {args.id}")


def cmd_list(wb: Workbench, args: argparse.Namespace) -> Result:
    events = wb.list_events(**_filters(args))
    rows: list[list[object]] = [[e["id"], e["date"]["text"], e["status"], len(e["sources"]),
                                 e["statement"]] for e in events]
    text = table(rows, ["ID", "DATE", "STATUS", "SOURCES", "STATEMENT"]) if rows else \
        "No events."
    return Result(events, text)


def cmd_show(wb: Workbench, args: argparse.Namespace) -> Result:
    ev = wb.get_event(args.id)
    return Result(ev, _event_text(ev))


def cmd_export(wb: Workbench, args: argparse.Namespace) -> Result:
    out = wb.export_chronology(args.format, args.out, **_filters(args))
    return Result(out, f"Wrote {out['events']} event{'s' if out['events'] != 1 else ''} to "
                       f"{out['path']} (SHA-256 {out['sha256']})",
                  stderr=[] if out["recorded"]
                  else [not_recorded("export", out["pending"])])


def cmd_suggest(wb: Workbench, args: argparse.Namespace) -> Result:
    got = wb.event_suggestion(args.highlight)
    lines = [f"Statement: {one_line(got['statement'])}"]
    lines += [f"Date: {one_line(d['text'])} ({d['kind']} {d['from'] or '…'} to "
              f"{d['to'] or '…'})" for d in got["dates"]] or ["Date: none found in the quote"]
    if got["tags"]:
        lines.append(f"Tags: {', '.join(one_line(t) for t in got['tags'])}")
    return Result(got, "\n".join(lines))
