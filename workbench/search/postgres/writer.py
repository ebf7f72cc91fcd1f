"""``BatchWriter``: a shared library's search rows written in batches by one thread.

The server's index was written inside the caller's call, one document at a time: an import
paid for reading each document back, analysing it and a transaction of its own (107 ms a
document at load, 3.2x an import into a personal library). Here the ids a change names are
queued and one thread writes them together: the texts of a batch are read in one query, its
rows go in one transaction. A batch is written once ``BATCH`` ids are queued, once the oldest
has waited ``GATHER`` seconds (so another desktop finds a change well within the 2 s issue 19
allows), or at once when asked (``flush``: the end of an import, ``wait_idle``, ``close``).

Nothing is lost if the process dies with ids queued: the documents are committed, and the
check every writable open runs (``PostgresBackend.check``) finds their rows missing and
writes them. A failed write is the caller's to report (``write`` must not raise).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

# At most this many documents a batch (bounded memory, and a transaction the other
# desktops' writers wait behind for a short while only).
BATCH = 200
# Seconds the first queued id waits for others before its batch is written.
GATHER = 0.5

WriteFn = Callable[[list[int], list[int]], None]  # (changed, removed)


class BatchWriter:
    def __init__(self, write: WriteFn, name: str = "wbsearch-writer") -> None:
        self._write_fn = write
        self._name = name
        self._cond = threading.Condition()
        self._changed: set[int] = set()
        self._removed: set[int] = set()
        self._since = 0.0  # when the oldest queued id came
        self._urgent = False  # write what is queued now (a flush is waiting)
        self._busy = False
        self._stop = False
        self._thread: threading.Thread | None = None

    # --- what the backend calls ---------------------------------------------------------------

    def changed(self, ids: list[int]) -> None:
        self._queue(ids, removed=False)

    def removed(self, ids: list[int]) -> None:
        self._queue(ids, removed=True)

    def pending(self) -> int:
        with self._cond:
            return len(self._changed) + len(self._removed) + (1 if self._busy else 0)

    def flush(self, timeout: float | None = None) -> bool:
        """Write what is queued now and wait for it; False if ``timeout`` ran out first."""
        with self._cond:
            if not self._has_work() and not self._busy:
                return True
            self._urgent = True
            self._cond.notify_all()
            thread = self._thread
            return self._cond.wait_for(
                lambda: (not self._has_work() and not self._busy)
                or thread is None or not thread.is_alive(), timeout)

    def close(self, timeout: float | None = 30.0) -> None:
        """Write what is queued, then stop the thread."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    # --- the thread ---------------------------------------------------------------------------

    def _queue(self, ids: list[int], *, removed: bool) -> None:
        wanted = {int(i) for i in ids}
        with self._cond:
            if not self._has_work():
                self._since = time.monotonic()
            into, out_of = ((self._removed, self._changed) if removed
                            else (self._changed, self._removed))
            into.update(wanted)
            out_of.difference_update(wanted)  # the later word about a document wins
            late = self._stop
            if not late:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._run, name=self._name,
                                                    daemon=True)
                    self._thread.start()
                self._cond.notify_all()
        if late:  # after close: written in the caller's call, as before batches
            with self._cond:
                changed, removed_ids = self._take(everything=True)
            self._write(changed, removed_ids)

    def _has_work(self) -> bool:
        return bool(self._changed or self._removed)

    def _ready(self) -> bool:
        return (self._urgent or self._stop
                or len(self._changed) + len(self._removed) >= BATCH
                or time.monotonic() - self._since >= GATHER)

    def _take(self, everything: bool = False) -> tuple[list[int], list[int]]:
        """The next batch's ids, out of the queue (what is left keeps its age: it is
        written next)."""
        changed = sorted(self._changed)
        if not everything:
            changed = changed[:BATCH]
        removed = sorted(self._removed)
        self._changed.difference_update(changed)
        self._removed.clear()
        return changed, removed

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._has_work() or self._stop)
                if not self._has_work():
                    break  # stopped, with nothing left to write
                while not self._ready():
                    self._cond.wait(max(0.0, GATHER - (time.monotonic() - self._since)))
                changed, removed = self._take()
                self._busy = True
            try:
                self._write(changed, removed)
            except Exception:  # ``write`` reports its own failures: this is a bug's trace
                log.exception("search rows not written")
            finally:
                with self._cond:
                    self._busy = False
                    if not self._has_work():
                        self._urgent = False
                    self._cond.notify_all()

    def _write(self, changed: list[int], removed: list[int]) -> None:
        self._write_fn(changed, removed)
