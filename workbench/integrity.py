"""Verifying a library: what it holds, against what it recorded.

``verify`` re-hashes every original, walks the audit chain, re-derives each text layer's
SHA-256 and compares it with the one its creating audit event recorded, compares the database
with the audit head kept outside it (``audit_head.py``), runs the database's own integrity
check and lists stray originals (files no document names: what a killed import leaves).
Strays are listed apart and do not make ``ok`` false: nothing is lost (``gc.py`` removes or
adopts them).

``verify_path`` is for a library that cannot be opened for writing (a damaged, empty or
swapped database): it verifies read-only, and when even that fails it salvages what it can —
which tables can still be read and how many rows, how many originals are on disk and hash to
their names — and points to the newest backup. Its findings are the result, never an error.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, audit_head
from .blobs import BlobStore, sha256_file
from .errors import (
    LibraryDamaged,
    LibraryError,
    LibraryLocked,
    PassphraseRequired,
    WrongPassphrase,
)
from .library import DB_NAME, Library
from .models import AuditEvent, Base, Document, TextLayer
from .persist import text_hash
from .store import integrity_problems

TEXT_CHANGED = "text differs from the text recorded when the layer was created"
INCOMING = ".incoming-"


# --- the full check on an open library ---------------------------------------------------------


def verify(library: Library, *, record: bool = True) -> dict[str, Any]:
    problems: list[dict[str, Any]] = []
    with library.read() as s:
        docs = s.execute(select(Document.id, Document.sha256, Document.title,
                                Document.original_filename)).all()
        for doc_id, sha, _title, _name in docs:
            issue = library.originals.verify(sha)
            if issue:
                problems.append({"kind": "original", "document_id": doc_id,
                                 "sha256": sha, "problem": issue})
        events = s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
        for p in audit.verify_chain(events):
            problems.append({"kind": "audit", "event_id": p.event_id, "problem": p.problem})
        recorded = recorded_text_hashes(ev.details for ev in events)
        text_problems, checked, without = check_texts(s, recorded)
        problems += text_problems
    for db_problem in integrity_problems(library.store.engine):
        problems.append({"kind": "database", "problem": db_problem})
    problems += [{"kind": "head", "problem": p} for p in head_problems(library)]
    # a finding names its document as the person knows it, not only by its number
    named = {doc_id: (title, name) for doc_id, _sha, title, name in docs}
    for finding in problems:
        if finding.get("document_id") in named:
            finding["title"], finding["file_name"] = named[finding["document_id"]]
    result: dict[str, Any] = {"ok": not problems, "documents_checked": len(docs),
              "audit_events_checked": len(events), "problems": problems,
              "text_layers_checked": checked, "text_layers_without_hash": without,
              "strays": find_strays(library.originals, {d.sha256 for d in docs}),
              "last_backup": last_backup_of(library)}
    from .shared.roles import may_record

    # a shared case's reader checks the library too, without recording it; beside the window
    # holding the library, the check's event is left for its next writer
    if record and may_record(library):
        from .pending_events import PENDING, RECORDED, note

        state = note(library, audit.FIXITY_CHECK, "library", None,
                     {"ok": result["ok"], "documents": len(docs),
                      "problems": len(problems), "strays": len(result["strays"])})
        result["recorded"], result["pending"] = state == RECORDED, state == PENDING
    return result


def last_backup_of(library: Library) -> dict[str, Any] | None:
    """The last backup as JSON (``at`` in ISO 8601), so that a report with problems points to
    a backup only when there is one."""
    from .backup import latest_backup_record

    latest = latest_backup_record(library)
    if latest is None:
        return None
    return {**latest, "at": latest["at"].isoformat(timespec="seconds")}


def head_problems(library: Library) -> list[str]:
    try:
        return audit_head.problems(library.path, library.store.engine)
    except LibraryDamaged as exc:  # an unreadable head file is itself the finding
        return [exc.message]


def recorded_text_hashes(details: Any) -> dict[int, str]:
    """Layer id -> the text SHA-256 its creating event recorded (events since issue 15)."""
    out: dict[int, str] = {}
    for body in details:
        if '"text_sha256"' not in body:  # cheap: most events are not about text
            continue
        d = json.loads(body)
        if isinstance(d.get("layer_id"), int) and isinstance(d.get("text_sha256"), str):
            out[d["layer_id"]] = d["text_sha256"]
    return out


def check_texts(session: Session, recorded: dict[int, str]
                ) -> tuple[list[dict[str, Any]], int, int]:
    """Re-derive each layer's hash: (problems, layers checked against an audit event, layers
    whose creating event recorded no hash). A layer without an audited hash is still held to
    the hash stored beside it (set at creation, or when the schema was upgraded; cleared by
    the database when its text is updated)."""
    problems: list[dict[str, Any]] = []
    checked = without = 0
    rows = session.execute(select(TextLayer.id, TextLayer.document_id, TextLayer.text,
                                  TextLayer.text_sha256).order_by(TextLayer.id)
                           .execution_options(yield_per=200))
    for layer_id, doc_id, text, stored in rows:
        actual = text_hash(text or "")
        expected = recorded.get(layer_id)
        if expected is not None:
            checked += 1
            if actual != expected:
                problems.append({"kind": "text", "document_id": doc_id, "layer_id": layer_id,
                                 "problem": TEXT_CHANGED})
            continue
        without += 1
        if stored is None:
            problems.append({"kind": "text", "document_id": doc_id, "layer_id": layer_id,
                             "problem": "text was changed after the layer was created"})
        elif stored != actual:
            problems.append({"kind": "text", "document_id": doc_id, "layer_id": layer_id,
                             "problem": "text differs from the hash stored with the layer"})
    return problems, checked, without


def find_strays(originals: BlobStore, known: set[str]) -> list[dict[str, Any]]:
    """Originals no document names, then temporary files of interrupted copies."""
    blobs, temps = [], []
    names = {originals.name_for(sha) for sha in known}  # keyed names when encrypted
    if originals.root.is_dir():
        for path in sorted(originals.root.glob("??/??/*")):
            if path.is_file() and len(path.name) == 64 and path.name not in names:
                blobs.append({"kind": "stray original", "sha256": _stray_sha(originals, path),
                              "size": path.stat().st_size, "path": str(path)})
        for path in sorted(originals.root.rglob(INCOMING + "*")):
            if path.is_file():
                temps.append({"kind": "stray temporary file", "sha256": None,
                              "size": path.stat().st_size, "path": str(path)})
    return blobs + temps



def _stray_sha(originals: BlobStore, path: Path) -> str:
    """The SHA-256 of a stray original: its name, or (encrypted) its plaintext's hash."""
    if not originals.encrypted:
        return path.name
    try:
        return originals.hash_stored(path)
    except OSError:
        return path.name  # undecryptable: reported by the name it has

