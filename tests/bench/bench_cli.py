"""Fixed cost of a command: ``workbench list``, ``show`` and ``search`` on a small library.

Usage: .venv/bin/python tests/bench/bench_cli.py [--docs 20] [--runs 5] [--out FILE]
           [--keep DIR]   (build the library in DIR and keep it)

A library of ``--docs`` text documents cut from ``tests/fixtures/corpus`` is made with the real
command line (``workbench init`` and ``import``). Then each command runs as a fresh process,
``--runs`` times after one warm-up run (so the page cache and ``.pyc`` files are warm for every
contender alike), and its wall time (median) and peak RSS (``os.wait4``: that process alone)
are taken. References, measured in the same run the same way:

- ``python -c pass``: the interpreter's own start, the floor of any Python command;
- an FTS5 query from a fresh ``python -c`` process over an FTS5 table of the same texts
  (connect, match, rank, snippet, print JSON): what "one search from a fresh process" costs
  without Workbench.

Prints one JSON object; the ratios are to those references. Not part of the test suite;
figures go to docs/PERFORMANCE.md ("## Fixed cost of a command").
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
PYTHON = sys.executable
WORD = "labour"  # occurs in the corpus: the search has hits, snippets and facets to make

FTS_QUERY = (
    "import json, sqlite3, sys\n"
    "con = sqlite3.connect(sys.argv[1])\n"
    "rows = con.execute(\"SELECT rowid, title, snippet(docs, 1, '[', ']', '…', 12) FROM docs "
    "WHERE docs MATCH ? ORDER BY rank LIMIT 20\", (sys.argv[2],)).fetchall()\n"
    "total = con.execute('SELECT count(*) FROM docs WHERE docs MATCH ?', (sys.argv[2],))"
    ".fetchone()[0]\n"
    "print(json.dumps({'total': total, 'hits': rows}))\n"
)


def paragraphs() -> list[str]:
    out: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        out += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return out


def documents(n: int) -> list[tuple[str, str]]:
    """``n`` (title, text) pairs: each a run of corpus paragraphs, deterministic."""
    paras = paragraphs()
    docs = []
    for i in range(n):
        body = [paras[(i * 3 + k) % len(paras)] for k in range(6)]
        docs.append((f"Document {i + 1:03d}", "\n\n".join([f"Document {i + 1:03d}", *body])))
    return docs


def workbench(library: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "workbench", "--library", str(library), *args]


def make_library(where: Path, n: int) -> Path:
    src = where / "texts"
    src.mkdir(parents=True)
    for i, (_title, text) in enumerate(documents(n)):
        (src / f"doc-{i + 1:03d}.txt").write_text(text, encoding="utf-8")
    lib = where / "lib"
    subprocess.run(workbench(lib, "init"), check=True, capture_output=True)
    subprocess.run(workbench(lib, "import", str(src)), check=True, capture_output=True)
    return lib


def make_fts(where: Path, n: int) -> Path:
    db = where / "fts.sqlite"
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body)")
    con.executemany("INSERT INTO docs VALUES (?, ?)", documents(n))
    con.commit()
    con.close()
    return db


def run_once(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of one process running ``cmd`` to its end."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read() if proc.stderr else b""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode()[-500:]}")
    return wall, usage.ru_maxrss // 1024  # Linux: kilobytes


def measure(cmd: list[str], runs: int) -> dict[str, Any]:
    run_once(cmd)  # warm-up
    walls, rss = [], []
    for _ in range(runs):
        w, m = run_once(cmd)
        walls.append(w)
        rss.append(m)
    return {"median_s": round(statistics.median(walls), 4), "min_s": round(min(walls), 4),
            "max_s": round(max(walls), 4), "peak_rss_mb": max(rss)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--keep", type=Path, help="build the library here and keep it")
    args = ap.parse_args()

    tmp = None
    if args.keep:
        where = args.keep
        where.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="bench-cli-")
        where = Path(tmp.name)
    try:
        lib = make_library(where, args.docs)
        fts = make_fts(where, args.docs)
        floor = measure([PYTHON, "-c", "pass"], args.runs)
        fts5 = measure([PYTHON, "-c", FTS_QUERY, str(fts), WORD], args.runs)
        commands = {
            "list": workbench(lib, "list", "--json"),
            "show": workbench(lib, "show", "1", "--json"),
            "search": workbench(lib, "search", WORD, "--json"),
        }
        results: dict[str, Any] = {}
        for name, cmd in commands.items():
            r = measure(cmd, args.runs)
            r["ratio_to_python_floor"] = round(r["median_s"] / floor["median_s"], 2)
            r["ratio_to_fts5_query"] = round(r["median_s"] / fts5["median_s"], 2)
            r["rss_ratio_to_fts5_query"] = round(r["peak_rss_mb"] / fts5["peak_rss_mb"], 2)
            results[name] = r
        out = {
            "docs": args.docs, "runs": args.runs, "cores": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": sys.version.split()[0],
            "references": {"python_c_pass": floor, "fts5_query_fresh_process": fts5},
            "commands": results,
            "target_s": 0.2,
        }
        text = json.dumps(out, indent=2)
        print(text)
        if args.out:
            args.out.write_text(text + "\n", encoding="utf-8")
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()
