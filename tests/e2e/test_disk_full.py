"""A library whose disk is full (a tiny tmpfs, built in a mount namespace, or an injected
ENOSPC): the import says the LIBRARY's disk is full and stops the batch, search says its
index is incomplete, and an export to a full disk is one line and leaves no partial file.

(Written by the second helper on issue 15 part 2, items 2-4; item 1, the read-only library,
is tests/e2e/test_readonly_library.py.)
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_dossier_fixtures import REPORT, corpus_library, doc_ids
from tests.support.fsconditions import ROOT, Run, copy_out, require_unshare, small_disk


def run_all(setup: str, commands: list[list[str]], after: str = "") -> tuple[list[Run], str]:
    """Like ``fsconditions.run_cli``, and also the whole process's stderr: what Python prints
    outside any command (``Exception ignored in ...``) is seen too."""
    spec = shlex.quote(json.dumps(commands))
    script = f"set -e; {setup}; {shlex.quote(sys.executable)} -m tests.support.fsconditions {spec}"
    if after:
        script += f"; {after}"
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=ROOT, env=dict(os.environ),
                          capture_output=True, text=True, timeout=240)
    lines = [x for x in proc.stdout.splitlines() if x.startswith("[{")]
    assert lines, f"the namespace run failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return [Run(**row) for row in json.loads(lines[-1])], proc.stderr


def one_line(run: Run, *words: str) -> str:
    """The run failed (exit 1) with one line on stderr holding ``words``; returns it."""
    assert run.code == 1, (run.argv, run.code, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, f"{run.argv}: {run.stderr}"
    for word in words:
        assert word in lines[0], f"{run.argv}: {lines[0]}"
    return lines[0]


@pytest.fixture(scope="module")
def dossier_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A library with a dossier, and the size in bytes of each export of it."""
    from workbench.services import Workbench

    lib = corpus_library(tmp_path_factory.mktemp("dossier") / "lib",
                         tmp_path_factory.getbasetemp())
    out = tmp_path_factory.mktemp("sizes")
    sizes = {}
    with Workbench.open(lib, program="tests") as wb:
        doc = doc_ids(wb)[REPORT]
        h = wb.add_highlight(doc, quote="long-overdue report").highlight_ids[0]
        d = wb.create_dossier("Evidence").dossier_ids[0]
        wb.add_item(d, highlight=h, commentary="On her last day. " * 200)
        wb.add_item(d, document=doc)
        for name, fmt in NAMES.items():
            result = wb.export(d, fmt, out / name)
            sizes[name] = result["size"]
    return lib, sizes


NAMES = {"e.docx": "docx", "e.pdf": "pdf", "b.zip": "bundle", "bag": "bundle",
         "e.html": "html"}
# The export fails at different points (the first write, the zip's central directory, the
# final flush) depending on how much room is left: a disk with room for a fraction of it.
EXPORTS = [("e.docx", f) for f in (0.1, 0.3, 0.5, 0.7, 0.9)] + [
    ("e.pdf", 0.3), ("e.pdf", 0.8), ("b.zip", 0.3), ("b.zip", 0.8), ("bag", 0.5),
    ("e.html", 0.5)]


