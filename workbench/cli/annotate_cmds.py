"""Command-line commands for highlights, tags, orphans and re-extraction.

``highlight add|list|show|edit|delete|export|import|similar|accept|discard`` (and
``link|unlink|links`` from ``link_cmds``),
``tag add|list|edit|rename|move|merge|delete|passages|document``, ``orphans`` and ``reextract``.
Documented, with their ``--json`` shapes, in ``docs/cli/highlights.md``.
"""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING, Any

from workbench.cli import argtypes, link_cmds
from workbench.cli.common import Result, command, group, one_line, table
from workbench.errors import UserError
from workbench.pages.geometry import shown_quote

if TYPE_CHECKING:  # the facade is imported when a command runs (cli.run), not to parse
    from workbench.services import Workbench

ADD_KEYS = ("id", "document_id", "start", "end", "page", "quote")
RECT_FORM = "give x0,y0,x1,y1: four numbers, points from the page's top-left corner"


def _rect(value: str) -> tuple[float, float, float, float]:
    """``--rect x0,y0,x1,y1``: four finite numbers with x0 < x1 and y0 < y1."""
    parts = value.replace(" ", "").split(",")
    if len(parts) != 4:
        raise argparse.ArgumentTypeError(f"{argtypes.shown(value)} is not a rectangle; "
                                         + RECT_FORM)
    try:
        x0, y0, x1, y1 = (float(v) for v in parts)
    except ValueError:
        x0 = y0 = x1 = y1 = math.nan
    if not all(math.isfinite(v) and abs(v) < 1e6 for v in (x0, y0, x1, y1)):
        raise argparse.ArgumentTypeError(f"{argtypes.shown(value)} is not a rectangle; "
                                         + RECT_FORM)
    if not (x0 < x1 and y0 < y1):
        raise argparse.ArgumentTypeError(f"{argtypes.shown(value)} needs x0 < x1 and y0 < y1; "
                                         + RECT_FORM)
    return x0, y0, x1, y1


_rect.__name__ = "rect"  # argparse names the type in its messages


def register(sub: Any) -> None:
    _register_highlight(group(sub, "highlight", "highlight passages, with tags and notes"))
    _register_tag(group(sub, "tag", "the tag tree: add, list, rename, move, merge, delete"))
    p = command(sub, "orphans", cmd_orphans,
                "highlights that could not be re-anchored, with their best candidates")
    p.add_argument("--doc", metavar="DOC", type=argtypes.document_ref, help="only this document's")
    p = command(sub, "reextract", cmd_reextract,
                "extract a document's text again and re-anchor its highlights", writes=True)
    p.add_argument("doc", metavar="DOC", type=argtypes.document_ref,
                   help="document id or unique SHA-256 prefix")


