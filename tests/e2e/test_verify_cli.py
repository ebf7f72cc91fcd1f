"""`workbench verify` and `workbench gc` end to end: a damaged or emptied database is a finding
(exit 1, JSON, what is still readable, where to restore from), never an internal error; other
commands refuse it in one sentence; strays are listed and collected."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def wb(lib: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, WORKBENCH_LIBRARY=str(lib))
    return subprocess.run([sys.executable, "-m", "workbench.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)


def _library(tmp_path: Path) -> Path:
    """A library of three statements, made by the CLI in this process (the setting up is not
    under test: each command checked below runs in its own process, as a user runs it)."""
    from workbench.cli import main

    lib = tmp_path / "lib"
    for i in range(3):
        (tmp_path / f"s{i}.txt").write_text(f"Statement {i} about Ekpar. " * 300,
                                            encoding="utf-8")
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        assert main(["--library", str(lib), "init"]) == 0, err.getvalue()
        assert main(["--library", str(lib), "import",
                     *(str(tmp_path / f"s{i}.txt") for i in range(3))]) == 0, err.getvalue()
    return lib


def _one_sentence(run: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert run.stderr.count("\n") == 1, run.stderr
    return run.stderr


def test_empty_database_is_a_finding_and_import_refuses(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    (lib / "library.sqlite").write_bytes(b"")
    for extra in ("-wal", "-shm"):
        (lib / f"library.sqlite{extra}").unlink(missing_ok=True)
    run = wb(lib, "verify", "--json")
    assert run.returncode == 1, run.stderr
    assert "internal error" not in run.stderr
    out = json.loads(run.stdout)
    assert out["ok"] is False and out["recorded"] is False
    assert any(p["kind"] == "database" and "empty" in p["problem"] for p in out["problems"])
    assert out["salvage"]["originals"] == {"on_disk": 3, "intact": 3}
    assert "workbench restore" in out["restore"]["hint"]
    text = wb(lib, "verify")
    assert text.returncode == 1 and "to recover, restore a backup" in text.stdout

    again = wb(lib, "import", str(tmp_path / "s0.txt"))
    assert again.returncode == 1
    assert "restore" in _one_sentence(again)
    assert (lib / "library.sqlite").stat().st_size == 0  # nothing was written into it


def test_damaged_database_is_a_finding_and_other_commands_say_so(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    db = lib / "library.sqlite"
    con = sqlite3.connect(str(db))
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(db.read_bytes())
    data[0:16] = b"Not a database!\x00"
    db.write_bytes(bytes(data))

    listed = wb(lib, "list")
    assert listed.returncode == 1
    assert "damaged" in _one_sentence(listed) and "workbench verify" in listed.stderr
    run = wb(lib, "verify", "--json")
    assert run.returncode == 1 and "internal error" not in run.stderr
    out = json.loads(run.stdout)
    assert not out["ok"] and out["problems"][0]["kind"] == "database"
    assert out["salvage"]["originals"]["intact"] == 3


def test_strays_are_listed_and_collected(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    blob = lib / "originals" / "ab" / "cd" / ("abcd" + "0" * 60)
    blob.parent.mkdir(parents=True, exist_ok=True)
    blob.write_bytes(b"left by a killed import")
    run = wb(lib, "verify")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "nothing is lost" in run.stdout and "all good" in run.stdout
    gc = wb(lib, "gc", "--json")
    assert gc.returncode == 0, gc.stderr
    assert json.loads(gc.stdout)["removed"] == [blob.name]
    assert not blob.exists()
    events = json.loads(wb(lib, "audit", "--json", "--object-type", "originals").stdout)
    assert [e["details"]["sha256"] for e in events] == [[blob.name]]
