"""``workbench share``: a personal library copied into a new shared one (workbench/shared/);
``workbench role grant``: a colleague's level in it (shared/roles.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from . import argtypes
from .common import Result, command, safe


def register(sub: Any) -> None:
    p = command(sub, "share", cmd_share,
                "copy a personal library into a new shared library on PostgreSQL (the "
                "marker goes to --library), and verify the copy", needs_library=False)
    p.add_argument("personal", metavar="PERSONAL", type=argtypes.path,
                   help="the personal library folder to copy (it is not changed)")
    p.add_argument("--database", metavar="URL", required=True,
                   help="an empty PostgreSQL database: postgresql://USER@HOST/DB, no password")
    p.add_argument("--store", metavar="PATH", type=argtypes.path, required=True,
                   help="the shared folder for the originals")
    p.add_argument("--name", metavar="NAME", help="the shared library's name")
    register_roles(sub)


def cmd_share(args: argparse.Namespace) -> Result:
    from ..errors import UserError
    from ..shared.copy import share

    if not args.library:
        raise UserError("Say where the shared library's marker goes",
                        "`workbench --library MARKER share PERSONAL --database URL --store "
                        "PATH`")
    personal = Path(args.personal).expanduser().absolute()
    marker = Path(args.library).expanduser().absolute()
    result = share(personal, marker, args.database, Path(args.store), args.name)
    c = result["copied"]
    text = (f"Shared {c.get('documents', 0)} documents, {c.get('highlights', 0)} highlights, "
            f"{c.get('dossiers', 0)} dossiers, {c.get('audit_events', 0)} audit events and "
            f"{result['originals']} originals; open it with --library {safe(marker)}; the copy "
            + ("verified" if result["ok"] else "did NOT verify: run `workbench verify` on it"))
    return Result(result, text, code=0 if result["ok"] else 1)


def register_roles(sub: Any) -> None:
    from .common import group

    g = group(sub, "role", "who may do what in a shared library (PostgreSQL grants)")
    p = command(g, "grant", cmd_role_grant,
                "make a server role a reader, editor or owner of this shared library",
                writes=True)
    p.add_argument("user", metavar="USER", help="the colleague's role on the server")
    p.add_argument("level", choices=["reader", "editor", "owner"])


def cmd_role_grant(wb: Any, args: argparse.Namespace) -> Result:
    granted = wb.grant_role(args.user, args.level)
    return Result(granted, f"{safe(args.user)} is now {'a' if args.level == 'reader' else 'an'} "
                  f"{args.level} of this shared library")
