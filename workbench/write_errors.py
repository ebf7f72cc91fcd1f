"""What a failed write INTO the library means: its disk is full, or it cannot be written.

An ``OSError`` or a database error met while storing an original or saving a document is the
library's problem, not the file's: ``library_write_error`` names it (``LibraryFull``,
``LibraryReadOnly``) so that an import stops its batch and says so instead of blaming each
file in turn. Reading a source file never fails with these codes, so its errors stay the
file's own failures ("unreadable").
"""

from __future__ import annotations

import errno
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import LibraryError, LibraryFull, LibraryReadOnly
from .store import write_failure

FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
READ_ONLY_ERRNOS = frozenset({errno.EROFS})


def library_write_error(exc: BaseException, library: Path, doing: str) -> LibraryError | None:
    """The ``LibraryFull`` or ``LibraryReadOnly`` that ``exc``, met while ``doing`` ("storing
    the original"), means for the library at ``library``; None for any other error."""
    if isinstance(exc, LibraryFull | LibraryReadOnly):
        return exc
    kind: str | None
    if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS | READ_ONLY_ERRNOS:
        kind = "full" if exc.errno in FULL_ERRNOS else "read-only"
        reason = (exc.strerror or str(exc)).lower()
    else:
        kind = write_failure(exc)
        reason = ("the database could not grow" if kind == "full"
                  else "the database cannot be written")
        if kind == "io" or (kind is None and isinstance(exc, OSError)
                            and exc.errno == errno.EIO):
            # An I/O error is the disk's being full only when it has no room left.
            kind = "full" if no_room(library) else None
            reason = "no space left on device"
    if kind is None:
        return None
    detail = f"{reason} while {doing}"
    if kind == "full":
        return LibraryFull(f"The library's disk is full: {detail} (library at {library})",
                           "free space on that disk and try again", detail=detail)
    return LibraryReadOnly(
        f"The library at {library} is read-only (its folder cannot be written): {detail}",
        "copy the library to a writable folder to change it")


def no_room(folder: Path, least: int = 64 * 1024) -> bool:
    """Whether the disk holding ``folder`` has (almost) no space left for this user."""
    try:
        return shutil.disk_usage(folder).free < least
    except OSError:
        return False


@contextmanager
def writes_to(library: Path, doing: str) -> Iterator[None]:
    """Raise what a full disk or a read-only folder met inside the block means, in words
    (``library_write_error``), instead of the system's or the database's error."""
    try:
        yield
    except Exception as exc:
        named = library_write_error(exc, library, doing)
        if named is None or named is exc:
            raise
        raise named from exc


def outcome_error(exc: LibraryError) -> str:
    """The sentence an import reports for the file it stopped on."""
    if isinstance(exc, LibraryFull):
        return f"the library's disk is full: {exc.detail}; free space and import again"
    return f"{exc.message[:1].lower()}{exc.message[1:]}; import again where it can be written"
