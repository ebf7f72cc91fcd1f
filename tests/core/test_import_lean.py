"""What an import costs beyond reading the files (issue 16): closing the workers, and the
failed-redaction check on an ordinary page, must not add the interpreter's teardown or a
numpy import to every import's time and to each worker's memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.support import slow_teardown
from tests.support import xray_pdfs as X
from workbench import xray
from workbench.extract.base import ExtractOptions
from workbench.extract.isolation import ExtractorPool, Limits

ROOT = Path(__file__).resolve().parents[2]


def test_closing_the_pool_skips_the_workers_teardown_but_runs_their_exit_handlers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mark = tmp_path / "exit-handler-ran"
    monkeypatch.setenv("WB_TEST_EXIT_MARK", str(mark))
    doc = tmp_path / "note.txt"
    doc.write_text("A short note.", encoding="utf-8")
    pool = ExtractorPool(2, Limits(timeout=30, plugins=(slow_teardown.MODULE,)))
    try:
        # Both workers started: two files at once.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(2) as threads:
            results = list(threads.map(
                lambda _: pool.extract(doc, ExtractOptions(kind="text",
                                                           children_dir=str(tmp_path))),
                range(2)))
        assert [r.pages for r in results] == [["A short note."]] * 2
    finally:
        started = time.monotonic()
        pool.close()
        took = time.monotonic() - started
    # Each worker's module teardown would take TEARDOWN_S: the pool waits for none of it.
    assert took < slow_teardown.TEARDOWN_S / 2, took
    assert mark.read_text(encoding="utf-8") == "ran"


SCAN = """
import json, sys
import pypdfium2 as pdfium
from tests.support import xray_pdfs as X
from workbench.xray import scan_pdf
areas = scan_pdf(pdfium.PdfDocument(X.pdf_bytes([X.black_box_over_text()])))
print(json.dumps({"areas": [[a.kind, a.text] for a in areas],
                  "numpy": "numpy" in sys.modules}))
"""


def test_a_box_over_text_on_an_ordinary_page_is_found_without_loading_numpy() -> None:
    # numpy is 15 MB and 0.2 s of a worker's start: an ordinary page has a few boxes.
    out = subprocess.run([sys.executable, "-c", SCAN], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=60)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found == {"areas": [[xray.SHAPE, X.NAME]], "numpy": False}


def test_boxes_compared_in_python_or_in_numpy_blocks_give_the_same_answer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    page = X.Page(X.shaded_table_header().content + X.black_box_over_text().content
                  + X.text_coloured_like_box().content)

    def scan() -> list[xray.XrayArea]:
        return xray.scan_pdf(pdfium.PdfDocument(X.pdf_bytes([page])))

    plain = scan()
    assert {a.kind for a in plain} >= {xray.SHAPE}
    monkeypatch.setattr(xray, "PYTHON_PAIRS", 0)  # every page in numpy
    assert scan() == plain
    monkeypatch.setattr(xray, "PAIRS", 1)  # one text at a time
    assert scan() == plain


def test_an_import_returns_without_waiting_for_its_workers_to_exit(
        wb: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers are asked to exit and reaped in the background: an import's last
    milliseconds were spent waiting for processes whose work was done."""
    from tests.support.worker_pids import record_started_workers
    from workbench.ingest import ImportOptions

    started = record_started_workers(monkeypatch)
    monkeypatch.setenv("WB_TEST_EXIT_SLEEP", "3")
    monkeypatch.setenv("WB_TEST_EXIT_MARK", str(tmp_path / "exited"))
    doc = tmp_path / "note.txt"
    doc.write_text("A short note.", encoding="utf-8")
    options = ImportOptions(workers=1, limits=Limits(timeout=30,
                                                      plugins=(slow_teardown.MODULE,)))
    began = time.monotonic()
    report, _ = wb.import_paths([doc], options)  # type: ignore[attr-defined]
    assert time.monotonic() - began < 2.5
    assert len(report.imported) == 1 and len(started) == 1
    assert started[0].proc.poll() is None  # still in its exit handler
    end = time.monotonic() + 20
    while started[0].proc.poll() is None and time.monotonic() < end:
        time.sleep(0.05)
    assert started[0].proc.returncode == 0  # reaped, having finished its exit
    assert (tmp_path / "exited").read_text(encoding="utf-8") == "ran"


SHINGLE = """
import json, sys
from workbench.extract import worker
reply = worker.handle({"path": sys.argv[1], "options": {"kind": "text"}})
print(json.dumps({"signed": bool(reply["result"]["signing"]),
                  "loaded": sorted(m for m in sys.modules if m.startswith("workbench.search"))}))
"""


def test_a_worker_shingling_a_text_loads_only_searchs_analysis(tmp_path: Path) -> None:
    # The package's other names (the query types, the engine boundary) were ~10 ms of the
    # start of every worker that met a non-ASCII text.
    doc = tmp_path / "note.txt"
    doc.write_text("Le rapporteur a visité Ürümqi et a rencontré les témoins. " * 20,
                   encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", SHINGLE, str(doc)], capture_output=True,
                         text=True, timeout=120, cwd=str(ROOT), check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found == {"signed": True, "loaded": ["workbench.search", "workbench.search.analysis",
                                                "workbench.search.porter"]}
