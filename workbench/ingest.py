"""The import pipeline, as a visible list of stages.

    plan      hash each file, find duplicates (in the library and inside the batch),
              name unsupported, empty, missing and unreadable files          -> ImportPlan
    store     copy the original into originals/ (write-once, content-addressed)
    extract   text and metadata in an isolated worker with time and memory limits
    persist   document + text layer + pages + collection record + audit event, one transaction
    index     hand the new document ids to the search index hook

``plan_import`` asks no questions and changes nothing, so a UI can show the plan and let the
user confirm; ``run_import`` carries it out and returns one ``FileOutcome`` per input file.
A failure in one file becomes that file's outcome; it never stops the batch, and never leaves a
half-imported document or a dangling original behind.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select

from .blobs import sha256_file
from .errors import Cancelled, ExtractionError, LibraryError, LibraryFull, WorkbenchError
from .extract import ExtractOptions, ExtractorPool, detect
from .extract.base import EMPTY, NOT_FOUND, PERMISSION, UNREADABLE, UNSUPPORTED, Extraction
from .extract.formats import SNIFF_BYTES
from .ingest_children import children_dir, import_children, ocr_languages, persist_outcome
from .ingest_types import (
    CANCELLED,
    DUPLICATE,
    IMPORTED,
    IMPORTED_WITH_PROBLEMS,
    LIBRARY_FULL,
    LIBRARY_READ_ONLY,
    NOT_ATTEMPTED,
    FileOutcome,
    ImportOptions,
    ImportPlan,
    ImportReport,
    PlanItem,
)
from .ingest_walk import LINK_NOT_FOLLOWED, Found, walk
from .library import Library
from .persist import PersistRequest
from .progress import CancelToken, Progress, ProgressFn
from .write_errors import library_write_error, outcome_error

__all__ = [
    "CANCELLED", "DUPLICATE", "IMPORTED", "IMPORTED_WITH_PROBLEMS", "LINK_NOT_FOLLOWED",
    "FileOutcome", "ImportOptions", "ImportPlan", "ImportReport", "PlanItem",
    "import_paths", "plan_import", "run_import",
]

log = logging.getLogger(__name__)

# --- stage 1: plan --------------------------------------------------------------------------


def plan_import(library: Library, paths: Iterable[str | Path],
                progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                *, follow_links: bool = False) -> ImportPlan:
    """``follow_links``: also read what links inside a folder point to outside it (by
    default they are reported and skipped, see ``ingest_walk``)."""
    items: list[PlanItem] = []
    seen: dict[str, Path] = {}
    files = list(walk((Path(p) for p in paths), follow_links))
    found_items: list[PlanItem] = []
    for n, found in enumerate(files):
        if cancel:
            cancel.check()
        if progress:
            progress(Progress(n, len(files), str(found.path), "plan"))
        found_items.append(_plan_found(found))
    # The hashes are looked up in chunks, not one query per file: that was most of the plan's
    # CPU, spent on the desktop's worker thread against the GUI thread's GIL (the heartbeat).
    hashes = sorted({i.sha256 for i in found_items if i.status == "new" and i.sha256})
    known: dict[str, tuple[int, str]] = {}
    with library.read() as session:
        from .models import Document

        for at in range(0, len(hashes), 500):
            known.update((sha, (doc_id, title)) for sha, doc_id, title in session.execute(
                select(Document.sha256, Document.id, Document.title).where(
                    Document.sha256.in_(hashes[at:at + 500]))))
    for item in found_items:
        if item.status == "new" and item.sha256:
            twin = known.get(item.sha256)
            if twin is not None:
                item.status, item.duplicate_of = "duplicate", twin[0]
                item.duplicate_title = twin[1]
            elif item.sha256 in seen:
                item.status, item.duplicate_in_batch = "duplicate", seen[item.sha256]
            else:
                seen[item.sha256] = item.path
        items.append(item)
    return ImportPlan(items)


def _plan_found(found: Found) -> PlanItem:
    if found.refused:  # a link not followed: its target is never opened
        item = PlanItem(found.path, "failed", failure=found.refused, error=found.reason)
    else:
        item = _plan_one(found.path)
    item.link_target = found.link_target
    return item


def _plan_one(path: Path) -> PlanItem:
    def failed(status: str, error: str) -> PlanItem:
        return PlanItem(path, "failed", failure=status, error=error)

    try:
        if not path.exists():
            return failed(NOT_FOUND, "no such file or folder")
        if not path.is_file():
            return failed(UNSUPPORTED, "not a regular file")
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
        sha, size = sha256_file(path)
    except PermissionError:
        return failed(PERMISSION, "permission denied while reading the file")
    except OSError as exc:
        return failed(UNREADABLE, f"the file could not be read ({exc.strerror or exc})")
    if size == 0:
        return failed(EMPTY, "the file is empty")
    fmt = detect(path, head)
    if fmt is None:
        return PlanItem(path, "failed", sha256=sha, size=size, failure=UNSUPPORTED,
                        error=f"unsupported file type ({path.suffix or 'no extension'})")
    return PlanItem(path, "new", sha256=sha, size=size, format=fmt)


# --- stages 2-5: store, extract, persist, index ---------------------------------------------


def run_import(library: Library, plan: ImportPlan, options: ImportOptions | None = None,
               progress: ProgressFn | None = None, cancel: CancelToken | None = None,
               pool: ExtractorPool | None = None) -> ImportReport:
    library.require_writable()
    options = options or ImportOptions()
    # The setting is read once for the batch (it was a read transaction for every file)
    options = replace(options, ocr_languages=ocr_languages(library, options))
    from . import language

    language.preload()  # persist detects each document's language: open the model meanwhile
    own_pool = pool is None
    pool = pool or ExtractorPool(options.workers, options.limits)
    cancel = cancel or CancelToken()
    outcomes: dict[int, FileOutcome] = {}
    by_path: dict[Path, FileOutcome] = {}
    # Progress counts the plan's files to import, as the plan and the report do: the files
    # it skips (duplicates, cannot be imported) are counted there, not here.
    total = len(plan.new)
    done = imported = failed = 0

    def report(i: int, outcome: FileOutcome) -> None:
        nonlocal done, imported, failed
        outcome.planned = plan.items[i].status
        outcomes[i] = outcome
        by_path[plan.items[i].path] = outcome
        if outcome.planned != "new":
            return
        done += 1
        if outcome.status in (IMPORTED, IMPORTED_WITH_PROBLEMS):
            imported += 1
        elif outcome.status not in (CANCELLED, NOT_ATTEMPTED):
            failed += 1
        if progress:
            progress(Progress(done, total, outcome.path, outcome.status, imported, failed))

    def inner(p: Progress) -> None:
        """Items found inside a file: the files' counts, the item's own place apart."""
        if progress:
            progress(Progress(done, total, p.current, p.stage, imported, failed,
                              inside_done=p.done, inside_total=p.total))

    child_outcomes: list[FileOutcome] = []
    # Set when the library itself cannot be written (its disk is full): the batch stops
    # there, and every file after it is reported as not attempted.
    stopped: LibraryError | None = None

    def finish(entry: tuple[int, PlanItem, Future[_Job]]) -> None:
        nonlocal stopped
        if stopped is not None:
            _not_attempted(library, entry, report, stopped)
        else:
            stopped = _finish(library, entry, options, report, child_outcomes, pool, cancel,
                              inner)

    threads = ThreadPoolExecutor(max_workers=pool.size)
    every_job_taken = False
    try:
        window = max(2, pool.size * 2)
        # One audit-head write for the batch's commits, not one (two fsyncs) per document.
        with library.store.audit_batch():
            pending: list[tuple[int, PlanItem, Future[_Job]]] = []
            for i, item in enumerate(plan.items):
                if item.status == "failed":
                    report(i, FileOutcome(str(item.path), item.failure or UNREADABLE,
                                          sha256=item.sha256, error=item.error))
                elif item.status == "new":
                    if cancel.cancelled:
                        report(i, FileOutcome(str(item.path), CANCELLED, error="import cancelled"))
                        continue
                    if stopped is not None:
                        report(i, FileOutcome(str(item.path), NOT_ATTEMPTED,
                                              sha256=item.sha256, error=_why_not(stopped)))
                        continue
                    fut = threads.submit(_store_and_extract, library, pool, item, options)
                    pending.append((i, item, fut))
                    while len(pending) >= window:
                        finish(pending.pop(0))
            while pending:
                finish(pending.pop(0))
            every_job_taken = True
        # Duplicates last, so a duplicate inside the batch can name the document it repeats.
        for i, item in enumerate(plan.items):
            if item.status == "duplicate":
                report(i, _duplicate_outcome(item, by_path))
        if imported or child_outcomes:
            _searchable_on_return(library)
    finally:
        # Once every job's result is taken the threads are idle and leave on their own;
        # after an error some may still be extracting, and are waited for.
        threads.shutdown(wait=not every_job_taken)
        if own_pool:
            pool.close(wait=False)
    return ImportReport([outcomes[i] for i in sorted(outcomes)] + child_outcomes,
                        stopped=str(stopped) if stopped is not None else None)


def _searchable_on_return(library: Library) -> None:
    """A shared library's search rows are written in batches (search/postgres/writer.py):
    the last one is written now, so every desktop finds the import's documents once it
    returns. A personal library's Whoosh writer goes on in the background, as before."""
    flush = getattr(library.index, "flush", None)
    if flush is not None:
        flush(60.0)


