"""Run extractors in separate worker processes with a time limit and a memory limit.

A worker is a long-lived ``python -m workbench.extract.worker`` process (the ``Workbench``
executable itself in the standalone build: ``subprocess_cmd``) that handles one file
at a time, so the interpreter start-up is paid once per worker, not once per file. If a file
hangs, the worker is killed when the time limit runs out and a fresh one replaces it; if the
worker dies (a crash, the memory limit), the file gets an error naming why and the batch goes on.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ExtractionError
from ..subprocess_cmd import module_command
from .base import CRASHED, PRELOAD_OPTION, TIMED_OUT, TOO_LARGE, Extraction, ExtractOptions

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY = 1 << 30  # 1 GiB


@dataclass(frozen=True)
class Limits:
    timeout: float = DEFAULT_TIMEOUT
    memory: int = DEFAULT_MEMORY
    plugins: tuple[str, ...] = field(default_factory=tuple)


class WorkerProcess:
    """One worker process and the thread that reads its answers."""

    def __init__(self, limits: Limits, preload: tuple[str, ...] = ()) -> None:
        """``preload``: the kinds whose extractors it imports before its first file."""
        self.limits = limits
        env = dict(os.environ)
        env.setdefault("OMP_THREAD_LIMIT", "1")  # tesseract threads would multiply memory use
        env["PYTHONIOENCODING"] = "utf-8"
        cmd = module_command("workbench.extract.worker", str(limits.memory), *limits.plugins,
                             *(PRELOAD_OPTION + kind for kind in preload))
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env, cwd=str(Path(__file__).resolve().parents[2]),
        )
        self._answers: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self._answers.put(raw.decode("utf-8"))
        self._answers.put(None)  # EOF: the worker died

    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, path: Path, options: ExtractOptions, timeout: float) -> Extraction:
        assert self.proc.stdin is not None
        # The wall-clock deadline this answer is due by, so long OCR can stop in time; it is
        # set here because a fresh worker's start-up already counts against the limit.
        extra = {**options.extra, "deadline": time.time() + timeout}
        request = {"path": str(path), "options": {**options.__dict__, "extra": extra}}
        try:
            self.proc.stdin.write((json.dumps(request) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise ExtractionError(CRASHED, "the extraction process is not running") from exc
        try:
            line = self._answers.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise ExtractionError(
                TIMED_OUT, f"extraction took longer than the {timeout:g} s time limit"
            ) from None
        if line is None:
            code = self.proc.wait()
            if code in (-9, 137) or code < 0:
                raise ExtractionError(
                    TOO_LARGE, f"the extraction process was killed (signal {-code}); "
                    "the file probably exceeds the memory limit")
            raise ExtractionError(CRASHED, f"the extraction process exited with code {code}")
        reply: dict[str, Any] = json.loads(line)
        if not reply["ok"]:
            raise ExtractionError(reply["status"], reply["error"])
        return Extraction.from_json(reply["result"])

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def close(self) -> None:
        self.ask_to_exit()
        self.wait_exit()

    def ask_to_exit(self) -> None:
        """Close the channel: the worker exits once it has answered what it was asked."""
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
            except OSError:
                self.kill()

    def wait_exit(self, timeout: float = 5.0) -> None:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


class ExtractorPool:
    """A fixed number of workers handed out one at a time; thread-safe."""

    def __init__(self, size: int | None = None, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.size = size or max(1, min(2, os.cpu_count() or 1))
        # Last in, first out: a running worker put back is handed out before an empty slot
        # (None: a worker started on first use), so a pool warmed with fewer workers than
        # its size gives its first files to the warm ones.
        self._idle: queue.LifoQueue[WorkerProcess | None] = queue.LifoQueue()
        for _ in range(self.size):
            self._idle.put(None)
        self._all: list[WorkerProcess] = []
        self._lock = threading.Lock()
        self._closed = False

    def warm(self, count: int | None = None, preload: tuple[str, ...] = ()) -> None:
        """Start ``count`` workers (None: all) now rather than at their first file
        (``ingest_prepared``), importing the extractors of ``preload`` while they wait; the
        others start when a file needs them, as before."""
        started = []
        for _ in range(self.size if count is None else min(count, self.size)):
            worker = self._idle.get()
            if worker is None or not worker.alive():
                worker = WorkerProcess(self.limits, preload)
                with self._lock:
                    self._all.append(worker)
            started.append(worker)
        for worker in started:
            self._idle.put(worker)

    @contextmanager
    def _worker(self) -> Iterator[WorkerProcess]:
        worker = self._idle.get()
        try:
            if worker is None or not worker.alive():
                worker = WorkerProcess(self.limits)
                with self._lock:
                    self._all.append(worker)
            yield worker
        finally:
            self._idle.put(worker if worker is not None and worker.alive() else None)

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        if self._closed:
            raise ExtractionError(CRASHED, "the extraction pool is closed")
        with self._worker() as worker:
            return worker.run(path, options, self.limits.timeout)

    def close(self, wait: bool = True) -> None:
        """Ask every worker to exit; ``wait=False`` returns at once and a background thread
        waits for them (killing any still there after ``wait_exit``'s grace), so an import
        does not spend its last milliseconds on processes whose work is done."""
        self._closed = True
        with self._lock:
            workers, self._all = self._all, []
        for w in workers:  # all asked first: they exit side by side, not one after another
            w.ask_to_exit()
        if not workers:
            return
        if wait:
            _wait_all(workers)
        else:
            reaper = threading.Thread(target=_wait_all, args=(workers,),
                                      name="extraction-exit", daemon=True)
            with _reapers_lock:
                _reapers.append(reaper)
            reaper.start()

    def __enter__(self) -> ExtractorPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _wait_all(workers: list[WorkerProcess]) -> None:
    for w in workers:
        w.wait_exit()


_reapers: list[threading.Thread] = []
_reapers_lock = threading.Lock()


def wait_for_closed_workers() -> None:
    """Wait until the workers of every pool closed without waiting have exited (each is
    killed after ``wait_exit``'s grace): a process that leaves without the interpreter's
    teardown (``cli.finish``) must not leave them to the system's init as zombies."""
    with _reapers_lock:
        reapers, _reapers[:] = list(_reapers), []
    for reaper in reapers:
        reaper.join()
