"""Import throughput and peak memory: generated text PDFs end to end, against references.

Usage: .venv/bin/python tests/bench/bench_import.py [--files 100] [--pages 10] [--workers 2]
       [--corpus DIR] [--real PDF ...]
Prints one JSON object. Not part of the test suite; figures go to docs/PERFORMANCE.md.

Measured in the same run, each in a fresh process so its memory is its own:
- ``reference_pdfium``: pypdfium2 reading every page's text in one process (the floor);
- ``reference_pypdf``: pypdf's ``extract_text`` in one process, one core (on 30 files);
- ``import``: ``Workbench.import_paths`` into a new, empty library (plan and hash → store
  original → extract in the worker pool → persist → index hook → copies), timed around that
  call; the library is created beforehand by another process, as a user's library exists
  before they import into it (creating one runs the migrations: Alembic, ≈ 20 MB more);
- ``real``: the same import and pdfium reference on real PDFs (``--real``; by default the PDF
  manuals Debian ships when they are installed), three ways:
  ``import`` as above (cold: the workers start inside the timed call, as when a script calls
  ``import_paths`` with nothing prepared); ``prepared``, the workers started a second before
  the call by ``Workbench.prepare_import``, as the window starts them when its import chooser
  opens or files are dragged over it (and as the reference has pypdfium2 loaded before its
  clock starts); and ``cli``, ``workbench import`` run as a command from start to exit,
  against the reference run the same way (a fresh interpreter importing pypdfium2 and reading
  the files), each the median of ``--cli-runs``.

Times come from runs without the memory sampler (on two cores its reading of ``/proc`` slowed
the import's processes and not the one-process reference); memory from a second run with it.

Peak memory is sampled every 10 ms over the whole process tree (the importing process and its
extraction workers): ``peak_rss_mb`` is the largest sum of resident sets seen at one moment
(shared library pages counted once per process, so it overstates), ``peak_pss_mb`` the same
with shared pages divided among the processes sharing them (what the tree really costs).
A 10 ms sampler can miss a shorter spike; ``hwm_mb`` is each process's own high-water mark
(the kernel's ``VmHWM``, last read before it ended), which it cannot miss, by process.
``cpu_s`` is the CPU time of the child and the workers it waited for (user + system).

``--tree DIR`` imports ``workbench`` from another checkout (a worktree of an earlier commit),
so a before and an after can be measured in turns in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.files import make_pdf  # noqa: E402

WORDS = [
    "detention", "camp", "witness", "testimony", "forced", "labour", "transfer", "region",
    "report", "council", "rapporteur", "evidence", "surveillance", "family", "separation",
    "interview", "village", "factory", "policy", "commission", "investigation", "enforced",
    "disappearance", "prison", "court",
]
DEBIAN_PDFS = [Path("/usr/share/doc/libtasn1-doc/libtasn1.pdf"),
               Path("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf")]


def make_corpus(folder: Path, files: int, pages: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    out = []
    for i in range(files):
        texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(250, 450)))
                 for _ in range(pages)]
        out.append(make_pdf(folder / f"report-{i:04}.pdf", texts, title=f"Report {i}"))
    return out


# --- the children: each prints one JSON line ------------------------------------------------

PDFIUM = """
import json, sys, time
from pathlib import Path
import pypdfium2 as pdfium
files = sorted(Path(sys.argv[1]).glob('*.pdf'))
t0 = time.perf_counter(); pages = 0
for f in files:
    doc = pdfium.PdfDocument(str(f))
    for i in range(len(doc)):
        page = doc[i]; tp = page.get_textpage(); tp.get_text_range(); tp.close(); page.close()
        pages += 1
    doc.close()
print(json.dumps({"pages": pages, "elapsed_s": time.perf_counter() - t0}))
"""

PYPDF = """
import json, sys, time
from pathlib import Path
import pypdf
files = sorted(Path(sys.argv[1]).glob('*.pdf'))[:30]
t0 = time.perf_counter(); pages = 0
for f in files:
    for page in pypdf.PdfReader(str(f)).pages:
        page.extract_text(); pages += 1