def _duplicate_outcome(item: PlanItem, by_path: dict[Path, FileOutcome]) -> FileOutcome:
    if item.duplicate_of is not None:
        return FileOutcome(str(item.path), DUPLICATE, document_id=item.duplicate_of,
                           sha256=item.sha256, title=item.duplicate_title)
    first = by_path.get(item.duplicate_in_batch) if item.duplicate_in_batch else None
    if first is not None and first.document_id is not None:
        return FileOutcome(str(item.path), DUPLICATE, document_id=first.document_id,
                           sha256=item.sha256, title=first.title)
    return FileOutcome(str(item.path), UNREADABLE, sha256=item.sha256,
                       error=f"same bytes as {item.duplicate_in_batch}, which did not import")


@dataclass
class _Job:
    """What a worker thread hands back: the extraction or the error, and whether it stored."""

    stored_new: bool = False
    extraction: Extraction | None = None
    error: ExtractionError | None = None
    fatal: LibraryError | None = None  # the library could not be written: stop the batch


def _store_and_extract(library: Library, pool: ExtractorPool, item: PlanItem,
                       options: ImportOptions) -> _Job:
    assert item.format is not None and item.sha256 is not None
    job = _Job()
    try:
        sha, job.stored_new = library.originals.put_file(item.path, expected_sha256=item.sha256)
        opts = ExtractOptions(
            kind=item.format.kind, children_dir=str(children_dir(library, sha)),
            ocr_languages=options.ocr_languages or "auto", source_url=options.source_url,
            extra={"time_limit": options.limits.timeout},
        )
        # From the stored bytes (decrypted into memory in an encrypted library): the text
        # must be read from exactly the bytes hashed, whatever happens to the source since.
        with library.originals.materialize(sha) as stored:
            job.extraction = pool.extract(stored, opts)
    except ExtractionError as exc:
        job.error = exc
    except PermissionError:
        job.error = ExtractionError(PERMISSION, "permission denied while reading the file")
    except WorkbenchError as exc:
        job.fatal = library_write_error(exc, library.path, STORING)
        if job.fatal is None:
            job.error = ExtractionError(UNREADABLE, exc.message)
    except OSError as exc:  # ENOSPC, EROFS: writing the library failed, not reading the file
        job.fatal = library_write_error(exc, library.path, STORING)
        if job.fatal is None:
            job.error = ExtractionError(UNREADABLE,
                                        f"the file could not be read ({exc.strerror})")
    return job


