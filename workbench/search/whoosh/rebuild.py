"""A full index build from the database on both cores (private; the writer thread runs it).

The document ids are split into parts; each part becomes one segment, written by
``BulkSegmentWriter`` in a worker process that reads its documents from the database itself
(so the application's process only waits). The segments are committed together in one TOC
only when every part is done; a cancel or a failure leaves no TOC naming them, and the
caller deletes the generation folder. Parts are sized so that a segment stays under
``PART_DOCS`` documents (memory: a part's postings are held until its segment is written).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh.index import TOC, clean_files

from .bulk import BulkSegmentWriter
from .engine import open_index, writer_args
from .schema import to_fields

PART_DOCS = 12_500
BATCH = 200


class Abandoned(Exception):
    """The build was cancelled; nothing was committed."""


def plan_parts(ids: list[int], procs: int, part_docs: int = PART_DOCS) -> list[list[int]]:
    """Contiguous slices of ``ids``: a multiple of ``procs`` parts, none above ``part_docs``."""
    if not ids:
        return []
    n = max(1, procs)
    while -(-len(ids) // n) > part_docs:
        n += max(1, procs)
    size = -(-len(ids) // n)
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def build(db_url: str, folder: Path, ids: list[int], procs: int,
          progress: Callable[[int], None], cancelled: threading.Event) -> int:
    """Index ``ids`` into the empty index at ``folder`` and commit; the documents added.

    ``progress`` gets the running count of documents written; ``cancelled`` set -> Abandoned.
    """
    parts = plan_parts(ids, procs)
    if procs <= 1 or len(parts) <= 1:
        segments, added = [], 0
        for part in parts:
            base = added

            def report(k: int, base: int = base) -> None:
                progress(base + k)

            seg, n = write_part(db_url, str(folder), part, report, cancelled.is_set)
            segments.append(seg)
            added += n
    else:
        segments, added = _in_processes(db_url, folder, parts, procs, progress, cancelled)
    commit_segments(folder, segments)
    return added


def _in_processes(db_url: str, folder: Path, parts: list[list[int]], procs: int,
                  progress: Callable[[int], None],
                  cancelled: threading.Event) -> tuple[list[Any], int]:
    # "spawn": the caller's process has threads (Qt, the writer), which fork does not survive.
    # In the standalone build a spawned child is the Workbench program itself, which hands
    # it to multiprocessing before anything else (freeze_support in workbench/frozen.py).
    ctx = multiprocessing.get_context("spawn")
    counts: Any = ctx.Queue()
    stop: Any = ctx.Event()
    done = 0
    from ...crypto.registry import key_for

    # An encrypted library's index key, handed over the pipe to the workers (never on disk).
    sealed = (str(folder), key_for(folder))
    with ProcessPoolExecutor(procs, mp_context=ctx, initializer=_init_worker,
                             initargs=(counts, stop, sealed)) as pool:
        with _main_hidden():  # the workers start during the first submit
            futures: list[Future[tuple[Any, int]]] = [
                pool.submit(_worker_part, db_url, str(folder), part) for part in parts]
        try:
            pending: set[Future[tuple[Any, int]]] = set(futures)
            while pending:
                finished, pending = wait(pending, timeout=0.2, return_when=FIRST_EXCEPTION)
                done += _drain(counts)
                progress(done)
                for f in finished:
                    f.result()  # re-raise a worker's failure here
                if cancelled.is_set():
                    raise Abandoned
        except BaseException:
            stop.set()
            for f in futures:
                f.cancel()
            raise
        results = [f.result() for f in futures]
    return [seg for seg, _n in results], sum(n for _seg, n in results)


@contextmanager
def _main_hidden() -> Iterator[None]:
    """Hide the parent's ``__main__`` from the starting workers.

    A spawned child first re-runs the parent's main script (or module) so that pickled
    functions defined there resolve; a script that uses Workbench without an
    ``if __name__ == "__main__"`` guard would then open the library again in every worker.
    The workers need nothing from ``__main__`` (their function lives in this module).
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved: dict[str, Any] = {k: main.__dict__[k] for k in ("__file__", "__spec__")
                             if k in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.update(saved)
        if "__spec__" not in saved:
            main.__dict__.pop("__spec__", None)


def _drain(counts: Any) -> int:
    total = 0
    while True:
        try:
            total += counts.get_nowait()
        except queue.Empty:
            return total


def commit_segments(folder: Path, segments: list[Any]) -> None:
    """Make ``segments`` the index's content in one new TOC (under the index's write lock)."""
    ix = open_index(folder)
    lock = ix.lock("WRITELOCK")
    if not lock.acquire():
        raise RuntimeError("the new search index is locked by another writer")
    try:
        toc = ix._read_toc()
        generation = toc.generation + 1
        TOC(toc.schema, list(toc.segments) + list(segments), generation).write(
            ix.storage, ix.indexname)
        clean_files(ix.storage, ix.indexname, generation, list(toc.segments) + list(segments))
    finally:
        lock.release()
        ix.close()


# --- in the worker process -----------------------------------------------------------------

_COUNTS: Any = None
_STOP: Any = None


def _init_worker(counts: Any, stop: Any, sealed: tuple[str, bytes | None] = ("", None)
                 ) -> None:
    global _COUNTS, _STOP
    _COUNTS, _STOP = counts, stop
    if sealed[1] is not None:
        from ...crypto import registry, scratch

        registry.register(sealed[0], sealed[1])
        scratch.redirect_tempdir(scratch.make())
    try:  # the user's work comes first; this is background work
        os.nice(5)
    except OSError:
        pass


def _worker_part(db_url: str, folder: str, ids: list[int]) -> tuple[Any, int]:
    last = [0]

    def report(n: int) -> None:
        _COUNTS.put(n - last[0])
        last[0] = n

    return write_part(db_url, folder, ids, report, _STOP.is_set)


def write_part(db_url: str, folder: str, ids: list[int], progress: Callable[[int], None],
               cancelled: Callable[[], bool]) -> tuple[Any, int]:
    """One segment holding the documents ``ids`` (those that still exist); (segment, count)."""
    from ...store import Store, make_engine
    from ..source import load_documents, tag_paths

    store = Store(make_engine(db_url))
    ix = open_index(folder)
    writer = BulkSegmentWriter(ix, **writer_args())
    added = 0
    try:
        with store.read() as s:
            paths = tag_paths(s)
            for i in range(0, len(ids), BATCH):
                if cancelled():
                    raise Abandoned
                for doc in load_documents(s, ids[i:i + BATCH], paths):
                    writer.add_index_fields(to_fields(doc))
                    added += 1
                progress(added)
        segment = writer.segment()
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()
        store.close()
    return segment, added
