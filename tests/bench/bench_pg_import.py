"""Import throughput of a shared library with five importers at once (issue 19: "import
throughput with 5 concurrent importers on this machine"), against one importer of the same
files in the same run, in an empty case and in one already holding many documents.

Usage: .venv/bin/python tests/bench/bench_pg_import.py [--importers 5] [--pdfs 12] [--pages 5]
           [--txt 12] [--seed-docs 100000] [--workers 0]
       .venv/bin/python tests/bench/bench_pg_import.py --personal-vs-shared 1000 [--rounds 2]
           [--shared-pdfs 0] [--pages 5]

``--personal-vs-shared N``: one importer of N small .txt files (and ``--shared-pdfs`` text
PDFs) into a personal (SQLite) library and into a shared one on the same throwaway cluster,
in turns (``--rounds`` of each, a fresh library each time, a fresh process each): the wall
time of ``import_paths``, then until ``wait_for_index`` says every search row is written,
and the importing process's own CPU seconds; ``shared_over_personal`` is the ratio of the
medians (issue 19: an import into a shared case as fast as into a personal one).

A throwaway PostgreSQL cluster (tests/support/postgres.py) in a temporary folder, removed
after. Each importer has a set of its own generated files (``bench_import.make_corpus``'s
text PDFs and deterministic .txt files; the sets differ, so nothing is a duplicate). Four
phases, each into a fresh database (a shared library made by ``workbench.shared.create``):

- ``empty_one``: one process imports every set (``Workbench.import_paths``, default options);
- ``empty_five``: one process per set, all at once, into one library;
- ``empty_five_apart``: the control: the same five at once, each into a library of its own
  on the same server (what five importers at once cost this machine without sharing);
- ``seeded_one`` / ``seeded_five``: the same, into a case already holding ``--seed-docs``
  documents (rows written by SQL: a document, its text layer and page; their search rows
  then written by the backend itself, as when a library opens with documents missing from
  its index; no audit events).

Every importer process opens the library first (and lets the search index check an open
starts finish) and says it is ready; all start importing at one signal. Throughput is the
documents (and pages) imported over the wall time from the signal to the last importer's
end. The load average is printed beside each phase: on this shared machine, ratios between
phases of the same run are the figures to read. Prints one JSON object. Not part of the
test suite; figures go to docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_import import WORDS, make_corpus  # noqa: E402

IMPORTER = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from workbench.ingest import ImportOptions
from workbench.services import Workbench
marker, ready, go, workers = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), sys.argv[5]
folders = [Path(p) for p in sys.argv[6:]]
with Workbench.open(marker) as wb:
    wb.wait_for_index(None)  # the check of the search index an open starts: not timed
    ready.write_text("ready")
    while not go.exists():
        time.sleep(0.005)
    start = time.time()
    report, _ = wb.import_paths(folders, ImportOptions(workers=int(workers) or None))
    end = time.time()
print(json.dumps({"start": start, "end": end, "imported": len(report.imported),
                  "failed": len(report.failed), "duplicates": len(report.duplicates),
                  "pages": sum(o.pages for o in report.imported)}))
"""


IMPORT_ONE = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from workbench.ingest import ImportOptions
from workbench.services import Workbench
marker, folders = sys.argv[2], [Path(p) for p in sys.argv[3:]]
with Workbench.open(marker) as wb:
    wb.wait_for_index(None)  # the check an open starts: not timed
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    report, _ = wb.import_paths(folders, ImportOptions())
    imported = time.perf_counter() - start
    wb.wait_for_index(None)
    indexed = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    status = wb.index_status()
print(json.dumps({"import_s": imported, "indexed_s": indexed,
                  "cpu_s": cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime,
                  "imported": len(report.imported), "failed": len(report.failed),
                  "indexed_documents": status.get("indexed_documents"),
                  "backend": status.get("backend")}))
