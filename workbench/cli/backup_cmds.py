"""``workbench backup`` and ``workbench restore``: verified copies of a library and back.

``backup`` opens the library read-only, without its writer lock (the desktop app may have it
open and be writing), and records its audit event itself only when the lock is free for a
moment, else leaves it pending for the next writer (see ``workbench/backup.py``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import argtypes
from .common import Result, command, one_line

if TYPE_CHECKING:
    from ..services import Workbench


def register(sub: Any) -> None:
    p = command(sub, "backup", cmd_backup,
                "make a verified copy of the library in a new or empty folder (works while "
                "the library is open elsewhere)")
    p.add_argument("dest", metavar="DEST", type=argtypes.path,
                   help="a new or empty folder for the backup")
    p.add_argument("--with-index", action="store_true",
                   help="copy the search index too (otherwise it is rebuilt on open)")

    p = command(sub, "restore", cmd_restore,
                "restore a backup into a new or empty folder (or over a library with --force)",
                needs_library=False)
    p.add_argument("backup", metavar="BACKUP", type=argtypes.path,
                   help="a folder written by `workbench backup`")
    p.add_argument("target", metavar="TARGET", type=argtypes.path,
                   help="a new or empty folder")
    p.add_argument("--force", action="store_true",
                   help="replace the library in TARGET: it is moved aside to "
                        "TARGET.replaced-TIME, never deleted")


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return str(n)


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _counts(r: dict[str, Any]) -> str:
    return (f"{_n(r['documents'], 'document')}, {_n(r['highlights'], 'highlight')}, "
            f"{_n(r['dossiers'], 'dossier')}, {_n(r['audit_events'], 'audit event')}")


def _checked(r: dict[str, Any]) -> str:
    v = r["verified"]
    return (f"Verified: {v['documents_checked']:,} originals match their SHA-256, the audit "
            f"chain of {v['audit_events_checked']:,} events holds, the database is sound.")


def cmd_backup(wb: Workbench, args: argparse.Namespace) -> Result:
    from .. import backup as core

    result = core.backup(wb.library, Path(args.dest), with_index=args.with_index)
    originals = (f"{result['linked']:,} originals linked, {result['copied']:,} copied"
                 if result["linked"] else f"{result['copied']:,} originals copied")
    recorded = {
        "event": f"Recorded as audit event {result['event_id']} of the library.",
        "pending": "The library is open for writing elsewhere: the backup is recorded in its "
                   "audit log when it is next opened for writing.",
        "not recorded": "The backup could not be recorded in the library (it cannot be "
                        "written).",
    }[result["recorded"]]
    lines = [f"Backed up {_counts(result)} to {one_line(result['destination'])} "
             f"({_size(result['bytes'])}; {originals}"
             + ("; search index included" if result["with_index"] else "") + ").",
             _checked(result), recorded]
    return Result(result, "\n".join(lines))


def cmd_restore(args: argparse.Namespace) -> Result:
    from .. import backup as core
    from .crypto_cmds import passphrase_for

    # An encrypted backup opens with the passphrase of the library it was taken from.
    secret = passphrase_for(args, Path(args.backup))
    result = core.restore(Path(args.backup), Path(args.target), force=args.force,
                          passphrase=secret)
    lines = [f"Restored {_counts(result)} from the backup of {result['backup_created_at']} "
             f"into {one_line(result['target'])}.", _checked(result)]
    if result["replaced"]:
        lines.append(f"The library that was there was moved aside to "
                     f"{one_line(result['replaced'])}.")
    if result["index"] != "copied":
        lines.append("The search index is rebuilt when the library is next opened for writing "
                     "(`workbench reindex`, or open it in the app).")
    return Result(result, "\n".join(lines))