def test_an_export_to_a_full_disk_says_so_and_leaves_nothing(
        dossier_library: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    require_unshare()
    lib, sizes = dossier_library
    setup, commands, listing = [], [], []
    for n, (name, part) in enumerate(EXPORTS):
        out = tmp_path / f"out{n}"
        room = max(4, int(sizes[name] * part) // 4096 * 4)  # tmpfs counts 4 KiB pages
        setup.append(small_disk(out, f"{room}k"))
        commands.append(["--library", str(lib), "dossier", "export", "1",
                         "--format", NAMES[name], "-o", str(out / name)])
        listing.append(f"ls -A {out} > {tmp_path}/list{n}")
    runs, stderr = run_all(" && ".join(setup), commands, after=" && ".join(listing))
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    for n, run in enumerate(runs):
        assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr, \
            run.stderr
        one_line(run, "disk is full", "nothing was written")
        left = (tmp_path / f"list{n}").read_text().split()
        assert left == [], (run.argv, left)  # no partial file, no temporary folder


def _texts(folder: Path, n: int, words: int) -> Path:
    folder.mkdir()
    for i in range(n):
        body = " ".join(f"w{i}x{k % 997}" for k in range(words))
        (folder / f"f{i:02}.txt").write_text(f"Statement {i} marker{i}.\n{body}\n",
                                             encoding="utf-8")
    return folder


def test_an_import_into_a_full_library_says_so_and_stops(tmp_path: Path,
                                                         library_path: Path) -> None:
    """A library on a tiny disk: the files fit the source disk, not the library's."""
    require_unshare()
    src = _texts(tmp_path / "src", 10, 12_000)  # ~110 KB each, stored twice (original, text)
    lib, kept = tmp_path / "lib", tmp_path / "kept"
    seed = sum(p.stat().st_size for p in library_path.rglob("*") if p.is_file())
    room = (seed // 1024 + 700) // 4 * 4
    runs, stderr = run_all(
        small_disk(lib, f"{room}k", copy_from=library_path),
        [["--library", str(lib), "--json", "import", str(src)]],
        after=copy_out(lib, kept))
    run = runs[0]
    assert "Traceback" not in stderr + run.stderr and "internal error" not in run.stderr
    assert run.code == 1, run.stderr
    out = run.json()
    c = out["counts"]
    assert c["imported"] >= 1 and c["failed"] == 1 and c["not_attempted"] >= 1, out
    assert c["imported"] + c["failed"] + c["not_attempted"] == 10
    stop = next(f for f in out["failed"] if f["status"] != "not attempted")
    assert stop["status"] == "library disk full", out["failed"]
    assert stop["error"].startswith("the library's disk is full: ")
    assert stop["error"].endswith("; free space and import again")
    assert out["stopped"].startswith("The library's disk is full")
    # The search index, written by its own thread, may meet the full disk first: it says so
    # in the same words (its update is redone when there is room), and nothing else is added.
    lines = [line for line in run.stderr.strip().splitlines()
             if not line.startswith("workbench: WARNING: search index update failed: the "
                                    "library's disk is full (no space left on device while "
                                    "writing the search index); it will be rebuilt")]
    assert "unreadable" not in run.stderr and len(lines) == 2, run.stderr
    assert lines[-1].startswith("workbench: import stopped: The library's disk is full")
    assert lines[-1].endswith(f"{c['not_attempted']} more files not attempted")

    # Nothing half-written: each original kept has its document, and the library verifies.
    from workbench.services import Workbench

    with Workbench.open(kept, program="tests") as wb:
        docs = wb.list_documents()
        assert len(docs) == c["imported"]
        assert len(list(wb.library.originals.iter_hashes())) == len(docs)
        assert not list(wb.library.originals.root.glob(".incoming-*"))
        verified = wb.verify()
        assert verified["ok"], verified


def test_a_full_library_reads_and_every_write_says_its_disk_is_full(
        dossier_library: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    """The library's disk filled up entirely (by anything: another program's files)."""
    require_unshare()
    seed, _sizes = dossier_library
    lib = tmp_path / "lib"
    size = sum(p.stat().st_size for p in seed.rglob("*") if p.is_file()) // 1024 + 400
    fill = f"(dd if=/dev/zero of={lib}/other-program.bin bs=4k 2>/dev/null || true)"
    at = ["--library", str(lib)]
    reads = [[*at, "--json", "list"], [*at, "--json", "search", "overdue"],
             [*at, "--json", "show", "1"], [*at, "--json", "dossier", "show", "1"]]
    writes = [[*at, "edit", "1", "--title", "New"], [*at, "tag", "add", "Other"],
              [*at, "highlight", "add", "1", "--quote", "report"],
              [*at, "dossier", "create", "Another"]]
    runs, stderr = run_all(f"{small_disk(lib, f'{size // 4 * 4}k', copy_from=seed)} && {fill}",
                           reads + writes)
    assert "Traceback" not in stderr
    for run in runs[:len(reads)]:
        assert run.code == 0, (run.argv, run.stderr)
        assert "Traceback" not in run.stderr
    assert runs[1].json()["total"] >= 1 and runs[0].json()
    for run in runs[len(reads):]:
        line = one_line(run, "The library's disk is full", str(lib))
        assert "internal error" not in line
