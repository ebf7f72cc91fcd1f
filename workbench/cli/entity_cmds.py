"""Entity commands: the register of people, organisations, places and other things, their
names in any script, their mentions and the names the library suggests (``entity add|alias|
list|show|mentions|suggest|link|edit|delete``). Redacting one from a dossier is ``dossier
redact --entity``. Documented in ``docs/cli/entities.md``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from . import argtypes
from .common import Result, command, group, one_line, table

if TYPE_CHECKING:
    from ..services import Workbench

KINDS = ("person", "organisation", "place", "other")


def register(sub: Any) -> None:
    g = group(sub, "entity", "people, organisations and places, with names in any script")

    p = command(g, "add", cmd_add, "register an entity with its names", writes=True)
    p.add_argument("name", metavar="NAME", type=argtypes.term, help="the name it is shown by")
    p.add_argument("--kind", required=True, choices=KINDS)
    p.add_argument("--alias", metavar="NAME", action="append", default=[], type=argtypes.term,
                   help="another name or spelling, in any script (repeat for more)")
    p.add_argument("--note", metavar="TEXT", default="",
                   help="your note (private: never exported)")

    p = command(g, "alias", cmd_alias, "add (or with --remove, remove) a name of an entity",
                writes=True)
    p.add_argument("entity", metavar="ENTITY", type=argtypes.name_ref,
                   help="entity id or one of its names")
    p.add_argument("name", metavar="NAME", type=argtypes.term)
    p.add_argument("--remove", action="store_true", help="remove the name instead")

    p = command(g, "list", cmd_list, "list the register")
    p.add_argument("--kind", choices=KINDS)

    p = command(g, "show", cmd_show, "show an entity: names, note, linked documents")
    p.add_argument("entity", metavar="ENTITY", type=argtypes.name_ref)

    p = command(g, "mentions", cmd_mentions,
                "every mention of an entity's names across the library, with context")
    p.add_argument("entity", metavar="ENTITY", type=argtypes.name_ref)
    p.add_argument("--limit", metavar="N", type=argtypes.whole_number(1, 10_000, "--limit"),
                   default=20, help="mentions listed per document (default 20)")

    p = command(g, "suggest", cmd_suggest, "names from the library not yet registered")
    p.add_argument("--limit", metavar="N", type=argtypes.whole_number(1, 10_000, "--limit"),
                   default=50)

    p = command(g, "link", cmd_link, "link a document to an entity (or --unlink)",
                writes=True)
    p.add_argument("entity", metavar="ENTITY", type=argtypes.name_ref)
    p.add_argument("document", metavar="DOC", type=argtypes.document_ref)
    p.add_argument("--unlink", action="store_true", help="remove the link instead")

    p = command(g, "edit", cmd_edit, "change an entity's shown name, kind or note",
                writes=True)
    p.add_argument("entity", metavar="ENTITY", type=argtypes.name_ref)
    p.add_argument("--name", metavar="NAME", type=argtypes.term,
                   help="the name to show (the old one stays as an alias)")
    p.add_argument("--kind", choices=KINDS)
    p.add_argument("--note", metavar="TEXT", help="your note (private: never exported)")
    argtypes.add_expected_version(p)

    p = command(g, "delete", cmd_delete, "delete an entity (refused while a redaction names it)",
                writes=True)
    p.add_argument("entity", metavar="ENTITY", type=argtypes.name_ref)


def _shown(wb: Workbench, entity_id: int, verb: str) -> Result:
    e = wb.get_entity(entity_id)
    return Result(e, f"{verb} {e['kind']} {e['id']}: {one_line(e['name'])} "
                     f"({len(e['names'])} name{'s' if len(e['names']) != 1 else ''})")


def cmd_add(wb: Workbench, args: argparse.Namespace) -> Result:
    ch = wb.add_entity(args.kind, args.name, aliases=tuple(args.alias), note=args.note)
    return _shown(wb, ch.entity_ids[0], "Registered")


def cmd_alias(wb: Workbench, args: argparse.Namespace) -> Result:
    if args.remove:
        ch = wb.remove_alias(args.entity, args.name)
    else:
        ch = wb.add_alias(args.entity, args.name)
    return _shown(wb, ch.entity_ids[0], "Updated")


def cmd_list(wb: Workbench, args: argparse.Namespace) -> Result:
    rows = wb.list_entities(kind=args.kind)
    text = table([[e["id"], e["kind"], e["name"], " · ".join(e["names"][1:]), e["documents"]]
                  for e in rows], ["ID", "KIND", "NAME", "OTHER NAMES", "DOCS"]) \
        if rows else "No entities registered (see `workbench entity add`)."
    return Result(rows, text)


def cmd_show(wb: Workbench, args: argparse.Namespace) -> Result:
    e = wb.get_entity(args.entity)
    lines = [f"{e['kind']} {e['id']}: {one_line(e['name'])}",
             "  names: " + " · ".join(one_line(n) for n in e["names"])]
    if e["note"]:
        lines.append(f"  note (private): {one_line(e['note'])}")
    for d in e["linked_documents"]:
        lines.append(f"  document {d['document_id']}: {one_line(d['title'])}")
    return Result(e, "\n".join(lines))


def cmd_mentions(wb: Workbench, args: argparse.Namespace) -> Result:
    e = wb.get_entity(args.entity)
    docs = wb.entity_mentions(e["id"], limit_per_document=args.limit)
    lines = [f"{sum(d['mention_count'] for d in docs)} mention(s) of {one_line(e['name'])} "
             f"in {len(docs)} document(s)"]
    for d in docs:
        lines.append(f"[{d['document_id']}] {one_line(d['title'])} ({d['mention_count']})")
        for m in d["mentions"]:
            page = f"p. {m['page']}: " if m["page"] else ""
            lines.append(f"    {page}{one_line(m['context'])}")
    return Result(docs, "\n".join(lines))


def cmd_suggest(wb: Workbench, args: argparse.Namespace) -> Result:
    rows = wb.entity_suggestions(limit=args.limit)
    text = table([[s["name"], s["kind_guess"], s["documents"], s["source"]] for s in rows],
                 ["NAME", "KIND?", "DOCS", "FROM"]) if rows else "No suggestions."
    return Result(rows, text)


def cmd_link(wb: Workbench, args: argparse.Namespace) -> Result:
    if args.unlink:
        ch = wb.unlink_entity_document(args.entity, args.document)
    else:
        ch = wb.link_entity_document(args.entity, args.document)
    e = wb.get_entity(ch.entity_ids[0])
    verb = "Unlinked" if args.unlink else "Linked"
    return Result(e, f"{verb} document {ch.document_ids[0]} "
                     f"{'from' if args.unlink else 'to'} {one_line(e['name'])}")


def cmd_edit(wb: Workbench, args: argparse.Namespace) -> Result:
    ch = wb.edit_entity(args.entity, name=args.name, kind=args.kind, note=args.note,
                        expected_version=args.expected_version)
    return _shown(wb, ch.entity_ids[0], "Updated")


def cmd_delete(wb: Workbench, args: argparse.Namespace) -> Result:
    ch = wb.delete_entity(args.entity)
    return Result({"deleted": ch.entity_ids[0]}, f"Deleted entity {ch.entity_ids[0]}")