STORING = "storing the original"


def _finish(library: Library, entry: tuple[int, PlanItem, Future[_Job]],
            options: ImportOptions, report: Callable[[int, FileOutcome], None],
            child_outcomes: list[FileOutcome], pool: ExtractorPool,
            cancel: CancelToken, progress: ProgressFn | None = None) -> LibraryError | None:
    """Save one file's extraction and report its outcome; returns the error that must stop
    the batch (the library cannot be written), reported as this file's outcome too."""
    i, item, fut = entry
    path = str(item.path)
    job = fut.result()
    try:
        if cancel.cancelled:
            raise Cancelled()
        if job.fatal is not None:
            raise job.fatal
        if job.error is not None:
            raise job.error
        assert job.extraction is not None
        assert item.format is not None and item.sha256 is not None
        outcome = persist_outcome(library, PersistRequest(
            sha256=item.sha256, size=item.size, fmt=item.format, filename=item.path.name,
            original_path=str(item.path.absolute()), extraction=job.extraction,
            collection=options.collection, source_url=options.source_url,
            collection_extra={"link_target": str(item.link_target)} if item.link_target
            else {},
        ), path)
    except Cancelled:
        _drop_original(library, item, job.stored_new)
        report(i, FileOutcome(path, CANCELLED, sha256=item.sha256, error="import cancelled"))
        return None
    except ExtractionError as exc:
        _drop_original(library, item, job.stored_new)
        log.info("import failed: sha=%s status=%s", (item.sha256 or "")[:12], exc.status)
        report(i, FileOutcome(path, exc.status, sha256=item.sha256, error=exc.message))
        return None
    except Exception as exc:  # persistence failed: nothing half-imported may remain
        _drop_original(library, item, job.stored_new and not _saved(library, item))
        fatal = library_write_error(exc, library.path, "saving the document")
        if fatal is not None:
            log.info("import stopped: %s", fatal)
            status = LIBRARY_FULL if isinstance(fatal, LibraryFull) else LIBRARY_READ_ONLY
            report(i, FileOutcome(path, status, sha256=item.sha256, error=outcome_error(fatal)))
            return fatal
        log.exception("import failed while saving: sha=%s", (item.sha256 or "")[:12])
        report(i, FileOutcome(path, UNREADABLE, sha256=item.sha256,
                              error=f"could not be saved to the library ({type(exc).__name__})"))
        return None
    if outcome.status == DUPLICATE:  # another desktop saved the same file first
        shutil.rmtree(children_dir(library, item.sha256), ignore_errors=True)
        report(i, outcome)
        return None
    # Hand each document to the index as soon as it is committed, not at the end of the
    # batch: a long import stays searchable as it goes (the index writer batches its commits).
    library.index.documents_changed([outcome.document_id or 0])
    report(i, outcome)
    children = import_children(library, pool, job.extraction, outcome, options, cancel,
                                progress)
    child_ids = [c.document_id for c in children if c.document_id]
    if child_ids:
        library.index.documents_changed(child_ids)
    child_outcomes.extend(children)
    return None


