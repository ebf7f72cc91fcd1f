"""Other copies on the command line: ``copies`` (list, confirm, reject, scan) and ``compare``.

The JSON shapes are documented in docs/cli/copies.md and are a public interface.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import UserError
from . import argtypes
from .common import Result, command, one_line

if TYPE_CHECKING:
    from ..services import Workbench

SHOWN = 160  # characters of a change's text in the text form


class _Writes(argparse.Action):
    """An option that changes the library: the command then takes the writer lock (listing
    copies does not, so it also runs beside an open window)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, True if self.nargs == 0 else values)
        namespace.writes = True


def register(sub: Any) -> None:
    p = command(sub, "copies", cmd_copies,
                "a document's other copies (see docs/cli/copies.md); --scan finds them "
                "across the library")
    p.add_argument("doc", metavar="DOC", nargs="?", type=argtypes.document_ref,
                   help="the document (id or SHA-256 prefix)")
    act = p.add_mutually_exclusive_group()
    act.add_argument("--confirm", metavar="OTHER", type=argtypes.document_ref, action=_Writes,
                     help="confirm that OTHER is a copy of DOC")
    act.add_argument("--reject", metavar="OTHER", type=argtypes.document_ref, action=_Writes,
                     help="say OTHER is not a copy of DOC: the pair is never found again")
    act.add_argument("--reset", metavar="OTHER", type=argtypes.document_ref, action=_Writes,
                     help="forget a confirmation or rejection (the pair is 'found' again)")
    act.add_argument("--scan", nargs=0, action=_Writes, default=False,
                     help="sign every document not signed yet (a library from before copies "
                          "were found, new text layers) and find their copies")

    p = command(sub, "compare", cmd_compare,
                "what differs between two documents' texts, change by change")
    p.add_argument("doc", metavar="DOC", type=argtypes.document_ref)
    p.add_argument("other", metavar="OTHER", type=argtypes.document_ref)


def cmd_copies(wb: Workbench, args: argparse.Namespace) -> Result:
    if args.scan:
        if args.doc:
            raise UserError("--scan looks at the whole library", "leave out DOC")
        found = wb.find_copies()
        return Result(found, f"Signed {found['signed']} documents; "
                             f"{found['pairs']} pairs of copies found or dropped")
    if not args.doc:
        raise UserError("name a document whose copies to list",
                        "workbench copies DOC, or workbench copies --scan")
    for status, other in (("confirmed", args.confirm), ("rejected", args.reject),
                          ("found", args.reset)):
        if other:
            wb.set_copy_status(args.doc, other, status)
    doc_id = wb.resolve(args.doc)
    copies = wb.copies(doc_id)
    return Result({"document_id": doc_id, "copies": copies}, _copies_text(doc_id, copies))


def _copies_text(doc_id: int, copies: list[dict[str, Any]]) -> str:
    if not copies:
        return f"No other copies of document {doc_id}"
    n = len(copies)
    lines = [f"{n} other {'copy' if n == 1 else 'copies'} of document {doc_id}:"]
    for c in copies:
        lines.append(f"[{c['document_id']}] {c['kind']}  similarity {c['similarity']:.2f}  "
                     f"{c['status']}  {one_line(c['title'] or c['original_filename'])}")
        source = c["source_url"] or c["original_filename"]
        when = f"captured {c['captured_at']}" if c["captured_at"] else \
            f"imported {c['imported_at']}"
        lines.append(f"    {one_line(source)}  {when}")
        lines.append(f"    SHA-256 {c['sha256']}")
    return "\n".join(lines)


def cmd_compare(wb: Workbench, args: argparse.Namespace) -> Result:
    diff = wb.compare(args.doc, args.other)
    left, right = diff["left"], diff["right"]
    changes = diff["changes"]
    lines = [f"Document {left['document_id']} ({one_line(left['title'])}) against "
             f"document {right['document_id']} ({one_line(right['title'])}): similarity "
             f"{diff['similarity']:.2f}, {len(changes)} "
             f"{'change' if len(changes) == 1 else 'changes'}"]
    for n, c in enumerate(changes, 1):
        (a, b), (x, y) = c["left"], c["right"]
        if c["kind"] == "delete":
            lines.append(f"{n}. deleted [{a}:{b}] (only in {left['document_id']}): "
                         f"{_shown(c['left_text'])}")
        elif c["kind"] == "insert":
            lines.append(f"{n}. inserted [{x}:{y}] (only in {right['document_id']}): "
                         f"{_shown(c['right_text'])}")
        else:
            lines.append(f"{n}. replaced [{a}:{b}] {_shown(c['left_text'])}")
            lines.append(f"   with [{x}:{y}] {_shown(c['right_text'])}")
    return Result(diff, "\n".join(lines))


def _shown(text: str) -> str:
    text = one_line(text)
    return f"“{text if len(text) <= SHOWN else text[:SHOWN - 1] + '…'}”"
