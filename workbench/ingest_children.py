"""Saving one extraction as a document, and importing the items found inside a file.

Attachments, mbox messages and web-archive records come back from an extractor as children;
each becomes its own document linked to its parent, with its own outcome, so one broken
message never stops its siblings or the batch.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from . import __version__, audit
from .blobs import sha256_file
from .errors import ExtractionError
from .extract import ExtractOptions, ExtractorPool, detect
from .extract.base import EMPTY, UNREADABLE, UNSUPPORTED, Child, Extraction
from .extract.formats import SNIFF_BYTES
from .ingest_types import (
    CANCELLED,
    DUPLICATE,
    IMPORTED,
    IMPORTED_WITH_PROBLEMS,
    FileOutcome,
    ImportOptions,
)
from .library import Library
from .persist import PersistRequest, SavedLayer, layer_details, persist_document
from .progress import CancelToken, Progress, ProgressFn
from .timeutil import parse_iso_utc

if TYPE_CHECKING:
    from .copies.signature import Signature

log = logging.getLogger(__name__)


def persist_outcome(library: Library, req: PersistRequest, path: str) -> FileOutcome:
    """Save one extraction as a document, or, when a document with the same SHA-256 was
    committed since the import was planned, say it is a duplicate of that one."""
    from .models import Document

    with library.transaction() as session:
        # The write transaction holds the writers' lock (a shared library's advisory lock,
        # a personal library's writer lock): another desktop importing the same file at the
        # same moment has committed before this reads, so its document is seen here.
        existing = session.execute(select(Document.id).where(Document.sha256 == req.sha256)
                                   ).scalar_one_or_none()
        if existing is not None:
            return FileOutcome(path, DUPLICATE, document_id=existing, sha256=req.sha256,
                               parent_id=req.parent_id)
        doc, layer = persist_document(session, req)
        audit.record(session, audit.INGESTION, "document", doc.id, {
            **layer_details(layer),
            "sha256": doc.sha256, "filename": doc.original_filename, "kind": doc.kind,
            "size": doc.size, "pages": doc.page_count, "status": doc.status,
            "extractor": req.extraction.extractor,
            "extractor_version": req.extraction.extractor_version,
            "importer": "workbench", "importer_version": __version__,
            **({"collection": req.collection} if req.collection else {}),
            **({"parent_id": req.parent_id} if req.parent_id else {}),
        })
        status = IMPORTED if doc.status == "ok" else IMPORTED_WITH_PROBLEMS
        return FileOutcome(path, status, document_id=doc.id, sha256=doc.sha256,
                           title=doc.title, pages=doc.page_count, problems=list(doc.problems),
                           parent_id=req.parent_id, signing=_signing(req.extraction, layer))


def _signing(extraction: Extraction, layer: SavedLayer) -> tuple[int, str, Signature] | None:
    """The signature of this layer's text from the worker's shingle hashes, when they are of
    exactly that text. Finished here, as each file is saved: the outcome lives until the whole
    import is done, and a text's hashes are ~100× its signature (issue 16: import memory)."""
    signing = extraction.signing
    if not signing or signing.get("text_sha256") != layer.text_sha256:
        return None
    from .copies.signature import decode_hashes, sign_hashes

    try:
        hashes = decode_hashes(signing["hashes"])
    except (KeyError, TypeError, ValueError):  # the text is signed again after the import
        return None
    extraction.signing = {}
    try:
        signed = sign_hashes(hashes)
    except Exception:  # the copies are an extra: the document is saved, signed again later
        log.warning("copy signature of layer %d not made now; `workbench copies --scan` "
                    "makes it", layer.id, exc_info=True)
        return None
    return layer.id, layer.text_sha256, signed


MAX_CHILD_DEPTH = 3


