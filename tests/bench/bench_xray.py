"""The failed-redaction check's cost: per page, and on import throughput.

Usage: .venv/bin/python tests/bench/bench_xray.py [--pages 300] [--files 60] [--file-pages 10]
       [--runs 3] [--workers 2]
Prints one JSON object. Not part of the test suite; figures go to docs/PERFORMANCE.md.

- ``per_page``: the check timed page by page as the import runs it, on the page and text page
  the text reading already loaded (median, 90th percentile and maximum ms; ``text_median_ms``
  is that reading, which the import does anyway), on a generated text PDF of ``--pages`` pages
  (~350 words a page), on as many pages each with a black box over a name (the slow path:
  character boxes read and judged), and on every PDF in tests/fixtures, ../shared/corpus and
  the PDF manuals Debian ships, when present.
- ``import``: ``Workbench.import_paths`` of ``--files`` generated PDFs into fresh libraries,
  alternately with the check and with it switched off (a worker plug-in module replaces
  ``ImportCheck`` by a no-op; the run with the check loads an empty plug-in, so both pay the
  same), ``--runs`` times each in ABBA order; pages/s per run and the median ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from tests.bench.bench_import import DEBIAN_PDFS, WORDS  # noqa: E402
from tests.support import xray_pdfs as X  # noqa: E402
from tests.support.files import make_pdf  # noqa: E402
from workbench.xray import scan_open_page, scan_page  # noqa: E402

OFF = """
import workbench.extract.pdf as _pdf

class _Off:
    def __init__(self, *args, **kwargs): pass
    def page(self, *args, **kwargs): pass
    def result(self): return [], []

_pdf.ImportCheck = _Off
"""

IMPORT = """
import json, sys, time
from pathlib import Path
from workbench.extract.isolation import Limits
from workbench.ingest import ImportOptions
from workbench.services import Workbench
src, lib, workers, plugin = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
with Workbench.open(lib, create=True, program="bench") as wb:
    files = sorted(src.glob("*.pdf"))
    t0 = time.perf_counter()
    report, _ = wb.import_paths(files, ImportOptions(workers=workers,
                                                     limits=Limits(plugins=(plugin,))))
    elapsed = time.perf_counter() - t0
    pages = sum(o.pages or 0 for o in report.imported)
    problems = sum(1 for o in report.imported for p in o.problems if "redaction" in p)
print(json.dumps({"pages": pages, "elapsed_s": elapsed, "flagged": problems}))
"""


def words_pdf(path: Path, pages: int, seed: int = 11) -> Path:
    import random

    rng = random.Random(seed)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(250, 450)))
             for _ in range(pages)]
    return make_pdf(path, texts, title="Bench")


def per_page(path: Path) -> dict[str, Any]:
    """As the import runs it: each page loaded and its text read (``text``), then the check on
    the page and text page already loaded (``check``)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        scan_page(doc, 0)  # warm: numpy and PDFium's fonts load once per worker
        check: list[float] = []
        text: list[float] = []
        flagged = 0
        for i in range(len(doc)):
            t0 = time.perf_counter()
            page = doc[i]
            tp = page.get_textpage()
            tp.get_text_range()
            t1 = time.perf_counter()
            flagged += len(scan_open_page(page, i + 1, textpage=tp))
            t2 = time.perf_counter()
            tp.close()
            page.close()
            text.append((t1 - t0) * 1000)
            check.append((t2 - t1) * 1000)
        check.sort()
        return {"pages": len(doc), "median_ms": round(statistics.median(check), 3),
                "p90_ms": round(check[int(0.9 * (len(check) - 1))], 3),
                "max_ms": round(check[-1], 3),
                "text_median_ms": round(statistics.median(text), 3),
                "check_share_of_text": round(sum(check) / sum(text), 3), "areas": flagged}
    finally:
        doc.close()


def import_runs(src: Path, root: Path, runs: int, workers: int) -> dict[str, Any]:
    plugins = root / "plugins"
    plugins.mkdir()
    (plugins / "bench_xray_off.py").write_text(OFF, encoding="utf-8")
    (plugins / "bench_xray_on.py").write_text("", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(plugins), str(ROOT), os.environ.get("PYTHONPATH", "")])}
    out: dict[str, list[float]] = {"with_check": [], "without_check": []}
    flagged = {}
    order = [("with_check", "bench_xray_on"), ("without_check", "bench_xray_off")]
    for n in range(runs):
        # ABBA: neither setting always runs first (caches, the other agents' load).
        for key, plugin in (order if n % 2 == 0 else order[::-1]):
            lib = root / f"lib-{key}-{n}"
            proc = subprocess.run([sys.executable, "-c", IMPORT, str(src), str(lib),
                                   str(workers), plugin], capture_output=True, text=True,
                                  env=env, cwd=str(ROOT), check=True)
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            out[key].append(round(r["pages"] / r["elapsed_s"], 1))
            flagged[key] = r["flagged"]
    with_check = statistics.median(out["with_check"])
    without = statistics.median(out["without_check"])
    return {"pages_per_s": out, "median_with_check": with_check,
            "median_without_check": without,
            "slowdown_percent": round((without / with_check - 1) * 100, 1),
            "documents_flagged": flagged}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--files", type=int, default=60)
    ap.add_argument("--file-pages", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        result: dict[str, Any] = {"benchmark": "xray", "per_page": {}}
        result["per_page"]["generated_text"] = per_page(words_pdf(root / "text.pdf",
                                                                  args.pages))
        boxes = X.write(root / "boxes.pdf", [X.black_box_over_text()] * args.pages)
        result["per_page"]["generated_black_boxes"] = per_page(boxes)
        found = sorted((ROOT / "tests" / "fixtures").rglob("*.pdf"))
        found += sorted((ROOT.parent / "shared" / "corpus").rglob("*.pdf"))
        found += [p for p in DEBIAN_PDFS if p.exists()]
        for pdf in found:
            result["per_page"][pdf.name] = per_page(pdf)
        src = root / "import"
        src.mkdir()
        for i in range(args.files):
            words_pdf(src / f"report-{i:03}.pdf", args.file_pages, seed=i)
        # One file the check flags: ``documents_flagged`` shows the switch worked.
        X.write(src / "report-leaky.pdf", [X.black_box_over_text()])
        result["import"] = {"files": args.files, "pages_per_file": args.file_pages,
                            "workers": args.workers,
                            **import_runs(src, root, args.runs, args.workers)}
        result["load_average"] = os.getloadavg()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