# --- a library that cannot be opened for writing -----------------------------------------------


def latest_backup(folder: Path) -> Path | None:
    """The newest database copy or backup folder under ``backups/``, if any."""
    root = folder / "backups"
    if not root.is_dir():
        return None
    found = [p for p in root.iterdir()
             if (p.is_file() and p.suffix == ".sqlite") or (p / "backup.json").is_file()]
    return max(found, key=lambda p: (p.stat().st_mtime, p.name), default=None)


def restore_command(folder: Path) -> str:
    """What to run to get back a library that verifies, in one sentence.

    ``workbench restore`` takes a backup folder (one with ``backup.json``) and a new folder;
    a bare database copy taken before an upgrade is not such a backup, so it is named apart.
    """
    latest = latest_backup(folder)
    new = f"{folder.name}-restored"
    if latest is not None and latest.is_dir():
        return f"restore a backup: `workbench restore {latest} {new}`"
    advice = (f"restore a backup (your latest) into a new folder: "
              f"`workbench restore BACKUP {new}` (or File → Restore from backup)")
    if latest is not None:
        advice += (f"; a copy of the database taken before an upgrade is at {latest} "
                   "(older than the library)")
    return advice


def restore_advice(folder: Path) -> dict[str, Any]:
    latest = latest_backup(folder)
    return {"backup": None if latest is None else str(latest),
            "hint": restore_command(folder)}


