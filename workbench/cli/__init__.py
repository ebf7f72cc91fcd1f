"""The ``workbench`` command line: every core feature, headless, with ``--json`` output.

Usage: ``workbench [--library PATH] COMMAND [--json] ...``. Exit codes: 0 success, 1 when some
items failed or the operation failed, 2 on usage errors (``leakscan``: 3 when parts could not be
read). Errors go to stderr as one sentence,
never a traceback. The commands and their JSON shapes are documented in ``docs/CLI.md``.
"""

from __future__ import annotations

import argparse
import atexit
import json
import logging
import os
import sys
import threading
from importlib import import_module
from pathlib import Path
from typing import Any, NoReturn

from .. import __version__
from ..errors import (
    ConflictError,
    LibraryLocked,
    PassphraseRequired,
    UserError,
    WorkbenchError,
    bug_report,
)
from ..paths import default_library_path
from . import argtypes, crypto_cmds
from .common import EXIT_SOME_FAILED, EXIT_USAGE, Result, safe

# The modules that register the commands, in `workbench --help`'s order, and which registers
# each command: a command run imports its own module alone (the others cost 40 ms of CPU,
# docs/PERFORMANCE.md, "Fixed cost of a command"). tests/core/test_cli_parser.py holds the
# table to what the modules register: a new command goes in both (one missing from the
# table still runs, with the whole tree).
MODULES = ["core_cmds", "search_cmds", "annotate_cmds", "dossier_cmds", "ocr_cmds",
           "leakscan_cmds", "backup_cmds", "crypto_cmds", "doctor_cmds", "xray_cmds",
           "event_cmds", "entity_cmds", "copies_cmds", "shared_cmds", "history_cmds"]
COMMANDS = {
    **dict.fromkeys(["init", "import", "list", "show", "original", "edit", "delete",
                     "collections", "verify", "gc", "audit", "gui"], "core_cmds"),
    **dict.fromkeys(["search", "reindex", "index-status", "alias", "saved-search"],
                    "search_cmds"),
    **dict.fromkeys(["highlight", "tag", "orphans", "reextract"], "annotate_cmds"),
    "dossier": "dossier_cmds", "verify-bundle": "dossier_cmds", "ocr": "ocr_cmds",
    "leakscan": "leakscan_cmds", "backup": "backup_cmds", "restore": "backup_cmds",
    "passphrase": "crypto_cmds", "doctor": "doctor_cmds", "xray": "xray_cmds",
    "event": "event_cmds", "entity": "entity_cmds", "copies": "copies_cmds",
    "compare": "copies_cmds", "share": "shared_cmds", "role": "shared_cmds",
    "history": "history_cmds",
}


# Another program (the window) holds the library for writing: what also works from here.
LOCKED_ALSO = ("commands that only read, such as list, show, search and leakscan, and the "
               "exports and verify work meanwhile")
MAX_ERROR = 500  # characters of an error: a 100 KB value typed by mistake is not echoed whole


