"""Import throughput benchmark: 200 generated text PDFs end to end, plus isolation overhead.

Usage: .venv/bin/python tests/bench/bench_import.py [--files 200] [--pages 5] [--workers 2]
Prints one JSON object. Not part of the test suite; figures go to docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.files import make_pdf  # noqa: E402
from workbench.extract import ExtractOptions, ExtractorPool  # noqa: E402
from workbench.extract.pdf import PdfExtractor  # noqa: E402
from workbench.ingest import ImportOptions  # noqa: E402
from workbench.services import Workbench  # noqa: E402

WORDS = [
    "detention", "camp", "witness", "testimony", "forced", "labour", "transfer", "region",
    "report", "council", "rapporteur", "evidence", "surveillance", "family", "separation",
    "interview", "village", "factory", "policy", "commission", "investigation", "enforced",
    "disappearance", "prison", "court",
]


def make_corpus(folder: Path, files: int, pages: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    out = []
    for i in range(files):
        texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(250, 450)))
                 for _ in range(pages)]
        out.append(make_pdf(folder / f"report-{i:04}.pdf", texts, title=f"Report {i}"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--pages", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = root / "pdfs"
        src.mkdir()
        t0 = time.perf_counter()
        pdfs = make_corpus(src, args.files, args.pages)
        gen_s = time.perf_counter() - t0

        # In-process pypdf extraction of the same files: the floor the pipeline builds on.
        ex = PdfExtractor()
        t0 = time.perf_counter()
        for p in pdfs[:50]:
            ex.extract(p, ExtractOptions(kind="pdf"))
        inproc_per_file = (time.perf_counter() - t0) / 50

        # The same 50 files through one isolated worker: the per-file cost of isolation.
        with ExtractorPool(size=1) as pool:
            pool.extract(pdfs[0], ExtractOptions(kind="pdf"))  # start-up paid once
            t0 = time.perf_counter()
            for p in pdfs[:50]:
                pool.extract(p, ExtractOptions(kind="pdf"))
            isolated_per_file = (time.perf_counter() - t0) / 50
        t0 = time.perf_counter()
        with ExtractorPool(size=1) as pool:
            pool.extract(pdfs[0], ExtractOptions(kind="pdf"))
        worker_start_s = time.perf_counter() - t0 - inproc_per_file

        wb = Workbench.open(root / "lib", create=True)
        try:
            t0 = time.perf_counter()
            report, _ = wb.import_paths([src], ImportOptions(workers=args.workers))
            elapsed = time.perf_counter() - t0
        finally:
            wb.close()
        imported = len(report.imported)
        pages = sum(o.pages for o in report.imported)
        result = {
            "benchmark": "import",
            "files": args.files,
            "pages_per_file": args.pages,
            "workers": args.workers,
            "imported": imported,
            "failed": len(report.failed),
            "elapsed_s": round(elapsed, 2),
            "files_per_s": round(imported / elapsed, 1),
            "pages_per_s": round(pages / elapsed, 1),
            "in_process_ms_per_file": round(inproc_per_file * 1000, 1),
            "isolated_ms_per_file": round(isolated_per_file * 1000, 1),
            "isolation_overhead_ms_per_file": round((isolated_per_file - inproc_per_file)
                                                    * 1000, 1),
            "isolation_overhead_ratio": round(isolated_per_file / inproc_per_file, 3),
            "worker_start_ms": round(worker_start_s * 1000, 0),
            "generate_s": round(gen_s, 1),
            "median_pdf_kb": round(statistics.median(p.stat().st_size for p in pdfs) / 1024, 1),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