def verify_path(folder: Path, why: str | None = None, *,
                passphrase: str | None = None) -> dict[str, Any]:
    """Verify without writing (no lock, no fixity event); salvage when it cannot be opened.

    ``why``: what stopped the writable open, reported when the read-only check itself does
    not find it again (it always finds a changed head or a damaged file on its own).
    ``passphrase``: an encrypted library's (a missing or wrong one is an error, not damage).
    """
    folder = Path(folder).absolute()
    result: dict[str, Any] | None = None
    try:
        lib = Library.open(folder, writable=False, attach_index=False, passphrase=passphrase)
    except (LibraryLocked, PassphraseRequired, WrongPassphrase):
        raise
    except LibraryError as exc:
        why = exc.message
    else:
        try:
            with lib:
                result = verify(lib, record=False)
        except LibraryDamaged as exc:
            why, result = exc.message, None
    if result is None:
        result = salvage(folder, why or "the library database cannot be opened")
    elif why and result["ok"]:
        result["problems"].append({"kind": "database", "problem": why})
        result["ok"] = False
    if not result["ok"]:
        result["restore"] = restore_advice(folder)
    return result


def salvage(folder: Path, why: str) -> dict[str, Any]:
    """What can still be read from a database that cannot be opened as a library."""
    problems: list[dict[str, Any]] = [{"kind": "database", "problem": why}]
    tables: list[dict[str, Any]] = []
    events: list[SimpleNamespace] = []
    with tempfile.TemporaryDirectory(prefix="workbench-salvage-") as tmp:
        copy = Path(tmp) / DB_NAME  # never touch the damaged file itself
        for suffix in ("", "-wal"):
            src = folder / (DB_NAME + suffix)
            if src.is_file():
                shutil.copyfile(src, Path(str(copy) + suffix))
        if copy.is_file() and copy.stat().st_size:
            con = sqlite3.connect(str(copy))
            try:
                tables = [_read_table(con, name) for name in sorted(Base.metadata.tables)]
                problems += [{"kind": "database", "problem": line}
                             for line in _integrity_lines(con)]
                events = _read_events(con)
            finally:
                con.close()
    for p in audit.verify_chain(events):  # type: ignore[arg-type]
        problems.append({"kind": "audit", "event_id": p.event_id, "problem": p.problem})
    return {"ok": False, "documents_checked": 0, "audit_events_checked": len(events),
            "problems": problems, "text_layers_checked": 0, "text_layers_without_hash": 0,
            "strays": [],
            "salvage": {"tables": tables, "originals": _originals_on_disk(folder)}}


def _read_table(con: sqlite3.Connection, name: str) -> dict[str, Any]:
    rows = 0
    con.text_factory = bytes  # count what can be read, whatever the bytes now say
    try:
        for _ in con.execute(f'SELECT * FROM "{name}"'):
            rows += 1
    except sqlite3.DatabaseError as exc:
        return {"table": name, "rows": rows, "problem": str(exc)}
    finally:
        con.text_factory = str
    return {"table": name, "rows": rows, "problem": None}


def _integrity_lines(con: sqlite3.Connection, limit: int = 10) -> list[str]:
    try:
        lines = [r[0] for r in con.execute(f"PRAGMA integrity_check({limit})")]
    except sqlite3.DatabaseError as exc:
        return [f"integrity check could not run: {exc}"]
    return [line for line in lines if line != "ok"]


def _read_events(con: sqlite3.Connection) -> list[SimpleNamespace]:
    out: list[SimpleNamespace] = []
    cols = ["id", "at", "actor", "event_type", "object_type", "object_id", "details",
            "prev_hash", "hash"]
    try:
        if any(r[1] == "author" for r in con.execute("PRAGMA table_info(audit_events)")):
            cols.append("author")  # schema 0006 on: hashed with the event
        for row in con.execute(f"SELECT {', '.join(cols)} FROM audit_events ORDER BY id"):
            out.append(SimpleNamespace(**dict(zip(cols, row, strict=True))))
    except sqlite3.DatabaseError:
        pass  # the chain is walked as far as it can be read
    return out


def _originals_on_disk(folder: Path) -> dict[str, int]:
    on_disk = intact = 0
    for path in (folder / "originals").glob("??/??/*"):
        if path.is_file() and len(path.name) == 64:
            on_disk += 1
            try:
                intact += sha256_file(path)[0] == path.name
            except OSError:
                pass
    return {"on_disk": on_disk, "intact": intact}
