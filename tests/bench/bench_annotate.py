"""Benchmark: quote normalisation, highlighting, re-anchoring and the passage search.

Usage: ``.venv/bin/python tests/bench/bench_annotate.py [--highlights 1000] [--docs 200]``.
Prints JSON. Documents are built from the corpus excerpts (repeated and varied) and added
straight to a fresh library's database, so the figures are those of the annotation code.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.core.test_anchoring_corpus import renormalise  # noqa: E402
from workbench.annotate.anchoring import normalize  # noqa: E402
from workbench.audit import current_actor  # noqa: E402
from workbench.extract.base import Extraction  # noqa: E402
from workbench.extract.formats import FORMATS  # noqa: E402
from workbench.library import Library  # noqa: E402
from workbench.persist import PersistRequest, persist_document  # noqa: E402
from workbench.services import Workbench  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "corpus"


def add_doc(wb: Workbench, pages: list[str], n: int) -> int:
    fmt = next(f for f in FORMATS if f.kind == "text")
    with wb.library.transaction() as s:
        doc, _layer = persist_document(s, PersistRequest(
            sha256=f"{n:064x}", size=sum(map(len, pages)), fmt=fmt, filename=f"d{n}.txt",
            original_path=None, extraction=Extraction(pages, "bench", "1")))
        return doc.id


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--highlights", type=int, default=1000)
    ap.add_argument("--docs", type=int, default=200)
    args = ap.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    rng = random.Random(7)
    out: dict[str, object] = {"actor": current_actor()}

    big = "\n\n".join(texts * 70)  # ≈ 1 MB
    t = time.perf_counter()
    normalize(big)
    out["normalise_latin_chars_per_s"] = round(len(big) / (time.perf_counter() - t))
    cjk = "新疆的强迫劳动问题，“联合国”报告指出：拘留营中的酷刑。\n" * 20000
    t = time.perf_counter()
    normalize(cjk)
    out["normalise_cjk_chars_per_s"] = round(len(cjk) / (time.perf_counter() - t))

    with tempfile.TemporaryDirectory() as tmp:
        Library.create(Path(tmp) / "lib").close()
        wb = Workbench(Library.open(Path(tmp) / "lib", attach_index=False))
        pages = [big[i:i + 4000] for i in range(0, 500_000, 4000)]  # 500 KB, 125 pages
        doc = add_doc(wb, pages, 1)
        text = wb.document_text(doc).text
        words = list(re.finditer(r"\S+", text))
        t = time.perf_counter()
        made = 0
        for _ in range(args.highlights):
            i = rng.randrange(0, len(words) - 20)
            a, b = words[i].start(), words[i + rng.randrange(4, 16)].end()
            wb.add_highlight(doc, start=a, end=b)
            made += 1
        out["add_highlight_ms"] = round((time.perf_counter() - t) * 1000 / made, 2)
        t = time.perf_counter()
        wb.add_highlight(doc, quote=text[words[500].start():words[512].end()], occurrence=1)
        out["add_by_quote_500kb_ms"] = round((time.perf_counter() - t) * 1000, 1)

        new_pages = [renormalise(p, k + 1, len(pages), False) for k, p in enumerate(pages)]
        t = time.perf_counter()
        report = wb.add_text_layer(doc, Extraction(new_pages, "bench-renormalised", "1"))
        secs = time.perf_counter() - t
        out["reanchor"] = {"highlights": report["highlights"], "seconds": round(secs, 2),
                           "per_highlight_ms": round(secs * 1000 / report["highlights"], 2),
                           "moved": report["moved"], "anchored": report["anchored"],
                           "fuzzy": report["fuzzy"], "orphaned": report["orphaned"]}

        for n in range(args.docs):
            body = texts[n % 3][rng.randrange(0, 800):]
            add_doc(wb, [body * 4], 100 + n)
        hid = wb.list_highlights(doc=doc)[0]["id"]
        t = time.perf_counter()
        found = wb.find_quote_elsewhere(hid)
        out["similar"] = {"documents": args.docs, "found": len(found),
                          "seconds": round(time.perf_counter() - t, 2)}
        wb.close()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
