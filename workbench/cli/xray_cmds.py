"""``workbench xray DOC [--show]``: where a PDF may hide text under boxes drawn over it.

Lists the areas the import's failed-redaction check found (``workbench.xray``), one line each.
The hidden text is printed only with ``--show``, read again from the original then; it is
never stored. A read: no audit event.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from . import argtypes
from .common import Result, command

if TYPE_CHECKING:
    from ..services import Workbench


def register(sub: Any) -> None:
    p = command(sub, "xray", cmd_xray,
                "list places in a PDF where text lies under boxes drawn over it "
                "(possible failed redactions)")
    p.add_argument("doc", metavar="DOC", type=argtypes.document_ref,
                   help="document id or unique SHA-256 prefix")
    p.add_argument("--show", action="store_true",
                   help="also print the hidden text (read again from the original)")


def cmd_xray(wb: Workbench, args: argparse.Namespace) -> Result:
    areas = wb.xray(args.doc, show=args.show)
    info = wb.show_document(args.doc)
    if info["kind"] != "pdf":
        return Result(areas, f"Document {info['id']} is a {info['kind']} file, not a PDF: "
                             "there is nothing to check")
    if not areas:
        return Result(areas, f"Document {info['id']}: no text found under boxes, images or "
                             "annotations, nor in its background's colour")
    lines = [_line(a) for a in areas]
    if not args.show:
        lines.append("(the hidden text is not printed; add --show to read it)")
    return Result(areas, "\n".join(lines))


def _line(area: dict[str, Any]) -> str:
    x0, y0, x1, y1 = area["bbox"]
    n = area["characters"]
    line = (f"page {area['page']}  [{x0:.1f}, {y0:.1f}, {x1:.1f}, {y1:.1f}]  "
            f"{n} character{'s' if n != 1 else ''}  {area['kind']}")
    if "text" in area:
        line += f"  {area['text']!r}"
    return line