"""


def make_small(folder: Path, txt: int, pdfs: int, pages: int) -> Path:
    """``txt`` small .txt files (120-300 words, seeded) and ``pdfs`` text PDFs."""
    folder.mkdir(parents=True)
    rng = random.Random(19)
    for i in range(txt):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(120, 300)))
        (folder / f"small-{i:05}.txt").write_text(f"Statement {i}. {words}\n")
    if pdfs:
        make_corpus(folder, pdfs, pages, seed=19)
    return folder


def personal_vs_shared(args: argparse.Namespace) -> dict[str, Any]:
    """The same files imported into a personal and into a shared library, in turns."""
    import statistics

    from tests.support.postgres import start_cluster
    from workbench.library import Library
    from workbench.shared import create

    out: dict[str, Any] = {"cpus": os.cpu_count(), "args": vars(args)}
    runs: dict[str, list[dict[str, Any]]] = {"personal": [], "shared": []}
    cluster = start_cluster()
    try:
        with tempfile.TemporaryDirectory() as tmpname:
            tmp = Path(tmpname)
            os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
            files = make_small(tmp / "files", args.personal_vs_shared, args.shared_pdfs,
                               args.pages)
            for n in range(args.rounds):
                for kind in ("personal", "shared"):
                    marker = tmp / f"{kind}-{n}"
                    if kind == "shared":
                        create(marker, cluster.url(cluster.new_database()), tmp / f"store-{n}")
                    else:
                        Library.create(marker).close()
                    load = os.getloadavg()[0]
                    proc = subprocess.run(
                        [sys.executable, "-c", IMPORT_ONE, str(ROOT), str(marker), str(files)],
                        stdout=subprocess.PIPE, text=True, cwd=str(ROOT), check=True)
                    r = json.loads(proc.stdout.strip().splitlines()[-1])
                    r["load_avg"] = [round(load, 2), round(os.getloadavg()[0], 2)]
                    runs[kind].append({k: round(v, 3) if isinstance(v, float) else v
                                       for k, v in r.items()})
    finally:
        cluster.stop()
    out.update(runs)
    for key in ("import_s", "indexed_s", "cpu_s"):
        mid = {k: statistics.median(r[key] for r in v) for k, v in runs.items()}
        out[f"shared_over_personal_{key}"] = round(mid["shared"] / mid["personal"], 2)
    return out


def make_sets(root: Path, importers: int, pdfs: int, pages: int, txt: int) -> list[Path]:
    """One folder of files per importer, generated the same way on every run."""
    sets = []
    for n in range(importers):
        folder = root / f"set-{n}"
        folder.mkdir(parents=True)
        make_corpus(folder, pdfs, pages, seed=1000 + n)
        rng = random.Random(2000 + n)
        for i in range(txt):
            (folder / f"note-{n}-{i:03}.txt").write_text(
                f"Interview {n}-{i}. " + " ".join(rng.choice(WORDS) for _ in range(600)) + "\n")
        sets.append(folder)
    return sets


def seed_documents(marker: Path, url: str, n: int) -> dict[str, float]:
    """``n`` documents written by SQL (one text layer and page each, ~60 words of a fixed
    vocabulary), then their search rows written by the backend itself: opening the library
    checks its index against the database, finds every seeded document missing and indexes
    them (``PostgresBackend.index``, 200 at a time, then ANALYZE)."""
    import psycopg

    from workbench.services import Workbench

    t0 = time.perf_counter()
    words = "ARRAY[" + ", ".join(f"'{w}'" for w in WORDS) + "]"
    with psycopg.connect(url) as conn:
        now = "now() AT TIME ZONE 'UTC'"
        conn.execute(  # type: ignore[arg-type]
            "INSERT INTO documents (id, sha256, title, kind, media_type, size, "
            "original_filename, created_at, modified_at, status, problems, page_count, extra) "
            "SELECT i, encode(sha256(('seeded ' || i)::bytea), 'hex'), 'Seeded report ' || i, "
            f"'text', 'text/plain', 400, 'seeded-' || i || '.txt', {now}, {now}, 'ok', '[]', "
            f"1, '{{}}' FROM generate_series(1, {int(n)}) i")
        conn.execute(  # type: ignore[arg-type]
            "INSERT INTO text_layers (id, document_id, version, extractor, extractor_version, "
            "method, text, created_at, text_sha256) "
            f"SELECT i, i, 1, 'text', '1', 'text', t, {now}, encode(sha256(t::bytea), 'hex') "
            f"FROM (SELECT i, (SELECT string_agg(({words})[1 + ((i * 7 + j * 13 + i / 25 * j) "
            "% 25)], ' ') FROM generate_series(1, 60) j) AS t "
            f"FROM generate_series(1, {int(n)}) i) x")
        conn.execute(  # type: ignore[arg-type]
            "INSERT INTO pages (layer_id, number, start, \"end\", has_text) "
            "SELECT l.id, 1, 0, length(l.text), true FROM text_layers l")
        for table in ("documents", "text_layers"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # type: ignore[arg-type]
                         f"(SELECT max(id) FROM {table}))")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE documents, text_layers, pages")
    rows_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    with Workbench.open(marker) as wb:
        wb.wait_for_index(None)
        state = wb.index_status()
    return {"rows_s": round(rows_s, 1), "search_rows_s": round(time.perf_counter() - t0, 1),
            "index_status": {k: v for k, v in state.items() if isinstance(v, int | str)}}


def run_phase(markers: list[Path], sets: list[list[Path]], tmp: Path,
              workers: int) -> dict[str, Any]:
    """Start one importer per entry of ``sets`` (its folders; into the library of the same
    entry of ``markers``), wait until every one has opened its library, start them at once;
    their throughput together."""
    tag = f"{markers[0].name}-{len(sets)}"
    go = tmp / f"go-{tag}"
    procs = []
    for n, (marker, folders) in enumerate(zip(markers, sets, strict=True)):
        ready = tmp / f"ready-{tag}-{n}"
        procs.append((ready, subprocess.Popen(
            [sys.executable, "-c", IMPORTER, str(ROOT), str(marker), str(ready), str(go),
             str(workers), *map(str, folders)],
            stdout=subprocess.PIPE, text=True, cwd=str(ROOT),
            env={**os.environ, "XDG_CACHE_HOME": str(tmp / f"cache-{tag}-{n}")})))
    while not all(r.exists() for r, _ in procs):
        if any(p.poll() is not None for _, p in procs):
            raise SystemExit("an importer ended before it started importing")
        time.sleep(0.02)
    load = os.getloadavg()
    go.write_text("go")
    results = []
    for _, p in procs:
        out, _ = p.communicate(timeout=3600)
        if p.returncode != 0:
            raise SystemExit(f"an importer failed with {p.returncode}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    wall = max(r["end"] for r in results) - min(r["start"] for r in results)
    docs = sum(r["imported"] for r in results)
    pages = sum(r["pages"] for r in results)
    return {"importers": len(sets), "documents": docs, "pages": pages,
            "failed": sum(r["failed"] for r in results),
            "duplicates": sum(r["duplicates"] for r in results),
            "wall_s": round(wall, 2), "docs_per_s": round(docs / wall, 2),
            "pages_per_s": round(pages / wall, 2),
            "each_s": [round(r["end"] - r["start"], 2) for r in results],
            "load_avg_at_start": [round(x, 2) for x in load],
            "load_avg_at_end": [round(x, 2) for x in os.getloadavg()]}


def count_documents(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM documents").fetchone()
    return int(row[0]) if row else 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--importers", type=int, default=5)
    ap.add_argument("--pdfs", type=int, default=12, help="text PDFs per importer")
    ap.add_argument("--pages", type=int, default=5, help="pages per PDF")
    ap.add_argument("--txt", type=int, default=12, help=".txt files per importer")
    ap.add_argument("--seed-docs", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=0,
                    help="extraction workers per importer (0: the default)")
    ap.add_argument("--personal-vs-shared", type=int, default=0, metavar="N",
                    help="instead: N small .txt files into a personal and a shared library")
    ap.add_argument("--shared-pdfs", type=int, default=0,
                    help="with --personal-vs-shared: text PDFs imported too")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    if args.personal_vs_shared:
        print(json.dumps(personal_vs_shared(args), indent=1))
        return
    import signal

    # stopped (SIGTERM): the cluster is still stopped and removed, by the ``finally`` below
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from tests.support.postgres import start_cluster
    from workbench.shared import create

    result: dict[str, Any] = {"cpus": os.cpu_count(), "args": vars(args)}
    cluster = start_cluster()
    try:
        with tempfile.TemporaryDirectory() as tmpname:
            tmp = Path(tmpname)
            os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
            sets = make_sets(tmp / "files", args.importers, args.pdfs, args.pages, args.txt)

            def library(name: str, database: str) -> Path:
                marker = tmp / name
                create(marker, cluster.url(database), tmp / f"store-{name}")
                return marker

            seeded = cluster.new_database()
            seed_marker = library("seeded-one", seeded)  # the schema, then the rows
            if args.seed_docs:
                result["seeding"] = seed_documents(seed_marker, cluster.url(seeded),
                                                   args.seed_docs)
            # the second seeded case: a copy made before anything is imported
            seeded_copy = cluster.new_database(template=seeded)
            seed_copy_marker = tmp / "seeded-five"
            seed_copy_marker.mkdir()
            info = json.loads((seed_marker / "workbench-library.json").read_text())
            info["database"] = cluster.url(seeded_copy)
            (seed_copy_marker / "workbench-library.json").write_text(json.dumps(info))

            one = library("empty-one", cluster.new_database())
            five = library("empty-five", cluster.new_database())
            apart = [library(f"apart-{n}", cluster.new_database()) for n in range(len(sets))]
            k = len(sets)
            phases = {
                "empty_one": ([one], [sets]),
                "empty_five": ([five] * k, [[s] for s in sets]),
                # the control: as many importers at once, each into a library of its own on
                # the same server: what running them together costs this machine
                "empty_five_apart": (apart, [[s] for s in sets]),
                "seeded_one": ([seed_marker], [sets]),
                "seeded_five": ([seed_copy_marker] * k, [[s] for s in sets]),
            }
            for name, (markers, groups) in phases.items():
                result[name] = run_phase(markers, groups, tmp, args.workers)
                urls = {json.loads((m / "workbench-library.json").read_text())["database"]
                        for m in markers}
                result[name]["documents_in_case_after"] = sum(map(count_documents, urls))
    finally:
        cluster.stop()
    for size in ("empty", "seeded"):
        result[f"{size}_five_over_one"] = round(
            result[f"{size}_five"]["docs_per_s"] / result[f"{size}_one"]["docs_per_s"], 2)
    result["seeded_over_empty_five"] = round(
        result["seeded_five"]["docs_per_s"] / result["empty_five"]["docs_per_s"], 2)
    result["five_shared_over_five_apart"] = round(
        result["empty_five"]["docs_per_s"] / result["empty_five_apart"]["docs_per_s"], 2)
    result["seeded_over_empty_one"] = round(
        result["seeded_one"]["docs_per_s"] / result["empty_one"]["docs_per_s"], 2)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
