"""``workbench share``: copy a personal library into a new shared one, and verify the copy.

Every table's rows go over with their ids, in one server transaction, so links between them
hold and the audit chain is carried over verbatim; the chain is then extended by one
``replication`` event naming where it came from. The originals are copied into the shared
store first (write-once by SHA-256), so the database never names an original the store lacks.
The personal library is opened with its writer lock (nobody changes it meanwhile) and is not
changed, beyond the schema upgrade any writable open makes.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from .. import audit
from ..audit_head import LIBRARY_ID
from ..errors import LibraryError, UserError
from ..models import AuditEvent, Base, Setting

BATCH = 500


def share(personal: Path, marker: Path, database: str, store: Path,
          name: str | None = None) -> dict[str, Any]:
    """Copy the library at ``personal`` into the empty database at ``database`` and the
    originals' folder ``store``; the new marker goes to ``marker``. Returns what was copied
    and the copy's ``verify`` result."""
    from ..crypto import is_encrypted
    from ..library import Library
    from ..store_pg import check_no_password, open_pg_store
    from . import marker_info

    check_no_password(database)
    if marker.exists() and any(marker.iterdir()):
        raise UserError(f"Cannot put the shared library's marker in {marker}: the folder is "
                        "not empty", "choose an empty or new folder with --library PATH")
    if is_encrypted(personal):
        raise UserError(f"The library at {personal} is encrypted; a shared library is not",
                        "its contents would leave the encryption: export what the team "
                        "needs instead")
    store = store.expanduser().absolute()
    pg = open_pg_store(database)
    try:
        _require_empty(pg, database)
        with Library.open(personal, attach_index=False, program="workbench share") as source:
            originals = _copy_originals(source, store)
            library_id = uuid.uuid4().hex
            info = marker_info(marker, database, store, name or source.path.name, library_id)
            copied = _copy_rows(source, pg, library_id, info)
    finally:
        pg.close()
    marker.mkdir(parents=True, exist_ok=True)
    (marker / "workbench-library.json").write_text(json.dumps(info, indent=1),
                                                   encoding="utf-8")
    checked = _verify_copy(marker, copied)
    return {"library": str(marker), "shared": True, "from": str(personal),
            "library_id": library_id, "store": str(store), "copied": copied,
            "originals": originals, "verify": checked, "ok": checked["ok"]}


def _require_empty(pg: Any, database: str) -> None:
    from ..store_pg import safe_url

    with pg.read() as s:
        taken = (s.get(Setting, LIBRARY_ID) is not None
                 or s.execute(select(func.count()).select_from(AuditEvent)).scalar_one() > 0)
    if taken:
        raise LibraryError(f"The database {safe_url(database)} already holds a shared "
                           "library", "choose an empty database to share into")


def _copy_originals(source: Any, store: Path) -> int:
    from ..blobs import BlobStore

    target = BlobStore(store)
    try:
        store.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"Cannot make the originals' folder {store}: {exc.strerror or exc}",
                        "choose a folder you can write") from exc
    count = 0
    for sha in source.originals.iter_hashes():
        target.put_file(source.originals.path_for(sha), sha)  # checks the bytes' hash
        count += 1
    return count


def _copy_rows(source: Any, pg: Any, library_id: str, info: dict[str, Any]) -> dict[str, int]:
    from ..store_pg import reset_sequences

    copied: dict[str, int] = {}
    tables = [t for t in Base.metadata.sorted_tables]
    with source.store.engine.connect() as src, pg.transaction() as s:
        dst = s.connection()
        for table in tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = src.execute(select(table).order_by(*order)).mappings()
            n = 0
            batch: list[dict[str, Any]] = []
            for row in rows:
                if table.name == Setting.__tablename__ and row["key"] == LIBRARY_ID:
                    continue  # the shared library has its own id
                batch.append(dict(row))
                if len(batch) >= BATCH:
                    dst.execute(table.insert(), batch)
                    n, batch = n + len(batch), []
            if batch:
                dst.execute(table.insert(), batch)
                n += len(batch)
            copied[table.name] = n
        reset_sequences(dst, tables)
        s.add(Setting(key=LIBRARY_ID, value=library_id))
        audit.record(s, audit.REPLICATION, "library", library_id, {
            "shared": True, "name": info["name"], "store": info["store"],
            "from": str(source.path), "events": copied.get(AuditEvent.__tablename__, 0)})
    return copied


def _verify_copy(marker: Path, copied: dict[str, int]) -> dict[str, Any]:
    from ..integrity import verify
    from ..library import Library

    # With the index attached: the copy's search index is built meanwhile, and waited for
    # before the library closes, so the team's first search finds the copy (a close cuts a
    # check short, and every later command's check again on a busy machine)
    with Library.open(marker) as lib:
        result = verify(lib)
        from ..search.backend import SearchBackend

        if isinstance(lib.index, SearchBackend):
            lib.index.wait_idle(None)
        with lib.read() as s:
            for table in Base.metadata.sorted_tables:
                found = s.execute(select(func.count()).select_from(table)).scalar_one()
                expected = copied.get(table.name, 0)
                if table.name == AuditEvent.__tablename__:
                    expected += 2  # the replication event, and verify's own
                elif table.name == Setting.__tablename__:
                    expected += 1  # the library id
                if found != expected:
                    result["problems"].append({"kind": "counts", "table": table.name,
                                               "expected": expected, "found": found})
    result["ok"] = not result["problems"]
    return result
