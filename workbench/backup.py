"""Backups of a library: consistent, verified copies, and the record of them in the audit log.

A backup is a folder holding:

- the database, copied with SQLite's online backup inside one read transaction
  (``Store.backup_to``): it needs no writer lock and is consistent while another process (the
  desktop app) writes;
- the originals that copy names, hard-linked when on the same filesystem (they are write-once
  and content-addressed, so a link is as good as a copy and costs nothing), else copied;
- every small top-level file of the library except the lock and SQLite's ``-wal``/``-shm``
  (the marker, and key or head files that later versions add), so new ones are included;
- the search index only when asked (``with_index``); otherwise it is rebuilt on open;
- ``backup.json``, the manifest, written last: a folder without it is not a backup.

Before the manifest is written the copy is verified: opened read-only, every original
re-hashed, the audit chain walked, the database's integrity check run, and the counts compared
with those read in the very snapshot that was copied.

The source records a ``replication`` audit event. When another process holds its writer lock
the event cannot be written now: it is left as one small file in ``replication-pending/`` of the
library and recorded, marked ``recorded_late``, by the next writer that calls
``record_pending`` (the app on every open, ``workbench backup`` and ``restore``).
``last_backup`` counts both. Restoring lives in ``restore.py``.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from . import __version__, atomic, audit, audit_head
from .blobs import BlobStore, file_digest
from .errors import IntegrityProblem, LibraryError, LibraryLocked, UserError
from .library import DB_NAME, Library
from .lock import LOCK_NAME
from .models import AuditEvent, Document, Dossier, Highlight
from .progress import CancelToken, Progress, ProgressFn
from .store import integrity_problems
from .timeutil import parse_iso_utc

MANIFEST = "backup.json"
MANIFEST_FORMAT = 1
PENDING_DIR = "replication-pending"
PENDING_EVENTS = "audit-pending"  # pending_events.PENDING_DIR
_NOT_COPIED = {LOCK_NAME, DB_NAME, MANIFEST}
_NOT_COPIED_SUFFIXES = ("-wal", "-shm", "-journal", ".tmp")

# Read in the snapshot that is copied, and again in the copy: they must agree.
COUNTS = {
    "documents": f"SELECT count(*) FROM {Document.__tablename__}",
    "audit_events": f"SELECT count(*) FROM {AuditEvent.__tablename__}",
    "highlights": f"SELECT count(*) FROM {Highlight.__tablename__}",
    "dossiers": f"SELECT count(*) FROM {Dossier.__tablename__}",
    "originals": f"SELECT count(DISTINCT sha256) FROM {Document.__tablename__}",
    "last_event_hash": f"SELECT max(hash) FROM {AuditEvent.__tablename__} WHERE id = "
                       f"(SELECT max(id) FROM {AuditEvent.__tablename__})",
}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Steps:
    """Progress reports and the cancel check of one long job, in one place."""

    def __init__(self, progress: ProgressFn | None, cancel: CancelToken | None) -> None:
        self.progress = progress
        self.cancel = cancel
        self.stage = ""

    def begin(self, stage: str, total: int = 0, current: str = "") -> None:
        self.stage = stage
        self.tick(0, total, current)

    def tick(self, done: int, total: int, current: str = "") -> None:
        if self.cancel is not None:
            self.cancel.check()
        if self.progress is not None:
            self.progress(Progress(done, total, current, self.stage))


# --- copying -----------------------------------------------------------------------------------


def top_level_files(folder: Path) -> list[Path]:
    """The library's small top-level files a copy must carry (everything but the lock, the
    database and SQLite's side files, which the online backup covers)."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.is_symlink() and p.name not in _NOT_COPIED
                  and not p.name.endswith(_NOT_COPIED_SUFFIXES))


