"""Search benchmark of a shared library's PostgreSQL backend, with the Whoosh and FTS5 figures of
the same run and the same corpus beside it (issue 19: query p95 per query type at 100k and 1M).

Usage: .venv/bin/python tests/bench/bench_search_pg.py [--docs 10000] [--seed 7] [--repeat 3]
           [--workers 2] [--keep DIR | --reuse DIR [--reload]] [--out FILE]

The archive is ``bench_search.py``'s (same generator, seed and queries). It is written into a
personal library whose Whoosh index is built by the production path (the writer's rebuild), an
FTS5 table of the same texts (``bench_search.bench_fts5``), and a shared library on PostgreSQL
(a cluster of its own in the run's folder), loaded FAST: the library's rows by COPY from the
SQLite file, then the search rows each document gets from the backend's own ``row_of`` (the
same analysis and windows as ``PostgresBackend.index``) computed by ``--workers`` processes
and written by COPY with the ``wbsearch`` indexes dropped, which are then made in one pass
each and the tables analysed. Opening the shared library afterwards finds nothing to repair.
Queries of Whoosh and PostgreSQL run in separate read-only processes (``bench_search.py
--queries-only``); FTS5's in this one.

``--keep DIR`` builds in DIR (which must not exist) and keeps it; ``--reuse DIR`` runs the
queries again on a kept DIR (after a change to the backend's queries) without building;
with ``--reload`` it first loads the PostgreSQL search rows again by the same fast path (after
a change to what the rows hold, ``lexemes.FORMAT``), leaving the library's rows, the Whoosh
index and FTS5 as they are.
Prints one JSON object, with the load average beside the figures. Not part of the test suite;
figures go to docs/PERFORMANCE.md (issue 19, search).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import bench_search as bs  # noqa: E402

TABLES = ("documents", "text_layers", "pages", "collection_records")
CHUNK = 250  # documents a loading worker analyses and writes per step


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# --- a cluster kept in the run's folder -------------------------------------------------------


def cluster_in(where: Path, fresh: bool) -> Any:
    """A cluster whose data lives in ``where`` (made when ``fresh``), started."""
    from tests.support import postgres as pg

    bin_dir = pg._bin_dir()
    if bin_dir is None:
        raise SystemExit("no PostgreSQL server binaries (apt-get install postgresql)")
    as_user: list[str] = []
    if fresh:
        where.mkdir(parents=True)
    if os.geteuid() == 0:
        import pwd

        account = pwd.getpwnam("postgres")
        os.chown(where, account.pw_uid, account.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    cluster = pg.Cluster(bin_dir, where, as_user)
    if fresh:
        cluster.start()
    else:
        opts = (f"-k {where} -p {pg.PORT} -c listen_addresses='' -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off")
        done = cluster._run(str(bin_dir / "pg_ctl"), "-D", str(cluster.data), "-o", opts,
                            "-l", str(where / "log"), "-w", "-t", "120", "start")
        if done.returncode:
            raise SystemExit(f"pg_ctl start failed: {done.stderr}")
    return cluster


def stop_keeping(cluster: Any) -> None:
    cluster._run(str(cluster.bin_dir / "pg_ctl"), "-D", str(cluster.data), "-m", "fast",
                 "-w", "stop")


# --- loading ----------------------------------------------------------------------------------


def copy_rows(lite: Path, url: str) -> None:
    """The library's rows, from the personal library's file into the shared database (COPY:
    SQLite keeps JSON as text and booleans as 0/1, which PostgreSQL's COPY reads as they are)."""
    import psycopg

    src = sqlite3.connect(lite)
    with psycopg.connect(url) as conn:
        for name in TABLES:
            cols = [r[1] for r in src.execute(f"PRAGMA table_info({name})")]
            quoted = ", ".join(f'"{c}"' for c in cols)
            cur = src.execute(f"SELECT {quoted} FROM {name}")
            with conn.cursor().copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
                while batch := cur.fetchmany(2000):
                    for row in batch:
                        copy.write_row(row)
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # type: ignore[arg-type]
                         f"(SELECT max(id) FROM {name}))")
    src.close()


