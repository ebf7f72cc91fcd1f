"""Smoke-test the standalone build as a user would run it (``make dist-check``).

    python3 packaging/smoke_test.py [dist/Workbench-<version>-linux-x86_64.tar.gz]
        [--source-exe .venv/bin/workbench] [--json-out FILE] [--keep]

Run by the system's python3, standard library only: nothing of the checkout or its virtual
environment is imported or put on a path. The archive is unpacked into a new temporary
folder outside the checkout, and every run of ``Workbench`` gets a clean environment
(``HOME`` in that folder, ``PATH=/usr/bin:/bin``, ``LANG=C.UTF-8``; no PYTHONPATH, no venv)
and that folder as its working directory. Then:

1. the window: ``Workbench`` (no arguments) and ``Workbench gui`` under Xvfb, until
   ``xdotool`` sees the window (and its title names the opened library), timed;
   ``--source-exe`` times the source install's ``workbench gui`` the same way, for the ratio;
2. the command line's main path, with ``--json``, each result checked: init, import a PDF,
   an HTML page and an mbox (the extractor workers must be the unpacked ``Workbench``),
   search, add a highlight, create a dossier, add the highlight, export it to PDF and to a
   bundle, verify-bundle the bundle;
3. the PDF layout worker, started from the build as ``Workbench`` starts it.

Prints a JSON summary (sizes in MB, seconds); exits 1 with one line on the first failure.
"""

from __future__ import annotations

import argparse
import email.message
import hashlib
import html
import json
import mailbox
import os
import pickle
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import spec_common  # packaging/, beside this script: the one reader of the version

CHECKOUT = Path(__file__).resolve().parents[1]
CORPUS = CHECKOUT / "tests" / "fixtures" / "corpus"
# workbench/subprocess_cmd.py's INTERNAL_SWITCH: how the build starts its own workers.
INTERNAL_SWITCH = "--workbench-internal-run"
WINDOW_TIMEOUT = 90.0
# One made-up word per file, so a search names exactly the file it came from.
MARKERS = {"pdf": "zebrafinch", "html": "quokkabay", "mbox": "narwhalmail"}


class SmokeFailure(Exception):
    """A step did not do what a user would expect."""


def check(condition: object, what: str) -> None:
    if not condition:
        raise SmokeFailure(what)


# --- the sample files -------------------------------------------------------------------

def corpus_sentences() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
    text = text.translate(str.maketrans("‘’“”–—", "''\"\"--"))  # the PDF's font is Latin-1
    sentences = [" ".join(s.split()) for s in re.split(r"(?<=[.!?])\s+", text)]
    return list(dict.fromkeys(s for s in sentences if 50 <= len(s) <= 90 and s.isascii()
                              and not set(s) & set("()\\[]")))


def make_pdf(path: Path, lines: list[str]) -> None:
    """A one-page text PDF (Helvetica, ASCII), written by hand: no PDF library needed."""
    body = "BT /F1 11 Tf 72 740 Td 15 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(body)} >>\nstream\n{body}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info << /Title "
            f"(Smoke test report) >> >>\nstartxref\n{xref}\n%%EOF\n").encode()
    path.write_bytes(bytes(out))


def make_files(folder: Path) -> dict[str, Any]:
    sentences = corpus_sentences()
    check(len(sentences) >= 9, f"too few sentences in {CORPUS}")
    pdf_lines = [*sentences[0:3], f"The {MARKERS['pdf']} paragraph closes the report."]
    make_pdf(folder / "report.pdf", pdf_lines)
    html = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Saved article</title>"
            "</head><body><nav>Home News</nav><main><article><h1>Saved article</h1>"
            + "".join(f"<p>{s}</p>" for s in sentences[3:6])
            + f"<p>Witnesses near {MARKERS['html']} described the transfers.</p>"
            "</article></main><footer>Copyright</footer></body></html>")
    (folder / "article.html").write_text(html, encoding="utf-8")
    box = mailbox.mbox(str(folder / "mail.mbox"))
    for i, sentence in enumerate(sentences[6:9]):
        msg = email.message.EmailMessage()
        msg["From"] = "researcher@example.org"
        msg["To"] = "team@example.org"
        msg["Subject"] = f"Field note {i + 1}"
        msg["Date"] = f"Mon, 0{i + 1} Aug 2022 10:00:00 +0000"
        msg.set_content(sentence + (f" Filed under {MARKERS['mbox']}." if i == 0 else ""))
        box.add(msg)
    box.close()
    return {"quote": sentences[1]}


