"""Shared pieces of the command line: command registration, output, escaping.

Each command module calls ``command(...)`` to add a sub-command whose handler returns a
``Result``: the ``--json`` payload (the public, documented shape), the human text and the exit
code. The handler never prints and never exits; ``cli.main`` does both.
"""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from . import argtypes

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2


@dataclass
class Result:
    payload: Any
    text: str = ""
    code: int = EXIT_OK
    stderr: list[str] = field(default_factory=list)


Handler = Callable[..., Result]


@cache
def json_parent() -> argparse.ArgumentParser:
    # One parent shared by every sub-command: building one per command (~70) was half of the
    # parser's set-up, which every command pays.
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON on stdout")
    # The global options after the command too (`workbench verify --library LIB`), as scripts
    # write them; SUPPRESS keeps one given before the command when it is not repeated.
    parent.add_argument("--library", metavar="PATH", type=argtypes.path,
                        default=argparse.SUPPRESS,
                        help="library folder (default: $WORKBENCH_LIBRARY or the user data dir)")
    parent.add_argument("--passphrase-fd", metavar="N", type=argtypes.fd_number,
                        dest="passphrase_fd", default=argparse.SUPPRESS,
                        help="read an encrypted library's passphrase from file descriptor N")
    return parent


def command(sub: Any, name: str, handler: Handler, help: str, *, writes: bool = False,
            needs_library: bool = True, aliases: tuple[str, ...] = (),
            read_only_ok: bool = False, fast_read: bool = False,
            before_open: Callable[[argparse.Namespace], None] | None = None
            ) -> argparse.ArgumentParser:
    """Add a sub-command. ``writes`` takes the writer lock; read-only commands do not.
    ``read_only_ok``: a command that writes only its audit record (verify, export) still runs
    on a library whose folder is read-only, opened read-only (its handler says so).
    ``fast_read``: the handler also runs on a ``workbench.fast_read.FastReader`` (a plain
    library read without SQLAlchemy), tried first; the facade serves what it cannot.
    ``before_open``: work that can start before the library opens and the facade's modules
    load (``import`` starts its extraction workers)."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=help, description=help,
                                                parents=[json_parent()], aliases=list(aliases))
    p.set_defaults(handler=handler, writes=writes, needs_library=needs_library,
                   read_only_ok=read_only_ok, fast_read=fast_read, before_open=before_open)
    return p


def not_recorded(what: str, pending: bool = False) -> str:
    """The note a ``read_only_ok`` command prints when it ran on the library read-only:
    ``pending``, beside the process that holds it, its event left for the next writer
    (``pending_events``); else on a read-only library, not recorded at all."""
    if pending:
        return (f"workbench: note: another program holds the library for writing: this {what} "
                f"is recorded in its audit log when the library is next opened for writing")
    return (f"workbench: note: the library is read-only (its folder cannot be written): "
            f"this {what} is not recorded in its audit log")


def group(sub: Any, name: str, help: str) -> Any:
    """A command with its own sub-commands (``highlight add``, ``tag list``...)."""
    p = sub.add_parser(name, help=help, description=help, parents=[json_parent()])
    return p.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)


_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
         "\u2069", "\u200e", "\u200f"}


def safe(text: object) -> str:
    """Text fit for a terminal: control and bidi-override characters shown as escapes."""
    out = []
    for ch in str(text):
        if ch in _BIDI or (unicodedata.category(ch) == "Cc" and ch not in "\n\t"):
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def one_line(text: object) -> str:
    return safe(str(text).replace("\n", " ").replace("\t", " "))


def table(rows: list[list[object]], headers: list[str]) -> str:
    cells = [[one_line(c) if c is not None else "" for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = min(max(widths[i], len(c)), 60)
    def fmt(row: list[str]) -> str:
        return "  ".join(c[:60].ljust(widths[i]) for i, c in enumerate(row)).rstrip()
    return "\n".join([fmt(headers), *(fmt(r) for r in cells)])