print(json.dumps({"pages": pages, "elapsed_s": time.perf_counter() - t0}))
"""

CREATE = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from workbench.services import Workbench
Workbench.open(Path(sys.argv[1]), create=True).close()
print("{}")
"""

IMPORT = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from workbench.ingest import ImportOptions
from workbench.services import Workbench
wb = Workbench.open(Path(sys.argv[2]))
try:
    if sys.argv[5] == "prepared":  # as the window does when its import chooser opens
        wb.prepare_import(ImportOptions(workers=int(sys.argv[3])))
        time.sleep(1.0)
    t0 = time.perf_counter()
    report, _ = wb.import_paths([Path(sys.argv[1])], ImportOptions(workers=int(sys.argv[3])))
    elapsed = time.perf_counter() - t0
finally:
    wb.close()
print(json.dumps({"elapsed_s": elapsed, "imported": len(report.imported),
                  "failed": len(report.failed),
                  "pages": sum(o.pages for o in report.imported)}))
"""


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (children of any of their threads)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue  # it ended meanwhile
    return out


def _kb(path: str, key: str) -> int:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_child(code: str, *args: str, before: Callable[[], None] | None = None
              ) -> dict[str, Any]:
    """Run ``code`` twice in a fresh interpreter (``before`` each run): its JSON answer from
    a run left alone, with the tree's peak memory from a second, sampled run."""
    if before is not None:
        before()
    timed = subprocess.run([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                           cwd=str(ROOT), check=True)
    result: dict[str, Any] = json.loads(timed.stdout.decode().strip().splitlines()[-1])
    if before is not None:
        before()
    sampled = _sampled_child(code, *args)
    result.update({k: sampled[k] for k in ("peak_rss_mb", "peak_pss_mb", "hwm_mb", "cpu_s")})
    return result


def _sampled_child(code: str, *args: str) -> dict[str, Any]:
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            cwd=str(ROOT))
    peak_rss = peak_pss = 0
    hwm: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        while not done.is_set():
            pids = _tree(proc.pid)
            for p in pids:
                hwm[p] = max(hwm.get(p, 0), _kb(f"/proc/{p}/status", "VmHWM:"))
            peak_rss = max(peak_rss, sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids))
            peak_pss = max(peak_pss, sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed with {proc.returncode}")
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    result.update(peak_rss_mb=round(peak_rss / 1024, 1), peak_pss_mb=round(peak_pss / 1024, 1),
                  hwm_mb=[round(hwm[p] / 1024, 1) for p in sorted(hwm)],
                  cpu_s=round(usage.ru_utime + usage.ru_stime, 2))
    return result


def pages_per_s(r: dict[str, Any]) -> float:
    return round(r["pages"] / r["elapsed_s"], 1)


def _new_library(lib: Path, tree: Path) -> None:
    shutil.rmtree(lib, ignore_errors=True)
    subprocess.run([sys.executable, "-c", CREATE, str(lib), str(tree)], check=True,
                   stdout=subprocess.DEVNULL, cwd=str(ROOT))


def _import(src: Path, lib: Path, workers: int, tree: Path, mode: str) -> dict[str, Any]:
    """One import into a new library (each of ``run_child``'s two runs gets its own)."""
    return run_child(IMPORT, str(src), str(lib), str(workers), str(tree), mode,
                     before=lambda: _new_library(lib, tree))


def compare(src: Path, lib: Path, workers: int, tree: Path = ROOT,
            modes: tuple[str, ...] = ("cold",)) -> dict[str, Any]:
    ref = run_child(PDFIUM, str(src))
    out: dict[str, Any] = {"reference_pdfium": {**ref, "pages_per_s": pages_per_s(ref),
                                                "elapsed_s": round(ref["elapsed_s"], 3)}}
    for mode in modes:
        imp = _import(src, lib, workers, tree, mode)
        key = "import" if mode == "cold" else mode
        out[key] = {**imp, "pages_per_s": pages_per_s(imp), "elapsed_s": round(imp["elapsed_s"], 3)}
        out[f"{key}_slower_than_pdfium"] = round(imp["elapsed_s"] / ref["elapsed_s"], 2)
    out["slower_than_pdfium"] = out.pop("import_slower_than_pdfium")
    return out


CLI_REFERENCE = """
import sys
import pypdfium2 as pdfium
for f in sys.argv[1:]:
    doc = pdfium.PdfDocument(f)
    for i in range(len(doc)):
        page = doc[i]; tp = page.get_textpage(); tp.get_text_range(); tp.close(); page.close()
    doc.close()
"""


def compare_cli(files: list[Path], lib: Path, tree: Path, runs: int) -> dict[str, Any]:
    """``workbench import FILES`` from start to exit against the reference script, each a
    fresh process; medians of ``runs`` (a new library each time, created beforehand)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cli = [sys.executable, "-m", "workbench", "--library", str(lib), "import",
           *map(str, files)]
    ref_times, cli_times = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", CLI_REFERENCE, *map(str, files)], check=True)
        ref_times.append(time.perf_counter() - t0)
        _new_library(lib, tree)
        t0 = time.perf_counter()
        subprocess.run(cli, check=True, stdout=subprocess.DEVNULL, env=env, cwd=str(tree))
        cli_times.append(time.perf_counter() - t0)
    ref, imp = statistics.median(ref_times), statistics.median(cli_times)
    return {"workbench_import_s": round(imp, 3), "reference_s": round(ref, 3),
            "slower_than_reference": round(imp / ref, 2), "runs": runs}


def main() -> None:
    # Compiled modules, as an installed app has them (bench_app_start.py does the same):
    # with PYTHONDONTWRITEBYTECODE every child compiled the checkout's modules again.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--pages", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--corpus", type=Path,
                    help="keep the generated PDFs here and reuse them on the next run")
    ap.add_argument("--real", type=Path, nargs="*",
                    help="real PDFs for the mix (default: Debian's PDF manuals if installed)")
    ap.add_argument("--tree", type=Path, default=ROOT,
                    help="import workbench from this checkout (default: this one)")
    ap.add_argument("--cli-runs", type=int, default=5,
                    help="runs of the real mix's command-line comparison (median)")
    args = ap.parse_args()
    real = args.real if args.real is not None else [p for p in DEBIAN_PDFS if p.exists()]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = args.corpus or root / "pdfs"
        src.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        pdfs = sorted(src.glob("*.pdf"))
        if len(pdfs) != args.files:
            for old in pdfs:
                old.unlink()
            pdfs = make_corpus(src, args.files, args.pages)
        gen_s = time.perf_counter() - t0

        generated = compare(src, root / "lib", args.workers, args.tree.resolve())
        pypdf = run_child(PYPDF, str(src))
        result: dict[str, Any] = {
            "benchmark": "import",
            "files": args.files,
            "pages_per_file": args.pages,
            "workers": args.workers,
            "tree": str(args.tree),
            **generated,
            "reference_pypdf_one_core": {**pypdf, "pages_per_s": pages_per_s(pypdf)},
            "generate_s": round(gen_s, 1),
            "median_pdf_kb": round(statistics.median(p.stat().st_size for p in pdfs) / 1024,
                                   1),
            "load_average": os.getloadavg(),
        }
        if real:
            mix = root / "real"
            mix.mkdir()
            for i, p in enumerate(real):
                shutil.copyfile(p, mix / f"{i:02}-{p.name}")
            result["real"] = {"files": [p.name for p in real],
                              **compare(mix, root / "lib-real", args.workers,
                                        args.tree.resolve(), ("cold", "prepared")),
                              "cli": compare_cli(sorted(mix.iterdir()), root / "lib-cli",
                                                 args.tree.resolve(), args.cli_runs)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
