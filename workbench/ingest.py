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
import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from . import __version__, audit
from .blobs import sha256_file
from .errors import Cancelled, ExtractionError, WorkbenchError
from .extract import ExtractOptions, ExtractorPool, Limits, detect
from .extract.base import (
    EMPTY,
    NOT_FOUND,
    PERMISSION,
    UNREADABLE,
    UNSUPPORTED,
    Child,
    Extraction,
)
from .extract.formats import SNIFF_BYTES, Format
from .library import Library
from .persist import PersistRequest, persist_document

log = logging.getLogger(__name__)

IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}

# Outcome statuses
IMPORTED = "imported"
IMPORTED_WITH_PROBLEMS = "imported with problems"
DUPLICATE = "duplicate"
CANCELLED = "cancelled"


@dataclass
class PlanItem:
    path: Path
    status: str  # new | duplicate | failed
    sha256: str | None = None
    size: int = 0
    format: Format | None = None
    duplicate_of: int | None = None  # document id already in the library
    duplicate_in_batch: Path | None = None  # earlier file of this batch with the same bytes
    error: str | None = None
    failure: str | None = None  # a status from extract.base when status == "failed"


@dataclass
class ImportPlan:
    items: list[PlanItem]

    @property
    def new(self) -> list[PlanItem]:
        return [i for i in self.items if i.status == "new"]

    def summary(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for item in self.items:
            out[item.status] = out.get(item.status, 0) + 1
        return out


@dataclass
class FileOutcome:
    path: str
    status: str
    document_id: int | None = None
    sha256: str | None = None
    title: str | None = None
    pages: int = 0
    problems: list[str] = field(default_factory=list)
    error: str | None = None
    parent_id: int | None = None

    @property
    def failed(self) -> bool:
        return self.status not in (IMPORTED, IMPORTED_WITH_PROBLEMS, DUPLICATE)


@dataclass
class ImportReport:
    outcomes: list[FileOutcome]

    @property
    def imported(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status in (IMPORTED, IMPORTED_WITH_PROBLEMS)]

    @property
    def duplicates(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == DUPLICATE]

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.failed]

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": [
                {"id": o.document_id, "sha256": o.sha256, "title": o.title, "path": o.path,
                 "pages": o.pages, "status": o.status, "problems": o.problems,
                 **({"parent_id": o.parent_id} if o.parent_id else {})}
                for o in self.imported
            ],
            "duplicates": [{"path": o.path, "id": o.document_id} for o in self.duplicates],
            "failed": [{"path": o.path, "status": o.status, "error": o.error}
                       for o in self.failed],
        }


@dataclass
class Progress:
    done: int
    total: int
    current: str
    stage: str


class CancelToken:
    """A flag the UI sets; the pipeline checks it between files and raises ``Cancelled``."""

    def __init__(self) -> None:
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def check(self) -> None:
        if self._cancelled:
            raise Cancelled()


@dataclass
class ImportOptions:
    collection: str | None = None
    source_url: str | None = None
    ocr_languages: str | None = None
    limits: Limits = field(default_factory=Limits)
    workers: int | None = None


ProgressFn = Callable[[Progress], None]

# --- stage 1: plan --------------------------------------------------------------------------


