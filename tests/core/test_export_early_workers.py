"""Issue 16: an export's worker processes start early, so their interpreter start and imports
overlap the export's own work, and the PDF is byte for byte what it was.

- the PDF layout worker starts before the dossier view is built (only for a dossier big
  enough to be laid out in parallel);
- the leak check's pypdf page-text workers start once the layout says the PDF will be long
  enough for them, before the pages are joined, and the leak check uses them.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import workbench.export.pdf as pdf_export
from workbench.dossier.service import DossiersMixin
from workbench.export import pdf_layout
from workbench.redact import pypdf_text

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _dossier(wb: Any, folder: Path, items: int, redact: bool = True) -> int:
    text = folder / "statement.txt"
    text.write_text("The witness Ana Kovac saw the convoy. " * 30, encoding="utf-8")
    wb.import_paths([text])
    doc = wb.list_documents()[0]["id"]
    dossier = wb.create_dossier("Early workers").dossier_ids[0]
    for i in range(items):
        hid = wb.add_highlight(doc, start=i * 5, end=i * 5 + 60).highlight_ids[0]
        wb.add_item(dossier, highlight=hid, commentary=f"Note {i + 1}.")
    if redact:
        wb.redact_term(dossier, "Kovac", "witness identity")
    return int(dossier)


def _watch(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Events in order: a layout worker started, the view built, the pages joined, a
    pypdf-text worker started, the leak check's page text asked for."""
    events: list[str] = []
    real_worker = pdf_layout.Worker.__init__
    real_view = DossiersMixin.dossier_view
    real_assemble = pdf_export.assemble
    real_popen = pypdf_text.subprocess.Popen
    real_start = pypdf_text.PageTexts.start.__func__  # type: ignore[attr-defined]

    def worker(self: Any) -> None:
        events.append("layout worker")
        real_worker(self)

    def view(self: Any, *args: Any, **kw: Any) -> Any:
        events.append("view")
        return real_view(self, *args, **kw)

    def assemble(*args: Any, **kw: Any) -> None:
        events.append("assemble")
        real_assemble(*args, **kw)

    class Popen(real_popen):  # type: ignore[misc, valid-type]
        def __init__(self, cmd: Any, *args: Any, **kw: Any) -> None:
            if "pypdf_text" in " ".join(map(str, cmd)):
                events.append("pypdf worker")
            super().__init__(cmd, *args, **kw)

    def start(cls: Any, data: bytes) -> Any:
        events.append("page text")
        return real_start(cls, data)

    monkeypatch.setattr(pdf_layout.Worker, "__init__", worker)
    monkeypatch.setattr(DossiersMixin, "dossier_view", view)
    monkeypatch.setattr(pdf_export, "assemble", assemble)
    monkeypatch.setattr(pypdf_text.subprocess, "Popen", Popen)
    monkeypatch.setattr(pypdf_text.PageTexts, "start", classmethod(start))
    monkeypatch.setattr(pypdf_text, "_cores", lambda: 2)
    return events


def test_a_big_export_starts_its_workers_before_it_needs_them(
        wb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dossier = _dossier(wb, tmp_path, 4)
    events = _watch(monkeypatch)
    monkeypatch.setattr(pdf_export, "PARALLEL_MIN_ITEMS", 3)  # "big" for this test
    monkeypatch.setattr(pypdf_text, "MIN_PAGES", 1)  # "long" for this test
    result = wb.export(dossier, "pdf", tmp_path / "d.pdf")
    assert "pypdf objects" in result["leak_checks"]
    # The layout worker is started before the view is built; exactly one, as before.
    assert events.index("layout worker") < events.index("view")
    assert events.count("layout worker") == 1
    # The page-text workers are started before the pages are joined, once per core, and
    # the leak check starts none of its own: it uses those.
    first = events.index("pypdf worker")
    assert first < events.index("assemble") < events.index("page text")
    assert events.count("pypdf worker") == 2
    assert not list(tmp_path.glob("*.tmp*"))


def test_a_small_export_starts_no_worker(wb: Any, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    dossier = _dossier(wb, tmp_path, 2)
    events = _watch(monkeypatch)
    wb.export(dossier, "pdf", tmp_path / "d.pdf")
    assert "layout worker" not in events
    assert "pypdf worker" not in events  # a two-page PDF is read in the checking process


def test_no_page_text_worker_without_a_leak_check(wb: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    dossier = _dossier(wb, tmp_path, 4, redact=False)
    events = _watch(monkeypatch)
    monkeypatch.setattr(pdf_export, "PARALLEL_MIN_ITEMS", 3)
    monkeypatch.setattr(pypdf_text, "MIN_PAGES", 1)
    wb.export(dossier, "pdf", tmp_path / "d.pdf")
    assert events.count("layout worker") == 1
    assert "pypdf worker" not in events and "page text" not in events


def test_early_workers_change_not_one_byte(wb: Any, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The same view written with the layout worker and the page-text workers started early
    and as before (started by the writer and the scanner): the same bytes."""
    from workbench.export import run_export

    dossier = _dossier(wb, tmp_path, 4)
    # fontTools stamps each font subset with the time it was cut, unless this is set.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(pdf_export, "PARALLEL_MIN_ITEMS", 3)
    monkeypatch.setattr(pypdf_text, "MIN_PAGES", 1)
    monkeypatch.setattr(pypdf_text, "_cores", lambda: 2)
    view = wb.dossier_view(dossier, full_text=True)
    view.generated_at = WHEN
    run_export(wb.library, view, "pdf", tmp_path / "before.pdf")
    with pdf_export.early_layout(len(view.items), "pdf"):
        run_export(wb.library, view, "pdf", tmp_path / "early.pdf")
    assert (tmp_path / "early.pdf").read_bytes() == (tmp_path / "before.pdf").read_bytes()


def test_an_unused_early_worker_is_ended(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[subprocess.Popen[bytes]] = []
    real_init = pdf_layout.Worker.__init__

    def worker(self: Any) -> None:
        real_init(self)
        started.append(self._proc)

    monkeypatch.setattr(pdf_layout.Worker, "__init__", worker)
    with pdf_export.early_layout(10_000, "pdf"):
        assert started
    assert all(proc.poll() is not None for proc in started)