def copy_top_level_files(source: Path, dest: Path) -> None:
    for path in top_level_files(source):
        shutil.copy2(path, dest / path.name)
    # Audit events left beside a writer (pending_events), appended by the copy's first writer.
    left = sorted((source / PENDING_EVENTS).glob("*.json"))
    if left:
        (dest / PENDING_EVENTS).mkdir(exist_ok=True)
        for path in left:
            shutil.copy2(path, dest / PENDING_EVENTS / path.name)


class Vanished(LibraryError):
    """An original named by the database copy was gone (its document deleted meanwhile)."""


def place_originals(source: BlobStore, dest_root: Path, hashes: list[str],
                    steps: Steps) -> tuple[int, int]:
    """Link (same filesystem) or copy each stored file as it is (sealed ones stay sealed);
    returns (linked, copied)."""
    like = getattr(source, "like", None)  # an encrypted store names its files by its key
    dest: BlobStore = like(dest_root) if like is not None else BlobStore(dest_root)
    linked = copied = 0
    steps.begin("originals", len(hashes))
    can_link = True
    for n, sha in enumerate(hashes, 1):
        src, dst = source.path_for(sha), dest.path_for(sha)
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not src.is_file():
            raise Vanished(f"The original {sha[:12]}… was removed while it was being copied")
        if can_link:
            try:
                os.link(src, dst)
                linked += 1
            except OSError:  # another filesystem, or one without hard links: copy from now on
                can_link = False
        if not can_link:
            try:
                shutil.copyfile(src, dst)
            except FileNotFoundError as exc:
                raise Vanished(f"The original {sha[:12]}… was removed while it was being "
                               "copied") from exc
            os.chmod(dst, stat.S_IRUSR | stat.S_IRGRP)  # write-once, as in the library
            copied += 1
        steps.tick(n, len(hashes), sha)
    return linked, copied


def copy_index(source: Path, dest: Path) -> bool:
    """Copy the index folder as it is; a file the index writer replaces meanwhile is skipped
    (the index checks itself against the database when opened, and repairs or rebuilds)."""
    if not source.is_dir():
        return False

    def tolerant(src: str, dst: str) -> None:
        try:
            shutil.copy2(src, dst)
        except FileNotFoundError:
            pass

    shutil.copytree(source, dest, copy_function=tolerant, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*LOCK*"))
    return True


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def remove_tree(path: Path, keep_root: bool = False) -> None:
    """Delete what we wrote (originals are read-only files: make them writable first)."""
    if not path.exists():
        return

    def writable_then_retry(func: Callable[..., Any], name: str, _exc: object) -> None:
        os.chmod(name, stat.S_IRWXU)
        func(name)

    children = list(path.iterdir()) if keep_root else [path]
    for child in children:
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, onerror=writable_then_retry)
        else:
            child.unlink()


def discard(path: Path, keep_root: bool = False) -> None:
    """``remove_tree`` on a failure path: it must not hide the failure being reported."""
    try:
        remove_tree(path, keep_root)
    except OSError:
        pass


def os_reason(exc: OSError) -> str:
    # A full disk is the disk's fault, not the file's being copied (which copyfile names).
    where = f" ({exc.filename})" if exc.filename and exc.errno != errno.ENOSPC else ""
    return f"{exc.strerror or exc}{where}"


def open_copy(folder: Path, *, writable: bool = False, key: Any = None,
              passphrase: str | None = None, program: str = "workbench backup") -> Library:
    """Open a copy (or the library itself) without its index; an encrypted one with the key
    of the library it was copied from, or its passphrase."""
    unlock: dict[str, Any] = {}
    if key is not None:
        unlock["key"] = key
    if passphrase is not None:
        unlock["passphrase"] = passphrase
    return Library.open(folder, writable=writable, attach_index=False, program=program,
                        **unlock)


def key_of(library: Library) -> Any:
    return getattr(library, "key", None)


def library_id(folder: Path) -> str | None:
    """The library's own id, as its audit head (``audit_head.py``) records it; None for a
    library that has not written a head yet."""
    from .audit_head import read_head

    head = read_head(folder)
    return None if head is None else head.library_id


