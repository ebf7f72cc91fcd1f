"""Passphrases on the command line: the prompt, ``--passphrase-fd``, and ``workbench passphrase``.

A passphrase is never an argument (other users see arguments in the process list, shells
keep them in history): it is typed at a prompt (``getpass``: not echoed) or read from a file
descriptor the caller opened (``--passphrase-fd N``, one passphrase per line). Every command
on an encrypted library asks once; ``init --encrypt`` asks twice for a new one.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from ..crypto import MIN_PASSPHRASE, change_passphrase, is_encrypted
from ..errors import PassphraseRequired, UserError
from . import argtypes
from .common import Result, command, safe

_session = {"encrypted": False}  # an encrypted library was opened in this run


def register(sub: Any) -> None:
    command(sub, "passphrase", cmd_passphrase,
            "change the passphrase of an encrypted library (the key file only is rewritten)",
            needs_library=False)


def add_global_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--passphrase-fd", metavar="N", type=argtypes.fd_number,
                        dest="passphrase_fd",
                        help="read an encrypted library's passphrase from file descriptor N "
                             "(one per line) instead of a prompt")


def session_encrypted() -> bool:
    """Whether this run touched an encrypted library (its bugs are then not logged to disk)."""
    return _session["encrypted"]


def _read_line(fd: int) -> str | None:
    """One line from ``fd`` (without its end), or None at the end of input."""
    data = bytearray()
    while True:
        try:
            b = os.read(fd, 1)  # byte by byte: nothing after the line is consumed
        except OSError as exc:
            raise UserError(f"Cannot read the passphrase from file descriptor {fd}: "
                            f"{exc.strerror}", "pass a descriptor open for reading") from exc
        if not b:
            return data.decode("utf-8", "strict") if data else None
        if b == b"\n":
            return data.decode("utf-8").removesuffix("\r")
        data += b


def _from_fd(args: argparse.Namespace, what: str) -> str:
    fd = args.passphrase_fd
    line = _read_line(fd)
    if line is None:
        raise PassphraseRequired(f"No {what} could be read from file descriptor {fd}",
                                 "write it there, one per line")
    return line


def _prompt(text: str, path: Path) -> str:
    if not sys.stdin.isatty():
        raise PassphraseRequired(
            f"The library at {path} is encrypted: a passphrase is needed, and none was given",
            "type it at a terminal, or pass it on a file descriptor: --passphrase-fd N")
    try:
        return getpass.getpass(text, stream=sys.stderr)
    except EOFError:
        raise PassphraseRequired("No passphrase was typed") from None


def passphrase_for(args: argparse.Namespace, path: Path) -> str | None:
    """The passphrase of the library at ``path`` (None when it is not encrypted): read once
    per run from ``--passphrase-fd`` or a prompt. Commands that open a library themselves
    call this too."""
    if not is_encrypted(path):
        return None
    _session["encrypted"] = True
    cached: str | None = getattr(args, "_passphrase", None)
    if cached is None:
        if getattr(args, "passphrase_fd", None) is not None:
            cached = _from_fd(args, "passphrase")
        else:
            cached = _prompt(f"Passphrase for the library {safe(path)}: ", path)
        args._passphrase = cached
    return cached


def new_passphrase(args: argparse.Namespace, path: Path, what: str = "passphrase") -> str:
    """A new passphrase: once from ``--passphrase-fd``, or typed twice at the prompt."""
    if getattr(args, "passphrase_fd", None) is not None:
        new = _from_fd(args, f"new {what}")
    else:
        new = _prompt(f"New {what} for {safe(path)}: ", path)
        if _prompt("Type it again: ", path) != new:
            raise UserError("The two passphrases typed differ; nothing was changed",
                            "type the same passphrase twice")
    if len(new) < MIN_PASSPHRASE:
        raise UserError(f"The passphrase is too short (at least {MIN_PASSPHRASE} characters)",
                        "choose a longer one: several words are easy to remember")
    return new


def init_passphrase(args: argparse.Namespace, path: Path, marker: Path) -> str | None:
    """What ``workbench init [--encrypt]`` opens or creates the library at ``path`` with."""
    if is_encrypted(path):
        return passphrase_for(args, path)
    if not getattr(args, "encrypt", False):
        return None
    if marker.exists():
        raise UserError(f"The library at {path} already exists and is not encrypted",
                        "a library cannot be encrypted in place: create a new encrypted one "
                        "(`workbench --library NEW init --encrypt`) and import into it")
    _session["encrypted"] = True
    return new_passphrase(args, path)


def cmd_passphrase(args: argparse.Namespace) -> Result:
    from . import library_path

    path = library_path(args).absolute()
    if not is_encrypted(path):
        raise UserError(f"The library at {path} is not encrypted",
                        "only an encrypted library has a passphrase to change")
    _session["encrypted"] = True
    if args.passphrase_fd is not None:
        old = _from_fd(args, "current passphrase")
    else:
        old = _prompt(f"Current passphrase for {safe(path)}: ", path)
    new = new_passphrase(args, path)
    change_passphrase(path, old, new)
    return Result({"library": str(path), "changed": True},
                  "Passphrase changed. Copies and backups made before still open with the "
                  "old one.")
