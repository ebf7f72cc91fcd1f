"""The open library as the GUI sees it: a ``Workbench`` that only the worker thread touches.

Widgets never hold the facade; they ask the session to run a function of it on the worker.
``query`` returns a value; ``mutate`` expects a ``Changes`` (or ``(value, Changes)``) and then
broadcasts ``changed`` so that each panel redraws only what the change touched.

The facade's module (SQLAlchemy, the models, every mixin: about half a second) is imported on
the worker as the library opens, never while the window is being built and first painted;
``core_loaded`` tells the window, once, before ``opened``, that it may install the panels that
depend on it.

At the first open, a plain personal library is also read ahead of the facade (issue 16):
the worker first hands ``preread`` a ``workbench.fast_read.FastReader`` (plain SQL, no
SQLAlchemy) and ``previewed`` brings what it read — the list's first rows and the sidebar —
to the window, while the core is still being imported behind it. From then the session
counts as open: work asked for meanwhile is queued on the worker behind the facade's open,
so it runs once, with the facade. What the reader does not serve (a shared library, one
needing an upgrade or from a newer Workbench, damage…) raises ``Unsupported`` and is shown
only by today's path, so the facade's checks and words stay the only ones. If the facade's
open then fails, the failure is shown as before and the work queued behind it is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.changes import Changes
from workbench.errors import Cancelled

from .errors import ErrorPresenter
from .tasks import Task, TaskManager

if TYPE_CHECKING:
    from workbench.services import Workbench

log = logging.getLogger(__name__)


class Session(QObject):
    core_loaded = Signal()  # once: the facade's module is imported (emitted before ``opened``)
    changed = Signal(object)  # Changes
    opened = Signal(object)  # Path of the library now open
    previewed = Signal(object)  # what ``preread`` read before the facade (first open only)
    closed = Signal()

    def __init__(self, tasks: TaskManager, presenter: ErrorPresenter,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.presenter = presenter
        self.tasks.on_unhandled = presenter.show
        self._wb: Workbench | None = None
        self.path: Path | None = None
        # Why the open library is read-only (its folder cannot be written), else None.
        self.read_only: str | None = None
        self.core_ready = False
        self._open_token: object | None = None
        # Run on the worker once the library is open, before ``core_loaded``: the window
        # imports the modules of its feature panels there, not on the GUI thread (issue 16).
        self.preload: Callable[[], None] | None = None
        # Run on the worker with a FastReader before the facade opens, at the first open:
        # what the window shows of the library while the core loads. None: no early read.
        self.preread: Callable[[Any], Any] | None = None
        # Set on the worker when an open that was previewed fails: the work queued behind it
        # (clicks on the early list) is dropped quietly, the failure being said once.
        self._dropped = False

    # --- capabilities: what the core offers right now (read from the class, thread-safe) ----

    @staticmethod
    def has(*names: str) -> bool:
        from workbench.services import Workbench

        return all(callable(getattr(Workbench, n, None)) for n in names)

    @property
    def is_open(self) -> bool:
        return self.path is not None

    # --- running work -------------------------------------------------------------------------

    def _facade(self) -> Workbench:
        if self._wb is None and self._dropped:
            raise Cancelled("the library did not open")
        if self._wb is None:
            from workbench.errors import UserError

            raise UserError("No library is open", "use File → Open library")
        return self._wb

    def query(self, fn: Callable[[Workbench], Any], on_done: Callable[[Any], None] | None = None,
              doing: str = "", on_error: Callable[[BaseException], None] | None = None) -> Task:
        return self.tasks.run(lambda task: fn(self._facade()), on_done,
                              on_error or self._error(doing), label=doing)

    def run(self, fn: Callable[[Workbench, Task], Any],
            on_done: Callable[[Any], None] | None = None, doing: str = "",
            on_error: Callable[[BaseException], None] | None = None) -> Task:
        """Like ``query`` but ``fn`` also gets its ``Task`` (for progress and cancel)."""
        return self.tasks.run(lambda task: fn(self._facade(), task), on_done,
                              on_error or self._error(doing), label=doing)

    def mutate(self, fn: Callable[[Workbench], Any],
               on_done: Callable[[Any], None] | None = None, doing: str = "",
               on_error: Callable[[BaseException], None] | None = None) -> Task:
        def done(result: Any) -> None:
            value, changes = _split(result)
            if changes is not None:
                self.changed.emit(changes)
            if on_done is not None:
                on_done(value)

        return self.query(fn, done, doing, on_error)

    def broadcast(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def _error(self, doing: str) -> Callable[[BaseException], None]:
        return lambda exc: self.presenter.show(exc, doing or None)

    # --- opening and closing ------------------------------------------------------------------

    def open_library(self, path: Path, create: bool = False,
                     on_done: Callable[[Path], None] | None = None,
                     on_error: Callable[[BaseException], None] | None = None,
                     passphrase: str | None = None) -> Task:
        token = self._open_token = object()  # this open, until another or a close
        # Not for an encrypted library: its key would be derived twice (the slow step).
        early = (self.preread is not None and not create and passphrase is None
                 and not self.core_ready)
        if early:
            self.tasks.run(lambda task: self._read_early(path),
                           lambda data: self._show_early(token, path, data),
                           lambda exc: log.exception("early read", exc_info=exc),
                           label="read the library")

        kept = False  # the library open before stays open: this one was refused first

        def work(task: Task) -> Path:
            from workbench.errors import LibraryReadOnly
            from workbench.services import Workbench

            self._dropped = False
            # Before the open library is closed: a refusal leaves it open.
            from .library_folder import new_library_problem, open_library_problem

            # File → New library… refused a folder holding a library as it was chosen; here
            # ``create`` is also the window's start, which opens the library it made before.
            problem = (new_library_problem(Path(path).absolute(), existing_ok=True) if create
                       else open_library_problem(Path(path).absolute()))
            if problem is not None:
                from workbench.errors import UserError

                nonlocal kept
                kept = self._wb is not None
                raise UserError(problem)
            self._close_now()
            self.read_only = None
            try:
                try:
                    # The search index is attached once the list is shown (``IndexStatus``).
                    wb = Workbench.open(path, create=create, program="Workbench desktop app",
                                        passphrase=passphrase, index_on_first_use=True)
                except LibraryReadOnly as exc:  # a read-only disk or share: still readable
                    wb = Workbench.open(path, writable=False, passphrase=passphrase)
                    self.read_only = exc.message
            except BaseException:
                self._dropped = early  # what was asked of the early list is not run
                raise
            self._wb = wb
            if self.preload is not None:
                try:
                    self.preload()
                except Exception:  # only an early start: the GUI thread imports them again
                    log.exception("could not preload the window's feature modules")
            if not self.tasks.sync:
                _freeze_heap()
            return wb.library.path

        def done(real: Path) -> None:
            first = not self.core_ready
            self._announce_core()
            if first and not self.tasks.sync:
                # The window has just built its panels: the list follows in a turn of its
                # own, so the GUI thread answers in between (issue 16: no long stall). A
                # timer, not 0 ms (a posted call, run in the same batch): due timers first.
                QTimer.singleShot(1, lambda: finish(real))
            else:
                finish(real)

        def finish(real: Path) -> None:
            if self._open_token is not token:  # closed, or another library opened, meanwhile
                return
            self.path = real
            self.opened.emit(real)
            if on_done:
                on_done(real)

        def failed(exc: BaseException) -> None:
            if kept:  # refused before the open library was closed: it is still open
                self._announce_core()
                (on_error or self._error("open the library"))(exc)
                return
            self.path = None
            if early:  # behind the work dropped (queued meanwhile), asking works as before
                self.tasks.run(lambda task: setattr(self, "_dropped", False))
            self._announce_core()
            self.closed.emit()
            (on_error or self._error("open the library"))(exc)

        return self.tasks.run(work, done, failed, label="open library")

    def _read_early(self, path: Path) -> Any:
        """On the worker: ``preread`` over a FastReader, or None where it does not serve."""
        from workbench.fast_read import FastReader, Unsupported

        assert self.preread is not None
        try:
            with FastReader.open(path) as reader:
                return self.preread(reader)
        except Unsupported:
            return None

    def _show_early(self, token: object, path: Path, data: Any) -> None:
        if data is None or self._open_token is not token or self.core_ready:
            return  # not served; or closed, reopened or already open meanwhile
        self.path = Path(path).absolute()  # open from now: work queues behind the facade
        self.previewed.emit(data)

    def _announce_core(self) -> None:
        if not self.core_ready:
            self.core_ready = True
            self.core_loaded.emit()

    def _close_now(self) -> None:
        wb, self._wb = self._wb, None
        if wb is not None:
            try:
                wb.close()
            except Exception:  # closing must not stop the app from quitting
                log.exception("error while closing the library")
            del wb
            _thaw_heap()

    def close(self) -> None:
        """Close on the worker and wait (at quit, or in tests)."""
        self.tasks.cancel_all()
        self.tasks.run_blocking(self._close_now)
        self.path = self._open_token = None


def _freeze_heap() -> None:
    """Leave what exists once a library is open out of every later garbage collection.

    A full collection visits every object the process holds (Qt's wrappers, SQLAlchemy, the
    models, the language model) and holds the GIL throughout: 87-91 ms of CPU measured, and
    the window's worst late beats during an import (issue 16). What is loaded by now lives as
    long as the app, so the collector need not walk it again (``gc.freeze``: O(1)). Cyclic
    garbage not yet collected is kept with it until the library closes (``_thaw_heap``). Not
    done for a task manager that runs inline (tests', which open hundreds of libraries in one
    process and have no worker thread for the GUI thread to wait on)."""
    import gc

    global _frozen
    gc.freeze()
    _frozen = True


_frozen = False  # whether an open froze the heap, until that library closes


def _thaw_heap() -> None:
    """As a library closes: what its open froze may be collected again, and is, at once (one
    full collection, while the window says it is opening the next or the app quits), so its
    facade, index and caches are not kept for the app's life by a reference cycle."""
    global _frozen
    if _frozen:
        import gc

        _frozen = False
        gc.unfreeze()
        gc.collect()


def _split(result: Any) -> tuple[Any, Changes | None]:
    if isinstance(result, Changes):
        return result, result
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], Changes):
        return result[0], result[1]
    return result, None