# --- verifying ---------------------------------------------------------------------------------


def read_counts(library: Library) -> dict[str, Any]:
    with library.store.engine.connect() as conn:
        return {name: conn.execute(text(sql)).scalar() for name, sql in COUNTS.items()}


def referenced_hashes(library: Library) -> list[str]:
    with library.read() as s:
        return sorted(set(s.execute(select(Document.sha256)).scalars()))


def verify_copy(folder: Path, expected: dict[str, Any], steps: Steps,
                key: Any = None) -> dict[str, Any]:
    """Open a copied library read-only and check it: originals, audit chain and head, database,
    counts.

    The shape is ``workbench verify``'s, with ``counts`` problems added."""
    problems: list[dict[str, Any]] = []
    with open_copy(folder, key=key) as lib:
        with lib.read() as s:
            docs = s.execute(select(Document.id, Document.sha256)).all()
            events = s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
            chain = audit.verify_chain(events)
        steps.begin("verifying", len(docs))
        for n, (doc_id, sha) in enumerate(docs, 1):
            issue = lib.originals.verify(sha)
            if issue:
                problems.append({"kind": "original", "document_id": doc_id, "sha256": sha,
                                 "problem": issue})
            steps.tick(n, len(docs), sha)
        problems += [{"kind": "audit", "event_id": p.event_id, "problem": p.problem}
                     for p in chain]
        # The head file was copied before the snapshot, so the copy must extend it.
        problems += [{"kind": "head", "problem": p}
                     for p in audit_head.problems(folder, lib.store.engine)]
        problems += [{"kind": "database", "problem": p}
                     for p in integrity_problems(lib.store.engine)]
        found = read_counts(lib)
    for name, want in expected.items():
        if name in COUNTS and found.get(name) != want:
            problems.append({"kind": "counts", "problem": f"{name}: the copy has "
                             f"{found.get(name)}, the library had {want} when it was copied"})
    return {"ok": not problems, "documents_checked": len(docs),
            "audit_events_checked": len(events), "problems": problems}


def failed_check(what: str, verified: dict[str, Any]) -> IntegrityProblem:
    first = verified["problems"][0]
    where = (f"document {first['document_id']}: " if "document_id" in first else
             f"audit event {first['event_id']}: " if "event_id" in first else "")
    more = len(verified["problems"]) - 1
    return IntegrityProblem(
        f"{what} failed its check ({where}{first['problem']}"
        + (f", and {more} more problem{'s' if more != 1 else ''}" if more else "") + ")",
        "nothing was kept; run `workbench verify` on the library the copy came from")


# --- backing up --------------------------------------------------------------------------------


def check_destination(library: Path, dest: Path) -> None:
    if dest.resolve().is_relative_to(library.resolve()):
        raise UserError(f"Cannot back up into {dest}: it is inside the library",
                        "choose a folder outside the library, ideally on another disk")
    if dest.exists() and not dest.is_dir():
        raise UserError(f"Cannot back up into {dest}: it is a file",
                        "choose a new or empty folder")
    if dest.is_dir() and any(dest.iterdir()):
        raise UserError(f"Cannot back up into {dest}: the folder is not empty",
                        "choose a new or empty folder")


