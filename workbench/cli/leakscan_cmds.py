"""``workbench leakscan``: where a term can still be read in files, folders and zips.

Library-free. It runs the scanner the exports' own leak check runs (``workbench.redact.scan``)
and reports each place by file, place, term number and the form found — never the term and
never the text found, so its output can be shared. Documented in ``docs/cli/leakscan.md``.
"""

from __future__ import annotations

import argparse
import logging
import warnings
from pathlib import Path
from typing import Any

from ..errors import UserError
from . import argtypes
from .common import EXIT_OK, EXIT_SOME_FAILED, Result, command, one_line

EXIT_FOUND = EXIT_SOME_FAILED
EXIT_UNREADABLE = 3
# Libraries whose warnings could quote a file's content.
_QUIET = ("pypdf", "charset_normalizer", "warcio", "pypdfium2", "PIL")


def register(sub: Any) -> None:
    p = command(sub, "leakscan", cmd_leakscan,
                "list where a term can still be read in files, folders and zips "
                "(without printing it)", needs_library=False)
    p.add_argument("paths", nargs="+", metavar="PATH", type=argtypes.path,
                   help="files or folders (recursive)")
    p.add_argument("--term", action="append", default=[], metavar="T", type=argtypes.term,
                   help="a term to look for (repeat for more)")
    p.add_argument("--terms-file", metavar="FILE", type=argtypes.path,
                   help="a UTF-8 file with one term per line (keeps terms out of shell history)")


def _terms(args: argparse.Namespace) -> list[str]:
    from ..redact.matcher import term_pattern

    terms = list(args.term)
    if args.terms_file:
        try:
            lines = Path(args.terms_file).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"Cannot read the terms file: {exc}") from exc
        terms += [line.strip() for line in lines if line.strip()]
    if not terms:
        raise UserError("Give at least one --term T or a --terms-file FILE")
    for n, term in enumerate(terms, 1):
        if term_pattern(term) is None:
            raise UserError(f"Term {n} has no letters or digits to look for")
    return terms


def cmd_leakscan(args: argparse.Namespace) -> Result:
    from ..redact.matcher import Matcher
    from ..redact.scan import mask, scan_paths
    from ..system_tools import leak_check_notes

    terms = _terms(args)
    matcher = Matcher(terms)
    paths = [Path(p) for p in args.paths]
    for p in paths:
        if not p.exists():
            raise UserError(f"No such file or folder: {mask(str(p), matcher)}")
    loggers = [logging.getLogger(name) for name in _QUIET]
    levels = [lg.level for lg in loggers]
    try:
        for lg in loggers:
            lg.setLevel(logging.CRITICAL)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report = scan_paths(paths, matcher)
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
    notes = leak_check_notes(report.checks)  # a reading not done for want of a tool
    payload = {
        "clean": report.clean, "files": report.files, "readings": report.readings,
        "findings": [{"path": f.path, "place": f.place, "term": f.term + 1, "form": f.form}
                     for f in report.findings],
        "unreadable": [{"path": p, "place": pl, "reason": r} for p, pl, r in report.unreadable],
        "notes": notes,
    }
    lines = [f"FOUND term {f.term + 1} ({f.form}): {one_line(f.path)}: {one_line(f.place)}"
             for f in report.findings]
    lines += [f"UNREADABLE {one_line(p)}: {one_line(pl)}: {one_line(r)}"
              for p, pl, r in report.unreadable]
    found, unread = len(report.findings), len(report.unreadable)
    summary = (f"{report.files} file{'s' * (report.files != 1)}, {report.readings} readings: ")
    if found:
        code, summary = EXIT_FOUND, summary + f"a term can be read in {found} place" + \
            "s" * (found != 1)
    elif unread:
        code, summary = EXIT_UNREADABLE, summary + "no term found, but " \
            f"{unread} part{'s' * (unread != 1)} could not be read, so not shown to be clean"
    else:
        code, summary = EXIT_OK, summary + "no term found; everything was read"
    if found and unread:
        summary += f"; {unread} part{'s' * (unread != 1)} could not be read"
    return Result(payload, "\n".join([*lines, summary]), code,
                  stderr=[f"workbench: note: {note}" for note in notes])