def _register_highlight(hs: Any) -> None:
    p = command(hs, "add", cmd_add, "highlight a quote (or a character range) of a document",
                writes=True)
    p.add_argument("doc", metavar="DOC", type=argtypes.document_ref,
                   help="document id or unique SHA-256 prefix")
    p.add_argument("--quote", metavar="TEXT", help="the passage, as copied")
    p.add_argument("--start", type=argtypes.char_offset,
                   metavar="N", help="start offset in the text layer")
    p.add_argument("--end", type=argtypes.char_offset, metavar="N", help="end offset (exclusive)")
    p.add_argument("--occurrence", type=argtypes.occurrence, metavar="N",
                   help="which occurrence, when the quote occurs more than once (1-based)")
    p.add_argument("--tag", action="append", default=[], metavar="PATH",
                   help="tag path, e.g. 'Forced labour/Labour transfer' (repeatable)")
    p.add_argument("--note", default="", metavar="TEXT")
    p.add_argument("--color", metavar="HEX", help="colour, e.g. #f5d742")
    p.add_argument("--page", type=argtypes.page, metavar="N",
                   help="highlight on this page of the original, with --rect")
    p.add_argument("--rect", action="append", default=[], type=_rect, metavar="x0,y0,x1,y1",
                   help="a rectangle on --page in points from its top-left corner; the text "
                        "whose characters lie inside is highlighted (repeatable)")
    p.add_argument("--region", action="store_true",
                   help="highlight the rectangle itself (a figure, a signature), with the "
                        "text inside as its quote, possibly none")

    p = command(hs, "list", cmd_list, "list highlights")
    p.add_argument("--doc", metavar="DOC", type=argtypes.document_ref)
    p.add_argument("--tag", metavar="PATH", help="with this tag or one of its sub-tags")
    p.add_argument("--status", choices=["anchored", "orphan"])

    p = command(hs, "show", cmd_show, "show one highlight")
    p.add_argument("id", type=argtypes.record_id, metavar="ID")

    p = command(hs, "edit", cmd_edit, "change a highlight's note, colour, tags or range",
                writes=True)
    p.add_argument("id", type=argtypes.record_id, metavar="ID")
    p.add_argument("--note", metavar="TEXT")
    p.add_argument("--color", metavar="HEX")
    p.add_argument("--tag", action="append", default=[], metavar="PATH", help="add a tag")
    p.add_argument("--untag", action="append", default=[], metavar="PATH",
                   help="remove a tag")
    p.add_argument("--start", type=argtypes.char_offset, metavar="N")
    p.add_argument("--end", type=argtypes.char_offset, metavar="N")
    argtypes.add_expected_version(p)

    p = command(hs, "delete", cmd_delete, "delete a highlight", writes=True)
    p.add_argument("id", type=argtypes.record_id, metavar="ID")

    p = command(hs, "export", cmd_export,
                "export highlights (W3C JSON-LD, CSV) or the tag tree (REFI-QDA .qdc)",
                writes=True)
    p.add_argument("--format", required=True, choices=["w3c", "csv", "qdc"])
    p.add_argument("-o", "--output", required=True, metavar="FILE", type=argtypes.path)
    p.add_argument("--doc", metavar="DOC", type=argtypes.document_ref,
                   help="only this document's highlights")
    p.add_argument("--tag", metavar="PATH", help="only highlights with this tag")

    p = command(hs, "import", cmd_import, "import highlights from a W3C Web Annotation file",
                writes=True)
    p.add_argument("file", metavar="FILE", type=argtypes.path)

    p = command(hs, "similar", cmd_similar,
                "other documents holding the same passage, exactly or nearly")
    p.add_argument("id", type=argtypes.record_id, metavar="ID")
    p.add_argument("--threshold", type=argtypes.ratio, default=0.8, metavar="RATIO",
                   help="lowest similarity for a near match (0-1, default 0.8)")

    p = command(hs, "accept", cmd_accept, "anchor an orphan at its candidate position",
                writes=True)
    p.add_argument("id", type=argtypes.record_id, metavar="ID")

    p = command(hs, "discard", cmd_discard, "delete an orphan highlight", writes=True)
    p.add_argument("id", type=argtypes.record_id, metavar="ID")
    link_cmds.register(hs)