def backup(library: Library, dest: Path, *, with_index: bool = False,
           progress: ProgressFn | None = None, cancel: CancelToken | None = None
           ) -> dict[str, Any]:
    """Back ``library`` (open writable or read-only) up into the new or empty folder ``dest``.

    Raises ``UserError`` for a bad destination, ``Cancelled`` (nothing is left), and
    ``IntegrityProblem`` when the copy fails its check (nothing is left either).
    """
    if library.shared:  # its database is the server's to back up, its originals a share's
        raise LibraryError(
            "A shared library is backed up on its server, not by Workbench",
            "back up its PostgreSQL database with pg_dump (or the server's own backups) and "
            "its originals folder with the share's backups")
    started = time.perf_counter()
    dest = Path(dest).absolute()
    check_destination(library.path, dest)
    created = not dest.exists()
    dest.mkdir(parents=True, exist_ok=True)
    steps = Steps(progress, cancel)
    try:
        for _attempt in range(3):
            try:
                result = _copy(library, dest, with_index, steps)
                break
            except Vanished:  # a document deleted meanwhile: take a new snapshot
                remove_tree(dest, keep_root=True)
        else:
            raise LibraryError("Documents kept being deleted while the backup ran",
                               "run the backup again when the deletions are done")
    except BaseException as exc:
        discard(dest, keep_root=not created)
        if isinstance(exc, OSError):
            raise LibraryError(f"Could not make the backup in {dest}: {os_reason(exc)}",
                               "free some space, or choose another folder or disk") from exc
        raise
    result["recorded"], result["event_id"] = _record(library, _event_details(result))
    result["seconds"] = round(time.perf_counter() - started, 3)
    return result


def _copy(library: Library, dest: Path, with_index: bool, steps: Steps) -> dict[str, Any]:
    steps.begin("files")
    # Before the snapshot: a head file (the latest audit event) must never be ahead of the
    # database it describes, or the copy would look truncated.
    copy_top_level_files(library.path, dest)
    steps.begin("database")
    created_at = now_iso()
    counts = library.store.backup_to(dest / DB_NAME, lambda done, total: steps.tick(done, total),
                                     COUNTS)
    with open_copy(dest, key=key_of(library)) as copy:
        hashes = referenced_hashes(copy)
    linked, copied = place_originals(library.originals, dest / "originals", hashes, steps)
    steps.begin("index")
    indexed = with_index and copy_index(library.index_dir, dest / "index")
    verified = verify_copy(dest, counts, steps, key_of(library))
    if not verified["ok"]:
        raise failed_check("The backup", verified)
    db_sha = file_digest(dest / DB_NAME)
    total = folder_bytes(dest)
    manifest = {
        "format": MANIFEST_FORMAT, "backup_id": str(uuid.uuid4()), "created_at": created_at,
        "source": str(library.path), "library_id": library_id(library.path),
        "tool": f"workbench {__version__}", "actor": audit.current_actor(),
        "counts": counts, "bytes": total, "with_index": bool(indexed),
        "database": {"file": DB_NAME, "sha256": db_sha,
                     "size": (dest / DB_NAME).stat().st_size},
        "originals": {"linked": linked, "copied": copied},
    }
    write_json(dest / MANIFEST, manifest)
    return {
        "destination": str(dest), "created_at": created_at, "backup_id": manifest["backup_id"],
        **{k: v for k, v in counts.items() if k != "last_event_hash"},
        "bytes": total, "linked": linked, "copied": copied, "with_index": bool(indexed),
        "database_sha256": db_sha, "verified": verified,
    }


def write_json(path: Path, value: dict[str, Any]) -> None:
    atomic.write_json(path, value, indent=2)


def _event_details(result: dict[str, Any]) -> dict[str, Any]:
    return {"action": "backup", "destination": result["destination"],
            "documents": result["documents"], "events": result["audit_events"],
            "bytes": result["bytes"], "backup_id": result["backup_id"],
            "created_at": result["created_at"], "actor": audit.current_actor()}


# --- recording ---------------------------------------------------------------------------------


def _record(library: Library, details: dict[str, Any]) -> tuple[str, int | None]:
    """Record the backup in the source: now if we can write it, else left pending."""
    if library.writable:
        record_pending(library)  # earlier backups first, so the log stays in time order
        return "event", _append(library, details)
    try:
        with open_copy(library.path, writable=True, key=key_of(library)) as lib:
            record_pending(lib)
            return "event", _append(lib, details)
    except LibraryLocked:
        pass  # the usual case: the app has it open
    except LibraryError:
        pass  # e.g. a library on a read-only disk: try the pending note, which may fail too
    try:
        folder = library.path / PENDING_DIR
        folder.mkdir(exist_ok=True)
        name = f"{time.time_ns():020d}-{details['backup_id']}.json"  # sorts in time order
        write_json(folder / name, details)
        return "pending", None
    except OSError:
        return "not recorded", None


