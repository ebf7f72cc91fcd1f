"""Extraction workers started before an import's files are known (``Workbench.prepare_import``,
``workbench/ingest_prepared.py``): the import that follows takes them, they start while
``import_paths`` plans, and unused ones exit."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.worker_pids import preloads, record_started_workers, record_worker_pids
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


def _alive_at_plan(wb: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that gets, each time an import plans, how many prepared workers are running."""
    from workbench import ingest

    at_plan: list[int] = []
    real_plan = ingest.plan_import

    def plan(*args: Any, **kwargs: Any) -> Any:
        at_plan.append(sum(w.alive() for w in _waiting(wb)))
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(ingest, "plan_import", plan)
    return at_plan


def test_import_paths_starts_its_workers_before_it_plans(
        wb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at_plan = _alive_at_plan(wb, monkeypatch)
    report, _ = wb.import_paths([_notes(tmp_path / "notes", 2)], ImportOptions(workers=2))
    assert len(report.imported) == 2
    assert at_plan == [2]


def test_a_single_file_starts_one_worker_not_the_pools_every_one(
        wb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at_plan = _alive_at_plan(wb, monkeypatch)
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


# --- what prepared workers load while they wait, and the command line's early start -------

def _maps_pdfium(pid: int, within: float = 20.0) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            if "pdfium" in Path(f"/proc/{pid}/maps").read_text():
                return True
        except OSError:
            return False
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc/PID/maps")
def test_prepared_workers_load_the_pdf_extractor_before_their_first_file(wb: Any) -> None:
    wb.prepare_import(ImportOptions(workers=1))
    started = _waiting(wb)
    assert len(started) == 1
    assert _maps_pdfium(started[0].proc.pid)  # PDFium loaded, no file asked for yet


def test_workers_for_files_that_cannot_be_pdfs_load_nothing_ahead(
        wb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = record_started_workers(monkeypatch)
    report, _ = wb.import_paths([_notes(tmp_path / "notes", 1) / "note-0.txt"],
                                ImportOptions(workers=1))
    assert len(report.imported) == 1
    assert [preloads(w) for w in started] == [()]
    folder = _notes(tmp_path / "more", 1)  # a folder may hold PDFs
    report, _ = wb.import_paths([folder], ImportOptions(workers=1))
    assert [preloads(w) for w in started] == [(), ("pdf",)]


def test_prepare_import_opens_the_language_model(wb: Any) -> None:
    from workbench import language

    wb.prepare_import(ImportOptions(workers=1))
    loading = language.preload()  # the thread prepare_import started, or None: open
    if loading is not None:
        loading.join(60)
    assert language._identifier is not None


def test_the_command_line_starts_its_workers_before_the_library_opens(
        library_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.cli import main
    from workbench.services import Workbench

    at_open: list[int] = []
    real_open = Workbench.open.__func__  # type: ignore[attr-defined]

    def open_(cls: type, *args: Any, **kwargs: Any) -> Any:
        early = ingest_prepared._early
        pool = early._pool if early is not None else None
        at_open.append(sum(w.alive() for w in pool._all) if pool is not None else 0)
        return real_open(cls, *args, **kwargs)

    monkeypatch.setattr(Workbench, "open", classmethod(open_))
    used = record_worker_pids(monkeypatch)
    notes = _notes(tmp_path / "notes", 2)
    code = main(["--library", str(library_path), "import", str(notes / "note-0.txt"),
                 str(notes / "note-1.txt")])
    assert code == 0
    assert at_open == [2] and len(used) == 2
    assert ingest_prepared._early is None


def test_early_workers_end_when_the_library_cannot_be_opened(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.cli import main

    started = record_started_workers(monkeypatch)
    notes = _notes(tmp_path / "notes", 1)
    code = main(["--library", str(tmp_path / "no-library-here"), "import", str(notes)])
    assert code != 0
    assert started and _exited(started)
    assert ingest_prepared._early is None


def test_a_one_file_import_uses_its_prepared_worker_and_starts_no_other(
        wb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Helper walk (session 14): a pool warmed with fewer workers than its size handed its
    first file to a new worker (the idle queue gave the empty slot first), so a one-file
    import started a second, cold worker beside the prepared one."""
    started = record_started_workers(monkeypatch)
    used = record_worker_pids(monkeypatch)
    one = _notes(tmp_path / "notes", 1) / "note-0.txt"
    report, _ = wb.import_paths([one], ImportOptions(workers=2))
    assert len(report.imported) == 1
    assert [preloads(w) for w in started] == [()] and len(used) == 1