def _index_chunk(job: tuple[str, list[int]]) -> tuple[int, Counter[tuple[str, str]]]:
    """In a worker: the search rows of these documents, written by COPY; their vocabulary."""
    import psycopg

    from workbench.search.postgres.lexemes import row_of
    from workbench.search.source import load_documents
    from workbench.store_pg import make_pg_engine

    url, ids = job
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = make_pg_engine(url)
    from sqlalchemy.orm import Session

    with Session(_ENGINE) as s:
        rows = [row_of(d) for d in load_documents(s, ids)]
    df: Counter[tuple[str, str]] = Counter()
    with psycopg.connect(url) as conn:
        cur = conn.cursor()
        with cur.copy("COPY wbsearch.docs (doc_id, layer_id, text_sha, title, kind, lang, "
                      "date, year, sources, collections, tags, facet_kind, facet_language, "
                      "facet_collections, facet_tags) FROM STDIN") as copy:
            for r in rows:
                copy.write_row((r.doc_id, r.layer_id, r.text_sha, r.title, r.kind, r.lang,
                                r.date, r.year, r.sources, r.collections, r.tags, r.facet_kind,
                                r.facet_language, r.facet_collections, r.facet_tags))
        with cur.copy("COPY wbsearch.words (doc_id, words) FROM STDIN") as copy:
            for r in rows:
                copy.write_row((r.doc_id, r.words))
        with cur.copy("COPY wbsearch.body (doc_id, chunk, body) FROM STDIN") as copy:
            for r in rows:
                for k, b in enumerate(r.body):
                    copy.write_row((r.doc_id, k, b))
    for r in rows:
        for fname, ts in r.vocabulary.items():
            df.update((fname, t) for t in ts)
    return len(rows), df


_ENGINE: Any = None


