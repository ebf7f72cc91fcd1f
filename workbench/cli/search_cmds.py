"""Search commands: search, reindex, index-status, alias and saved-search add|list|delete.

The JSON shapes are documented in docs/cli/search.md and are a public interface.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from . import argtypes
from .common import Result, command, group, one_line, table

if TYPE_CHECKING:
    from ..fast_read import FastReader
    from ..services import Workbench


def register(sub: Any) -> None:
    p = command(sub, "search", cmd_search, "search the library (see docs/cli/search.md)",
                fast_read=True)
    p.add_argument("query", metavar="QUERY", nargs="+",
                   help="the query; several arguments are joined with spaces")
    p.add_argument("--limit", type=argtypes.count, default=20, metavar="N",
                   help="hits to show (20)")
    p.add_argument("--offset", type=argtypes.offset, default=0, metavar="N",
                   help="hits to skip (0)")
    p.add_argument("--in", dest="doc", metavar="DOC", type=argtypes.document_ref,
                   help="every match inside one document instead")
    p.add_argument("--collection", metavar="NAME", help="only documents of this collection")
    p.add_argument("--no-facets", action="store_true", help="skip facet counts")
    p.add_argument("--collapse-copies", action="store_true",
                   help="fold a document's other copies into its best hit (docs/cli/copies.md)")

    command(sub, "reindex", cmd_reindex, "rebuild the search index from the database",
            writes=True)
    command(sub, "index-status", cmd_index_status, "show the search index's state")

    g = group(sub, "alias", "alias groups: spellings that find each other")
    p = command(g, "add", cmd_alias_add, "create or replace an alias group", writes=True)
    p.add_argument("name", metavar="NAME")
    p.add_argument("terms", metavar="TERM", nargs="+", help="two or more spellings")
    command(g, "list", cmd_alias_list, "list alias groups")
    p = command(g, "delete", cmd_alias_delete, "delete an alias group", writes=True)
    p.add_argument("name", metavar="NAME")

    g = group(sub, "saved-search", "named searches stored in the library")
    p = command(g, "add", cmd_saved_add, "save (or replace) a named search", writes=True)
    p.add_argument("name", metavar="NAME")
    p.add_argument("query", metavar="QUERY")
    command(g, "list", cmd_saved_list, "list saved searches")
    p = command(g, "delete", cmd_saved_delete, "delete a saved search", writes=True)
    p.add_argument("name", metavar="NAME")


def cmd_search(wb: Workbench | FastReader, args: argparse.Namespace) -> Result:
    query = " ".join(args.query)
    if args.doc:
        m = wb.search_in_document(args.doc, query)
        text = wb.document_text(m.document_id).text
        lines = [f"{len(m.spans)} matches in document {m.document_id}"]
        for (s, e), page in zip(m.spans, m.pages, strict=True):
            where = f"p.{page} " if page else ""
            lines.append(f"  {where}[{s}:{e}] {one_line(text[s:e])}")
        return Result(m.to_json(), "\n".join(lines))
    filters = {"collection": args.collection} if args.collection else None
    r = wb.search(query, limit=args.limit, offset=args.offset, filters=filters,
                  facets=not args.no_facets, collapse_copies=args.collapse_copies)
    lines = [f"{r.total} documents" + (f" ({r.notice})" if r.notice else "")]
    for h in r.hits:
        where = f" p.{h.page}" if h.page else ""
        folded = f"  (+{len(h.copies)} {'copy' if len(h.copies) == 1 else 'copies'}: " \
            f"{', '.join(map(str, h.copies))})" if h.copies else ""
        lines.append(f"[{h.document_id}]{where} {one_line(h.title)}  ({h.score:.2f}){folded}")
        if h.snippet:
            lines.append(f"    {one_line(h.snippet)}")
    stderr = [f"workbench: note: {r.notice}"] if r.notice else []
    return Result(r.to_json(), "\n".join(lines), stderr=stderr)


def cmd_reindex(wb: Workbench, args: argparse.Namespace) -> Result:
    wb.reindex()
    status = wb.index_status()
    return Result(status, f"Indexed {status.get('indexed_documents')} documents")


def cmd_index_status(wb: Workbench, args: argparse.Namespace) -> Result:
    st = wb.index_status()
    text = "\n".join(f"{k}: {v}" for k, v in st.items() if v is not None)
    return Result(st, text)


def cmd_alias_add(wb: Workbench, args: argparse.Namespace) -> Result:
    wb.add_alias_group(args.name, args.terms)
    group_ = next(g for g in wb.list_alias_groups() if g["name"] == args.name.strip())
    return Result(group_, f"Alias group {one_line(args.name)}: {one_line(', '.join(args.terms))}")


def cmd_alias_list(wb: Workbench, args: argparse.Namespace) -> Result:
    groups = wb.list_alias_groups()
    return Result(groups, table([[g["name"], ", ".join(g["terms"])] for g in groups],
                                ["NAME", "TERMS"]))


def cmd_alias_delete(wb: Workbench, args: argparse.Namespace) -> Result:
    wb.delete_alias_group(args.name)
    return Result({"deleted": args.name}, f"Deleted alias group {one_line(args.name)}")


def cmd_saved_add(wb: Workbench, args: argparse.Namespace) -> Result:
    wb.save_search(args.name, args.query)
    saved = next(s for s in wb.list_saved_searches() if s["name"] == args.name.strip())
    return Result(saved, f"Saved search {one_line(args.name)}")


def cmd_saved_list(wb: Workbench, args: argparse.Namespace) -> Result:
    saved = wb.list_saved_searches()
    return Result(saved, table([[s["name"], s["query"]] for s in saved], ["NAME", "QUERY"]))


def cmd_saved_delete(wb: Workbench, args: argparse.Namespace) -> Result:
    wb.delete_saved_search(args.name)
    return Result({"deleted": args.name}, f"Deleted saved search {one_line(args.name)}")
