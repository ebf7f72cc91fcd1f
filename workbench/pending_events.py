"""Audit events a process could not append itself, left for the library's next writer.

An export, a chronology export or an integrity check run from the command line while the
desktop app holds the library's writer lock ran on the library opened read-only: it could
not append its audit event, and an export happened that the log did not show. ``note``
appends the event when the library can be written and otherwise leaves it as one small file
in ``audit-pending/`` of the library (sealed with the library's key when it is encrypted:
an export's event names originals by their SHA-256); the next process that opens the library
for writing appends each one (``record_left``), marked ``recorded_late`` with the time it
happened, and removes its file; the window holding the library does so whenever it is active
again (``Workbench.record_left_events``). A file already appended before a crash is known by its
``pending_id`` and not appended twice. Backups keep their own pending notes
(``backup.record_pending``), which the app's backup reminder reads too.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import audit

if TYPE_CHECKING:
    from .library import Library

PENDING_DIR = "audit-pending"
RECORDED, PENDING, NOT_RECORDED = "event", "pending", "not recorded"


def note(library: Library, event_type: str, object_type: str, object_id: int | None,
         details: dict[str, Any]) -> str:
    """Append the event now if the library can be written (``RECORDED``), else leave it for
    the next writer (``PENDING``); ``NOT_RECORDED`` where neither can be done (a library on
    a read-only disk, a shared case's database, whose roles decide who records)."""
    if library.writable:
        with library.transaction() as s:
            audit.record(s, event_type, object_type, object_id, details)
        return RECORDED
    if getattr(library, "shared", False):
        return NOT_RECORDED
    left = {"pending_id": uuid.uuid4().hex, "event_type": event_type,
            "object_type": object_type, "object_id": object_id, "details": details,
            "actor": audit.current_actor(),
            "at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")}
    folder = library.path / PENDING_DIR
    try:
        folder.mkdir(exist_ok=True)
        # sorts in time order; written whole under a temporary name, then renamed
        path = folder / f"{time.time_ns():020d}-{left['pending_id']}.json"
        _write(library, path, json.dumps(left, ensure_ascii=False).encode("utf-8"))
    except OSError:
        return NOT_RECORDED
    return PENDING


def record_left(library: Library) -> int:
    """Append the events left in ``audit-pending/`` (oldest first) and remove their files;
    how many were appended. Needs the writer lock: only a writer appends events, so only one
    process at a time reads the folder. A file that cannot be read is left for a person."""
    folder = library.path / PENDING_DIR
    if not folder.is_dir():
        return 0
    library.require_writable()
    done = 0
    for path in sorted(folder.glob("*.json")):
        try:
            left = json.loads(_read(library, path).decode("utf-8"))
            pending_id = str(left["pending_id"])
            details = dict(left["details"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if not audit.mentioned(library, pending_id):
            details.update(recorded_late=True, pending_id=pending_id, happened_at=left.get("at"))
            with library.transaction() as s:
                audit.record(s, str(left["event_type"]), str(left["object_type"]),
                             left.get("object_id"), details, actor=left.get("actor"))
            done += 1
        path.unlink(missing_ok=True)
    return done


def _write(library: Library, path: Path, data: bytes) -> None:
    tmp = path.with_suffix(".tmp")
    key = getattr(library, "key", None)
    if key is not None:
        from .crypto.sealed import SealedWriter

        with SealedWriter(tmp, key.file_key) as out:
            out.write(data)
    else:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, path)


def _read(library: Library, path: Path) -> bytes:
    key = getattr(library, "key", None)
    if key is not None:
        from .crypto.sealed import SealedReader

        with SealedReader(path, key.file_key) as fh:
            return fh.read()
    return path.read_bytes()