def _walk(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name not in IGNORED_NAMES:
                        yield Path(root) / name
        else:
            yield path


def plan_import(library: Library, paths: Iterable[str | Path],
                progress: ProgressFn | None = None, cancel: CancelToken | None = None
                ) -> ImportPlan:
    items: list[PlanItem] = []
    seen: dict[str, Path] = {}
    files = list(_walk(Path(p) for p in paths))
    with library.read() as session:
        from .models import Document

        for n, path in enumerate(files):
            if cancel:
                cancel.check()
            if progress:
                progress(Progress(n, len(files), str(path), "plan"))
            item = _plan_one(path)
            if item.status == "new" and item.sha256:
                doc_id = session.execute(
                    select(Document.id).where(Document.sha256 == item.sha256)
                ).scalar_one_or_none()
                if doc_id is not None:
                    item.status, item.duplicate_of = "duplicate", doc_id
                elif item.sha256 in seen:
                    item.status, item.duplicate_in_batch = "duplicate", seen[item.sha256]
                else:
                    seen[item.sha256] = path
            items.append(item)
    return ImportPlan(items)


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
    own_pool = pool is None
    pool = pool or ExtractorPool(options.workers, options.limits)
    cancel = cancel or CancelToken()
    outcomes: dict[int, FileOutcome] = {}
    by_path: dict[Path, FileOutcome] = {}
    total = len(plan.items)
    done = 0

    def report(i: int, outcome: FileOutcome) -> None:
        nonlocal done
        outcomes[i] = outcome
        by_path[plan.items[i].path] = outcome
        done += 1
        if progress:
            progress(Progress(done, total, outcome.path, outcome.status))

    new_ids: list[int] = []
    child_outcomes: list[FileOutcome] = []
    try:
        window = max(2, pool.size * 2)
        with ThreadPoolExecutor(max_workers=pool.size) as threads:
            pending: list[tuple[int, PlanItem, Future[_Job]]] = []
            for i, item in enumerate(plan.items):
                if item.status == "failed":
                    report(i, FileOutcome(str(item.path), item.failure or UNREADABLE,
                                          sha256=item.sha256, error=item.error))
                elif item.status == "new":
                    if cancel.cancelled:
                        report(i, FileOutcome(str(item.path), CANCELLED, error="import cancelled"))
                        continue
                    fut = threads.submit(_store_and_extract, library, pool, item, options)
                    pending.append((i, item, fut))
                    while len(pending) >= window:
                        _finish(library, pending.pop(0), options, report, new_ids,
                                child_outcomes, pool, cancel, progress)
            while pending:
                _finish(library, pending.pop(0), options, report, new_ids, child_outcomes,
                        pool, cancel, progress)
        # Duplicates last, so a duplicate inside the batch can name the document it repeats.
        for i, item in enumerate(plan.items):
            if item.status == "duplicate":
                report(i, _duplicate_outcome(item, by_path))
    finally:
        if own_pool:
            pool.close()
    if new_ids:
        library.index.documents_changed(new_ids)
    return ImportReport([outcomes[i] for i in sorted(outcomes)] + child_outcomes)


def _duplicate_outcome(item: PlanItem, by_path: dict[Path, FileOutcome]) -> FileOutcome:
    if item.duplicate_of is not None:
        return FileOutcome(str(item.path), DUPLICATE, document_id=item.duplicate_of,
                           sha256=item.sha256)
    first = by_path.get(item.duplicate_in_batch) if item.duplicate_in_batch else None
    if first is not None and first.document_id is not None:
        return FileOutcome(str(item.path), DUPLICATE, document_id=first.document_id,
                           sha256=item.sha256)
    return FileOutcome(str(item.path), UNREADABLE, sha256=item.sha256,
                       error=f"same bytes as {item.duplicate_in_batch}, which did not import")


@dataclass
class _Job:
    """What a worker thread hands back: the extraction or the error, and whether it stored."""

    stored_new: bool = False
    extraction: Extraction | None = None
    error: ExtractionError | None = None


def _store_and_extract(library: Library, pool: ExtractorPool, item: PlanItem,
                       options: ImportOptions) -> _Job:
    assert item.format is not None and item.sha256 is not None
    job = _Job()
    try:
        sha, job.stored_new = library.originals.put_file(item.path, expected_sha256=item.sha256)
        opts = ExtractOptions(
            kind=item.format.kind, children_dir=str(_children_dir(library, sha)),
            ocr_languages=_ocr_languages(library, options), source_url=options.source_url,
            extra={"time_limit": options.limits.timeout},
        )
        job.extraction = pool.extract(library.originals.path_for(sha), opts)
    except ExtractionError as exc:
        job.error = exc
    except PermissionError:
        job.error = ExtractionError(PERMISSION, "permission denied while reading the file")
    except WorkbenchError as exc:
        job.error = ExtractionError(UNREADABLE, exc.message)
    except OSError as exc:
        job.error = ExtractionError(UNREADABLE, f"the file could not be read ({exc.strerror})")
    return job


def _finish(library: Library, entry: tuple[int, PlanItem, Future[_Job]],
            options: ImportOptions, report: Callable[[int, FileOutcome], None],
            new_ids: list[int], child_outcomes: list[FileOutcome], pool: ExtractorPool,
            cancel: CancelToken, progress: ProgressFn | None = None) -> None:
    i, item, fut = entry
    path = str(item.path)
    job = fut.result()
    try:
        if cancel.cancelled:
            raise Cancelled()
        if job.error is not None:
            raise job.error
        assert job.extraction is not None
        assert item.format is not None and item.sha256 is not None
        outcome = _persist(library, PersistRequest(
            sha256=item.sha256, size=item.size, fmt=item.format, filename=item.path.name,
            original_path=str(item.path.absolute()), extraction=job.extraction,
            collection=options.collection, source_url=options.source_url,
        ), path)
    except Cancelled:
        _drop_original(library, item, job.stored_new)
        report(i, FileOutcome(path, CANCELLED, sha256=item.sha256, error="import cancelled"))
        return
    except ExtractionError as exc:
        _drop_original(library, item, job.stored_new)
        log.info("import failed: sha=%s status=%s", (item.sha256 or "")[:12], exc.status)
        report(i, FileOutcome(path, exc.status, sha256=item.sha256, error=exc.message))
        return
    except Exception as exc:  # persistence failed: nothing half-imported may remain
        _drop_original(library, item, job.stored_new)
        log.exception("import failed while saving: sha=%s", (item.sha256 or "")[:12])
        report(i, FileOutcome(path, UNREADABLE, sha256=item.sha256,
                              error=f"could not be saved to the library ({type(exc).__name__})"))
        return
    new_ids.append(outcome.document_id or 0)
    report(i, outcome)
    children = _import_children(library, pool, job.extraction, outcome, options, cancel,
                                progress)
    new_ids.extend(c.document_id for c in children if c.document_id)
    child_outcomes.extend(children)


def _drop_original(library: Library, item: PlanItem, newly: bool) -> None:
    if item.sha256:  # and whatever a failed container extraction had unpacked
        shutil.rmtree(_children_dir(library, item.sha256), ignore_errors=True)
    if newly and item.sha256:
        library.originals.remove(item.sha256)


def _persist(library: Library, req: PersistRequest, path: str) -> FileOutcome:
    with library.transaction() as session:
        doc = persist_document(session, req)
        audit.record(session, audit.INGESTION, "document", doc.id, {
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
                           parent_id=req.parent_id)


MAX_CHILD_DEPTH = 3


def _import_children(library: Library, pool: ExtractorPool, extraction: Extraction,
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
            sub = pool.extract(library.originals.path_for(sha), ExtractOptions(
                kind=fmt.kind, children_dir=str(_children_dir(library, sha)),
                ocr_languages=_ocr_languages(library, options),
                extra={"time_limit": options.limits.timeout}))
            for key, value in child.metadata.items():
                if key != "kind" and value:
                    sub.metadata[key] = value
            out = _persist(library, PersistRequest(
                sha256=sha, size=size, fmt=fmt, filename=child.filename,
                original_path=label, extraction=sub, collection=options.collection,
                source_url=child.collection.get("source_url"),
                captured_at=_parse_time(child.collection.get("captured_at")),
                http_status=child.collection.get("http_status"),
                parent_id=parent.document_id, collection_extra=child.collection,
            ), label)
        except BaseException:
            if newly:
                library.originals.remove(sha)
            raise
    except ExtractionError as exc:
        if sha:  # a half-unpacked container leaves no temporary files behind
            shutil.rmtree(_children_dir(library, sha), ignore_errors=True)
        return [FileOutcome(label, exc.status, error=exc.message, parent_id=parent.document_id)]
    except Exception as exc:  # one bad item never stops its siblings or the batch
        log.exception("import of an item failed: parent=%s", parent.document_id)
        return [FileOutcome(label, UNREADABLE, parent_id=parent.document_id,
                            error=f"could not be imported ({type(exc).__name__})")]
    outcomes = [out]
    if sub.children:
        if depth < MAX_CHILD_DEPTH:
            outcomes.extend(_import_children(library, pool, sub, out, options, cancel,
                                             progress, depth + 1))
        else:
            shutil.rmtree(_children_dir(library, sha), ignore_errors=True)
    return outcomes


def _children_dir(library: Library, sha: str) -> Path:
    return library.tmp_dir / f"children-{sha[:16]}"


def _ocr_languages(library: Library, options: ImportOptions) -> str:
    return options.ocr_languages or str(library.get_setting("ocr_languages", "eng") or "eng")


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def import_paths(library: Library, paths: Iterable[str | Path],
                 options: ImportOptions | None = None, progress: ProgressFn | None = None,
                 cancel: CancelToken | None = None) -> ImportReport:
    """Plan and run in one go (the CLI's path; the GUI shows the plan first)."""
    plan = plan_import(library, paths, progress, cancel)
    return run_import(library, plan, options, progress, cancel)
