"""Quitting the window ends the process without the interpreter's teardown.

A walk under Xvfb (session 15) saw, once in seven quits, ``Fatal Python error: bool_dealloc:
deallocating True or False`` as the interpreter collected its garbage while finalizing: a
reference-count slip in a C extension (Python 3.11's True and False are not immortal):
PySide6 6.12.0's, found in session 17 to drop a reference at every signal emit, and left out
since (tests/ui/test_pyside_refcounts.py). ``workbench gui`` now leaves as every other command does
(``cli.finish``): the exit handlers run (Qt's own teardown, which PySide registers there, the
log's flush, the decrypted scratch files) and the process exits without finalizing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DRIVER = r"""
import sys
from pathlib import Path

marker = Path(sys.argv[2])


class Canary:
    def __init__(self, path: str) -> None:
        self.path = path

    def __del__(self, _open=open) -> None:  # runs only if the interpreter tears down
        with _open(self.path, "w") as f:
            f.write("finalized")


canary = Canary(str(marker))
atexit_ran = marker.with_name("atexit")
import atexit

atexit.register(atexit_ran.write_text, "ran")

import ui.app as app_module

make_application = app_module.make_application


def make_and_quit_when_open(*args, **kwargs):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = make_application(*args, **kwargs)

    def quit_when_open() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if hasattr(w, "session")]
        if windows and windows[0].session.is_open:
            windows[0].close()  # what File > Quit and Ctrl+Q do
        else:
            QTimer.singleShot(100, quit_when_open)

    QTimer.singleShot(300, quit_when_open)
    return app


app_module.make_application = make_and_quit_when_open
from workbench.cli import entry

entry(["--library", sys.argv[1], "gui"])
"""


@pytest.mark.slow
def test_quitting_the_window_skips_the_interpreters_teardown(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_DATA_HOME": str(home / ".local/share"), "XDG_STATE_HOME": str(home / ".state"),
           "XDG_CACHE_HOME": str(home / ".cache"), "QT_QPA_PLATFORM": "offscreen"}
    marker = tmp_path / "finalized"
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(tmp_path / "lib"), str(marker)],
                          capture_output=True, text=True, timeout=120, env=env,
                          cwd=str(Path(__file__).resolve().parents[2]))
    assert proc.returncode == 0, proc.stderr
    assert "Fatal Python error" not in proc.stderr and "Traceback" not in proc.stderr
    assert not marker.exists()  # no teardown: nothing was finalized
    # ... while what the exit must do was done: the exit handlers ran, the window's layout
    # was saved, and the library was closed (it opens again at once, not "in use").
    assert (tmp_path / "atexit").read_text() == "ran"
    conf = list((home / ".config").rglob("*.conf"))
    assert any("window" in c.read_text(encoding="utf-8", errors="replace") for c in conf), conf
    from workbench.services import Workbench

    Workbench.open(tmp_path / "lib").close()
