"""Collecting stray originals: files in ``originals/`` that no document names.

A killed import can leave an original stored with no document (the process died between the
copy and the commit) and ``.incoming-*`` temporary files of copies cut short. ``verify`` lists
them; ``collect`` removes them, audited by one ``deletion`` event listing their hashes, or with
``adopt`` imports each stray as a document through the normal import path (extracted,
indexed, audited), so nothing the user may still want is deleted unasked. In a shared
library's store, where other desktops import at the same time, only strays older than a day
are collected. Only
``Document.sha256`` names an original: exports, dossiers and attachments all go through it.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from . import audit
from .extract import detect
from .extract.formats import SNIFF_BYTES
from .ingest import import_paths
from .integrity import find_strays
from .library import Library
from .models import Document


def collect(library: Library, *, adopt: bool = False) -> dict[str, Any]:
    library.require_writable()
    with library.read() as s:
        known = set(s.execute(select(Document.sha256)).scalars())
    strays = find_strays(library.originals, known)
    if library.shared:
        # Others may be importing into the shared store now (no writer lock keeps them out):
        # an original stored moments ago may be about to be named by their commit.
        strays = [x for x in strays if _age(Path(x["path"])) > SHARED_GRACE_SECONDS]
    blobs = [x["sha256"] for x in strays if x["kind"] == "stray original"]
    temps = [Path(x["path"]) for x in strays if x["kind"] == "stray temporary file"]
    adopted: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    removed: list[str] = []
    if adopt and blobs:
        adopted, failed = _adopt(library, blobs)
    elif blobs:
        removed = blobs
    if removed or temps:
        # The event first, the files after, as for a deleted document: a file never
        # disappears without its record.
        with library.transaction() as s:
            audit.record(s, audit.DELETION, "originals", None, {
                "reason": "stray (no document names it)", "sha256": removed,
                "temporary_files": len(temps)})
        for sha in removed:
            library.originals.remove(sha)
        for tmp in temps:
            tmp.unlink(missing_ok=True)
    return {"removed": removed, "temporary_files": len(temps), "adopted": adopted,
            "failed": failed}


SHARED_GRACE_SECONDS = 24 * 3600  # a shared store's strays younger than this are kept


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0  # gone meanwhile: not ours to remove


def _adopt(library: Library, blobs: list[str]
           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Import each stray through the import pipeline, from a copy named after its hash (its
    original name is unknown) with an extension its content suggests."""
    folder = library.tmp_dir / "recovered"
    folder.mkdir(exist_ok=True)
    try:
        copies = []
        for sha in blobs:
            with library.originals.materialize(sha) as src:
                dest = folder / f"recovered-{sha[:12]}{_extension(src)}"
                shutil.copyfile(src, dest)
            copies.append(dest)
        report = import_paths(library, copies)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    adopted, failed = [], []
    for outcome in report.outcomes:
        if outcome.parent_id is not None:
            continue  # items found inside an adopted file are its children, not strays
        if outcome.document_id is not None and outcome.sha256 in blobs:
            adopted.append({"sha256": outcome.sha256, "id": outcome.document_id,
                            "status": outcome.status})
        else:
            failed.append({"sha256": outcome.sha256, "status": outcome.status,
                           "error": outcome.error})
    return adopted, failed


def _extension(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    fmt = detect(Path("recovered"), head)
    if fmt is not None and fmt.extensions:
        return fmt.extensions[0]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return ".txt"