def _register_tag(ts: Any) -> None:
    p = command(ts, "add", cmd_tag_add, "create a tag (and its missing parents)", writes=True)
    p.add_argument("path", metavar="PATH")
    p.add_argument("--color", metavar="HEX")
    p.add_argument("--description", metavar="TEXT")

    p = command(ts, "list", cmd_tag_list, "list tags with their highlight counts")
    p.add_argument("--tree", action="store_true", help="nested JSON instead of a flat list")

    p = command(ts, "edit", cmd_tag_edit, "change a tag's colour or description", writes=True)
    p.add_argument("path", metavar="PATH")
    p.add_argument("--color", metavar="HEX")
    p.add_argument("--description", metavar="TEXT")
    argtypes.add_expected_version(p)

    p = command(ts, "rename", cmd_tag_rename, "rename a tag (links are kept)", writes=True)
    p.add_argument("path", metavar="PATH")
    p.add_argument("name", metavar="NEW_NAME")
    argtypes.add_expected_version(p)

    p = command(ts, "move", cmd_tag_move, "move a tag under another one (links are kept)",
                writes=True)
    p.add_argument("path", metavar="PATH")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", metavar="PARENT", help="the new parent tag")
    where.add_argument("--top", action="store_true", help="make it a top-level tag")
    argtypes.add_expected_version(p)

    p = command(ts, "merge", cmd_tag_merge, "merge SOURCE into TARGET (links move over)",
                writes=True)
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("target", metavar="TARGET")
    argtypes.add_expected_version(p)  # the version of SOURCE, the tag merged away

    p = command(ts, "delete", cmd_tag_delete, "delete a tag", writes=True)
    p.add_argument("path", metavar="PATH")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--reassign-to", metavar="PATH",
                     help="move its links and sub-tags to this tag first")
    how.add_argument("--cascade", action="store_true",
                     help="also delete its sub-tags and all their links (never highlights)")

    p = command(ts, "passages", cmd_tag_passages,
                "the passages coded with a tag or its sub-tags; write them as CSV or DOCX",
                writes=True)
    p.add_argument("path", metavar="PATH")
    p.add_argument("--doc", metavar="DOC", type=argtypes.document_ref,
                   help="only this document's passages")
    p.add_argument("--csv", metavar="FILE", type=argtypes.path,
                   help="write the passages to a CSV file")
    p.add_argument("--docx", metavar="FILE", type=argtypes.path,
                   help="write the passages to a Word document")

    p = command(ts, "document", cmd_tag_document, "tag or untag a whole document", writes=True)
    p.add_argument("doc", metavar="DOC", type=argtypes.document_ref)
    p.add_argument("path", metavar="PATH")
    p.add_argument("--remove", action="store_true", help="remove the tag instead")


# --- highlight handlers ---------------------------------------------------------------------


def _quote(h: dict[str, Any]) -> str:
    return shown_quote(h["quote"], h.get("page_geometry"), h["page"])


def _rows_text(rows: list[dict[str, Any]]) -> str:
    return table([[h["id"], h["document_id"], h["page"], h["status"], _quote(h),
                   ", ".join(h["tags"]), h["note"]] for h in rows],
                 ["ID", "DOC", "PAGE", "STATUS", "QUOTE", "TAGS", "NOTE"])


def cmd_add(wb: Workbench, args: argparse.Namespace) -> Result:
    on_page = args.page is not None or bool(args.rect) or args.region
    if on_page:
        if args.page is None or not args.rect:
            raise UserError("A highlight on the page needs --page N and --rect x0,y0,x1,y1")
        if args.quote is not None or args.start is not None or args.end is not None \
                or args.occurrence is not None:
            raise UserError("Give either --page with --rect, or --quote, or --start and "
                            "--end, not both")
        ch = wb.add_page_highlight(args.doc, args.page, args.rect, region=args.region,
                                   tags=args.tag, note=args.note, color=args.color)
    else:
        if (args.quote is None) == (args.start is None or args.end is None):
            raise UserError("Give either --quote TEXT, or --start N and --end N, or --page N "
                            "and --rect x0,y0,x1,y1")
        ch = wb.add_highlight(args.doc, quote=args.quote, start=args.start, end=args.end,
                              occurrence=args.occurrence, tags=args.tag, note=args.note,
                              color=args.color)
    h = wb.get_highlight(ch.highlight_ids[0])
    payload = {k: h[k] for k in ADD_KEYS}
    if on_page:  # made on the page: where it landed is the answer
        payload["page_geometry"] = h["page_geometry"]
    return Result(payload, f"Highlight {h['id']} on document {h['document_id']}, page "
                           f"{h['page']}: {one_line(_quote(h))}")


def cmd_list(wb: Workbench, args: argparse.Namespace) -> Result:
    rows = wb.list_highlights(doc=args.doc, tag=args.tag, status=args.status)
    return Result(rows, _rows_text(rows))


