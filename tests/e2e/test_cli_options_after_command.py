"""The global options after the command too: `workbench verify --library LIB --json`, as a
script writer types it, was refused with "unrecognized arguments: --library" (a fresh-user
walk, session 17); before the command they work as they always did."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, pass_fds: tuple[int, ...] = ()) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "WORKBENCH_LIBRARY"}
    return subprocess.run([sys.executable, "-m", "workbench.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240,
                          stdin=subprocess.DEVNULL, pass_fds=pass_fds)


def test_library_and_json_after_the_command(tmp_path: Path) -> None:
    lib, other = tmp_path / "lib", tmp_path / "other"
    assert run("--library", str(lib), "init").returncode == 0
    src = tmp_path / "a.txt"
    src.write_text("Statement of the witness.", encoding="utf-8")
    assert run("import", str(src), "--library", str(lib)).returncode == 0
    done = run("verify", "--library", str(lib), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["documents_checked"] == 1
    listed = run("list", "--json", "--library", str(lib))
    assert [d["id"] for d in json.loads(listed.stdout)] == [1]
    # given both ways, the one after the command is the one meant
    both = run("--library", str(other), "list", "--library", str(lib), "--json")
    assert both.returncode == 0 and len(json.loads(both.stdout)) == 1, both.stderr
    assert not other.exists()
    # a sub-command's own (highlight list) takes them too
    hl = run("highlight", "list", "--library", str(lib), "--json")
    assert hl.returncode == 0 and json.loads(hl.stdout) == [], hl.stderr


def test_passphrase_fd_after_the_command(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    secret = "a long enough passphrase here"
    r, w = os.pipe()
    os.write(w, (secret + "\n").encode())
    os.close(w)
    made = run("init", "--encrypt", "--library", str(lib), "--passphrase-fd", str(r),
               pass_fds=(r,))
    os.close(r)
    assert made.returncode == 0, made.stderr
    r, w = os.pipe()
    os.write(w, secret.encode())
    os.close(w)
    listed = run("list", "--library", str(lib), "--passphrase-fd", str(r), "--json",
                 pass_fds=(r,))
    os.close(r)
    assert listed.returncode == 0 and json.loads(listed.stdout) == [], listed.stderr
