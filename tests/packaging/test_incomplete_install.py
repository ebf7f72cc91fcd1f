"""An installation that lost its migrations says so in one line, not with a traceback.

A wheel built without setup.py's data step (or a frozen build missing its data) has no
``workbench/_data/migrations``: every command that opens a library must say the installation
is incomplete and exit 1, and commands that need no library (``--version``) still work.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_missing_migrations_is_one_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "workbench", site / "workbench",
                    ignore=shutil.ignore_patterns("__pycache__", "_data"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(site), HOME=str(tmp_path))

    def workbench(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "workbench.cli", *args], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=120)

    assert workbench("--version").returncode == 0
    for args in (["init"], ["list"]):
        done = workbench("--library", str(tmp_path / "lib"), *args)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.count("\n") == 1, done.stderr
        assert "installation is incomplete: its 'migrations' folder is missing" in done.stderr
    assert not (tmp_path / "lib" / "library.sqlite").exists()
