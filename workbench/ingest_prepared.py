"""Extraction workers started before an import's files are known, for the import that follows.

A worker is a fresh interpreter that imports the extractors it needs (PDFium's bindings alone
are ~60 ms): started when the import's files are chosen, every import waited for that before
its first file. ``Workbench.prepare_import`` starts them as soon as an import is likely (the
window: files dragged over it, the import chooser or the plan being shown; ``import_paths``:
before it plans), and the next import with the same worker count and limits takes them. Workers
nobody takes within ``UNUSED_SECONDS`` exit, so a chooser opened and cancelled does not keep
two processes for the rest of the session.
"""

from __future__ import annotations

import threading

from .extract import ExtractorPool, Limits

UNUSED_SECONDS = 120.0


class PreparedWorkers:
    """At most one warm pool, handed to the next import that fits it; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ExtractorPool | None = None
        self._key: tuple[int | None, Limits] | None = None
        self._timer: threading.Timer | None = None

    def prepare(self, size: int | None, limits: Limits, files: int | None = None) -> None:
        """Start a pool of ``size`` workers under ``limits`` unless such a pool is already
        waiting: as many workers as ``files`` can keep busy (None: unknown, all of them)."""
        with self._lock:
            if self._pool is not None and self._key == (size, limits):
                self._restart_timer()
                return
            old, self._pool = self._pool, None
        if old is not None:
            old.close()
        pool = ExtractorPool(size, limits)
        pool.warm(files)
        with self._lock:
            self._pool, self._key = pool, (size, limits)
            self._restart_timer()

    def take(self, size: int | None, limits: Limits) -> ExtractorPool | None:
        """The waiting pool if it was started for ``size`` and ``limits``; the caller closes
        it. Another one waiting is closed (its workers would sit unused)."""
        with self._lock:
            pool, key, self._pool, self._key = self._pool, self._key, None, None
            self._cancel_timer()
        if pool is None:
            return None
        if key == (size, limits):
            return pool
        pool.close()
        return None

    def close(self) -> None:
        with self._lock:
            pool, self._pool, self._key = self._pool, None, None
            self._cancel_timer()
        if pool is not None:
            pool.close()

    def _restart_timer(self) -> None:
        self._cancel_timer()
        self._timer = threading.Timer(UNUSED_SECONDS, self.close)
        self._timer.daemon = True
        self._timer.start()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
