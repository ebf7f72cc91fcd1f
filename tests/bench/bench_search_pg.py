"""Search benchmark of a shared library's PostgreSQL backend, with the Whoosh figures of the same
run beside it (issue 19: query p95 per query type).

Usage: .venv/bin/python tests/bench/bench_search_pg.py [--docs 10000] [--seed 7] [--repeat 3]
           [--database postgresql://USER@HOST/EMPTYDB] [--out FILE]

The archive is ``bench_search.py``'s (same seed, same queries). It is written into a personal
library whose Whoosh index is built by the production path, and the same rows into a new shared
library on PostgreSQL (a throwaway cluster started here unless ``--database`` names an empty
database), whose server index is then built by the backend's own check (every document
missing). Queries of both run in separate read-only processes (``bench_search.py
--queries-only``). ``--docs 100000`` / ``1000000`` for the larger runs. Prints one JSON object.
Not part of the test suite; figures go to docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import bench_search as bs  # noqa: E402

TABLES = ("documents", "text_layers", "pages", "collection_records")


def copy_rows(lite: Path, engine: Any) -> None:
    """The benchmark's rows, from the personal library's file into the shared database."""
    from sqlalchemy import JSON, MetaData

    from workbench.store_pg import reset_sequences

    con = sqlite3.connect(lite)
    meta = MetaData()
    meta.reflect(engine, only=list(TABLES))
    with engine.begin() as conn:
        for name in TABLES:
            table = meta.tables[name]
            cols = [c.name for c in table.columns]
            # SQLite keeps JSON as text: give PostgreSQL the values, not strings of them
            loads = [json.loads if isinstance(c.type, JSON) else None for c in table.columns]
            cur = con.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in cols)} "
                              f"FROM {name}")
            while batch := cur.fetchmany(2000):
                conn.execute(table.insert(), [
                    {c: (f(v) if f is not None and isinstance(v, str) else v)
                     for c, f, v in zip(cols, loads, row, strict=True)} for row in batch])
        reset_sequences(conn, [meta.tables[n] for n in TABLES])
    con.close()


def queries_in_a_process(lib: Path, args: argparse.Namespace) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, str(ROOT / "tests/bench/bench_search.py"),
                           "--docs", str(args.docs), "--seed", str(args.seed), "--repeat",
                           str(args.repeat), "--queries-only", str(lib)],
                          capture_output=True, text=True, check=False, env=os.environ.copy())
    if proc.returncode:
        raise SystemExit(f"the queries on {lib} failed: {proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def searchable_after_import(lib: Path, tmp: Path) -> float:
    from workbench.services import Workbench

    doc = tmp / "fresh.txt"
    doc.write_text("Qwertzuiop marks the freshly imported witness statement.\n" * 20)
    with Workbench.open(lib) as wb:
        wb.wait_for_index(3600)
        wb.import_paths([doc])
        t0 = time.perf_counter()
        while not wb.search("qwertzuiop", limit=1, facets=False).total:
            time.sleep(0.005)
        return round(time.perf_counter() - t0, 3)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--database", help="an empty PostgreSQL database (default: a throwaway "
                    "cluster)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    from sqlalchemy import text

    from workbench.services import Workbench
    from workbench.shared import create
    from workbench.store_pg import make_pg_engine

    cluster = None
    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(tmpname)
        os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
        os.environ.pop("WORKBENCH_SHARED_SEARCH", None)
        url = args.database
        if url is None:
            from tests.support.postgres import start_cluster

            cluster = start_cluster()
            url = cluster.url(cluster.new_database())
        try:
            corpus = bs.Corpus(args.seed)
            lib = tmp / "lib"
            total_bytes, sample = bs.write_library(lib, corpus, args.docs)
            queries = bs.make_queries(corpus, args.seed, sample)
            (lib / "bench-queries.json").write_text(json.dumps(queries))
            result: dict[str, Any] = {"documents": args.docs, "seed": args.seed,
                                      "corpus_mb": round(total_bytes / 1e6, 1),
                                      "cpus": os.cpu_count(),
                                      "load_avg_at_start": os.getloadavg()}
            t0 = time.perf_counter()
            with Workbench.open(lib) as wb:
                assert wb.wait_for_index(24 * 3600)
            build = time.perf_counter() - t0
            result["whoosh"] = {"build_s": round(build, 1),
                                "docs_per_s": round(args.docs / build, 1)}
            result["whoosh"].update(queries_in_a_process(lib, args))

            marker = tmp / "shared"
            create(marker, url, tmp / "store")
            engine = make_pg_engine(url)
            try:
                copy_rows(lib / "library.sqlite", engine)
            finally:
                engine.dispose()
            (marker / "bench-queries.json").write_text(json.dumps(queries))
            t0 = time.perf_counter()
            with Workbench.open(marker) as wb:  # its check finds every document missing
                assert wb.wait_for_index(24 * 3600)
                status = wb.index_status()
                with wb.library.read() as s:
                    rows = s.execute(text("SELECT count(*) FROM wbsearch.body")).scalar_one()
            build = time.perf_counter() - t0
            assert status["indexed_documents"] == args.docs, status
            result["postgres"] = {"build_s": round(build, 1),
                                  "docs_per_s": round(args.docs / build, 1),
                                  "index_mb": round((status.get("size_bytes") or 0) / 1e6, 1),
                                  "body_windows": rows}
            result["postgres"].update(queries_in_a_process(marker, args))
            result["postgres"]["searchable_after_import_s"] = searchable_after_import(
                marker, tmp)
            result["p95_ms"] = {
                cls: {"postgres": result["postgres"]["classes"][cls]["p95_ms"],
                      "whoosh": result["whoosh"]["classes"][cls]["p95_ms"],
                      "ratio": round(result["postgres"]["classes"][cls]["p95_ms"]
                                     / max(0.01, result["whoosh"]["classes"][cls]["p95_ms"]),
                                     1)}
                for cls in bs.CLASSES}
            result["load_avg_at_end"] = os.getloadavg()
        finally:
            if cluster is not None:
                cluster.stop()
    out = json.dumps(result, ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(out + "\n", encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()
