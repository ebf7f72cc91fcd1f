"""The one background worker: every database, index and file task runs here, never on the GUI.

Like Anki's task manager, a single worker thread serialises all library work (SQLite has one
writer, and ordering is then obvious); results come back to the GUI thread by a queued signal.
Progress is *pulled*: the worker only stores the latest ``Progress`` value, and a QTimer on the
GUI thread reads it ten times a second, so a fast loop cannot flood the event queue. Cancel is a
flag (``workbench.ingest.CancelToken``) that the core turns into ``workbench.errors.Cancelled``.

Tests may build ``TaskManager(sync=True)``: tasks then run inline, which makes widget tests
deterministic; the heartbeat test uses the real thread.
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.progress import CancelToken, Progress

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


@dataclass
class Task:
    """One unit of background work: its cancel flag and the latest progress it reported."""

    id: int
    label: str
    cancel: CancelToken = field(default_factory=CancelToken)
    progress: Progress | None = None
    finished: bool = False

    def report(self, progress: Progress) -> None:
        # Called on the worker; a plain attribute store is atomic under the GIL.
        self.progress = progress


WORKER_NICENESS = 5


def lower_priority() -> None:
    """Runs first on the worker thread: give it (and what it starts) a lower CPU priority.

    On Linux the nice value is per thread and inherited by the threads and processes a thread
    creates, so the import's threads, the extraction processes and the index writer all yield
    the CPU to the GUI thread on a busy machine. Lowering one's own priority needs no rights.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid)
                       + WORKER_NICENESS)
    except OSError:
        log.info("could not lower the worker thread's priority")


class TaskManager(QObject):
    """Runs callables on the single worker thread and delivers results on the GUI thread."""

    _deliver = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, sync: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sync = sync
        self._executor: ThreadPoolExecutor | None = (
            None if sync else ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbench-db",
                                                 initializer=lower_priority))
        self._ids = itertools.count(1)
        self._running: dict[int, Task] = {}
        self._deliver.connect(self._on_deliver)
        self.on_unhandled: ErrorCallback | None = None

    # --- running ----------------------------------------------------------------------------

    def run(self, fn: Callable[[Task], Any], on_done: Callback | None = None,
            on_error: ErrorCallback | None = None, label: str = "") -> Task:
        """Run ``fn(task)`` on the worker; then ``on_done(result)`` or ``on_error(exc)`` here."""
        task = Task(next(self._ids), label)
        self._running[task.id] = task
        self.busy_changed.emit(True)
        if self._executor is None:
            self._on_deliver(self._call(task, fn, on_done, on_error))
        else:
            self._executor.submit(self._work, task, fn, on_done, on_error)
        return task

    def _work(self, task: Task, fn: Callable[[Task], Any], on_done: Callback | None,
              on_error: ErrorCallback | None) -> None:
        self._deliver.emit(self._call(task, fn, on_done, on_error))

    @staticmethod
    def _call(task: Task, fn: Callable[[Task], Any], on_done: Callback | None,
              on_error: ErrorCallback | None) -> tuple[Any, ...]:
        try:
            return (task, on_done, on_error, fn(task), None)
        except BaseException as exc:  # delivered to the GUI thread's error presenter
            return (task, on_done, on_error, None, exc)

    def _on_deliver(self, packet: tuple[Any, ...]) -> None:
        task, on_done, on_error, result, exc = packet
        task.finished = True
        self._running.pop(task.id, None)
        if not self._running:
            self.busy_changed.emit(False)
        if exc is not None:
            handler = on_error or self.on_unhandled
            if handler is None:
                log.error("unhandled task error in %s", task.label, exc_info=exc)
            else:
                handler(exc)
            return
        if on_done is not None:
            on_done(result)

    # --- state ------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def running(self) -> list[Task]:
        return list(self._running.values())

    def cancel_all(self) -> None:
        for task in self._running.values():
            task.cancel.cancel()

    def on_worker_thread(self) -> bool:
        return threading.current_thread().name.startswith("workbench-db")

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking work; wait for the current task (the library must close cleanly)."""
        self.cancel_all()
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=True)
            self._executor = None

    def run_blocking(self, fn: Callable[[], Any]) -> Any:
        """Run on the worker and wait: only for shutdown, when the window is already gone."""
        if self._executor is None:
            return fn()
        return self._executor.submit(fn).result()


class ProgressPoller(QObject):
    """Reads a task's latest progress ten times a second and hands it to ``on_progress``."""

    def __init__(self, task: Task, on_progress: Callable[[Progress], None],
                 parent: QObject | None = None, interval_ms: int = 100) -> None:
        super().__init__(parent)
        self.task = task
        self._seen: Progress | None = None
        self._on_progress = on_progress
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()

    def poll(self) -> None:
        current = self.task.progress
        if current is not None and current is not self._seen:
            self._seen = current
            self._on_progress(current)
        if self.task.finished:
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()
