"""Fixed cost of a command: ``workbench list``, ``show`` and ``search`` on a small library.

Usage: .venv/bin/python tests/bench/bench_cli.py [--docs 20] [--runs 5] [--out FILE]
           [--keep DIR]   (build the library in DIR and keep it)
           [--rebuilt]    (also search a copy whose index `workbench reindex` rebuilt)

A library of ``--docs`` text documents cut from ``tests/fixtures/corpus`` is made with the real
command line (``workbench init`` and ``import``). Then each command runs as a fresh process,
``--runs`` times after one warm-up run (so the page cache and ``.pyc`` files are warm for every
contender alike), all contenders in turns, and its wall time (median), CPU time (user +
system, median) and peak RSS (``os.wait4``: that process alone) are taken. References,
measured in the same run the same way:

- ``python -c pass``: the interpreter's own start, the floor of any Python command;
- an FTS5 query from a fresh ``python -c`` process over an FTS5 table of the same texts
  (connect, match, rank, snippet, print JSON): what "one search from a fresh process" costs
  without Workbench.

With ``--before DIR`` (a source tree of another version, e.g. ``git worktree add DIR REV``), the
same three commands are also run by that version's code (``PYTHONPATH=DIR``) on the same
library, in the same turns: before and after from one run. ``--tree NAME=DIR`` does the same
for any other tree (e.g. a proposed change), its commands labelled ``list (NAME)``...

With ``--rebuilt``, ``search (rebuilt)`` searches a copy of the library whose index the bulk
writer rebuilt (``workbench reindex``, as a repair or an upgrade does): its segments keep
their positions in sidecars (``MAIN_*.wbx``), read without numpy for a small index.

With ``--breakdown``, also where a command's start-up goes: fresh processes that only import
SQLAlchemy, its ORM, Workbench's models, the facade, the read path of ``list``/``show``
(``workbench.fast_read``), Whoosh, numpy or the search engine, or build the command line's
parser.

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


BREAKDOWN = {  # each a fresh `python -c`: the cumulative cost of importing up to that layer
    "import sqlalchemy": "import sqlalchemy",
    "import sqlalchemy.orm": "import sqlalchemy.orm",
    "import workbench.models": "import workbench.models",
    "import workbench.services (the facade)": "import workbench.services",
    "import workbench.cli and build its whole parser":
        "import workbench.cli as c; c.build_parser()",
    # what a command pays: its own sub-parser (and module) only
    "import workbench.cli and build the parser of search":
        "import workbench.cli as c; c.parser_for(['search', 'x'])",
    # what `list`/`show` load besides the parser: the read path without SQLAlchemy
    "import workbench.fast_read": "import workbench.fast_read",
    # what `search` loads besides: the read path, then the engine (its package's __init__
    # loads hook.py: SQLAlchemy, the library, the models), then numpy (bulkquery)
    "import workbench.search.read_only": "import workbench.search.read_only",
    "import workbench.search.whoosh.engine": "import workbench.search.whoosh.engine",
    "import workbench.search.whoosh.bulkquery": "import workbench.search.whoosh.bulkquery",
    "import whoosh.index": "import whoosh.index",
    "import numpy": "import numpy",
}


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


PYTHONPATH: dict[str, str] = {}  # label -> the source tree its command runs from
# Commands run from here, not from the checkout: `python -m` puts the working folder first on
# sys.path, which would shadow --before's tree.
NEUTRAL = Path(tempfile.gettempdir())


def run_once(cmd: list[str], label: str = "") -> tuple[float, int, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of one process running
    ``cmd`` to its end. CPU time is what the process itself spent: on a loaded machine, where
    wall time mostly measures the wait for a core, it is the steadier figure."""
    env = None
    if label in PYTHONPATH:
        env = {**os.environ, "PYTHONPATH": PYTHONPATH[label]}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            cwd=NEUTRAL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read() if proc.stderr else b""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode()[-500:]}")
    return wall, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime  # Linux: kB


