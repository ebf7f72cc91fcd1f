"""Benchmark: facsimile export (issue 13; target: at most 30 s on the reference machine).

A dossier of 100 facsimile exhibits over 300 source pages (ten 30-page PDFs laid out from the
corpus text; each exhibit a highlight on the first of its three pages), 30 of them with a
redaction (a name on the exhibit's middle page, redacted by term: that page is rasterised,
burnt in and OCR'd for its text layer, a reading the leak check reuses when the page image in
the file is the one read), exported to PDF. The same dossier is exported as plain text
exhibits (facsimiles off) in the same run, for the ratio.

Run: ``.venv/bin/python tests/bench/bench_facsimile.py [--exhibits 100] [--redacted 30]``.
Prints one JSON object; figures are reported in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PAGES_PER_EXHIBIT = 3
PAGES_PER_SOURCE = 30


def _name(i: int) -> str:
    """A witness name unique to exhibit ``i`` (letters only: no name inside another)."""
    return f"Nurgul {chr(65 + i // 26)}{chr(97 + i % 26)}kova"


def build(wb: object, root: Path, exhibits: int,
          redacted: int) -> tuple[int, list[tuple[int, str]]]:
    from tests.support.files import make_pdf, split_pages

    text = "\n\n".join(p.read_text(encoding="utf-8") for p in
                       sorted((ROOT / "tests" / "fixtures" / "corpus").glob("*.txt")))
    chunks = split_pages(text, 1400)
    per_source = PAGES_PER_SOURCE // PAGES_PER_EXHIBIT
    sources = (exhibits + per_source - 1) // per_source
    paths = []
    for s in range(sources):
        pages = []
        for p in range(PAGES_PER_SOURCE):
            i = s * per_source + p // PAGES_PER_EXHIBIT  # the exhibit this page belongs to
            body = chunks[(s * PAGES_PER_SOURCE + p) % len(chunks)]
            if p % PAGES_PER_EXHIBIT == 0:
                body = f"Exhibit passage {s}-{p}: the mission heard the testimony.\n\n{body}"
            if p % PAGES_PER_EXHIBIT == 1 and i < redacted:
                body = f"Testimony of {_name(i)}, recorded in Almaty.\n\n{body}"
            pages.append(body)
        paths.append(make_pdf(root / f"source-{s:02d}.pdf", pages, title=f"Report {s}"))
    wb.import_paths(paths)  # type: ignore[attr-defined]
    docs = {d["title"]: d["id"] for d in wb.list_documents()}  # type: ignore[attr-defined]
    dossier = wb.create_dossier("Facsimile benchmark").dossier_ids[0]  # type: ignore[attr-defined]
    items = []
    for i in range(exhibits):
        s, k = divmod(i, per_source)
        first = k * PAGES_PER_EXHIBIT + 1
        hid = wb.add_highlight(docs[f"Report {s}"],  # type: ignore[attr-defined]
                               quote=f"Exhibit passage {s}-{first - 1}:").highlight_ids[0]
        pages = f"{first}-{first + PAGES_PER_EXHIBIT - 1}"
        items.append((wb.add_item(dossier, highlight=hid, facsimile=True,  # type: ignore[attr-defined]
                                  pages=pages).item_ids[0], pages))
    for i in range(redacted):
        wb.redact_term(dossier, _name(i), "bench")  # type: ignore[attr-defined]
    return int(dossier), items


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _children_cpu() -> float:
    """CPU of finished child processes: Tesseract's runs, pdftotext, layout workers and
    the leak check's pypdf page-text workers."""
    t = os.times()
    return t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--exhibits", type=int, default=100)
    parser.add_argument("--redacted", type=int, default=30)
    args = parser.parse_args()
    from workbench.services import Workbench

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with Workbench.open(root / "lib", create=True, program="bench") as wb:
            clock = time.perf_counter()
            dossier, items = build(wb, root, args.exhibits, args.redacted)
            built = time.perf_counter() - clock
            for item, _pages in items:
                wb.set_facsimile(dossier, item, False)
            plain_t, plain_cpu = time.perf_counter(), _cpu()
            plain = wb.export(dossier, "pdf", root / "plain.pdf")
            plain_s, plain_cpu = time.perf_counter() - plain_t, _cpu() - plain_cpu
            for item, pages in items:
                wb.set_facsimile(dossier, item, True, pages)
            fax_t, fax_cpu, fax_kids = time.perf_counter(), _cpu(), _children_cpu()
            load = os.getloadavg()[0]
            fax = wb.export(dossier, "pdf", root / "facsimile.pdf")
            fax_s, fax_cpu = time.perf_counter() - fax_t, _cpu() - fax_cpu
            fax_kids = _children_cpu() - fax_kids
            import pypdfium2 as pdfium

            pages = len(pdfium.PdfDocument(str(root / "facsimile.pdf")))
            stages = breakdown(wb, dossier, root)
    print(json.dumps({
        "exhibits": args.exhibits, "source_pages": args.exhibits * PAGES_PER_EXHIBIT,
        "redacted_pages": args.redacted, "cores": len(os.sched_getaffinity(0)),
        "build_library_s": round(built, 1),
        "plain_pdf_s": round(plain_s, 2), "plain_pdf_cpu_s": round(plain_cpu, 1),
        "facsimile_pdf_s": round(fax_s, 2), "facsimile_pdf_cpu_s": round(fax_cpu, 1),
        "facsimile_pdf_cpu_children_s": round(fax_kids, 1),
        "load_average_before": round(load, 2),
        "ratio": round(fax_s / plain_s, 2), "facsimile_pdf_pages": pages,
        "facsimile_pdf_mb": round(fax["size"] / 1e6, 1), "plain_pdf_mb": round(
            plain["size"] / 1e6, 2), "leak_checks": fax["leak_checks"],
        "stages_s": stages}, indent=1))


def breakdown(wb: object, dossier: int, root: Path) -> dict[str, object]:
    """Where the facsimile export's time goes: the same steps ``run_export`` takes, timed
    one by one (the leak check's scanner and its OCR alone, though the export overlaps them)."""
    from contextlib import ExitStack

    from workbench.dossier.redaction import matcher_of
    from workbench.export.facsimile_plan import plan_facsimiles
    from workbench.export.leak_ocr import read_images
    from workbench.export.pdf import write_pdf
    from workbench.redact.scan import scan_paths

    out = root / "stages.pdf"
    with ExitStack() as held:
        clock = time.perf_counter()
        view = wb.dossier_view(dossier, full_text=True)  # type: ignore[attr-defined]
        plans = plan_facsimiles(wb.library, view, held, root / "scratch")  # type: ignore[attr-defined]
        planned = time.perf_counter()
        stats = write_pdf(view, out, facsimiles=plans)
        written = time.perf_counter()
    matcher = matcher_of(view.rules)
    cpu = _cpu()
    scan_paths([out], matcher)
    scanned, cpu = time.perf_counter(), _cpu() - cpu
    read_images(out, matcher)
    return {"view_and_plan": round(planned - clock, 2), "write_pdf": round(written - planned, 2),
            "of_which_facsimiles": stats["facsimiles_s"],
            "of_which_assembly": stats["assemble_s"], "leak_scan": round(scanned - written, 2),
            # with its child processes: pdftotext and pypdf's page-text workers
            "leak_scan_cpu": round(cpu, 1),
            "leak_ocr": round(time.perf_counter() - scanned, 2)}


if __name__ == "__main__":
    main()
