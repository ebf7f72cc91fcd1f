"""Saving a document's original bytes outside the library: the copy a lawyer hands on, checked
against the SHA-256 it was collected with, and recorded as an export.

The window's "Save original…" copied the stored file with ``shutil`` in the UI: no check that
the copy's bytes are the original's, no audit event, and in an encrypted library a decrypted
copy could be written into the library's own folder (session 17's walk). Now the core writes
it to a hidden name beside the destination, hashes what was written, and only then renames it
into place; a copy whose hash differs is removed and refused (``verify`` names the damage).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from . import audit
from .document_queries import resolve_document
from .errors import ExportError
from .library import Library

CHUNK = 1 << 20


def export_original(library: Library, ref: str | int, out: str | Path) -> dict[str, Any]:
    """Write document ``ref``'s original to ``out``; returns document_id, path, sha256,
    bytes and whether its audit event was recorded (``pending_events``)."""
    from .export.common import os_error, remove, temp_sibling
    from .export_destination import check_destination
    from .pending_events import PENDING, RECORDED, note
    from .shared.roles import check_export

    check_export(library, dossier=False)  # a shared case's readers export nothing
    path = check_destination(out, library)
    if path.is_dir():  # an original is one file: no folder of its name is replaced
        raise ExportError(f"Cannot save to {path}: a folder is in the way", "choose a new name")
    with library.read() as s:
        doc = resolve_document(s, ref)
        doc_id, expected, name = doc.id, doc.sha256, doc.original_filename
    tmp = temp_sibling(path)
    digest = hashlib.sha256()
    size = 0
    try:
        with library.originals.open(expected) as src, open(tmp, "wb") as dest:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dest.write(chunk)
                size += len(chunk)
            dest.flush()
            os.fsync(dest.fileno())
        if digest.hexdigest() != expected:
            raise ExportError(
                f"The stored original of document {doc_id} no longer matches its SHA-256 "
                f"{expected[:12]}…: nothing was saved",
                "run verify (File → Verify library) to see what changed; restore the library "
                "from a backup or import the file again from its source")
        os.replace(tmp, path)
    except OSError as exc:
        raise os_error(exc, path) from exc
    finally:
        remove(tmp)
    state = note(library, audit.DISSEMINATION, "document", doc_id, {
        "format": "original", "sha256": expected, "bytes": size,
        "original_filename": name})
    return {"document_id": doc_id, "path": str(path), "sha256": expected, "bytes": size,
            "recorded": state == RECORDED, "pending": state == PENDING}
