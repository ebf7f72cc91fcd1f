"""Real filesystem conditions for tests: a read-only library folder, a full disk.

Both are built in a private mount namespace (``unshare -m``, root only), so nothing outside
the test sees them: a bind mount of the library remounted read-only, or a tiny tmpfs holding
a copy of a library. The CLI commands then run in that namespace through ``driver`` (one
Python process calling ``workbench.cli.main`` for each command, which is much faster than a
process per command), and each command's exit code, stdout and stderr come back as a ``Run``.

Tests that need these call ``require_unshare()`` (a skip with the reason when the machine
does not allow mount namespaces, e.g. an unprivileged container).
"""

from __future__ import annotations

import functools
import json
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def unshare_problem() -> str | None:
    """None when ``unshare -m`` with mounts works here, else why not."""
    try:
        probe = subprocess.run(
            ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt"],
            capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unshare cannot run here ({exc})"
    if probe.returncode != 0:
        return f"mount namespaces are not permitted here ({probe.stderr.strip()})"
    return None


def require_unshare() -> None:
    problem = unshare_problem()
    if problem:
        pytest.skip(f"needs `unshare -m` as root to build the filesystem condition: {problem}")


@dataclass
class Run:
    argv: list[str]
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def read_only(folder: Path) -> str:
    """Shell steps that make ``folder`` read-only (a read-only bind mount over itself)."""
    q = shlex.quote(str(folder))
    return f"mount --bind {q} {q} && mount -o remount,bind,ro {q}"


def small_disk(folder: Path, size: str, copy_from: Path | None = None) -> str:
    """Shell steps that mount a tmpfs of ``size`` (``"600k"``) at ``folder`` and copy the
    contents of ``copy_from`` (a library) onto it."""
    q = shlex.quote(str(folder))
    steps = f"mkdir -p {q} && mount -t tmpfs -o size={size} tmpfs {q}"
    if copy_from is not None:
        steps += f" && cp -a {shlex.quote(str(copy_from))}/. {q}/"
    return steps


def copy_out(folder: Path, dest: Path) -> str:
    """Shell steps that keep a copy of ``folder`` (on a namespace-only mount) at ``dest``."""
    return (f"mkdir -p {shlex.quote(str(dest))} && "
            f"cp -a {shlex.quote(str(folder))}/. {shlex.quote(str(dest))}/")


def run_cli(setup: str, commands: list[list[str]], *, after: str = "",
            env: dict[str, str] | None = None, timeout: float = 240) -> list[Run]:
    """Run each CLI ``commands`` entry (argv without ``workbench``) in one mount namespace
    prepared by the shell steps ``setup``; ``after`` runs there once they are done."""
    spec = json.dumps(commands)
    driver = f"{shlex.quote(sys.executable)} -m tests.support.fsconditions"
    script = f"set -e; {setup}; {driver} {shlex.quote(spec)}"
    if after:
        script += f"; {after}"
    full_env = dict(os.environ, **(env or {}))
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout)
    try:
        rows = json.loads(proc.stdout.splitlines()[-1])
    except (IndexError, ValueError) as exc:
        raise AssertionError(f"the namespace run failed (exit {proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}") from exc
    return [Run(**row) for row in rows]


def driver(commands: list[list[str]]) -> list[dict[str, Any]]:
    """Call ``workbench.cli.main`` for each argv, capturing what it prints."""
    import contextlib
    import io
    import logging

    from workbench.cli import main

    out = []
    for argv in commands:
        stdout, stderr = io.StringIO(), io.StringIO()
        logging.root.handlers.clear()  # main's logging.basicConfig binds the current stderr
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(list(argv))
        out.append({"argv": argv, "code": code, "stdout": stdout.getvalue(),
                    "stderr": stderr.getvalue()})
    return out


if __name__ == "__main__":
    print(json.dumps(driver(json.loads(sys.argv[1]))))