def cmd_show(wb: Workbench, args: argparse.Namespace) -> Result:
    h = wb.get_highlight(args.id)
    lines = [f"highlight {h['id']} — document {h['document_id']} "
             f"(text layer v{h['layer_version']}), page {h['page']}, {h['status']}",
             f"characters {h['start']}-{h['end']}, colour {h['color']}, by {h['os_user']}, "
             f"created {h['created_at']}", f"quote: {one_line(_quote(h))}"]
    geom = h.get("page_geometry")
    if geom:
        lines.append(f"on the page ({geom['kind']}): " + "; ".join(
            f"page {p['page']}, " + ", ".join("[" + ", ".join(f"{v:g}" for v in q) + "]"
                                             for q in p["quads"]) for p in geom["pages"]))
    if h["tags"]:
        lines.append("tags: " + one_line(", ".join(h["tags"])))
    if h["note"]:
        lines.append("note: " + one_line(h["note"]))
    return Result(h, "\n".join(lines))


def cmd_edit(wb: Workbench, args: argparse.Namespace) -> Result:
    wb.edit_highlight(args.id, note=args.note, color=args.color, add_tags=args.tag,
                      remove_tags=args.untag, start=args.start, end=args.end,
                      expected_version=args.expected_version)
    h = wb.get_highlight(args.id)
    return Result(h, f"Updated highlight {h['id']}")


def cmd_delete(wb: Workbench, args: argparse.Namespace) -> Result:
    wb.delete_highlight(args.id)
    return Result({"deleted": args.id}, f"Deleted highlight {args.id}")


def cmd_export(wb: Workbench, args: argparse.Namespace) -> Result:
    out = wb.export_highlights(args.format, args.output, doc=args.doc, tag=args.tag)
    what = "tags" if args.format == "qdc" else "highlights"
    links = f" and {out['links']} links" if out.get("links") else ""
    return Result(out, f"Wrote {out['count']} {what}{links} to {one_line(out['path'])} "
                       f"(sha256 {out['sha256']})")


def cmd_import(wb: Workbench, args: argparse.Namespace) -> Result:
    report, _ = wb.import_highlights(args.file)
    text = (f"{report['annotations']} annotations: imported {report['imported']}, orphaned "
            f"{report['orphaned']}, already present {report['duplicates']}, on missing "
            f"documents {len(report['missing_documents'])}, unreadable "
            f"{len(report['unreadable'])}")
    if report.get("links"):
        text += (f"; links: {report['links_imported']} imported, {report['links_present']} "
                 f"already present, {report['links_unresolved']} unresolved")
    return Result(report, text)


def cmd_similar(wb: Workbench, args: argparse.Namespace) -> Result:
    rows = wb.find_quote_elsewhere(args.id, threshold=args.threshold)
    return Result(rows, table([[r["document_id"], r["page"], r["match"], f"{r['score']:.2f}",
                                r["title"], r["quote"]] for r in rows],
                              ["DOC", "PAGE", "MATCH", "SCORE", "TITLE", "QUOTE"]))


def cmd_accept(wb: Workbench, args: argparse.Namespace) -> Result:
    wb.accept_candidate(args.id)
    h = wb.get_highlight(args.id)
    return Result(h, f"Highlight {h['id']} anchored at {h['start']}-{h['end']}")


def cmd_discard(wb: Workbench, args: argparse.Namespace) -> Result:
    wb.discard_orphan(args.id)
    return Result({"deleted": args.id}, f"Discarded orphan highlight {args.id}")


def cmd_orphans(wb: Workbench, args: argparse.Namespace) -> Result:
    rows = wb.orphans(doc=args.doc)
    text = table([[h["id"], h["document_id"], h["quote"],
                   "" if not h["candidate"] else
                   f"{h['candidate']['score']:.2f} {h['candidate']['quote']}"] for h in rows],
                 ["ID", "DOC", "QUOTE", "BEST CANDIDATE"])
    return Result(rows, text)


def cmd_reextract(wb: Workbench, args: argparse.Namespace) -> Result:
    r = wb.reextract(args.doc)
    text = (f"Document {r['document_id']}: text layer v{r['layer_version']}; "
            f"{r['highlights']} highlights: {r['anchored']} anchored, {r['moved']} "
            f"moved, {r['fuzzy']} fuzzy, {r['orphaned']} orphaned; status: {r['status']}")
    if r["problems"]:  # the new reading's, which replaced the old ones
        text += "\n  " + "\n  ".join(one_line(p) for p in r["problems"])
    return Result(r, text)


