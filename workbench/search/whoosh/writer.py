"""The one index writer (private): a thread fed with document ids, plus checks and rebuilds.

Import, edits and deletions only enqueue ids and return; the thread waits while ids keep
arriving (an import's stream of commits: ``COALESCE_GAP``), then reads those documents from the
database and commits one segment, so a new document is searchable well under a second after
its import commits. Searches run meanwhile on the last committed state. A rebuild writes a new
generation and swaps it in when complete.
``close`` drains the queue (the CLI's ``import`` exits only once its documents are indexed).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from whoosh import index as windex

from ...errors import LibraryFull
from ...library import Library
from ...models import TextLayer
from ...write_errors import library_write_error
from ..analysis import DEFAULT_COMMON
from ..backend import Activity
from ..source import all_index_state, load_documents, tag_paths
from . import rebuild
from .batch import merge_small, write_batch
from .engine import (
    IndexProblem,
    make_current,
    new_generation,
    open_current,
    open_index,
    read_common,
    remove_stale_generations,
    sync_sidecars,
)
from .schema import STAMP_HASH, build_schema, common_words, decode_stamp_hash

log = logging.getLogger(__name__)
BATCH = 200
# While ids keep arriving (an import commits a document every few milliseconds), the writer
# waits for more before it writes: each batch costs its queries and a segment, and one batch
# per document was half of an import's CPU in its own process. It writes once no id came
# for COALESCE_GAP seconds, COALESCE_MAX after the first, or COALESCE_DOCS are waiting
# (a batch's texts are in memory while it is written: of 32, 64 and 200, 32 kept the
# import's peak lowest at the same speed; 16 was slower).
COALESCE_GAP, COALESCE_MAX, COALESCE_DOCS = 0.05, 0.5, 32
# A rebuild this large is abandoned at close (resumed at the next open) instead of drained.
DRAIN_REBUILD_LIMIT = 5000
# From this many documents a rebuild uses two writer processes, each writing its own segment.
PARALLEL_MIN = 2000
# Common words (whose pairs are indexed as grams) are measured on a sample of this many
# documents, from archives of at least COMMON_SAMPLE_MIN documents, reading COMMON_TEXT
# characters of each.
COMMON_SAMPLE, COMMON_SAMPLE_MIN, COMMON_TEXT = 400, 200, 20_000


@dataclass
class IndexProgress:
    phase: str  # idle | checking | indexing | rebuilding
    done: int = 0
    total: int = 0


class IndexWorker:
    def __init__(self, library: Library, on_commit: Callable[[], None]) -> None:
        self.library = library
        self.index_dir: Path = library.index_dir
        self.on_commit = on_commit
        self._cond = threading.Condition()
        self._changed: set[int] = set()
        self._removed: set[int] = set()
        self._check = False
        self._rebuild: str | None = None
        # While a new generation catches up: the ids changed or removed since it read them.
        self._touched: set[int] | None = None
        self._busy = False
        self._stop = False
        self._cancel_rebuild = threading.Event()
        self._ix: windex.Index | None = None
        self._gen: str | None = None
        self.progress = IndexProgress("idle")
        # Documents written since the writer last had nothing queued: an import's documents
        # arrive in several batches, and its progress counts them all (``_apply``).
        self._stretch = 0
        self.last_error: str | None = None
        self.last_rebuild_reason: str | None = None
        self.failures = 0
        # Set when a write failed, until a rebuild succeeds: the index may lack documents
        # (searches then count them); ``write_problem`` says why, in words.
        self.incomplete = False
        self.write_problem: str | None = None
        try:  # a rebuild that crashed or ran out of space left its generation folder
            remove_stale_generations(self.index_dir)
        except OSError:
            log.warning("could not remove an unfinished search index build", exc_info=True)
        self._thread = threading.Thread(target=self._run, name="workbench-index", daemon=True)
        self._thread.start()

    # --- what the rest of the program calls -------------------------------------------------

    def changed(self, ids: list[int]) -> None:
        with self._cond:
            self._changed.update(int(i) for i in ids)
            self._removed.difference_update(int(i) for i in ids)
            if self._touched is not None:
                self._touched.update(int(i) for i in ids)
            self._cond.notify_all()

    def removed(self, ids: list[int]) -> None:
        with self._cond:
            self._removed.update(int(i) for i in ids)
            self._changed.difference_update(int(i) for i in ids)
            if self._touched is not None:
                self._touched.update(int(i) for i in ids)
            self._cond.notify_all()

    def request_check(self) -> None:
        with self._cond:
            self._check = True
            self._cond.notify_all()

    def request_rebuild(self, reason: str) -> None:
        with self._cond:
            self._rebuild = reason
            self._cond.notify_all()

    def cancel_rebuild(self) -> None:
        self._cancel_rebuild.set()

    @property
    def idle(self) -> bool:
        return not (self._busy or self._has_work())

    def pending(self) -> int:
        with self._cond:
            return len(self._changed) + len(self._removed)

    def wait_idle(self, timeout: float | None = None) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self.idle or not self._thread.is_alive(),
                                       timeout)

    def close(self) -> None:
        """Finish pending work (a large rebuild is abandoned), then stop the thread."""
        with self._cond:
            self._stop = True
            if self.progress.phase == "rebuilding" and self.progress.total > DRAIN_REBUILD_LIMIT:
                self._cancel_rebuild.set()
            self._cond.notify_all()
        self._thread.join()
        if self._ix is not None:
            self._ix.close()

    # --- the thread -------------------------------------------------------------------------

    def _has_work(self) -> bool:
        return bool(self._changed or self._removed or self._check or self._rebuild)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._has_work() or self._stop)
                if not self._has_work():
                    break
                self._coalesce()
                rebuild, check = self._rebuild, self._check
                changed, removed = set(self._changed), set(self._removed)
                self._rebuild, self._check = None, False
                if rebuild is None:
                    self._changed.clear()
                    self._removed.clear()
                self._busy = True
            try:
                if rebuild is not None:
                    self._do_rebuild(rebuild)
                elif check:
                    self._do_check()
                    self._apply(changed, removed)
                else:
                    self._apply(changed, removed)
                self.failures = 0
                self.last_error = None
            except Exception as exc:
                self._failed(exc, changed, removed)
            finally:
                with self._cond:
                    if self._has_work():  # the stretch goes on with what came meanwhile
                        self.progress = IndexProgress("idle", self._stretch, self._stretch)
                    else:
                        self.progress = IndexProgress("idle")
                        self._stretch = 0
                    self._busy = False
                    self._cond.notify_all()

    def _coalesce(self) -> None:
        """Wait (holding ``_cond``) while ids keep arriving: see COALESCE_GAP. A check, a
        rebuild or closing is not kept waiting."""
        deadline = time.monotonic() + COALESCE_MAX
        while not (self._stop or self._check or self._rebuild):
            waiting = len(self._changed) + len(self._removed)
            left = deadline - time.monotonic()
            if waiting >= COALESCE_DOCS or left <= 0:
                return
            self._cond.wait(min(COALESCE_GAP, left))
            if len(self._changed) + len(self._removed) == waiting:
                return  # none came during the gap: the burst is over

    def _failed(self, exc: Exception, changed: set[int], removed: set[int]) -> None:
        problem = library_write_error(exc, self.library.path, "writing the search index")
        if isinstance(problem, LibraryFull):  # the words an import says it stopped in
            log.warning("search index update failed: the library's disk is full (%s); it will "
                        "be rebuilt when there is room", problem.detail)
        else:
            log.warning("search index update failed (%s: %s); it will be rebuilt",
                        type(exc).__name__, exc)
        log.debug("search index failure", exc_info=True)
        self.last_error = f"{type(exc).__name__}: {exc}"
        self.failures += 1
        self.incomplete = True
        if problem is not None:  # the first clear reason stays: later ones may be its echoes
            self.write_problem = ("the library's disk is full" if isinstance(problem, LibraryFull)
                                  else "the library cannot be written")
        elif self.write_problem is None:
            self.write_problem = f"a write failed ({type(exc).__name__})"
        self._close_ix()
        if self.failures <= 2 and not self._stop:  # an index that fails to write is rebuilt
            self.request_rebuild(f"write failed ({type(exc).__name__})")

    def _index(self) -> windex.Index:
        ptr_gen = None
        try:
            if self._ix is not None:
                from .engine import read_pointer

                ptr = read_pointer(self.index_dir)
                ptr_gen = ptr.get("current") if ptr else None
                if ptr_gen == self._gen:
                    return self._ix
            self._close_ix()
            self._ix, self._gen = open_current(self.index_dir)
            return self._ix
        except IndexProblem:
            self._close_ix()
            raise

    def _close_ix(self) -> None:
        if self._ix is not None:
            self._ix.close()
        self._ix, self._gen = None, None

    def _apply(self, changed: set[int], removed: set[int]) -> None:
        if not changed and not removed:
            return
        try:
            ix = self._index()
        except IndexProblem as exc:
            self._do_rebuild(exc.reason)
            return
        self.progress = IndexProgress("indexing", self._stretch,
                                      self._stretch + len(changed) + len(removed))
        self._write_changes(ix, changed, removed, self.progress)
        self._stretch = self.progress.done

    def _write_changes(self, ix: windex.Index, changed: set[int], removed: set[int],
                       progress: IndexProgress) -> None:
        # One bulk segment (batch.py); the small segments merge_small picks are read again
        # from the database into it.
        with self.library.read() as s:
            paths = tag_paths(s)

            def done(n: int) -> None:
                progress.done += n

            write_batch(ix, changed, removed, lambda ids: load_documents(s, ids, paths),
                        done, mergetype=merge_small)
        self.on_commit()
        sync_sidecars(ix)  # a merge made a large segment: give it the fast path too

    def _serve_during_rebuild(self, served: tuple[set[int], set[int]]) -> None:
        """Apply edits made since the rebuild started to the index still in use, so they are
        searchable now; they stay pending for the new index too. ``served`` remembers what
        was applied (it is reset to None-like sets when the old index cannot be used)."""
        with self._cond:
            changed = self._changed - served[0]
            removed = self._removed - served[1]
        if not changed and not removed:
            return
        try:
            ix = self._index()
        except IndexProblem:  # no usable index (damaged, other schema): they wait for the new
            served[0].update(changed)
            served[1].update(removed)
            return
        self._write_changes(ix, changed, removed, IndexProgress("indexing"))
        served[0].update(changed)
        served[1].update(removed)

    def _do_check(self) -> None:
        """Compare the index with the database; repair small drift, rebuild large drift."""
        self.progress = IndexProgress("checking")
        try:
            ix = self._index()
        except IndexProblem as exc:
            self._do_rebuild(exc.reason)
            return
        try:
            sync_sidecars(ix, verify=True)
        except Exception as exc:  # a segment that cannot be read back: rebuild from the DB
            log.warning("search index segment unreadable", exc_info=True)
            self._do_rebuild(f"damaged ({type(exc).__name__}: {exc})")
            return
        with self.library.read() as s:
            truth = all_index_state(s)
        indexed: dict[int, tuple[int, str | None]] = {}
        with ix.searcher() as searcher:
            reader = searcher.reader()
            docnums = list(reader.all_doc_ids()) if reader.doc_count_all() else []
            col = reader.column_reader("stamp") if docnums else None
            for docnum in docnums:
                stamp = decode_stamp_hash(col[docnum])  # type: ignore[index]
                if stamp is not None:
                    indexed[stamp[0]] = (stamp[1], stamp[2])
        missing = [i for i, now in truth.items() if _stale(indexed.get(i), now)]
        extra = [i for i in indexed if i not in truth]
        if not missing and not extra:
            return
        log.info("search index drift: %d missing or stale, %d extra", len(missing), len(extra))
        if len(missing) + len(extra) > max(1000, len(truth) // 2):
            self._do_rebuild("drift from the database")
            return
        self.changed(missing)
        self.removed(extra)

    def _do_rebuild(self, reason: str) -> None:
        """Build a new generation from the database; swap it in only when complete."""
        self._cancel_rebuild.clear()
        self.last_rebuild_reason = reason
        log.info("rebuilding the search index: %s", reason)
        with self.library.read() as s:
            ids = sorted(all_index_state(s))
        self.progress = IndexProgress("rebuilding", 0, len(ids))
        procs = 2 if len(ids) >= PARALLEL_MIN and (os.cpu_count() or 1) >= 2 else 1
        gen = self._build(ids, procs)
        if gen is not None:
            self._close_ix()
            make_current(self.index_dir, gen)
            self.incomplete, self.write_problem = False, None
            self.on_commit()

    def _catch_up(self, folder: Path) -> None:
        """Apply the edits made while the generation at ``folder`` was built to it, before it
        replaces the index in use. That index shows them already (``_serve_during_rebuild``),
        so a search right after the swap lost a document imported meanwhile until the next
        commit. Those written are no longer pending, unless changed again meanwhile."""
        with self._cond:
            changed, removed = set(self._changed), set(self._removed)
            if not changed and not removed:
                return
            self._touched = set()
        try:
            ix = open_index(folder, schema=build_schema(read_common(folder)))
            try:
                self._write_changes(ix, changed, removed, IndexProgress("indexing"))
            finally:
                ix.close()
            with self._cond:
                done = (changed | removed) - self._touched
                self._changed -= done
                self._removed -= done
        finally:
            with self._cond:
                self._touched = None

    def _common_words(self, ids: list[int]) -> frozenset[str]:
        """The archive's own common words (from a sample), or English function words for an
        archive too small to say."""
        if len(ids) < COMMON_SAMPLE_MIN:
            return DEFAULT_COMMON
        latest = (select(func.max(TextLayer.id))
                  .where(TextLayer.document_id.in_(_spread(ids, COMMON_SAMPLE)))
                  .group_by(TextLayer.document_id))
        with self.library.read() as s:  # the start of each text only, read in the database
            texts = [t or "" for t in s.execute(
                select(func.substr(TextLayer.text, 1, COMMON_TEXT))
                .where(TextLayer.id.in_(latest))).scalars()]
        return common_words(texts) or DEFAULT_COMMON

    def _build(self, ids: list[int], procs: int) -> str | None:
        """A complete new generation holding ``ids``, or None when abandoned."""
        ix, gen = new_generation(self.index_dir, self._common_words(ids))
        ix.close()
        folder = self.index_dir / gen
        url = self.library.store.engine.url.render_as_string(hide_password=False)
        ok = False

        served: tuple[set[int], set[int]] = (set(), set())

        def progress(n: int) -> None:
            self.progress.done = min(len(ids), n)
            try:
                self._serve_during_rebuild(served)
            except Exception:  # the old index is only a convenience while rebuilding
                log.debug("indexing edits during a rebuild failed", exc_info=True)

        try:
            rebuild.build(url, folder, ids, procs, progress, self._cancel_rebuild)
            self._catch_up(folder)
            ok = True
        except rebuild.Abandoned:
            log.info("search index rebuild abandoned; it restarts at the next open")
        finally:
            if not ok:
                shutil.rmtree(folder, ignore_errors=True)
        return gen if ok else None


def _stale(indexed: tuple[int, str | None] | None, now: tuple[int | None, str]) -> bool:
    """Whether a document's index entry no longer mirrors its latest layer: another layer,
    or the same layer whose stored text hash changed (cleared when its text was updated).
    A stamp from before hashes were kept matches on the layer while the hash is intact."""
    if indexed is None or indexed[0] != (now[0] or 0):
        return True
    if indexed[1] is None:
        return now[1] == ""
    return indexed[1] != now[1][:STAMP_HASH]


def _spread(ids: list[int], n: int) -> list[int]:
    """At most ``n`` of ``ids``, evenly spaced (a sample across the whole archive)."""
    step = max(1, len(ids) // n)
    return ids[::step][:n]


def wait(pred: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > end:
            return False
        time.sleep(step)
    return True


def describe(worker: IndexWorker | None) -> Activity:
    if worker is None:
        return {"state": "read-only", "done": 0, "total": 0}
    p = worker.progress
    return {"state": p.phase if not worker.idle or p.phase != "idle" else "idle",
            "done": p.done, "total": p.total, "pending": worker.pending(),
            "last_error": worker.last_error, "last_rebuild_reason": worker.last_rebuild_reason}