# --- running the build ------------------------------------------------------------------

class Runner:
    def __init__(self, exe: Path, home: Path, cwd: Path) -> None:
        self.exe, self.cwd = exe, cwd
        self.env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        self.times: dict[str, float] = {}

    def cli(self, step: str, *args: str, expect: int = 0) -> Any:
        started = time.monotonic()
        proc = subprocess.run([str(self.exe), "--library", "lib", *args, "--json"],
                              cwd=self.cwd, env=self.env, capture_output=True, text=True,
                              timeout=300)
        self.times[step] = round(time.monotonic() - started, 2)
        check(proc.returncode == expect,
              f"{step}: exit {proc.returncode} (expected {expect}): {proc.stderr.strip()[-500:]}")
        check("Traceback" not in proc.stderr, f"{step}: a traceback: {proc.stderr[-500:]}")
        try:
            return json.loads(proc.stdout)
        except ValueError:
            raise SmokeFailure(f"{step}: not JSON on stdout: {proc.stdout[:300]!r}") from None


def descendants(root: int) -> dict[int, tuple[str, str]]:
    """pid -> (executable, command line) of every process below ``root``."""
    parent: dict[int, int] = {}
    info: dict[int, tuple[str, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent[int(entry.name)] = int(stat[stat.rindex(")") + 2:].split()[1])
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            info[int(entry.name)] = (os.readlink(entry / "exe"), cmd.strip())
        except (OSError, ValueError):
            continue
    found: dict[int, tuple[str, str]] = {}
    for pid in info:
        p = pid
        while p in parent and p != root and p > 1:
            p = parent[p]
        if p == root and pid != root:
            found[pid] = info[pid]
    return found


def import_watching_workers(run: Runner, files: list[str]) -> tuple[Any, dict[int, tuple]]:
    """``import FILES --json``, noting every process the import starts while it runs."""
    started = time.monotonic()
    proc = subprocess.Popen([str(run.exe), "--library", "lib", "import", *files, "--json"],
                            cwd=run.cwd, env=run.env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    seen: dict[int, tuple[str, str]] = {}
    while proc.poll() is None:
        seen.update(descendants(proc.pid))
        time.sleep(0.01)
    out, err = proc.communicate()
    run.times["import"] = round(time.monotonic() - started, 2)
    check(proc.returncode == 0, f"import: exit {proc.returncode}: {err.strip()[-500:]}")
    return json.loads(out), seen


# --- the window -------------------------------------------------------------------------

def free_display() -> int:
    """A display number no X server uses, as a client would look for it.

    Xvfb's own choice (``-displayfd`` alone) starts at :0 and checks only the lock file in
    /tmp; an X server of another mount namespace (a test with its own /tmp) still holds the
    abstract socket of that number, which clients try first, and the app would connect to
    the wrong server, or to none.
    """
    for number in random.sample(range(100, 1000), 100):
        if Path(f"/tmp/.X{number}-lock").exists():
            continue
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(f"\0/tmp/.X11-unix/X{number}")
            except OSError:
                continue
        return number
    raise SmokeFailure("no free X display number")


class Xvfb:
    def __enter__(self) -> Xvfb:
        read, write = os.pipe()
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            ["Xvfb", f":{free_display()}", "-displayfd", str(write), "-screen", "0",
             "1280x800x24", "-nolisten", "tcp",
             # An X server resets when its last client leaves (a window closed between two
             # runs) and refuses connections meanwhile: the next app would not start.
             "-noreset"], pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=self.log)
        os.close(write)
        with os.fdopen(read) as fh:
            number = fh.readline().strip()
        check(number.isdigit(), "Xvfb did not start")
        self.display = f":{number}"
        return self

    def alive(self) -> None:
        if self.proc.poll() is not None:
            self.log.seek(0)
            raise SmokeFailure(f"Xvfb {self.display} stopped (code {self.proc.returncode}): "
                               f"{self.log.read()[-500:]!r}")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()


def windows(display: str, pattern: str) -> list[str]:
    proc = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", pattern],
                          env={"DISPLAY": display, "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True)
    return proc.stdout.split()


def time_window(cmd: list[str], env: dict[str, str], cwd: Path, x: Xvfb) -> dict[str, float]:
    """Seconds from start until the window is shown, and until its title names the library."""
    with tempfile.TemporaryFile() as errors:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=cwd, env={**env, "DISPLAY": x.display},
                                stdout=subprocess.DEVNULL, stderr=errors,
                                start_new_session=True)
        shown = ready = None
        try:
            while time.monotonic() - started < WINDOW_TIMEOUT:
                if proc.poll() is not None:
                    x.alive()
                    errors.seek(0)
                    raise SmokeFailure(f"{' '.join(cmd)}: the app exited (code "
                                       f"{proc.returncode}) before its window was up: "
                                       f"{errors.read()[-500:]!r}")
                now = time.monotonic() - started
                if shown is None and windows(x.display, "Workbench"):
                    shown = now
                if windows(x.display, " — Workbench$"):  # "<library> — Workbench": it is open
                    ready = now
                    shown = shown if shown is not None else now
                    break
                time.sleep(0.05)
            check(ready is not None, f"{' '.join(cmd)}: no window within {WINDOW_TIMEOUT:g} s")
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return {"window_s": round(shown or 0.0, 2), "ready_s": round(ready or 0.0, 2)}


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: min(r[key] for r in runs) for key in runs[0]}


# --- the steps --------------------------------------------------------------------------

def unpack(archive: Path, into: Path) -> Path:
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        tops = {n.split("/", 1)[0] for n in names}
        check(len(tops) == 1, f"the archive should hold one top-level folder, not {tops}")
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, filter="data")
        else:
            tar.extractall(into)
    top = into / tops.pop()
    check(re.fullmatch(r"Workbench-\d[\w.+-]*", top.name), f"odd folder name {top.name}")
    for name in ("Workbench", "_internal", "install.sh", "uninstall.sh", "workbench.desktop",
                 "workbench.svg"):
        check((top / name).exists(), f"{name} is missing from {top.name}/")
    check(os.access(top / "Workbench", os.X_OK), "Workbench is not executable")
    return top


