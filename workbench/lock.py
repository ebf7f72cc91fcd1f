"""One writer per library: an OS-level lock on ``library.lock`` inside the library folder.

The lock is held with ``flock`` (POSIX) or ``msvcrt.locking`` (Windows) for as long as the
writer lives, so a lock left by a killed process is released by the OS and simply taken over.
The file also records who holds it, so a second writer gets a message naming the holder.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from .audit import current_actor
from .errors import LibraryError, LibraryLocked, LibraryReadOnly

LOCK_NAME = "library.lock"


def _try_lock(fh: IO[str]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _describe(info: dict[str, Any]) -> str:
    who = info.get("user", "another user")
    host = info.get("host", "this computer")
    pid = info.get("pid", "?")
    since = info.get("since", "an unknown time")
    prog = info.get("program", "Workbench")
    return f"{prog} (process {pid}, user {who} on {host}, since {since})"


class WriterLock:
    def __init__(self, library_dir: Path, program: str = "workbench") -> None:
        self.path = library_dir / LOCK_NAME
        self.program = program
        self._fh: IO[str] | None = None

    def acquire(self) -> None:
        try:
            fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the writer's life
        except OSError as exc:
            folder = self.path.parent
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise LibraryReadOnly(
                    f"The library at {folder} is read-only (its folder cannot be written): "
                    f"{exc.strerror}", "copy the library to a writable folder to change it",
                ) from exc
            raise LibraryError(f"Cannot take the writer lock of the library at {folder}: "
                               f"{exc.strerror or exc}") from exc
        if not _try_lock(fh):
            fh.seek(0)
            try:
                info = json.loads(fh.read() or "{}")
            except ValueError:
                info = {}
            fh.close()
            raise LibraryLocked(
                f"This library is open for writing in {_describe(info)}",
                "close it there first",
            )
        # Free or stale (its holder died and the OS released it): take it over.
        fh.seek(0)
        fh.truncate()
        holder = json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(), "user": current_actor(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"), "program": self.program,
        })
        try:  # unbuffered: a write the disk refused leaves nothing to flush at close
            os.write(fh.fileno(), holder.encode("utf-8"))
        except OSError as exc:
            # Who holds the lock is only for others' messages: on a full disk the lock is
            # still held, and the change itself says the disk is full if it cannot be made.
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                fh.close()
                raise LibraryError(f"Cannot take the writer lock of the library at "
                                   f"{self.path.parent}: {exc.strerror or exc}") from exc
        self._fh = fh

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            self._fh.seek(0)
            self._fh.truncate()
            self._fh.flush()
        finally:
            self._fh.close()  # closing the descriptor releases the OS lock
            self._fh = None

    @property
    def held(self) -> bool:
        return self._fh is not None