def import_children(library: Library, pool: ExtractorPool, extraction: Extraction,
                     parent: FileOutcome, options: ImportOptions, cancel: CancelToken,
                     progress: ProgressFn | None = None, depth: int = 1) -> list[FileOutcome]:
    """Items found inside a file (attachments, messages, archive records) become documents.

    Each child gets its own outcome, whatever goes wrong with it (an mbox with a broken
    message in the middle still imports the rest); progress is reported per child, because
    an mbox can hold thousands of messages; the temporary child files are removed afterwards.
    """
    outcomes: list[FileOutcome] = []
    total = len(extraction.children)
    try:
        for n, child in enumerate(extraction.children, start=1):
            label = f"{parent.path}#{child.filename}"
            if cancel.cancelled:
                outcomes.append(FileOutcome(label, CANCELLED, error="import cancelled",
                                            parent_id=parent.document_id))
                continue
            outcomes.extend(_import_child(library, pool, child, label, parent, options,
                                          cancel, progress, depth))
            if progress:
                progress(Progress(n, total, label, "children"))
    finally:
        for child in extraction.children:
            Path(child.path).unlink(missing_ok=True)
        if extraction.children:
            shutil.rmtree(Path(extraction.children[0].path).parent, ignore_errors=True)
    return outcomes


def _import_child(library: Library, pool: ExtractorPool, child: Child, label: str,
                  parent: FileOutcome, options: ImportOptions, cancel: CancelToken,
                  progress: ProgressFn | None, depth: int) -> list[FileOutcome]:
    from .extract.formats import by_kind
    from .models import Document

    cpath = Path(child.path)
    sha: str | None = None
    try:
        with open(cpath, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
        kind = child.metadata.get("kind")
        fmt = by_kind(kind) if kind else detect(Path(child.filename), head)
        if fmt is None:
            return [FileOutcome(label, UNSUPPORTED, error="unsupported attachment type",
                                parent_id=parent.document_id)]
        sha, size = sha256_file(cpath)
        if size == 0:
            return [FileOutcome(label, EMPTY, error="the item is empty",
                                parent_id=parent.document_id)]
        with library.read() as session:
            existing = session.execute(
                select(Document.id).where(Document.sha256 == sha)).scalar_one_or_none()
        if existing is not None:
            return [FileOutcome(label, DUPLICATE, document_id=existing, sha256=sha,
                                parent_id=parent.document_id)]
        _, newly = library.originals.put_file(cpath, expected_sha256=sha)
        try:
            with library.originals.materialize(sha) as stored:
                sub = pool.extract(stored, ExtractOptions(
                    kind=fmt.kind, children_dir=str(children_dir(library, sha)),
                    ocr_languages=ocr_languages(library, options),
                    extra={"time_limit": options.limits.timeout}))
            for key, value in child.metadata.items():
                if key != "kind" and value:
                    sub.metadata[key] = value
            out = persist_outcome(library, PersistRequest(
                sha256=sha, size=size, fmt=fmt, filename=child.filename,
                original_path=label, extraction=sub, collection=options.collection,
                source_url=child.collection.get("source_url"),
                captured_at=parse_iso_utc(child.collection.get("captured_at")),
                http_status=child.collection.get("http_status"),
                parent_id=parent.document_id, collection_extra=child.collection,
            ), label)
        except BaseException:
            if newly:
                library.originals.remove(sha)
            raise
    except ExtractionError as exc:
        if sha:  # a half-unpacked container leaves no temporary files behind
            shutil.rmtree(children_dir(library, sha), ignore_errors=True)
        return [FileOutcome(label, exc.status, error=exc.message, parent_id=parent.document_id)]
    except Exception as exc:  # one bad item never stops its siblings or the batch
        log.exception("import of an item failed: parent=%s", parent.document_id)
        return [FileOutcome(label, UNREADABLE, parent_id=parent.document_id,
                            error=f"could not be imported ({type(exc).__name__})")]
    outcomes = [out]
    if out.status == DUPLICATE:  # another desktop saved it first, with its own children
        shutil.rmtree(children_dir(library, sha), ignore_errors=True)
    elif sub.children:
        if depth < MAX_CHILD_DEPTH:
            outcomes.extend(import_children(library, pool, sub, out, options, cancel,
                                             progress, depth + 1))
        else:
            shutil.rmtree(children_dir(library, sha), ignore_errors=True)
    return outcomes


def children_dir(library: Library, sha: str) -> Path:
    return library.tmp_dir / f"children-{sha[:16]}"


def ocr_languages(library: Library, options: ImportOptions) -> str:
    # "auto": each page read in its own script (extract/ocr.py) unless languages are set.
    return options.ocr_languages or str(library.get_setting("ocr_languages", "auto") or "auto")
