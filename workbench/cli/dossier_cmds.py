"""Dossier commands: create, list, show, add, move, remove, facsimile, corroboration, redact,
freeze, export, sources, new-version, and the library-free ``verify-bundle``. Documented in
``docs/cli/dossiers.md``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UserError
from . import argtypes, event_cmds
from .common import EXIT_SOME_FAILED, Result, command, group, not_recorded, one_line, table

if TYPE_CHECKING:
    from ..services import Workbench


def register(sub: Any) -> None:
    g = group(sub, "dossier", "build, redact and export evidence dossiers")

    p = command(g, "create", cmd_create, "create a dossier", writes=True)
    p.add_argument("title", metavar="TITLE")
    p.add_argument("--case", metavar="NAME", help="the case (collection) it belongs to")
    p.add_argument("--author", metavar="A", default="")
    p.add_argument("--organisation", metavar="O", default="")
    p.add_argument("--description", metavar="TEXT", default="")
    p.add_argument("--prefix", metavar="P",
                   help='exhibit label prefix (default "Exhibit "; e.g. "A-" gives A-1, A-2)')

    command(g, "list", cmd_list, "list dossiers")

    p = command(g, "show", cmd_show, "show a dossier's sections, items and redactions")
    p.add_argument("dossier", metavar="DOSSIER", type=argtypes.name_ref,
                   help="dossier id or exact title")

    p = command(g, "add", cmd_add, "add a highlight, a whole document, a note or a "
                "chronology section", writes=True)
    p.add_argument("dossier", metavar="DOSSIER", type=argtypes.name_ref)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--highlight", type=argtypes.record_id, metavar="ID")
    what.add_argument("--document", metavar="DOC", type=argtypes.document_ref)
    what.add_argument("--note", metavar="TEXT")
    what.add_argument("--chronology", action="store_true",
                      help="a table of the events chosen by --tag/--entity/--collection "
                           "(all events without them), read again at every export")
    p.add_argument("--title", metavar="TEXT", default="Chronology",
                   help="with --chronology: the section's title")
    event_cmds.add_filters(p)
    p.add_argument("--section", metavar="NAME", help="section to put it in (created if new)")
    p.add_argument("--commentary", metavar="TEXT", default="")
    p.add_argument("--commentary-from-note", action="store_true",
                   help="use the highlight's note as the commentary (when none is given)")
    p.add_argument("--facsimile", action="store_true",
                   help="also show the source's own pages (stamped, marked, redactions "
                        "burnt in)")
    p.add_argument("--pages", metavar="R", type=pages_arg,
                   help="with --facsimile: the pages, e.g. 3-4,7 (default: the pages the "
                        "highlight spans, or every page of a document)")
    argtypes.add_expected_version(p)

    p = command(g, "facsimile", cmd_facsimile,
                "show an exhibit as its source's own pages, or stop", writes=True)
    p.add_argument("dossier", metavar="DOSSIER", type=argtypes.name_ref)
    p.add_argument("item", metavar="ITEM", type=argtypes.name_ref,
                   help="item id or exhibit label")
    p.add_argument("state", choices=["on", "off"])
    p.add_argument("--pages", metavar="R", type=pages_arg,
                   help="the pages, e.g. 3-4,7 (default: as for dossier add)")
    argtypes.add_expected_version(p)

    p = command(g, "corroboration", cmd_corroboration,
                "list after an excerpt the sources linked to it as corroborating it, or stop",
                writes=True)
    p.add_argument("dossier", metavar="DOSSIER", type=argtypes.name_ref)
    p.add_argument("item", metavar="ITEM", type=argtypes.name_ref,
                   help="item id or exhibit label")
    p.add_argument("state", choices=["on", "off"])
    argtypes.add_expected_version(p)

    p = command(g, "move", cmd_move, "move an item to a position in its section", writes=True)
    p.add_argument("dossier", metavar="DOSSIER", type=argtypes.name_ref)
    p.add_argument("item", metavar="ITEM", type=argtypes.name_ref,
                   help="item id or exhibit label")
    p.add_argument("position", type=argtypes.position, metavar="POSITION", help="1-based")
    p.add_argument("--section", metavar="NAME", help="move it into this section")
    argtypes.add_expected_version(p)

    p = command(g, "remove", cmd_remove, "remove an item", writes=True)
    p.add_argument("dossier", metavar="DOSSIER", type=argtypes.name_ref)
    p.add_argument("item", metavar="ITEM", type=argtypes.name_ref)
    argtypes.add_expected_version(p)

    p = command(g, "comment", cmd_comment, "set an item's commentary", writes=True)
    p.add_argument("dossier", metavar="DOSSIER", type=argtypes.name_ref)
    p.add_argument("item", metavar="ITEM", type=argtypes.name_ref)
    p.add_argument("text", metavar="TEXT")
    argtypes.add_expected_version(p)

    p = command(g, "redact", cmd_redact,
                "redact a term everywhere in the dossier, or a quote in one item", writes=True)
    p.add_argument("dossier", metavar="DOSSIER", type=argtypes.name_ref)
    p.add_argument("--term", metavar="TEXT", type=argtypes.term)
    p.add_argument("--item", metavar="ITEM", type=argtypes.name_ref)
    p.add_argument("--quote", metavar="TEXT")
    p.add_argument("--area", metavar="DOC:PAGE:x0,y0,x1,y1", type=area_arg,
                   help="black out a rectangle on a page of a cited document's facsimile "
                        "(PDF points from the page's top-left corner)")
    p.add_argument("--entity", metavar="ENTITY", type=argtypes.name_ref,
                   help="hide every name and alias of a registered person, organisation or "
                        "place (id or one of its names; see `workbench entity`), aliases "
                        "added later too")
    p.add_argument("--reason", metavar="TEXT", required=True,
                   help="why (private: kept in this library's audit log, never exported)")
    p.add_argument("--label", metavar="LABEL",
                   help="printed in every export in the text's place, as [REDACTED: LABEL] "
                        "(default: [REDACTED]); a short category such as 'witness safety'")
    argtypes.add_expected_version(p)

    p = command(g, "unredact", cmd_unredact, "remove a redaction", writes=True)
    p.add_argument("dossier", metavar="DOSSIER", type=argtypes.name_ref)
    p.add_argument("redaction", type=argtypes.record_id, metavar="REDACTION")
    argtypes.add_expected_version(p)

    p = command(g, "freeze", cmd_freeze, "freeze numbering and content", writes=True)
    p.add_argument("dossier", metavar="DOSSIER", type=argtypes.name_ref)
    argtypes.add_expected_version(p)

    p = command(g, "new-version", cmd_new_version, "an editable copy of a dossier",
                writes=True)
    p.add_argument("dossier", metavar="DOSSIER", type=argtypes.name_ref)

    p = command(g, "export", cmd_export, "export as pdf, docx, html or a BagIt bundle",
                writes=True, read_only_ok=True)
    p.add_argument("dossier", metavar="DOSSIER", type=argtypes.name_ref)
    p.add_argument("--format", required=True, choices=["pdf", "docx", "html", "bundle"])
    p.add_argument("-o", "--output", required=True, metavar="OUT", type=argtypes.path,
                   help="file to write; for bundle, a folder, or a .zip file")
    p.add_argument("--bates", metavar="PREFIX", help="stamp pages PREFIX000001, ... (PDF)")

    p = command(g, "sources", cmd_sources, "the dossier's sources as CSL-JSON")
    p.add_argument("dossier", metavar="DOSSIER", type=argtypes.name_ref)
    p.add_argument("--format", default="csl-json", choices=["csl-json"])

    p = command(sub, "verify-bundle", cmd_verify_bundle,
                "check an exported bundle (folder or zip) against its manifests",
                needs_library=False)
    p.add_argument("path", metavar="PATH", type=argtypes.path)


def pages_arg(value: str) -> str:
    from ..dossier.facsimile import format_pages, parse_pages

    try:
        return format_pages(parse_pages(value))
    except UserError as exc:
        raise argparse.ArgumentTypeError(f"{argtypes.shown(value)}: {exc.hint}") from None


def area_arg(value: str) -> tuple[str, int, tuple[float, float, float, float]]:
    """``DOC:PAGE:x0,y0,x1,y1``; DOC as ``document_ref`` takes it (an id or SHA-256 digits)."""
    doc, _, rest = value.rpartition(":")
    doc, _, page = doc.rpartition(":")
    numbers = rest.split(",")
    try:
        rect = tuple(float(n) for n in numbers)
        page_no = int(page)
    except ValueError:
        rect, page_no = (), 0
    if not doc.strip() or page_no < 1 or len(rect) != 4 or not all(
            abs(v) < 1e6 for v in rect):
        raise argparse.ArgumentTypeError(
            f"{argtypes.shown(value)} is not an area; give DOC:PAGE:x0,y0,x1,y1 in PDF points "
            "from the page's top-left corner, e.g. 3:2:72,100,300,130")
    return argtypes.document_ref(doc), page_no, rect  # type: ignore[return-value]


def _id(changes: Any) -> int:
    return int(changes.dossier_ids[0])


def cmd_create(wb: Workbench, args: argparse.Namespace) -> Result:
    ch = wb.create_dossier(args.title, case=args.case, author=args.author,
                           organisation=args.organisation, description=args.description,
                           prefix=args.prefix)
    return Result({"id": _id(ch)}, f"Created dossier {_id(ch)}")


def cmd_list(wb: Workbench, args: argparse.Namespace) -> Result:
    rows = wb.list_dossiers()
    text = table([[d["id"], d["title"], d["case"] or "", d["items"],
                   "frozen" if d["frozen"] else "draft"] for d in rows],
                 ["ID", "TITLE", "CASE", "ITEMS", "STATUS"])
    return Result(rows, text)


def cmd_show(wb: Workbench, args: argparse.Namespace) -> Result:
    d = wb.get_dossier(args.dossier)
    lines = [f"[{d['id']}] {one_line(d['title'])}  ({'frozen' if d['frozen'] else 'draft'})"]
    if d["case"]:
        lines.append(f"case: {one_line(d['case'])}")
    section = None
    for it in d["entries"]:
        if it["section"] != section:
            section = it["section"]
            lines.append(f"== {one_line(section or '(no section)')}")
        label = it["label"] or "note"
        extra = f"  !! {it['missing']}" if it["missing"] else ""
        if it["facsimile"]:
            extra += f"  [facsimile: pages {it['facsimile_pages'] or 'where the quote is'}]"
        lines.append(f"  {it['position']}. [{it['id']}] {label}: "
                     f"{one_line(it['text'])[:70]}{extra}")
    for r in d["redactions"]:
        where = f"item {r['item_id']}" if r["item_id"] else "everywhere"
        if r.get("entity_id"):
            where = f"every name of entity {r['entity_id']}, {one_line(r['entity'])}"
        if r["area"]:
            a = r["area"]
            where = (f"area of document {a['document_id']} page {a['page']} at "
                     f"{','.join(f'{v:g}' for v in a['rect'])}")
        lines.append(f"  redaction {r['id']} ({where}): printed {r['mark']}; "
                     f"reason (private): {one_line(r['reason'])}")
    return Result(d, "\n".join(lines))


def cmd_add(wb: Workbench, args: argparse.Namespace) -> Result:
    filters = {"tags": args.tag, "entity": args.entity, "collection": args.collection}
    if args.chronology:
        ch = wb.add_chronology_section(args.dossier, title=args.title, section=args.section,
                                       **filters)
        return Result({"dossier": _id(ch), "item": ch.item_ids[0], "label": None},
                      f"Added chronology section {ch.item_ids[0]}")
    if any(filters.values()) or args.title != "Chronology":
        raise UserError("--title, --tag, --entity and --collection go with --chronology")
    ch = wb.add_item(args.dossier, highlight=args.highlight, document=args.document,
                     note=args.note, section=args.section, commentary=args.commentary,
                     commentary_from_note=args.commentary_from_note,
                     facsimile=args.facsimile, pages=args.pages,
                     expected_version=args.expected_version)
    item_id = ch.item_ids[0]
    label = next(i["label"] for i in wb.get_dossier(_id(ch))["entries"] if i["id"] == item_id)
    return Result({"dossier": _id(ch), "item": item_id, "label": label},
                  f"Added item {item_id}" + (f" as {label}" if label else ""))


def cmd_facsimile(wb: Workbench, args: argparse.Namespace) -> Result:
    ch = wb.set_facsimile(args.dossier, args.item, args.state == "on", args.pages,
                          expected_version=args.expected_version)
    item = next(i for i in wb.get_dossier(_id(ch))["entries"] if i["id"] == ch.item_ids[0])
    data = {"dossier": _id(ch), "item": item["id"], "label": item["label"],
            "facsimile": item["facsimile"], "facsimile_pages": item["facsimile_pages"]}
    if not item["facsimile"]:
        return Result(data, f"{item['label']} is shown as text only")
    pages = item["facsimile_pages"] or "where its quote is, once laid out"
    return Result(data, f"{item['label']} is shown as its source's pages: {pages}")


def cmd_corroboration(wb: Workbench, args: argparse.Namespace) -> Result:
    ch = wb.set_item_corroboration(args.dossier, args.item, args.state == "on",
                                   expected_version=args.expected_version)
    item = next(i for i in wb.get_dossier(_id(ch))["entries"] if i["id"] == ch.item_ids[0])
    data = {"dossier": _id(ch), "item": item["id"], "label": item["label"],
            "corroboration": item["corroboration"]}
    if item["corroboration"]:
        return Result(data, f"{item['label']} lists the sources corroborating it")
    return Result(data, f"{item['label']} lists no corroborating sources")


def cmd_move(wb: Workbench, args: argparse.Namespace) -> Result:
    ch = wb.move_item(args.dossier, args.item, args.position, section=args.section,
                      expected_version=args.expected_version)
    return _order(wb, _id(ch), f"Moved item {ch.item_ids[0]}")


def cmd_remove(wb: Workbench, args: argparse.Namespace) -> Result:
    ch = wb.remove_item(args.dossier, args.item, expected_version=args.expected_version)
    return _order(wb, _id(ch), f"Removed item {ch.item_ids[0]}")


def _order(wb: Workbench, dossier_id: int, text: str) -> Result:
    items = [{"id": i["id"], "label": i["label"], "section": i["section"],
              "position": i["position"]} for i in wb.get_dossier(dossier_id)["entries"]]
    return Result({"dossier": dossier_id, "items": items}, text)


def cmd_comment(wb: Workbench, args: argparse.Namespace) -> Result:
    ch = wb.set_commentary(args.dossier, args.item, args.text,
                           expected_version=args.expected_version)
    return Result({"dossier": _id(ch), "item": ch.item_ids[0]}, "Commentary saved")


def cmd_redact(wb: Workbench, args: argparse.Namespace) -> Result:
    if sum(map(bool, (args.term, args.item or args.quote, args.area, args.entity))) > 1:
        raise UserError("Give one of --term, --item with --quote, --area or --entity")
    seen: dict[str, Any] = {"label": args.label, "expected_version": args.expected_version}
    if args.entity:
        ch = wb.redact_entity(args.dossier, args.entity, args.reason, **seen)
    elif args.area:
        doc, page, rect = args.area
        ch = wb.redact_area(args.dossier, doc, page, rect, args.reason, **seen)
    elif args.term:
        ch = wb.redact_term(args.dossier, args.term, args.reason, **seen)
    elif args.item and args.quote:
        ch = wb.redact_quote(args.dossier, args.item, args.quote, args.reason, **seen)
    else:
        raise UserError("Give --term TEXT, --item ITEM with --quote TEXT, --area "
                        "DOC:PAGE:x0,y0,x1,y1 or --entity ENTITY")
    rid = ch.redaction_ids[0]
    r = next(x for x in wb.list_redactions(_id(ch)) if x["id"] == rid)
    warnings = list(getattr(ch, "warnings", []))
    payload = {"dossier": _id(ch), "redaction": rid, "label": r["label"], "mark": r["mark"],
               "warnings": warnings}
    if r.get("entity_id"):
        payload["entity_id"] = r["entity_id"]
    return Result(payload, f"Added redaction {rid}: exports print {r['mark']}",
                  stderr=[f"workbench: WARNING: {w}" for w in warnings])


def cmd_unredact(wb: Workbench, args: argparse.Namespace) -> Result:
    ch = wb.remove_redaction(args.dossier, args.redaction,
                             expected_version=args.expected_version)
    return Result({"dossier": _id(ch), "removed": args.redaction},
                  f"Removed redaction {args.redaction}")


def cmd_freeze(wb: Workbench, args: argparse.Namespace) -> Result:
    ch = wb.freeze(args.dossier, expected_version=args.expected_version)
    d = wb.get_dossier(_id(ch))
    return Result({"id": d["id"], "frozen_at": d["frozen_at"]}, f"Froze dossier {d['id']}")


def cmd_new_version(wb: Workbench, args: argparse.Namespace) -> Result:
    ch = wb.new_version(args.dossier)
    d = wb.get_dossier(_id(ch))
    return Result({"id": d["id"], "version_of": d["version_of"]},
                  f"Created dossier {d['id']} as a new version of {d['version_of']}")


def cmd_export(wb: Workbench, args: argparse.Namespace) -> Result:
    from ..system_tools import leak_check_notes

    result = wb.export(args.dossier, args.format, Path(args.output), bates=args.bates)
    result["leak_check_notes"] = leak_check_notes(result["leak_checks"])
    notes = [f"workbench: note: {note}" for note in result["leak_check_notes"]]
    return Result(result, f"Wrote {result['path']} (sha256 {result['sha256']})",
                  stderr=notes if result["recorded"]
                  else [not_recorded("export", result.get("pending", False)), *notes])


def cmd_sources(wb: Workbench, args: argparse.Namespace) -> Result:
    import json

    data = wb.sources_csl(args.dossier)
    return Result(data, json.dumps(data, ensure_ascii=False, indent=2))


def cmd_verify_bundle(args: argparse.Namespace) -> Result:
    from ..export.verify import verify_bundle

    result = verify_bundle(Path(args.path))
    if result["ok"]:
        return Result(result, f"OK: {result['files_checked']} payload files match the manifest")
    return Result(result, "\n".join(["FAILED:", *(f"  {p}" for p in result["problems"])]),
                  EXIT_SOME_FAILED)
