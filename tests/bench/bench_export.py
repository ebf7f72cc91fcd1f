"""Benchmark: a 500-exhibit dossier exported to PDF (target: at most 20 s on 2 cores).

Run: ``.venv/bin/python tests/bench/bench_export.py [--exhibits 500] [--formats pdf,docx,html]
[--workers N] [--redaction-cost]`` (``--workers``: extra PDF layout processes instead of the
automatic choice, to find the break-even). Prints one JSON object with the timings
(``pdf_stages``: where the PDF writer's time went); figures are reported in
docs/PERFORMANCE.md.

``--redaction-cost`` measures what redaction costs (target: 10 terms within 1.3x of none):
the same dossier exported to PDF alternately with no redaction and with the ten terms below
(redaction in every string, and the leak check, which runs only when there is a redaction),
after one warm-up export; ``redaction_ratio`` is the median with-terms time over the median
without.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def build(wb: object, exhibits: int) -> int:
    wb.import_paths(sorted(CORPUS.glob("*.txt")))  # type: ignore[attr-defined]
    docs = wb.list_documents()  # type: ignore[attr-defined]
    spans = []
    for d in docs:
        text = wb.document_text(d["id"]).text  # type: ignore[attr-defined]
        pos = 0
        while pos + 300 < len(text):
            spans.append((d["id"], pos, pos + 280))
            pos += 97
    dossier = wb.create_dossier("Benchmark dossier", author="Bench",  # type: ignore[attr-defined]
                                organisation="Workbench").dossier_ids[0]
    for i in range(exhibits):
        doc_id, start, end = spans[i % len(spans)]
        hid = wb.add_highlight(doc_id, start=start, end=end).highlight_ids[0]  # type: ignore[attr-defined]
        section = f"Part {i // 100 + 1}"
        wb.add_item(dossier, highlight=hid, section=section,  # type: ignore[attr-defined]
                    commentary=f"Commentary on excerpt {i + 1}.")
    return int(dossier)


# Ten names and places of the corpus excerpts, redacted for --redaction-cost.
TEN_TERMS = ("Bachelet", "Obokata", "Hoshine", "Dolkun", "Kanat", "Michelle", "Chile",
             "Tomoya", "Rapporteur on Contemporary", "Tuesday")


def redaction_cost(wb: object, dossier: int, root: Path, reps: int) -> dict[str, object]:
    """Median PDF export time with no redaction and with ten terms, alternating."""
    import statistics

    wb.export(dossier, "pdf", root / "warm.pdf")  # type: ignore[attr-defined]
    none_s: list[float] = []
    ten_s: list[float] = []
    for rep in range(reps):
        t = time.perf_counter()
        wb.export(dossier, "pdf", root / f"none{rep}.pdf")  # type: ignore[attr-defined]
        none_s.append(time.perf_counter() - t)
        ids = []
        for term in TEN_TERMS:
            ids += wb.redact_term(dossier, term, "bench").redaction_ids  # type: ignore[attr-defined]
        t = time.perf_counter()
        result = wb.export(dossier, "pdf", root / f"ten{rep}.pdf")  # type: ignore[attr-defined]
        ten_s.append(time.perf_counter() - t)
        for rid in ids:
            wb.remove_redaction(dossier, rid)  # type: ignore[attr-defined]
    return {"none_s": [round(x, 2) for x in none_s], "ten_terms_s": [round(x, 2) for x in ten_s],
            "leak_checks": result["leak_checks"],
            "redaction_ratio": round(statistics.median(ten_s) / statistics.median(none_s), 3)}


def _cpu() -> float:
    """CPU seconds of this process and its children (pdftotext): a figure that does not
    depend on how busy the machine is."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--exhibits", type=int, default=500)
    ap.add_argument("--formats", default="pdf")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--redaction-cost", action="store_true")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    import workbench.export.pdf as pdf_mod
    from workbench.services import Workbench

    stages: list[object] = []
    real_write = pdf_mod.write_pdf

    def write_pdf(view: object, path: Path, bates: str | None = None,
                  workers: int | None = None) -> object:
        workers = args.workers if args.workers is not None else workers
        stages.append(real_write(view, path, bates=bates, workers=workers))  # type: ignore[arg-type]
        return stages[-1]

    pdf_mod.write_pdf = write_pdf  # type: ignore[assignment]

    out: dict[str, object] = {"exhibits": args.exhibits}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with Workbench.open(root / "lib", create=True, program="bench") as wb:
            t = time.perf_counter()
            dossier = build(wb, args.exhibits)
            out["build_s"] = round(time.perf_counter() - t, 2)
            if args.redaction_cost:
                out.update(redaction_cost(wb, dossier, root, args.reps))
                out["load_average_1m"] = round(os.getloadavg()[0], 2)
                print(json.dumps(out))
                return
            wb.redact_term(dossier, "Bachelet", "witness identity")  # type: ignore[attr-defined]
            # "pdf" pays the first `import weasyprint` (≈ 2 s, once per process); "pdf_warm"
            # is the same export again, as the desktop app sees every export after its first.
            formats = args.formats.split(",")
            if "pdf" in formats:
                formats.insert(formats.index("pdf") + 1, "pdf_warm")
            for fmt in formats:
                name = {"pdf": "d.pdf", "pdf_warm": "d2.pdf", "docx": "d.docx",
                        "html": "d.html", "bundle": "b.zip"}[fmt]
                t, cpu = time.perf_counter(), _cpu()
                result = wb.export(dossier, fmt.replace("_warm", ""), root / name)
                out[f"{fmt}_s"] = round(time.perf_counter() - t, 2)
                out[f"{fmt}_cpu_s"] = round(_cpu() - cpu, 2)
                if fmt.startswith("pdf") and stages:
                    out[f"{fmt}_stages"] = stages[-1]
                out[f"{fmt}_bytes"] = result["size"]
                if fmt.startswith("pdf"):
                    from pypdf import PdfReader

                    out[f"{fmt}_pages"] = len(PdfReader(root / name).pages)
    out["load_average_1m"] = round(os.getloadavg()[0], 2)
    out["cores"] = os.cpu_count()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