# --- tag handlers ---------------------------------------------------------------------------


def cmd_tag_add(wb: Workbench, args: argparse.Namespace) -> Result:
    wb.add_tag(args.path, color=args.color, description=args.description)
    t = wb.get_tag(args.path)
    return Result(t, f"Tag {one_line(t['path'])} ({t['color']})")


def cmd_tag_list(wb: Workbench, args: argparse.Namespace) -> Result:
    rows = wb.list_tags()
    text = table([["  " * r["depth"] + r["name"], r["color"], r["highlights"],
                   r["highlights_total"], r["documents"]] for r in rows],
                 ["TAG", "COLOUR", "HIGHLIGHTS", "WITH SUB-TAGS", "DOCUMENTS"])
    return Result(wb.list_tags(tree=True) if args.tree else rows, text)


def cmd_tag_edit(wb: Workbench, args: argparse.Namespace) -> Result:
    wb.edit_tag(args.path, color=args.color, description=args.description,
                expected_version=args.expected_version)
    t = wb.get_tag(args.path)
    return Result(t, f"Updated tag {one_line(t['path'])}")


def cmd_tag_rename(wb: Workbench, args: argparse.Namespace) -> Result:
    tag_id = wb.get_tag(args.path)["id"]
    wb.rename_tag(tag_id, args.name, expected_version=args.expected_version)
    t = wb.get_tag(tag_id)
    return Result(t, f"Renamed to {one_line(t['path'])}")


def cmd_tag_move(wb: Workbench, args: argparse.Namespace) -> Result:
    tag_id = wb.get_tag(args.path)["id"]
    wb.move_tag(tag_id, None if args.top else args.to,
                expected_version=args.expected_version)
    t = wb.get_tag(tag_id)
    return Result(t, f"Moved to {one_line(t['path'])}")


def cmd_tag_merge(wb: Workbench, args: argparse.Namespace) -> Result:
    wb.merge_tags(args.source, args.target, expected_version=args.expected_version)
    t = wb.get_tag(args.target)
    return Result(t, f"Merged {one_line(args.source)} into {one_line(t['path'])}")


def cmd_tag_delete(wb: Workbench, args: argparse.Namespace) -> Result:
    tag_id = wb.get_tag(args.path)["id"]
    wb.delete_tag(tag_id, cascade=args.cascade, reassign_to=args.reassign_to)
    return Result({"deleted": tag_id, "path": args.path}, f"Deleted tag {one_line(args.path)}")


def cmd_tag_passages(wb: Workbench, args: argparse.Namespace) -> Result:
    rows = wb.tag_passages(args.path, doc=args.doc)
    written = []
    for fmt, target in (("csv", args.csv), ("docx", args.docx)):
        if target:
            written.append(wb.export_passages(args.path, fmt, target,
                                              highlight_ids=[r["id"] for r in rows]))
    text = table([[r["id"], r["document_title"], r["page"], r["quote"], r["note"]]
                  for r in rows], ["ID", "DOCUMENT", "PAGE", "QUOTE", "NOTE"])
    text += "".join(f"\nWrote {w['count']} passages to {one_line(w['path'])} "
                    f"(sha256 {w['sha256']})" for w in written)
    return Result({"tag": wb.get_tag(args.path)["path"], "passages": rows, "exports": written},
                  text)


def cmd_tag_document(wb: Workbench, args: argparse.Namespace) -> Result:
    if args.remove:
        wb.untag_document(args.doc, args.path)
    else:
        wb.tag_document(args.doc, args.path)
    doc_id = wb.resolve(args.doc)
    tags = wb.document_tags(doc_id)
    return Result({"document_id": doc_id, "tags": tags},
                  f"Document {doc_id}: {one_line(', '.join(tags)) or 'no tags'}")
