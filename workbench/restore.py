"""Restoring a library from a backup folder (see ``backup.py`` for what a backup holds).

The restore is built beside the target in a hidden staging folder, verified there (the
database must be the one the manifest names, every original must hash to its name, the audit
chain must hold, the counts must be the manifest's), and only then moved into place with one
rename, so a failed or cancelled restore leaves the target as it was. The target is a new or
empty folder; with ``force`` it may be an existing library, which is moved aside to
``<name>.replaced-<time>`` (never deleted) under its writer lock, held from start to end so
no other process writes to it meanwhile. The restored library records a ``replication`` event.
The database file is copied byte for byte (a backup is a closed file, checked by its hash), so
a backup on a read-only disk restores too.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

from . import audit
from .backup import (
    MANIFEST,
    Steps,
    copy_index,
    copy_top_level_files,
    discard,
    failed_check,
    folder_bytes,
    key_of,
    now_iso,
    open_copy,
    os_reason,
    place_originals,
    referenced_hashes,
    verify_copy,
)
from .blobs import BlobStore, file_digest
from .errors import IntegrityProblem, LibraryError, UserError
from .library import DB_NAME, MARKER
from .lock import WriterLock
from .progress import CancelToken, ProgressFn


def read_manifest(backup_dir: Path) -> dict[str, Any]:
    path = backup_dir / MANIFEST
    if not path.is_file() or not (backup_dir / DB_NAME).is_file():
        raise UserError(f"{backup_dir} is not a Workbench backup (it has no {MANIFEST} and "
                        f"{DB_NAME})", "choose the folder `workbench backup` wrote")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        _ = (manifest["database"]["sha256"], manifest["counts"]["documents"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IntegrityProblem(f"The backup's manifest {path} is unreadable",
                               "restore from another backup") from exc
    return dict(manifest)


def check_target(backup_dir: Path, target: Path, force: bool) -> bool:
    """True when an existing library is to be replaced (moved aside)."""
    b, t = backup_dir.resolve(), target.resolve()
    if t == b or t.is_relative_to(b) or b.is_relative_to(t):
        raise UserError(f"Cannot restore into {target}: it holds the backup or is inside it",
                        "choose a folder outside the backup")
    if target.exists() and not target.is_dir():
        raise UserError(f"Cannot restore into {target}: it is a file",
                        "choose a new or empty folder")
    if not target.is_dir() or not any(target.iterdir()):
        return False
    if not force:
        raise UserError(f"Cannot restore into {target}: the folder is not empty",
                        "choose a new or empty folder, or add --force to replace the library "
                        "there (it is moved aside, not deleted)")
    if not (target / MARKER).is_file():
        raise UserError(f"Cannot replace {target}: it is not a Workbench library",
                        "--force only moves an existing library aside; choose a new or "
                        "empty folder")
    return True


def restore_backup(backup_dir: Path, target: Path, *, force: bool = False,
                   progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                   passphrase: str | None = None) -> dict[str, Any]:
    """Restore ``backup_dir`` into ``target``; an encrypted backup needs its ``passphrase``
    (the one of the library it was taken from)."""
    started = time.perf_counter()
    backup_dir, target = Path(backup_dir).absolute(), Path(target).absolute()
    manifest = read_manifest(backup_dir)
    replacing = check_target(backup_dir, target, force)
    lock = None
    if replacing:
        lock = WriterLock(target, "workbench restore")
        lock.acquire()  # LibraryLocked names the process that has it open
    steps = Steps(progress, cancel)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.restoring-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        built, key = _build(backup_dir, staging, manifest, steps, passphrase)
        replaced = _swap(staging, target, lock)
    except BaseException as exc:
        discard(staging)
        if isinstance(exc, OSError):
            raise LibraryError(f"Could not restore into {target}: {os_reason(exc)}",
                               "free some space, or choose another folder or disk") from exc
        raise
    finally:
        if lock is not None:
            lock.release()
    details = {"action": "restore", "source": str(backup_dir),
               "backup_id": manifest.get("backup_id"),
               "backup_created_at": manifest.get("created_at"),
               "backup_source": manifest.get("source"), "documents": built["documents"],
               "events": built["audit_events"], "bytes": built["bytes"],
               "replaced": None if replaced is None else str(replaced)}
    with open_copy(target, writable=True, key=key, program="workbench restore") as lib, \
            lib.transaction() as s:
        event_id = audit.record(s, audit.REPLICATION, "library", None, details).id
    return {"target": str(target), "source": str(backup_dir),
            "backup_created_at": manifest.get("created_at"), **built,
            "replaced": details["replaced"], "event_id": event_id,
            "seconds": round(time.perf_counter() - started, 3)}


def _build(backup_dir: Path, staging: Path, manifest: dict[str, Any], steps: Steps,
           passphrase: str | None) -> tuple[dict[str, Any], Any]:
    steps.begin("files")
    copy_top_level_files(backup_dir, staging)
    steps.begin("database")
    shutil.copyfile(backup_dir / DB_NAME, staging / DB_NAME)
    if file_digest(staging / DB_NAME) != manifest["database"]["sha256"]:
        raise IntegrityProblem(
            "The backup's database is not the one its manifest names: it was changed or "
            "damaged after the backup was made", "restore from another backup")
    with open_copy(staging, passphrase=passphrase) as lib:
        hashes = referenced_hashes(lib)
        key = key_of(lib)
        like = getattr(lib.originals, "like", None)  # the backup's files, named by the key
        stored = like(backup_dir / "originals") if like else BlobStore(backup_dir / "originals")
    linked, copied = place_originals(stored, staging / "originals", hashes, steps)
    steps.begin("index")
    indexed = copy_index(backup_dir / "index", staging / "index")
    expected = dict(manifest["counts"])
    verified = verify_copy(staging, expected, steps, key)
    if not verified["ok"]:
        raise failed_check("The restored copy", verified)
    counts = {k: v for k, v in expected.items() if k != "last_event_hash"}
    return {**counts, "bytes": folder_bytes(staging), "linked": linked, "copied": copied,
            "index": "copied" if indexed else "rebuilt when the library is next opened for "
                                               "writing",
            "verified": verified}, key


def _swap(staging: Path, target: Path, lock: WriterLock | None) -> Path | None:
    """Put the staged library at ``target``; an existing one is moved aside, not deleted."""
    if lock is None:
        if target.is_dir():
            target.rmdir()  # empty, as checked
        os.rename(staging, target)
        return None
    stamp = now_iso().replace(":", "").replace("-", "")
    aside = target.with_name(f"{target.name}.replaced-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = target.with_name(f"{target.name}.replaced-{stamp}-{n}")
    os.rename(target, aside)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(aside, target)  # put the old library back where it was
        raise
    return aside
