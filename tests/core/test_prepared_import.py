"""Extraction workers started before an import's files are known (``Workbench.prepare_import``,
``workbench/ingest_prepared.py``): the import that follows takes them, they start while
``import_paths`` plans, and unused ones exit."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.worker_pids import record_worker_pids
from workbench import ingest_prepared
from workbench.extract import isolation
from workbench.ingest import ImportOptions


def _notes(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"note-{i}.txt").write_text(f"Field note {i} from the hearing.", "utf-8")
    return folder


def _waiting(wb: Any) -> list[isolation.WorkerProcess]:
    prepared = wb._prepared
    pool = prepared._pool if prepared is not None else None
    return list(pool._all) if pool is not None else []


def _exited(workers: list[isolation.WorkerProcess], within: float = 10.0) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        if all(w.proc.poll() is not None for w in workers):
            return True
        time.sleep(0.05)
    return False


def test_the_import_after_prepare_uses_the_prepared_workers_and_ends_them(
        wb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = ImportOptions(workers=2)
    wb.prepare_import(options)
    started = _waiting(wb)
    assert len(started) == 2 and all(w.alive() for w in started)
    used = record_worker_pids(monkeypatch)
    report, _ = wb.import_paths([_notes(tmp_path / "notes", 4)], options)
    assert len(report.imported) == 4
    assert used and used <= {w.proc.pid for w in started}
    assert _exited(started)
    assert _waiting(wb) == []


def test_import_paths_starts_its_workers_before_it_plans(
        wb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench import ingest

    at_plan: list[int] = []
    real_plan = ingest.plan_import

    def plan(*args: Any, **kwargs: Any) -> Any:
        at_plan.append(sum(w.alive() for w in _waiting(wb)))
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(ingest, "plan_import", plan)
    report, _ = wb.import_paths([_notes(tmp_path / "notes", 2)], ImportOptions(workers=2))
    assert len(report.imported) == 2
    assert at_plan == [2]



def test_a_single_file_starts_one_worker_not_the_pools_every_one(
        wb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench import ingest

    at_plan: list[int] = []
    real_plan = ingest.plan_import

    def plan(*args: Any, **kwargs: Any) -> Any:
        at_plan.append(sum(w.alive() for w in _waiting(wb)))
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(ingest, "plan_import", plan)
    one = _notes(tmp_path / "notes", 1) / "note-0.txt"
    report, _ = wb.import_paths([one], ImportOptions(workers=2))
    assert len(report.imported) == 1
    assert at_plan == [1]

def test_prepared_workers_nobody_takes_exit_on_their_own(
        wb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_prepared, "UNUSED_SECONDS", 0.3)
    wb.prepare_import(ImportOptions(workers=1))
    started = _waiting(wb)
    assert len(started) == 1
    assert _exited(started)
    assert _waiting(wb) == []


def test_an_import_with_other_settings_does_not_take_them_and_they_end(
        wb: Any, tmp_path: Path) -> None:
    wb.prepare_import(ImportOptions(workers=1))
    started = _waiting(wb)
    report, _ = wb.import_paths([_notes(tmp_path / "notes", 1)], ImportOptions(workers=2))
    assert len(report.imported) == 1
    assert _exited(started)


def test_closing_the_library_ends_prepared_workers(library_path: Path) -> None:
    from workbench.services import Workbench

    wb = Workbench.open(library_path)
    wb.prepare_import(ImportOptions(workers=2))
    started = _waiting(wb)
    assert len(started) == 2
    wb.close()
    assert _exited(started)
