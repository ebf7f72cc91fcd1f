"""Finding copies at import: what it adds to import time, and what the lookup costs at 100k.

Usage: .venv/bin/python tests/bench/bench_copies.py [--files 2000] [--stored 100000]
       [--rounds 2]
Prints one JSON object. Not part of the test suite; figures go to docs/PERFORMANCE.md.

Measured in the same run:
- ``import``: ``Workbench.import_paths`` of the same N generated text files (5 % of them
  copies of another with a paragraph dropped) into fresh libraries, alternately without copy
  finding (``documents._find_copies`` replaced by a no-op) and with it, ``rounds`` times each;
  the best of each is compared (``ratio``: timed around ``import_paths``;
  ``ratio_until_indexed``: until the search index has every document too, since copy finding
  runs beside the index writer), and the pairs found are counted. ``copies_share_in_run``:
  in each run with copies, the seconds spent finding them over the rest of the import
  (``copies_cpu_seconds``: the CPU time of that thread, which the index writer's thread,
  still indexing the batch, does not count in).
- ``bands_100k``: the cost that grows with the library: loading ``stored`` signatures from
  SQLite as ``finder._load_bands`` reads them (a scratch table of the same rows: a real
  library of 100k documents is not built here) and building the bands, once per open library;
  then the per-document lookup (bands + the candidates' stored signatures) against those
  100k, next to the same lookup against the N documents of the import.
- ``estimate_100k``: 1 + the share of copy finding in the import (the median run), plus each
  document's lookup at 100k instead of N and the one-time band load, over an import batch
  of N files: an estimate, not a run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _vocabulary(rng: random.Random, n: int = 5000) -> list[str]:
    letters = "abcdefghijklmnoprstuvwyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(n)]


def make_corpus(folder: Path, files: int, seed: int = 11) -> list[Path]:
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    texts: list[list[str]] = []
    out = []
    for i in range(files):
        if texts and rng.random() < 0.05:  # a copy of an earlier one, a paragraph dropped
            paras = list(rng.choice(texts))
            if len(paras) > 2:
                paras.pop(rng.randrange(len(paras)))
        else:
            paras = [" ".join(rng.choice(vocab) for _ in range(rng.randint(60, 150))) + "."
                     for _ in range(rng.randint(3, 8))]
            texts.append(paras)
        path = folder / f"doc-{i:05}.txt"
        path.write_text("\n\n".join(paras), encoding="utf-8")
        out.append(path)
    return out


def timed_import(paths: list[Path], lib: Path, with_copies: bool) -> dict[str, Any]:
    from workbench import documents
    from workbench.services import Workbench

    original = documents._find_copies
    spent = [0.0, 0.0]

    def timed(library: Any, ids: list[int]) -> bool:
        t0, c0 = time.perf_counter(), time.thread_time()
        try:
            return original(library, ids)
        finally:
            spent[0] += time.perf_counter() - t0
            spent[1] += time.thread_time() - c0

    documents._find_copies = timed if with_copies else (  # type: ignore[assignment]
        lambda library, ids: False)
    try:
        with Workbench.open(lib, create=True) as wb:
            t = time.perf_counter()
            report, _ = wb.import_paths(paths)
            elapsed = time.perf_counter() - t
            wb.wait_for_index(600)
            indexed = time.perf_counter() - t
            with wb.library.read() as s:
                pairs = s.execute(__import__("sqlalchemy").text(
                    "SELECT count(*) FROM document_copies")).scalar_one()
    finally:
        documents._find_copies = original
    return {"seconds": round(elapsed, 2), "indexed_seconds": round(indexed, 2),
            "copies_seconds": round(spent[0], 2), "copies_cpu_seconds": round(spent[1], 2),
            "imported": len(report.imported),
            "pairs": int(pairs)}


def bands_at_scale(stored: int, small: int, folder: Path) -> dict[str, Any]:
    import numpy as np

    from workbench.copies.bands import Bands
    from workbench.copies.signature import NUM_PERM, Signature, jaccard, sign

    rng = np.random.default_rng(3)
    values = rng.integers(0, 2**32 - 1, size=(stored, NUM_PERM), dtype=np.uint32)
    db = folder / "signatures.sqlite"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE copy_signatures (document_id INTEGER PRIMARY KEY, layer_id "
                "INTEGER, num_perm INTEGER, shingles INTEGER, minhash BLOB)")
    con.executemany("INSERT INTO copy_signatures VALUES (?, ?, 128, 500, ?)",
                    ((i + 1, i + 1, values[i].astype("<u4").tobytes()) for i in range(stored)))
    con.commit()
    con.close()

    t = time.perf_counter()
    con = sqlite3.connect(db)
    rows = con.execute("SELECT document_id, minhash FROM copy_signatures WHERE shingles > 0"
                       ).fetchall()
    loaded = np.frombuffer(b"".join(r[1] for r in rows), dtype="<u4").reshape(-1, NUM_PERM)
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    bands = Bands.build([int(r[0]) for r in rows], loaded)
    build_s = time.perf_counter() - t
    small_bands = Bands.build(list(range(1, small + 1)), values[:small])

    text = (ROOT / "tests/fixtures/corpus/un-report-crimes-against-humanity.txt").read_text()
    probes = [sign(text + f" probe {i}") for i in range(200)]

    def lookup(b: Bands) -> float:
        t0 = time.perf_counter()
        for p in probes:
            ids = sorted(b.candidates(p.values))[:50]
            for i in ids:  # what finder._stored does for each candidate
                row = con.execute("SELECT minhash, shingles FROM copy_signatures WHERE "
                                  "document_id = ?", (i,)).fetchone()
                jaccard(p, Signature.from_bytes(row[0], row[1]))
        return (time.perf_counter() - t0) / len(probes) * 1000

    t = time.perf_counter()
    for _ in range(20):
        sign(text)
    sign_ms = (time.perf_counter() - t) / 20 * 1000
    out = {"stored": stored, "read_s": round(read_s, 2), "build_s": round(build_s, 2),
           "lookup_ms_100k": round(lookup(bands), 3),
           f"lookup_ms_{small}": round(lookup(small_bands), 3),
           "sign_ms_article": round(sign_ms, 2)}
    con.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--stored", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "files").mkdir()
        paths = make_corpus(folder / "files", args.files)
        runs: dict[str, list[dict[str, Any]]] = {"without": [], "with": []}
        for r in range(args.rounds):  # ABBA: a load that drifts during the run cancels out
            for mode in (("without", "with") if r % 2 == 0 else ("with", "without")):
                runs[mode].append(timed_import(paths, folder / f"lib-{mode}-{r}",
                                               mode == "with"))
        best = {m: min(x["seconds"] for x in v) for m, v in runs.items()}
        best_indexed = {m: min(x["indexed_seconds"] for x in v) for m, v in runs.items()}
        # Within each run with copies: the time in copy finding against the rest of it,
        # which the machine's load drifts less between than between two runs.
        shares = [x["copies_seconds"] / (x["seconds"] - x["copies_seconds"])
                  for x in runs["with"]]
        scale = bands_at_scale(args.stored, args.files, folder)
    per_doc_extra = (scale["lookup_ms_100k"] - scale[f"lookup_ms_{args.files}"]) / 1000
    load_per_batch = scale["read_s"] + scale["build_s"]
    share = sorted(shares)[len(shares) // 2]
    estimate = 1 + share + (per_doc_extra * args.files + load_per_batch) / best["without"]
    print(json.dumps({
        "files": args.files, "cpus": os.cpu_count(), "load_avg": os.getloadavg()[0],
        "import": runs, "best_seconds": best,
        "ratio": round(best["with"] / best["without"], 3),
        "ratio_until_indexed": round(best_indexed["with"] / best_indexed["without"], 3),
        "copies_share_in_run": [round(x, 3) for x in shares],
        "bands_100k": scale,
        "estimate_100k": {"ratio": round(estimate, 3),
                          "assumes": f"one import batch of {args.files} files into a library "
                                     f"of {args.stored} documents, bands loaded once"},
    }, indent=1))


if __name__ == "__main__":
    main()