def postgres_driver(run: Runner) -> str:
    """A shared library's driver is in the build: ``init --database`` on a server that is not
    there fails as a connection the user can fix, not as a module the build left out."""
    proc = subprocess.run(
        [str(run.exe), "--library", "shared", "init", "--database",
         "postgresql://nobody@/nodb?host=/nonexistent-socket-dir", "--store", "store"],
        cwd=run.cwd, env=run.env, capture_output=True, text=True, timeout=120)
    check(proc.returncode == 1 and "Cannot reach" in proc.stderr
          and "Traceback" not in proc.stderr,
          f"init --database: exit {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return "loads (an absent server is reported as unreachable)"


def cli_main_path(run: Runner, work: Path, out: Path, summary: dict[str, Any], *,
                  watch_workers: bool = True) -> dict[str, Any]:
    """The main path every platform's build must walk (init, import a PDF, an HTML page and an
    mbox, search, highlight, dossier, PDF and bundle export, verify-bundle); returns the import
    result by file. ``watch_workers`` (Linux: through /proc) also checks that each extractor
    worker was started from the build itself."""
    facts = make_files(work)
    result = run.cli("init", "init")
    check(result.get("encrypted") is False and Path(result["library"]).name == "lib",
          f"init: {result}")

    files = ["report.pdf", "article.html", "mail.mbox"]
    if watch_workers:
        result, procs = import_watching_workers(run, files)
    else:
        result, procs = run.cli("import", "import", *files), {}
    by_path = {Path(item["path"]).name: item for item in result["imported"]}
    check(result["failed"] == [] and result["counts"]["imported"] == 3,
          f"import: {json.dumps(result)[:800]}")
    check(result["counts"]["inside_imported"] == 3, f"import: the mbox's 3 messages: "
          f"{result['counts']}")
    check(by_path["report.pdf"]["pages"] == 1, f"import: {by_path['report.pdf']}")
    if watch_workers:
        _check_workers(run, procs, summary)

    for kind, word in MARKERS.items():
        found = run.cli(f"search {kind}", "search", word)
        check(found["total"] == 1, f"search {word}: {found['total']} hits, expected 1")
        hit = found["hits"][0]
        check(word in hit["snippet"], f"search {word}: snippet {hit['snippet']!r}")
        if kind != "mbox":
            expected = by_path["report.pdf" if kind == "pdf" else "article.html"]["id"]
            check(hit["document_id"] == expected, f"search {word}: document {hit}")
    pdf_id = by_path["report.pdf"]["id"]

    hl = run.cli("highlight add", "highlight", "add", str(pdf_id), "--quote", facts["quote"],
                 "--tag", "Smoke/Test")
    check(hl["document_id"] == pdf_id and hl["quote"] == facts["quote"] and hl["page"] == 1,
          f"highlight add: {hl}")
    dossier = run.cli("dossier create", "dossier", "create", "Smoke test dossier")["id"]
    added = run.cli("dossier add", "dossier", "add", str(dossier), "--highlight", str(hl["id"]),
                    "--commentary", "Added by the smoke test")
    check(added["dossier"] == dossier and added["label"], f"dossier add: {added}")

    pdf = out / "dossier.pdf"
    exported = run.cli("export pdf", "dossier", "export", str(dossier), "--format", "pdf",
                       "-o", str(pdf))
    data = pdf.read_bytes() if pdf.is_file() else b""
    check(data.startswith(b"%PDF") and exported["sha256"] == hashlib.sha256(data).hexdigest(),
          f"export pdf: {exported}")
    check(exported["leak_checks"] is not None, f"export pdf: {exported}")

    bundle = out / "dossier.zip"
    exported = run.cli("export bundle", "dossier", "export", str(dossier), "--format", "bundle",
                       "-o", str(bundle))
    check(bundle.is_file() and exported["sha256"] == hashlib.sha256(bundle.read_bytes())
          .hexdigest(), f"export bundle: {exported}")
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
    sha = by_path["report.pdf"]["sha256"]
    check(any(n.endswith("data/dossier.pdf") for n in names) and
          any(n.endswith(f"data/originals/{sha}.pdf") for n in names),
          f"export bundle: its files {names}")
    verified = run.cli("verify-bundle", "verify-bundle", str(bundle))
    check(verified["ok"] is True and verified["problems"] == [] and
          verified["files_checked"] >= 5, f"verify-bundle: {verified}")
    return by_path


def _check_workers(run: Runner, procs: dict[int, tuple], summary: dict[str, Any]) -> None:
    workers = {pid: p for pid, p in procs.items() if INTERNAL_SWITCH in p[1]}
    check(workers, "import: no extractor worker process was seen")
    for exe, cmd in procs.values():
        check(Path(exe) == run.exe.resolve(),
              f"import: a process not started from the build: {exe} ({cmd})")
    check(any("workbench.extract.worker" in cmd for _exe, cmd in workers.values()),
          f"import: the workers seen: {workers}")
    summary["extractor_workers"] = sorted({cmd for _exe, cmd in workers.values()})


def ocr(run: Runner, work: Path, pdf_id: int) -> str:
    """Import a scan (the PDF's page as an image): the build's extractor worker runs the
    system's Tesseract. Skipped where Tesseract or pdftoppm (Poppler) is not installed."""
    path = "/usr/bin:/bin"
    if not (shutil.which("tesseract", path=path) and shutil.which("pdftoppm", path=path)):
        return "skipped: tesseract or pdftoppm is not installed"
    subprocess.run(["pdftoppm", "-png", "-r", "300", "-singlefile", "report.pdf", "scan"],
                   cwd=work, check=True, timeout=60)
    result = run.cli("import scan", "import", "scan.png")
    check(result["failed"] == [] and result["counts"]["imported"] == 1, f"import scan: {result}")
    scan_id = result["imported"][0]["id"]
    found = run.cli("search scan", "search", MARKERS["pdf"])
    ids = {hit["document_id"] for hit in found["hits"]}
    check(ids == {pdf_id, scan_id}, f"search {MARKERS['pdf']} after OCR: documents {ids}, "
          f"expected the PDF {pdf_id} and its scan {scan_id}: {result['imported'][0]}")
    return "ok"


def copies(run: Runner, work: Path) -> str:
    """An article imported as text and as a saved page: the build finds they are copies. (The
    build once lacked numpy.random, which drawing the signature's permutations needed: no
    copy was ever found in it, and the log alone said so.)"""
    article = sorted(CORPUS.glob("*.txt"))[0].read_text(encoding="utf-8")
    (work / "statement.txt").write_text(article, encoding="utf-8")
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article.split("\n") if p.strip())
    (work / "statement.html").write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Statement</title></head>"
        f"<body>{paragraphs}</body></html>", encoding="utf-8")
    result = run.cli("import copies", "import", "statement.txt", "statement.html")
    check(result["failed"] == [] and result["counts"]["imported"] == 2,
          f"import copies: {json.dumps(result)[:800]}")
    ids = {Path(item["path"]).name: item["id"] for item in result["imported"]}
    found = run.cli("copies", "copies", str(ids["statement.txt"]))
    check([c["document_id"] for c in found["copies"]] == [ids["statement.html"]],
          f"copies of the statement: {json.dumps(found)[:800]}")
    return "ok"


