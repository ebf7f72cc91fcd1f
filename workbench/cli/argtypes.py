"""Argument types of the command line: numbers, ids, sizes, times, dates and paths, checked as
argparse reads them.

Each is an argparse ``type=`` function: it returns the value, or raises
``ArgumentTypeError`` with how to write it, which argparse prints as one usage error (exit
2) naming the option. So a 30-digit id, ``--page 0``, ``--limit -1``, ``--memory 1e30`` or
``--timeout nan`` never reaches the core (where SQLite would overflow, or no limit would be
applied), and a 100 KB value is never echoed back whole. The core checks ids again
(``workbench.ids``) for callers other than the command line.
"""

from __future__ import annotations

import argparse
import math
import os
import re
from collections.abc import Callable

from ..errors import UserError
from ..ids import MAX_ID, MAX_ID_DIGITS, row_id

MIN_MEMORY_MIB = 64  # below this not even the extraction worker's Python starts
MAX_MEMORY_MIB = 1 << 20  # 1 TiB
MAX_SECONDS = 7 * 24 * 3600  # a week: longer is a typo, and overflows timers
NAME_MAX = 255  # bytes of one file name on Linux, macOS and Windows file systems
PATH_MAX = 4095
_WHOLE = re.compile(r"[+-]?[0-9]+")
_HEX = re.compile(r"[0-9a-fA-F]{6,64}")


def shown(value: str, limit: int = 40) -> str:
    """The value as typed, quoted, cut short when long (a 100 KB value is not echoed)."""
    text = value if len(value) <= limit else value[:limit] + f"… ({len(value)} characters)"
    return repr(text)


def _named(name: str, fn: Callable[[str], object]) -> Callable[[str], object]:
    fn.__name__ = name  # argparse names the type in some of its own messages
    return fn


def whole_number(low: int, high: int, what: str) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high``; ``what`` says what it counts, for the error."""
    def parse(value: str) -> int:
        text = value.strip()
        if not _WHOLE.fullmatch(text):
            raise argparse.ArgumentTypeError(f"{shown(value)} is not a whole number; {what}")
        digits = text.lstrip("+-")
        number = int(text) if len(digits) <= MAX_ID_DIGITS + 1 else None
        if number is None or not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{shown(value)} is out of range; {what}")
        return number
    return parse  # type: ignore[return-value]


record_id = _named("id", whole_number(1, MAX_ID, "give an id, a whole number from 1"))
count = _named("count", whole_number(1, MAX_ID, "give a number from 1"))
offset = _named("offset", whole_number(0, MAX_ID, "give a number from 0"))
page = _named("page", whole_number(1, MAX_ID, "pages are numbered from 1"))
position = _named("position", whole_number(1, MAX_ID, "positions are numbered from 1"))
occurrence = _named("occurrence", whole_number(1, MAX_ID, "occurrences are counted from 1"))
char_offset = _named("offset", whole_number(
    0, MAX_ID, "give a character offset in the text, from 0"))
mebibytes = _named("mebibytes", whole_number(
    MIN_MEMORY_MIB, MAX_MEMORY_MIB,
    f"give the memory limit in MiB, from {MIN_MEMORY_MIB} to {MAX_MEMORY_MIB} (1 TiB)"))


def _real(value: str, what: str) -> float:
    try:
        number = float(value.strip())
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"{shown(value)} is not a number; {what}")
    return number


def seconds(value: str) -> float:
    """A time limit in seconds: more than 0, at most a week."""
    what = f"give the time limit in seconds, more than 0 and at most {MAX_SECONDS} (a week)"
    number = _real(value, what)
    if not 0 < number <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"{shown(value)} is out of range; {what}")
    return number


def ratio(value: str) -> float:
    """A fraction from 0 to 1 (a similarity threshold)."""
    what = "give a ratio from 0 to 1, e.g. 0.8"
    number = _real(value, what)
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(f"{shown(value)} is out of range; {what}")
    return number


def date(value: str) -> str:
    """A publication date (YYYY, YYYY-MM or YYYY-MM-DD, a real day), or empty to clear it."""
    from ..records import clean_date

    if not value.strip():
        return value
    try:
        return clean_date(value)
    except UserError:
        raise argparse.ArgumentTypeError(
            f"{shown(value)} is not a date; write it as YYYY, YYYY-MM or YYYY-MM-DD, e.g. "
            "2022-08-31 (empty clears it)") from None


def path(value: str) -> str:
    """A file or folder name: not empty (``import ""`` would mean the current folder), and
    within what a file system can hold (each name at most 255 bytes)."""
    if not value.strip():
        raise argparse.ArgumentTypeError(
            "the path is empty; give a file or folder (`.` for the current folder)")
    # Not quoted in the errors: `leakscan` never prints a path unmasked (it may hold a term).
    if "\0" in value:
        raise argparse.ArgumentTypeError("the path holds a NUL character, which no file name "
                                         "can")
    raw = os.fsencode(value)
    longest = max(len(part) for part in raw.split(b"/"))
    if len(raw) > PATH_MAX or longest > NAME_MAX:
        raise argparse.ArgumentTypeError(
            f"the path is too long for a file system ({len(raw)} bytes, a name of {longest}; "
            f"at most {NAME_MAX} bytes a name, {PATH_MAX} in all)")
    return value


def document_ref(value: str) -> str:
    """A document: its id, or 6 to 64 hex digits of its SHA-256."""
    text = value.strip()
    if row_id(text) is None and not _HEX.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{shown(value)} is not a document; give its id (a whole number from 1) or 6 to "
            "64 hex digits of its SHA-256 (see `workbench list`)")
    return text


def name_ref(value: str) -> str:
    """Something named by id or by name (a dossier, an item's label): not empty."""
    if not value.strip():
        raise argparse.ArgumentTypeError("it is empty; give an id or a name")
    if "\0" in value:
        raise argparse.ArgumentTypeError(f"{shown(value)} holds a NUL character")
    return value


MAX_TERM = 1000  # characters of a name to redact or look for; a longer one is a mistake


def term(value: str) -> str:
    """A name or phrase to redact or to look for: not empty, at most ``MAX_TERM`` characters
    (every spelling of it is compiled into one pattern, which a 100 KB term makes slow).
    The errors never quote the term: it is a name being hidden."""
    if not value.strip():
        raise argparse.ArgumentTypeError("the term is empty; give the name or words to find")
    if len(value) > MAX_TERM:
        raise argparse.ArgumentTypeError(
            f"the term is {len(value)} characters long; at most {MAX_TERM}")
    return value


version = _named("version", whole_number(1, MAX_ID, "versions are numbered from 1"))


def add_expected_version(parser: argparse.ArgumentParser) -> None:
    """``--expected-version N``: refuse the edit (exit 1) when someone changed the row since
    it was at version N (the ``"version"`` its ``--json`` gave); docs/cli/shared.md."""
    parser.add_argument("--expected-version", type=version, metavar="N",
                        help="refuse the edit if it changed since version N (its --json "
                             "'version')")


def fd_number(value: str) -> int:
    """``--passphrase-fd N``: a file descriptor number."""
    try:
        fd = int(value)
    except ValueError:
        # never echoed: a passphrase typed here by mistake must not be printed back
        raise argparse.ArgumentTypeError("not a file descriptor number (the passphrase is "
                                         "read from that descriptor, never given here)") from None
    if not 0 <= fd < 1 << 31:  # a C int: the system has no descriptor beyond it
        raise argparse.ArgumentTypeError("a file descriptor number is from 0 to 2147483647")
    return fd
