"""Benchmark: an mbox of thousands of messages, a WARC of many captures, OCR per page.

Usage: ``.venv/bin/python tests/bench/bench_formats.py [--messages 2000] [--captures 300]
[--ocr-pages 10]``. Prints JSON. Each part imports generated files into a fresh library
through ``Workbench.import_paths`` (isolated workers, language detection, audit, index hook).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.formats import email_message, make_mbox, make_tiff, warc_bytes  # noqa: E402
from tests.support.scans import make_multipage_tiff  # noqa: E402
from workbench.extract import Limits  # noqa: E402
from workbench.ingest import ImportOptions  # noqa: E402
from workbench.library import Library  # noqa: E402
from workbench.progress import Progress  # noqa: E402
from workbench.services import Workbench  # noqa: E402


def _run(base: Path, name: str, path: Path, timeout: float = 600,
         ocr_languages: str | None = None) -> dict[str, object]:
    lib = base / f"lib-{name}"
    Library.create(lib, program="bench").close()
    steps: list[Progress] = []
    with Workbench.open(lib) as wb:
        started = time.perf_counter()
        options = ImportOptions(limits=Limits(timeout=timeout), ocr_languages=ocr_languages)
        report, _ = wb.import_paths([path], options, progress=steps.append)
        elapsed = time.perf_counter() - started
    out = report.to_json()
    return {"seconds": round(elapsed, 2), "documents": len(out["imported"]),
            "failed": len(out["failed"]),
            "docs_per_s": round(len(out["imported"]) / elapsed, 1),
            "progress_calls": sum(1 for s in steps if s.stage == "children")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--captures", type=int, default=300)
    ap.add_argument("--ocr-pages", type=int, default=10)
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="wb-bench-formats-"))
    try:
        results: dict[str, object] = {}
        box = make_mbox(base / "box.mbox", [
            email_message(f"Message {n}", f"Body {n}: the witness described the facility "
                          f"and the guards on day {n}. " * 5) for n in range(args.messages)])
        results["mbox"] = {"messages": args.messages, **_run(base, "mbox", box)}
        page = b"<html><head><title>Capture %d</title></head><body><article><p>" + \
            b"Statement number %d about the hearing and its witnesses. " * 20 + \
            b"</p></article></body></html>"
        warc = base / "crawl.warc.gz"
        warc.write_bytes(warc_bytes([
            ("response", f"https://example.org/{n}", "text/html",
             page.replace(b"%d", str(n).encode()), 200) for n in range(args.captures)],
            gzip=True))
        results["warc"] = {"captures": args.captures, **_run(base, "warc", warc)}
        if shutil.which("tesseract"):
            tiff = make_tiff(base / "scan.tiff", [f"Page {n} of the scanned testimony"
                                                  for n in range(args.ocr_pages)],
                             size=28, width=900)
            r = _run(base, "ocr", tiff)
            results["ocr_tiff"] = {"pages": args.ocr_pages, **r,
                                   "s_per_page": round(float(r["seconds"])  # type: ignore[arg-type]
                                                       / args.ocr_pages, 2)}
            # Choosing the script (OSD, then trial reads) against naming the language: the
            # cost of reading a Chinese scan right without being told it is Chinese.
            zh = make_multipage_tiff(base / "scan-zh.tiff", ["zh"] * args.ocr_pages)
            auto = _run(base, "ocr-auto", zh)
            told = _run(base, "ocr-told", zh, ocr_languages="chi_sim")
            results["ocr_zh"] = {"pages": args.ocr_pages, "auto_seconds": auto["seconds"],
                                 "chi_sim_seconds": told["seconds"],
                                 "auto_vs_told": round(float(auto["seconds"])  # type: ignore[arg-type]
                                                       / float(told["seconds"]), 2)}  # type: ignore[arg-type]
        print(json.dumps(results, indent=2))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