def doctor(run: Runner) -> dict[str, Any]:
    """The optional system tools as the build sees them: name -> version (None: missing).

    The build's own libraries must not hide the system's from the programs it starts: a
    Tesseract installed on this machine has to be found and run from the build as well.
    """
    report = run.cli("doctor", "doctor")
    tools = {tool["name"]: tool["version"] if tool["available"] else None
             for tool in report["tools"]}
    if shutil.which("tesseract", path="/usr/bin:/bin"):
        check(tools.get("tesseract"), f"doctor: Tesseract is installed but the build cannot "
              f"run it: {report['tools']}")
    return tools


def layout_worker(run: Runner) -> float:
    """Lay out one HTML page in the build's PDF layout worker, started as the app starts it."""
    started = time.monotonic()
    job = pickle.dumps(("<html><body><h1>Smoke</h1><p>Laid out in the worker.</p></body>"
                        "</html>", "file:///"), protocol=pickle.HIGHEST_PROTOCOL)
    proc = subprocess.run(
        [str(run.exe), INTERNAL_SWITCH, "call", "workbench.export.pdf_layout", "serve"],
        input=job, cwd=run.cwd, env=run.env, capture_output=True, timeout=120)
    check(proc.returncode == 0, f"layout worker: exit {proc.returncode}: "
          f"{proc.stderr.decode(errors='replace')[-500:]}")
    answer = pickle.loads(proc.stdout)
    check(isinstance(answer, dict) and answer["pages"] == 1 and
          answer["pdf"].startswith(b"%PDF"), f"layout worker: {str(answer)[:300]}")
    return round(time.monotonic() - started, 2)


