"""``workbench history``: who did what, newest first, in sentences (issue 19).

The same pages the window's History shows (``Workbench.history``): each change with its local
time, its author and a sentence; ``--author`` and ``--kind`` filter, ``--before`` pages back,
``--verify`` also walks the audit chain. A read: no audit event.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..history import KINDS, local_time
from . import argtypes
from .common import Result, command

if TYPE_CHECKING:
    from ..services import Workbench


def register(sub: Any) -> None:
    p = command(sub, "history", cmd_history,
                "who did what: the library's changes, newest first, in sentences")
    add_filters(p)
    p.add_argument("--limit", type=argtypes.count, metavar="N", default=50,
                   help="at most N changes (default 50, at most 1000)")
    p.add_argument("--before", type=argtypes.record_id, metavar="ID",
                   help="only changes older than event ID (the last page's 'before')")
    p.add_argument("--verify", action="store_true",
                   help="also check the audit chain of every author and say where it breaks")


def add_filters(p: argparse.ArgumentParser) -> None:
    """``--author`` and ``--kind``, shared with ``audit``."""
    p.add_argument("--author", metavar="NAME", help="only the changes NAME wrote")
    p.add_argument("--kind", choices=list(KINDS), metavar="KIND",
                   help="only changes of one kind: " + ", ".join(KINDS))


def cmd_history(wb: Workbench, args: argparse.Namespace) -> Result:
    page = wb.history(limit=args.limit, before=args.before, author=args.author,
                      kind=args.kind)
    payload: dict[str, Any] = {"rows": [r.to_json() for r in page.rows],
                               "before": page.before}
    # one line a change, not a table: a sentence is read whole, never cut to a column
    width = len(str(page.rows[0].id)) if page.rows else 0
    lines = [f"{r.id:>{width}}  {local_time(r.at)}  {r.sentence}" for r in page.rows] \
        or ["No changes."]
    if page.before is not None:
        lines.append(f"(older changes: --before {page.before})")
    code = 0
    if args.verify:
        check = wb.verify_audit_chain()
        payload["chain"] = check.to_json()
        lines.append(check.sentence)
        code = 0 if check.ok else 1
    return Result(payload, "\n".join(lines), code)