def _append(library: Library, details: dict[str, Any], late: bool = False) -> int:
    body = {k: v for k, v in details.items() if k != "actor"}
    if late:
        body["recorded_late"] = True
    with library.transaction() as s:
        return audit.record(s, audit.REPLICATION, "library", None, body,
                            actor=details.get("actor")).id


def _pending_files(folder: Path) -> list[Path]:
    pending = folder / PENDING_DIR
    return sorted(pending.glob("*.json")) if pending.is_dir() else []


def record_pending(library: Library) -> int:
    """Write the events of backups taken while another process held the writer lock.

    Returns how many were recorded. Needs the writer lock (only a writer appends events, so
    only one process at a time reads the pending files). A file recorded before a crash is
    recognised by its backup id and not recorded twice.
    """
    files = _pending_files(library.path)
    if not files:
        return 0
    library.require_writable()
    done = 0
    for path in files:
        try:
            details = json.loads(path.read_text(encoding="utf-8"))
            backup_id = str(details["backup_id"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # unreadable: left for a person to look at, never guessed
        if not _recorded(library, backup_id):
            _append(library, details, late=True)
            done += 1
        path.unlink(missing_ok=True)
    return done


def _recorded(library: Library, backup_id: str) -> bool:
    return audit.mentioned(library, backup_id, audit.REPLICATION)


def backup_events(library: Library) -> Iterable[dict[str, Any]]:
    with library.read() as s:
        rows = s.execute(select(AuditEvent).where(
            AuditEvent.event_type == audit.REPLICATION)).scalars().all()
        for ev in rows:
            details = json.loads(ev.details)
            if details.get("action") == "backup":
                yield {**details, "at": details.get("created_at") or ev.at}


def last_backup(library: Library) -> datetime | None:
    """When the library was last backed up (recorded or still pending), or None."""
    latest = latest_backup_record(library)
    return None if latest is None else latest["at"]


def latest_backup_record(library: Library) -> dict[str, Any] | None:
    """The last backup (recorded or still pending): ``{"at": datetime, "destination": str |
    None, "present": bool}`` (whether its folder still holds a manifest), or None."""
    records = [(e["at"], e.get("destination")) for e in backup_events(library)]
    for path in _pending_files(library.path):
        try:
            details = json.loads(path.read_text(encoding="utf-8"))
            records.append((details["created_at"], details.get("destination")))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    known = [(at, dest) for at, dest in ((parse_iso_utc(t), d) for t, d in records)
             if at is not None]
    if not known:
        return None
    at, dest = max(known, key=lambda r: r[0])
    destination = dest if isinstance(dest, str) else None
    return {"at": at, "destination": destination,
            "present": destination is not None and (Path(destination) / MANIFEST).is_file()}


def status(library: Library) -> dict[str, Any]:
    """What a reminder needs: the last backup and the number of documents. A writable
    library first records the backups left pending."""
    recorded = record_pending(library) if library.writable else 0
    with library.read() as s:
        documents = s.execute(select(func.count(Document.id))).scalar_one()
    return {"last_backup": last_backup(library), "documents": documents,
            "recorded_pending": recorded}


def restore(backup_dir: Path, target: Path, *, force: bool = False,
            progress: ProgressFn | None = None, cancel: CancelToken | None = None,
            passphrase: str | None = None) -> dict[str, Any]:
    """See ``restore.restore_backup``."""
    from .restore import restore_backup

    return restore_backup(backup_dir, target, force=force, progress=progress, cancel=cancel,
                          passphrase=passphrase)
