"""The command exits without tearing the interpreter down (issue 16: after an import the
teardown of SQLAlchemy's, numpy's and Whoosh's modules took 0.15 s of a 0.7 s command).

Exit handlers still run (the log's flush, temporary folders' clean-up), the output is
flushed and the exit code kept; a command with a non-daemon thread still running exits the
ordinary way. The window leaves like a command since session 15 (PySide destroys the
application in an exit handler; the interpreter's last collection once ended a quit with
"Fatal Python error: bool_dealloc": tests/e2e/test_gui_exit.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import atexit, sys, threading, time
from pathlib import Path
from workbench.cli import finish
marks = Path(sys.argv[1])
atexit.register(lambda: (marks / "exit-handler").write_text("ran"))

class Teardown:
    def __del__(self):
        (marks / "teardown").write_text("ran")

kept = Teardown()
if sys.argv[2] == "thread":
    threading.Thread(target=time.sleep, args=(0.3,)).start()  # not a daemon
if sys.argv[2] == "qt":
    sys.modules["PySide6"] = type(sys)("PySide6")
print("the last line of the output", end="")
finish(3)
"""


@pytest.mark.parametrize("case, torn_down", [("plain", False), ("thread", True),
                                             ("qt", False)])
def test_finish_skips_the_teardown_but_not_exit_handlers_output_or_code(
        tmp_path: Path, case: str, torn_down: bool) -> None:
    out = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path), case], cwd=str(ROOT),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 3
    assert out.stdout == "the last line of the output"
    assert (tmp_path / "exit-handler").read_text() == "ran"
    assert (tmp_path / "teardown").exists() == torn_down


def test_the_command_line_entries_finish_fast(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    subprocess.run([sys.executable, "-m", "workbench", "--library", str(lib), "init"],
                   cwd=str(ROOT), check=True, capture_output=True, timeout=120)
    doc = tmp_path / "note.txt"
    doc.write_text("A note imported through the command's fast exit.", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "workbench", "--library", str(lib), "--json",
                          "import", str(doc)], cwd=str(ROOT), capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["imported"][0]["status"] == "imported"
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["workbench"] == "workbench.cli:entry"
    assert "entry()" in (ROOT / "workbench" / "__main__.py").read_text()
    assert "entry(" in (ROOT / "workbench" / "frozen.py").read_text()


def test_a_closed_output_pipe_does_not_turn_into_a_traceback(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    subprocess.run([sys.executable, "-m", "workbench", "--library", str(lib), "init"],
                   cwd=str(ROOT), check=True, capture_output=True, timeout=120)
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "--library", str(lib),
                             "audit"], cwd=str(ROOT), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `| head` does once it has read enough
    err = proc.stderr.read().decode()
    proc.wait(60)
    assert "Traceback" not in err


# Runs the command as a child of a subreaper (Linux): a worker the command did not wait for
# is handed to this process when the command exits, and shows up here.
SUBREAPER = """
import ctypes, json, os, subprocess, sys
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
cli = subprocess.run([sys.executable, "-m", "workbench", *sys.argv[1:]],
                     capture_output=True, text=True)
left = []
try:
    while True:
        pid, _ = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            left.append("still running")
            break
        left.append(pid)
except ChildProcessError:
    pass
print(json.dumps({"code": cli.returncode, "left": left}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_CHILD_SUBREAPER")
@pytest.mark.parametrize("content", ["good", "broken"])
def test_an_import_command_leaves_no_worker_behind(tmp_path: Path, content: str) -> None:
    """Helper walk (session 14): after an import whose file failed, the command exited while
    a worker it had started was still there; it became a zombie of the system's init."""
    from tests.support.files import make_pdf

    lib = tmp_path / "lib"
    subprocess.run([sys.executable, "-m", "workbench", "--library", str(lib), "init"],
                   cwd=str(ROOT), check=True, capture_output=True, timeout=120)
    pdf = make_pdf(tmp_path / "report.pdf", ["A page of the report. " * 40] * 3,
                   title="Report")
    if content == "broken":
        pdf.write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 3])
    out = subprocess.run([sys.executable, "-c", SUBREAPER, "--library", str(lib), "import",
                          str(pdf)], cwd=str(ROOT), capture_output=True, text=True,
                         timeout=120)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"code": 0 if content == "good" else 1, "left": []}
