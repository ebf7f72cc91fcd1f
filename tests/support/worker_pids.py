"""The process ids of the extraction workers that took a file (prepared-import tests)."""

from __future__ import annotations

from typing import Any

import pytest


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