def _not_attempted(library: Library, entry: tuple[int, PlanItem, Future[_Job]],
                   report: Callable[[int, FileOutcome], None], stopped: LibraryError) -> None:
    """A file already under way when the batch stopped: what it stored is removed."""
    i, item, fut = entry
    _drop_original(library, item, fut.result().stored_new)
    report(i, FileOutcome(str(item.path), NOT_ATTEMPTED, sha256=item.sha256,
                          error=_why_not(stopped)))


def _why_not(stopped: LibraryError) -> str:
    why = "'s disk is full" if isinstance(stopped, LibraryFull) else " cannot be written"
    return f"not imported: the import stopped because the library{why}"


def _saved(library: Library, item: PlanItem) -> bool:
    """Whether a document holds ``item``'s bytes (its row committed before a later step
    failed): its original must then stay. When that cannot be read, it stays too."""
    from .models import Document

    try:
        with library.read() as s:
            return s.execute(select(Document.id).where(Document.sha256 == item.sha256)
                             ).first() is not None
    except Exception:
        log.warning("could not check whether %s was saved; its original is kept", item.path)
        return True


def _drop_original(library: Library, item: PlanItem, newly: bool) -> None:
    if item.sha256:  # and whatever a failed container extraction had unpacked
        shutil.rmtree(children_dir(library, item.sha256), ignore_errors=True)
    if newly and item.sha256:
        library.originals.remove(item.sha256)


def import_paths(library: Library, paths: Iterable[str | Path],
                 options: ImportOptions | None = None, progress: ProgressFn | None = None,
                 cancel: CancelToken | None = None) -> ImportReport:
    """Plan and run in one go (the CLI's path; the GUI shows the plan first)."""
    plan = plan_import(library, paths, progress, cancel,
                       follow_links=bool(options and options.follow_links))
    return run_import(library, plan, options, progress, cancel)
