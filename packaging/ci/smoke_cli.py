"""Smoke-test a Windows or macOS build's command line as a user would run it.

    python packaging/ci/smoke_cli.py PATH/TO/Workbench[.exe]

Run by packaging/ci/build-windows-macos.yml on the unpacked build, from a temporary folder
outside the checkout, with an environment that holds no virtual environment. It uses the
Linux smoke test's sample files and checks (packaging/smoke_test.py, standard library
only) for the steps every platform shares: init, import a PDF, an HTML page and an mbox,
search each, add a highlight, a dossier with it, export it to PDF and to a bundle, and
verify-bundle. (The Linux test also watches the worker processes through /proc and times
the window under Xvfb; here the workflow only checks the program starts.) Exits 1 with
one line on the first failure; prints a JSON summary.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from smoke_test import Runner, SmokeFailure, cli_main_path


class PlatformRunner(Runner):
    """The Linux runner's steps with this platform's environment: the user's own profile
    folders in a temporary home, the system's PATH without any Python of the checkout."""

    def __init__(self, exe: Path, home: Path, cwd: Path) -> None:
        super().__init__(exe, home, cwd)
        keep = ("SYSTEMROOT", "WINDIR", "COMSPEC", "PATHEXT", "TEMP", "TMP", "TMPDIR")
        self.env = {k: v for k, v in os.environ.items() if k in keep}
        self.env.update(HOME=str(home), USERPROFILE=str(home), LANG="C.UTF-8",
                        APPDATA=str(home / "AppData" / "Roaming"),
                        LOCALAPPDATA=str(home / "AppData" / "Local"),
                        PATH=os.pathsep.join(p for p in os.environ.get("PATH", "").split(
                            os.pathsep) if p and "python" not in p.lower()))


def main_path(run: Runner, work: Path, out: Path) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    cli_main_path(run, work, out, summary, watch_workers=False)
    return {**summary, "seconds": run.times}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    exe = Path(argv[0]).resolve()
    with tempfile.TemporaryDirectory(prefix="workbench-smoke-") as tmp:
        root = Path(tmp)
        work, out, home = root / "work", root / "out", root / "home"
        for folder in (work, out, home):
            folder.mkdir()
        try:
            summary = main_path(PlatformRunner(exe, home, work), work, out)
        except SmokeFailure as exc:
            print(f"smoke test failed: {exc}", file=sys.stderr)
            return 1
    print(json.dumps({"program": str(exe), **summary}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
