"""The extraction workers an import started, and the ids of those that took a file
(prepared-import tests)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from workbench.extract.isolation import WorkerProcess


def record_worker_pids(monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """A set that fills with the pid of every worker asked to extract a file."""
    from workbench.extract import isolation

    used: set[int] = set()
    real_run = isolation.WorkerProcess.run

    def run(self: isolation.WorkerProcess, *args: Any, **kwargs: Any) -> Any:
        used.add(self.proc.pid)
        return real_run(self, *args, **kwargs)

    monkeypatch.setattr(isolation.WorkerProcess, "run", run)
    return used


def record_started_workers(monkeypatch: pytest.MonkeyPatch) -> list[WorkerProcess]:
    """A list that fills with every extraction worker started from now on, in order."""
    from workbench.extract import isolation

    started: list[WorkerProcess] = []
    real_init = isolation.WorkerProcess.__init__

    def init(self: WorkerProcess, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        started.append(self)

    monkeypatch.setattr(isolation.WorkerProcess, "__init__", init)
    return started


def preloads(worker: WorkerProcess) -> tuple[str, ...]:
    """The kinds of file whose extractors ``worker`` was started to load ahead."""
    from workbench.extract.base import PRELOAD_OPTION

    return tuple(a.removeprefix(PRELOAD_OPTION) for a in worker.proc.args
                 if a.startswith(PRELOAD_OPTION))