def measure(cmds: dict[str, list[str]], runs: int) -> dict[str, dict[str, Any]]:
    """Each command ``runs`` times, taken in turns (one run of each, then the next round), so
    a machine whose load changes meanwhile weighs on every contender alike."""
    for name, cmd in cmds.items():
        run_once(cmd, name)  # warm-up
    walls: dict[str, list[float]] = {name: [] for name in cmds}
    rss: dict[str, list[int]] = {name: [] for name in cmds}
    cpu: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            w, m, c = run_once(cmd, name)
            walls[name].append(w)
            rss[name].append(m)
            cpu[name].append(c)
    return {name: {"median_s": round(statistics.median(walls[name]), 4),
                   "min_s": round(min(walls[name]), 4), "max_s": round(max(walls[name]), 4),
                   "cpu_median_s": round(statistics.median(cpu[name]), 4),
                   "peak_rss_mb": max(rss[name])} for name in cmds}


def main() -> None:
    # Compiled modules, as an installed app has them (bench_app_start.py does the same):
    # with PYTHONDONTWRITEBYTECODE every child compiled the checkout's modules again.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--keep", type=Path, help="build the library here and keep it")
    ap.add_argument("--before", type=Path, metavar="DIR",
                    help="a source tree of another version: run the commands with it too")
    ap.add_argument("--tree", action="append", default=[], metavar="NAME=DIR",
                    help="another source tree whose commands run too, labelled NAME")
    ap.add_argument("--rebuilt", action="store_true",
                    help="also search a copy of the library whose index was rebuilt")
    ap.add_argument("--breakdown", action="store_true",
                    help="also time the import of each layer in a fresh process")
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
        commands = {
            "list": workbench(lib, "list", "--json"),
            "show": workbench(lib, "show", "1", "--json"),
            "search": workbench(lib, "search", WORD, "--json"),
        }
        if args.rebuilt:
            import shutil

            again = where / "rebuilt"
            shutil.copytree(lib, again, ignore=shutil.ignore_patterns("*.lock"))
            subprocess.run(workbench(again, "reindex"), check=True, capture_output=True)
            assert list((again / "index").rglob("*.wbx")), "the rebuild wrote no sidecar"
            commands["search (rebuilt)"] = workbench(again, "search", WORD, "--json")
        trees = [("before", args.before)] if args.before else []
        trees += [(t.split("=", 1)[0], Path(t.split("=", 1)[1])) for t in args.tree]
        for label, tree in trees:
            for name in ("list", "show", "search", "search (rebuilt)"):
                if name not in commands:
                    continue
                commands[f"{name} ({label})"] = commands[name]
                PYTHONPATH[f"{name} ({label})"] = str(tree.resolve())
        stage_cmds = {label: [PYTHON, "-c", code] for label, code in BREAKDOWN.items()
                      } if args.breakdown else {}
        measured = measure({"floor": [PYTHON, "-c", "pass"],
                            "fts5": [PYTHON, "-c", FTS_QUERY, str(fts), WORD],
                            **commands, **stage_cmds}, args.runs)
        floor, fts5 = measured["floor"], measured["fts5"]
        results: dict[str, Any] = {}
        for name in commands:
            r = measured[name]
            r["ratio_to_python_floor"] = round(r["median_s"] / floor["median_s"], 2)
            r["ratio_to_fts5_query"] = round(r["median_s"] / fts5["median_s"], 2)
            r["cpu_ratio_to_python_floor"] = round(r["cpu_median_s"] / floor["cpu_median_s"], 2)
            r["rss_ratio_to_fts5_query"] = round(r["peak_rss_mb"] / fts5["peak_rss_mb"], 2)
            results[name] = r
        stages = {}
        for label in stage_cmds:
            r = measured[label]
            r["ratio_to_python_floor"] = round(r["median_s"] / floor["median_s"], 2)
            r["cpu_ratio_to_python_floor"] = round(r["cpu_median_s"] / floor["cpu_median_s"], 2)
            stages[label] = r
        out = {
            "docs": args.docs, "runs": args.runs, "cores": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": sys.version.split()[0],
            "references": {"python_c_pass": floor, "fts5_query_fresh_process": fts5},
            "commands": results,
            **({"breakdown": stages} if stages else {}),
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
