"""A command that must write, run while the window holds the library, says what to do from
the command line: its hint said "or open the library read-only", which neither the command
line nor the window can do with a held library (session 15's walk tried ``dossier export``
beside the open window)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_backup_cli import HOLDER, ROOT, run


def test_a_locked_library_gives_a_hint_the_command_line_can_follow(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib"
    assert run(capsys, "--library", str(lib), "init")[0] == 0
    stop = tmp_path / "stop"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(lib), str(stop)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        code, out, err = run(capsys, "--library", str(lib), "tag", "add", "Findings")
        assert code != 0 and out == ""
        assert "open for writing in Workbench desktop app" in err
        assert "read-only" not in err
        assert "close it there first" in err and "search" in err
        # ... and what it says works meanwhile does
        code, out, err = run(capsys, "--library", str(lib), "search", "camp")
        assert code == 0, err
    finally:
        stop.touch()
        holder.wait(timeout=30)