def _brief(text: str) -> str:
    return text if len(text) <= MAX_ERROR else f"{text[:MAX_ERROR]}… ({len(text)} characters)"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one sentence, exit 2
        self.print_usage(sys.stderr)
        sys.stderr.write(f"workbench: error: {_brief(safe(message))}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command tree, or (``command``) the top level with that sub-command alone:
    a command run from a script pays for its own options only (docs/PERFORMANCE.md, "Fixed
    cost of a command"). ``parser_for`` decides which."""
    parser = _Parser(
        prog="workbench",
        description="Offline research workbench: import, search, highlight, tag, build and "
                    "export evidence dossiers.",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument("--library", metavar="PATH", type=argtypes.path,
                        help="library folder (default: $WORKBENCH_LIBRARY or the user data dir)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    crypto_cmds.add_global_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                parser_class=_Parser)
    target: Any = sub if command is None else _Only(sub, command)
    for name in MODULES if command is None else [COMMANDS[command]]:
        import_module(f"{__name__}.{name}").register(target)
    return parser


# The global options and whether each takes a value (build_parser and crypto_cmds add them);
# one missing here only makes parser_for build the whole tree.
_GLOBAL = {"--library": True, "--passphrase-fd": True, "--json": False}


def parser_for(argv: list[str]) -> argparse.ArgumentParser:
    """The parser for ``argv``: its named command alone when the words before it are global
    options written in full; otherwise (no command, ``--help``, ``--version``, an abbreviated
    or unknown option, an unknown command) the whole tree, so that help, usage and every
    error message are the whole tree's."""
    i = 0
    while i < len(argv):
        word = argv[i]
        name = word.split("=", 1)[0] if word.startswith("--") else word
        if name in _GLOBAL:
            i += 2 if _GLOBAL[name] and "=" not in word else 1  # skip its value
            continue
        if word.startswith("-") or word not in COMMANDS:
            break
        return build_parser(word)
    return build_parser()


class _Only:
    """The sub-parsers action as ``register`` sees it, keeping one command: the others are
    added to ``_Ignored``, which accepts every call and builds nothing."""

    def __init__(self, sub: Any, name: str) -> None:
        self._sub, self._name = sub, name

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if name == self._name or self._name in kwargs.get("aliases", ()):
            return self._sub.add_parser(name, **kwargs)
        return _IGNORED


class _Ignored:
    def __getattr__(self, _name: str) -> Any:
        return lambda *args, **kwargs: self


_IGNORED = _Ignored()


def library_path(args: argparse.Namespace) -> Path:
    return Path(args.library).expanduser() if args.library else default_library_path()


def run(argv: list[str] | None = None) -> Result:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser_for(argv).parse_args(argv)
    if not args.needs_library:
        return args.handler(args)
    try:
        return _run_on_library(args)
    finally:
        early = sys.modules.get("workbench.ingest_prepared")
        if early is not None:  # loaded by a command's before_open: none left running
            early.close_early()


def _run_on_library(args: argparse.Namespace) -> Result:
    from ..errors import LibraryDamaged, LibraryLocked, LibraryReadOnly

    try:
        secret = crypto_cmds.passphrase_for(args, library_path(args))
        if args.before_open is not None:
            args.before_open(args)
        if getattr(args, "fast_read", False):
            result = _run_fast(args, secret)
            if result is not None:
                return result
        from ..services import Workbench  # the facade: SQLAlchemy, its ORM, every mixin

        try:
            wb = Workbench.open(library_path(args), writable=args.writes, passphrase=secret)
        except (LibraryReadOnly, LibraryLocked):
            # An export or a check runs on the library read-only: on a read-only disk, or
            # beside the window holding it, which appends the event it leaves when the library
            # is next opened for writing (pending_events).
            if not args.read_only_ok:
                raise
            wb = Workbench.open(library_path(args), writable=False, passphrase=secret)
    except LibraryDamaged as exc:  # `verify` reports the damage as its finding
        if getattr(args, "on_damaged", None) is None:
            raise
        return args.on_damaged(library_path(args), args, exc)  # type: ignore[no-any-return]
    with wb:
        return args.handler(wb, args)


def _run_fast(args: argparse.Namespace, secret: str | None) -> Result | None:
    """The command on the read-only path without SQLAlchemy (``workbench.fast_read``); None
    when that path does not serve this library or request: the facade then runs it, and
    refuses or reports whatever is unusual in its own words."""
    from ..fast_read import FastReader, Unsupported

    try:
        with FastReader.open(library_path(args), secret) as reader:
            return args.handler(reader, args)  # type: ignore[no-any-return]
    except Unsupported:
        return None


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="workbench: %(levelname)s: %(message)s")
    raw = list(sys.argv[1:] if argv is None else argv)
    want_json = "--json" in raw[: raw.index("--")] if "--" in raw else "--json" in raw
    try:
        result = run(raw)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    except ConflictError as exc:  # someone changed it since: not a usage mistake
        sys.stderr.write(f"workbench: error: {_brief(safe(exc))}\n")
        return EXIT_SOME_FAILED
    except (UserError, PassphraseRequired) as exc:
        sys.stderr.write(f"workbench: error: {_brief(safe(exc))}\n")
        return EXIT_USAGE
    except WorkbenchError as exc:
        if isinstance(exc, LibraryLocked):  # what the command line can do meanwhile
            exc.hint = f"{exc.hint}; {LOCKED_ALSO}" if exc.hint else LOCKED_ALSO
        sys.stderr.write(f"workbench: error: {_brief(safe(exc))}\n")
        return EXIT_SOME_FAILED
    except KeyboardInterrupt:
        sys.stderr.write("workbench: interrupted\n")
        return 130
    except Exception as exc:  # a bug: say so in one line, keep the traceback in the log file
        if crypto_cmds.session_encrypted():  # nothing about an encrypted library goes to disk
            sys.stderr.write(f"workbench: internal error ({type(exc).__name__}); details not "
                             "logged: the library is encrypted\n")
            return EXIT_SOME_FAILED
        where = _log_traceback(exc)
        sys.stderr.write(f"workbench: internal error ({type(exc).__name__}); details in {where}\n")
        return EXIT_SOME_FAILED
    for line in result.stderr:
        sys.stderr.write(safe(line) + "\n")
    try:
        if want_json:
            sys.stdout.write(json.dumps(result.payload, ensure_ascii=False, indent=2) + "\n")
        elif result.text:
            sys.stdout.write(result.text.rstrip("\n") + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped early (`| head`): it wanted no more
        _discard(sys.stdout)
    return result.code


def _log_traceback(exc: BaseException) -> str:
    from ..paths import log_dir

    path = log_dir() / "workbench-cli.log"
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(bug_report(exc))  # the stack only: a message could quote a document
    return str(path)


def entry(argv: list[str] | None = None) -> NoReturn:
    """The ``workbench`` command: the console script, ``python -m workbench`` and the
    standalone build run ``main`` and ``finish`` with its code."""
    finish(main(argv))


def finish(code: int) -> NoReturn:
    """Exit with ``code`` without tearing the interpreter down: after an import, freeing
    SQLAlchemy's, numpy's and Whoosh's modules one by one took 0.15 s of a 0.7 s command,
    and nothing needs it. Exit handlers run (the log's flush, temporary folders), the
    extraction workers the command asked to exit are reaped (not left to the system's init
    as zombies), and the output is flushed first. A non-daemon thread still running is
    waited for, as at any exit. The window leaves this way too, once it has closed its
    library and saved its layout: PySide destroys the application in an exit handler, and
    the interpreter's last garbage collection, skipped here, is where a reference-count slip
    in a C extension once ended a quit with "Fatal Python error: bool_dealloc" (session 15).
    An output pipe closed early (``| head``) ends the command quietly, not with a
    traceback."""
    isolation = sys.modules.get("workbench.extract.isolation")
    if isolation is not None:  # workers asked to exit are reaped, not orphaned
        isolation.wait_for_closed_workers()
    main_thread = threading.main_thread()
    busy = any(t is not main_thread and not t.daemon and t.is_alive()
               for t in threading.enumerate())
    if busy:
        _flush_quietly()
        raise SystemExit(code)
    atexit._run_exitfuncs()
    _flush_quietly()
    os._exit(code)


def _flush_quietly() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: the reader wanted no more
            _discard(stream)


def _discard(stream: Any) -> None:
    """Point ``stream`` at the null device, so the interpreter's own last flush cannot
    fail on the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    entry()
