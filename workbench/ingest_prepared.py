"""Extraction workers started before an import's files are known, for the import that follows.

A worker is a fresh interpreter that imports the extractors it needs (PDFium's bindings alone
are ~60 ms): started when the import's files are chosen, every import waited for that before
its first file. ``Workbench.prepare_import`` starts them as soon as an import is likely (the
window: files dragged over it, the import chooser or the plan being shown; ``import_paths``:
before it plans), and the next import with the same worker count and limits takes them. Workers
nobody takes within ``UNUSED_SECONDS`` exit, so a chooser opened and cancelled does not keep
two processes for the rest of the session.

Prepared workers import the PDF extractor while they wait (``PRELOAD``: PDFs are most of
what people import, and PDFium's bindings the heaviest import), unless the files are known
to hold no PDF. ``Workbench.prepare_import`` also opens the language model the import's
documents are classified with.

The command line's ``import`` starts its workers before the library is even open
(``start_early``: the facade's modules take ~0.25 s to load, longer than a worker's start);
the library's first ``prepare_import`` adopts them (``adopt_early``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from .extract import ExtractorPool, Limits

UNUSED_SECONDS = 120.0
PRELOAD = ("pdf",)


class PreparedWorkers:
    """At most one warm pool, handed to the next import that fits it; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ExtractorPool | None = None
        self._key: tuple[int | None, Limits] | None = None
        self._timer: threading.Timer | None = None

    def prepare(self, size: int | None, limits: Limits, files: int | None = None,
                preload: tuple[str, ...] = PRELOAD) -> None:
        """Start a pool of ``size`` workers under ``limits`` unless such a pool is already
        waiting: as many workers as ``files`` can keep busy (None: unknown, all of them),
        each importing the extractors of ``preload`` kinds while it waits."""
        with self._lock:
            if self._pool is not None and self._key == (size, limits):
                self._restart_timer()
                return
            old, self._pool = self._pool, None
        if old is not None:
            old.close()
        pool = ExtractorPool(size, limits)
        pool.warm(files, preload)
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


def workers_for(paths: Iterable[Path]) -> tuple[int | None, tuple[str, ...]]:
    """For an import of ``paths``: how many files it reads (None when a folder is among
    them: not known before it is walked), and the kinds its workers load ahead: the PDF
    extractor unless none can be a PDF (a folder may hold some; a file is judged by its name,
    the plan reads its bytes)."""
    folders = files = 0
    pdf = False
    for path in paths:
        if path.is_dir():
            folders += 1
        else:
            files += 1
            pdf = pdf or path.suffix.lower() == ".pdf"
    return (None if folders else files), (PRELOAD if folders or pdf else ())


_early: PreparedWorkers | None = None
_early_lock = threading.Lock()


def start_early(size: int | None, limits: Limits, paths: list[Path]) -> None:
    """Start the workers for an import of ``paths`` before any library is open (the command
    line's ``import``); ``adopt_early`` hands them to the library's first import."""
    global _early
    workers = PreparedWorkers()
    workers.prepare(size, limits, *workers_for(paths))
    with _early_lock:
        old, _early = _early, workers
    if old is not None:
        old.close()


def adopt_early() -> PreparedWorkers | None:
    """The workers ``start_early`` started, once: the caller owns them from now on."""
    global _early
    with _early_lock:
        workers, _early = _early, None
    return workers


def close_early() -> None:
    """The early workers no library adopted exit (the command failed before importing)."""
    workers = adopt_early()
    if workers is not None:
        workers.close()