def load_search_rows(url: str, n: int, workers: int) -> dict[str, float]:
    """The ``wbsearch`` rows of documents 1..n, as the backend writes them, loaded fast."""
    import multiprocessing

    import psycopg

    from workbench.search.postgres.hook import FORMAT_FIELD, analyze
    from workbench.search.postgres.lexemes import FORMAT
    from workbench.store_pg import make_pg_engine

    out: dict[str, float] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        made = conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = "
                            "'wbsearch' AND indexname NOT LIKE '%pkey'").fetchall()
        for name, _sql in made:
            conn.execute(f"DROP INDEX wbsearch.{name}")  # type: ignore[arg-type]
    t0 = time.perf_counter()
    jobs = [(url, list(range(i, min(n, i + CHUNK - 1) + 1))) for i in range(1, n + 1, CHUNK)]
    df: Counter[tuple[str, str]] = Counter()
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        for _done, counts in pool.imap_unordered(_index_chunk, jobs):
            df.update(counts)
    out["analyse_and_copy_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    with psycopg.connect(url) as conn, conn.cursor().copy(
            "COPY wbsearch.terms (field, term, df) FROM STDIN") as copy:
        for (fname, term), k in df.items():
            copy.write_row((fname, term, k))
        copy.write_row((FORMAT_FIELD, "", FORMAT))  # what the rows hold, as a rebuild writes
    out["vocabulary_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        for _name, sql in made:
            conn.execute(sql)
        out["create_indexes_s"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        conn.execute("VACUUM wbsearch.docs, wbsearch.body, wbsearch.words, wbsearch.terms")
    with make_pg_engine(url).begin() as sa_conn:
        analyze(sa_conn)  # the backend's own, as after its rebuild
    out["vacuum_analyze_s"] = round(time.perf_counter() - t0, 1)
    return out


# --- queries ----------------------------------------------------------------------------------


def reload_search_rows(where: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The kept run's search rows emptied and loaded again (the library's rows stay)."""
    import psycopg

    out: dict[str, Any] = {"load_avg_at_start": load()}
    url = (where / "url").read_text().strip()
    cluster = cluster_in(where / "pg", fresh=False)
    try:
        from workbench.store import upgrade
        from workbench.store_pg import make_pg_engine

        engine = make_pg_engine(url)  # a kept run made before a revision of the search tables
        upgrade(engine, None)
        engine.dispose()
        with psycopg.connect(url, autocommit=True) as conn:
            count, last = conn.execute("SELECT count(*), max(id) FROM documents").fetchone()
            t0 = time.perf_counter()
            conn.execute("TRUNCATE wbsearch.body, wbsearch.words, wbsearch.docs, wbsearch.terms")
            out["truncate_s"] = round(time.perf_counter() - t0, 1)
        out.update(load_search_rows(url, int(last), args.workers))  # runs' imports: ids past n
        from workbench.services import Workbench

        t0 = time.perf_counter()
        with Workbench.open(where / "shared") as wb:  # its check finds nothing to repair
            assert wb.wait_for_index(24 * 3600)
            status = wb.index_status()
        assert status["indexed_documents"] == count, status
        assert status["last_rebuild_reason"] is None, status
        out["open_and_check_s"] = round(time.perf_counter() - t0, 1)
        out["index_mb"] = round((status.get("size_bytes") or 0) / 1e6, 1)
    finally:
        stop_keeping(cluster)
    out["load_avg_at_end"] = load()
    return out


def queries_in_a_process(lib: Path, args: argparse.Namespace) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, str(ROOT / "tests/bench/bench_search.py"),
                           "--docs", str(args.docs), "--seed", str(args.seed), "--repeat",
                           str(args.repeat), "--queries-only", str(lib)],
                          capture_output=True, text=True, check=False, env=os.environ.copy())
    if proc.returncode:
        raise SystemExit(f"the queries on {lib} failed: {proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def fts5_queries(path: Path, queries: dict[str, list[str]], repeat: int) -> dict[str, Any]:
    """p50/p95 per class on the FTS5 table (top 20 by rank and the count, as bench_search)."""
    con = sqlite3.connect(path)
    out: dict[str, Any] = {}
    for cls, qs in queries.items():
        times = []
        for _ in range(repeat):
            for q in qs:
                fq = bs.fts5_query(q)
                if fq is None:
                    continue
                t = time.perf_counter()
                try:
                    con.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 20",
                                (fq,)).fetchall()
                    con.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (fq,)).fetchone()
                except sqlite3.OperationalError:
                    continue
                times.append((time.perf_counter() - t) * 1e3)
        out[cls] = bs.percentiles(times) if times else None
    con.close()
    return out


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
        took = round(time.perf_counter() - t0, 3)
        wb.delete_document(_last_id(wb))  # the kept folder stays the benchmark's archive
        return took


def _last_id(wb: Any) -> int:
    from sqlalchemy import text

    with wb.library.read() as s:
        return int(s.execute(text("SELECT max(id) FROM documents")).scalar_one())


# --- main -------------------------------------------------------------------------------------


def build(where: Path, args: argparse.Namespace) -> dict[str, Any]:
    from workbench.services import Workbench
    from workbench.shared import create

    out: dict[str, Any] = {"load_avg_at_start": load()}
    t0 = time.perf_counter()
    corpus = bs.Corpus(args.seed)
    lib = where / "lib"
    total_bytes, sample = bs.write_library(lib, corpus, args.docs)
    queries = bs.make_queries(corpus, args.seed, sample)
    (where / "bench-queries.json").write_text(json.dumps(queries))
    out["corpus_mb"] = round(total_bytes / 1e6, 1)
    out["generate_s"] = round(time.perf_counter() - t0, 1)

    cluster = cluster_in(where / "pg", fresh=True)
    try:
        url = cluster.url(cluster.new_database())
        (where / "url").write_text(url)
        t0 = time.perf_counter()
        create(where / "shared", url, where / "store")
        copy_rows(lib / "library.sqlite", url)
        pg: dict[str, Any] = {"copy_library_rows_s": round(time.perf_counter() - t0, 1)}
        pg.update(load_search_rows(url, args.docs, args.workers))
        pg["load_avg_after_load"] = load()
        t0 = time.perf_counter()
        with Workbench.open(where / "shared") as wb:  # its check finds nothing to repair
            assert wb.wait_for_index(24 * 3600)
            status = wb.index_status()
        assert status["indexed_documents"] == args.docs, status
        pg["open_and_check_s"] = round(time.perf_counter() - t0, 1)
        pg["index_mb"] = round((status.get("size_bytes") or 0) / 1e6, 1)
        out["postgres_load"] = pg
    finally:
        stop_keeping(cluster)

    t0 = time.perf_counter()
    with Workbench.open(lib) as wb:  # the writer's check finds every document missing
        assert wb.wait_for_index(24 * 3600)
    build_s = time.perf_counter() - t0
    out["whoosh_build"] = {"build_s": round(build_s, 1),
                           "docs_per_s": round(args.docs / build_s, 1),
                           "load_avg_after": load()}
    fts = bs.bench_fts5(where / "fts.sqlite", lib, queries, 1, total_bytes)
    out["fts5_build"] = {k: fts[k] for k in ("build_s", "docs_per_s", "index_mb")}
    (where / "build.json").write_text(json.dumps(out))
    return out


def measure(where: Path, args: argparse.Namespace) -> dict[str, Any]:
    queries = json.loads((where / "bench-queries.json").read_text())
    for lib in (where / "lib", where / "shared"):
        (lib / "bench-queries.json").write_text(json.dumps(queries))
    from workbench.services import Workbench

    with Workbench.open(where / "lib") as wb:  # rebuilt only if the index format changed since
        assert wb.wait_for_index(24 * 3600)
    out: dict[str, Any] = {"load_avg_at_start": load()}
    out["whoosh"] = queries_in_a_process(where / "lib", args)
    out["load_avg_after_whoosh"] = load()
    out["fts5"] = fts5_queries(where / "fts.sqlite", queries, args.repeat)
    cluster = cluster_in(where / "pg", fresh=False)
    try:
        out["postgres"] = queries_in_a_process(where / "shared", args)
        out["load_avg_after_postgres"] = load()
        out["postgres"]["searchable_after_import_s"] = searchable_after_import(
            where / "shared", where)
    finally:
        stop_keeping(cluster)
    table: dict[str, Any] = {}
    for cls in bs.CLASSES:
        pg, wh = out["postgres"]["classes"][cls], out["whoosh"]["classes"][cls]
        fts = out["fts5"].get(cls)
        table[cls] = {"postgres_p50": pg["p50_ms"], "postgres_p95": pg["p95_ms"],
                      "whoosh_p50": wh["p50_ms"], "whoosh_p95": wh["p95_ms"],
                      "fts5_p95": fts["p95_ms"] if fts else None,
                      "pg_over_whoosh_p95": round(pg["p95_ms"] / max(0.01, wh["p95_ms"]), 1)}
    table["facets"] = {"postgres_p50": out["postgres"]["facets"]["p50_ms"],
                       "postgres_p95": out["postgres"]["facets"]["p95_ms"],
                       "whoosh_p50": out["whoosh"]["facets"]["p50_ms"],
                       "whoosh_p95": out["whoosh"]["facets"]["p95_ms"]}
    out["p95_table_ms"] = table
    out["load_avg_at_end"] = load()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2, help="processes analysing documents")
    ap.add_argument("--keep", type=Path, metavar="DIR", help="build in DIR and keep it")
    ap.add_argument("--reuse", type=Path, metavar="DIR", help="only the queries, on a kept DIR")
    ap.add_argument("--reload", action="store_true",
                    help="with --reuse: load the PostgreSQL search rows again first")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    os.environ.pop("WORKBENCH_SHARED_SEARCH", None)
    result: dict[str, Any] = {"documents": args.docs, "seed": args.seed,
                              "cpus": os.cpu_count()}
    tmp = None
    if args.reuse:
        where = args.reuse.absolute()
        result["build"] = json.loads((where / "build.json").read_text())
        if args.reload:
            os.environ["XDG_CACHE_HOME"] = str(where / "cache")
            result["reload"] = reload_search_rows(where, args)
            (where / "reload.json").write_text(json.dumps(result["reload"]))
    else:
        if args.keep:
            where = args.keep.absolute()
        else:
            tmp = tempfile.mkdtemp(prefix="wbbench-", dir="/tmp")
            where = Path(tmp) / "run"
        where.mkdir(parents=True)
        os.environ["XDG_CACHE_HOME"] = str(where / "cache")
        result["build"] = build(where, args)
    os.environ["XDG_CACHE_HOME"] = str(where / "cache")
    try:
        result.update(measure(where, args))
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
