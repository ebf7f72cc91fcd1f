"""Command-line commands for links between highlights: ``highlight link|unlink|links``
(registered into the ``highlight`` group by ``annotate_cmds``). Documented, with their
``--json`` shapes, in ``docs/cli/highlights.md``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from workbench.cli import argtypes
from workbench.cli.common import Result, command, one_line, table

if TYPE_CHECKING:  # the facade is imported when a command runs (cli.run), not to parse
    from workbench.services import Workbench

# Kept here, not imported from workbench.annotate.links: parsing must stay light.
RELATIONS = ("corroborates", "contradicts", "same-event")


def register(hs: Any) -> None:
    p = command(hs, "link", cmd_link, "link two highlights: one corroborates or contradicts "
                "the other, or both describe the same event", writes=True)
    p.add_argument("a", type=argtypes.record_id, metavar="A")
    p.add_argument("b", type=argtypes.record_id, metavar="B")
    p.add_argument("--relation", required=True, metavar="RELATION",
                   help="corroborates, contradicts or same-event")
    p.add_argument("--note", default="", metavar="TEXT",
                   help="why (private: kept in this library, never exported)")

    p = command(hs, "unlink", cmd_unlink, "remove the link(s) between two highlights",
                writes=True)
    p.add_argument("a", type=argtypes.record_id, metavar="A")
    p.add_argument("b", type=argtypes.record_id, metavar="B")
    p.add_argument("--relation", metavar="RELATION",
                   help="only this relation (default: every link between them)")

    p = command(hs, "links", cmd_links, "a highlight's links, with the other end of each")
    p.add_argument("id", type=argtypes.record_id, metavar="ID")


def _between(wb: Workbench, a: int, b: int, relation: str | None) -> list[dict[str, Any]]:
    return [x for x in wb.highlight_links(a) if x["other"]["highlight_id"] == b
            and (relation is None or x["relation"] == relation)]


def cmd_link(wb: Workbench, args: argparse.Namespace) -> Result:
    wb.link_highlights(args.a, args.b, args.relation, note=args.note)
    relation = args.relation.strip().lower()
    link = _between(wb, args.a, args.b, relation)[0]
    other = link["other"]
    return Result({"highlight_id": args.a, **link},
                  f"Linked highlight {args.a} to {other['highlight_id']} ({relation}): "
                  f"{one_line(other['title'] or '')}, page {other['page']}")


def cmd_unlink(wb: Workbench, args: argparse.Namespace) -> Result:
    relation = args.relation.strip().lower() if args.relation is not None else None
    before = len(_between(wb, args.a, args.b, relation))
    wb.unlink_highlights(args.a, args.b, args.relation)
    return Result({"highlight_ids": [args.a, args.b], "relation": relation,
                   "removed": before},
                  f"Removed {before} link{'s' * (before != 1)} between highlights {args.a} "
                  f"and {args.b}")


def cmd_links(wb: Workbench, args: argparse.Namespace) -> Result:
    rows = wb.highlight_links(args.id)
    text = table([[r["id"], r["relation"], r["other"]["highlight_id"], r["other"]["title"],
                   r["other"]["page"], r["other"]["quote"], r["note"]] for r in rows],
                 ["LINK", "RELATION", "OTHER", "TITLE", "PAGE", "QUOTE", "NOTE"])
    return Result(rows, text or f"Highlight {args.id} has no links")