def gui(run: Runner, source_exe: Path | None, home: Path, summary: dict[str, Any]) -> None:
    with Xvfb() as x:
        # No arguments: what the menu entry and a double click do.
        summary["window_no_args"] = time_window([str(run.exe)], run.env, run.cwd, x)
        frozen, source = [], []
        for _ in range(2):  # alternated, each warm, the best of two
            frozen.append(time_window([str(run.exe), "gui"], run.env, run.cwd, x))
            if source_exe is not None:
                env = {**run.env, "HOME": str(home.parent / "source-home")}
                source.append(time_window([str(source_exe), "gui"], env, run.cwd, x))
    summary["start_to_window_frozen"] = best(frozen)
    if source:
        summary["start_to_window_source"] = best(source)
        summary["window_ratio"] = round(best(frozen)["window_s"] / best(source)["window_s"], 2)
        summary["ready_ratio"] = round(best(frozen)["ready_s"] / best(source)["ready_s"], 2)


def default_archive() -> Path:
    """The archive packaging/build_dist.py names for this checkout's version and machine."""
    return (CHECKOUT / "dist" /
            f"Workbench-{spec_common.version()}-linux-{platform.machine()}.tar.gz")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path, nargs="?", default=default_archive(),
                        help="default: the one `make dist` builds from this checkout")
    parser.add_argument("--source-exe", type=Path,
                        help="the source install's workbench, to time its window too")
    parser.add_argument("--json-out", type=Path, help="also write the summary here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    archive = args.archive.resolve()
    source_exe = args.source_exe.absolute() if args.source_exe else None
    tmp = Path(tempfile.mkdtemp(prefix="workbench-smoke-"))
    summary: dict[str, Any] = {"archive": archive.name,
                               "archive_mb": round(archive.stat().st_size / 1e6, 1)}
    try:
        for program, package in (("Xvfb", "xvfb"), ("xdotool", "xdotool")):
            check(shutil.which(program), f"{program} is needed to see the window come up "
                  f"(sudo apt-get install -y {package})")
        check(CHECKOUT not in tmp.parents, "the temporary folder is inside the checkout")
        started = time.monotonic()
        top = unpack(archive, tmp)
        summary["unpack_s"] = round(time.monotonic() - started, 2)
        summary["unpacked_mb"] = round(sum(p.lstat().st_size for p in top.rglob("*")
                                           if not p.is_dir()) / 1e6, 1)
        for name in ("home", "source-home", "work", "out"):
            (tmp / name).mkdir()
        run = Runner(top / "Workbench", tmp / "home", tmp / "work")
        by_path = cli_main_path(run, tmp / "work", tmp / "out", summary)
        summary["system_tools"] = doctor(run)
        summary["postgres_driver"] = postgres_driver(run)
        summary["ocr"] = ocr(run, tmp / "work", by_path["report.pdf"]["id"])
        summary["copies"] = copies(run, tmp / "work")
        summary["layout_worker_s"] = layout_worker(run)
        summary["cli_steps_s"] = run.times
        gui(run, source_exe, tmp / "home", summary)
    except (SmokeFailure, subprocess.TimeoutExpired, OSError, KeyError, ValueError) as exc:
        sys.stderr.write(f"smoke test: FAILED: {type(exc).__name__}: {exc}\n"
                         f"(kept for a look: {tmp})\n")
        return 1
    summary["smoke_s"] = round(time.monotonic() - started, 1)
    text = json.dumps(summary, indent=2, ensure_ascii=False)
    print(text)
    if args.json_out:
        args.json_out.write_text(text + "\n", encoding="utf-8")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
