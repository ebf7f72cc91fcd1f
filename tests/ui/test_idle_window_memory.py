"""What an idle window keeps in memory once its library is open and its index checked (issue 16:
idle memory ≤ 150 MB on a 10k library; ``tests/bench/bench_app_start.py``'s ``idle_rss_mb``).

The window runs in a fresh process, as ``workbench gui`` starts it, on a library whose index has
a segment with a sidecar (so the open's drift check verifies one). Once the check is done and
the window has been idle a moment, three things found holding ~45 MB must not be there:

- the source lines of every module imported after PySide6 (PySide reads each one whole to
  look for "PySide6", and ``linecache`` kept them: ~20 MB);
- numpy, which the check imported only for the size of a sidecar section's element;
- cryptography, which the passphrase dialog imported for one constant.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from workbench.services import Workbench

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, linecache, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import ui.app as app_module
import ui.main_window as mw

windows = []
original_init = mw.MainWindow.__init__
def init(self, *args, **kwargs):
    original_init(self, *args, **kwargs)
    windows.append(self)
mw.MainWindow.__init__ = init

original_opened = mw.MainWindow._opened
def opened(self, path):
    original_opened(self, path)
    def checked():
        wb = self.session._wb
        done = wb is not None and wb.wait_for_index(60)
        def report():
            print("RESULT " + json.dumps({
                "index_done": done,
                "sidecar_verified": verified[0],
                "numpy": "numpy" in sys.modules,
                "cryptography": "cryptography" in sys.modules,
                # SQLAlchemy registers its generated functions' few lines as "<...>" names
                "cached_files": sorted(k for k in linecache.cache if not k.startswith("<")),
            }), flush=True)
            self.close()
            QApplication.instance().quit()
        QTimer.singleShot(1000, report)  # idle a moment, as the benchmark's 3 s
    QTimer.singleShot(500, checked)
mw.MainWindow._opened = opened

# The check did verify a sidecar (else the test would pass without looking at numpy's path).
verified = [0]
import workbench.search.whoosh.sidecar as sidecar_module
original_verify = sidecar_module.verify
def verify(*args, **kwargs):
    verified[0] += 1
    return original_verify(*args, **kwargs)
sidecar_module.verify = verify
app_module.run_app(Path(sys.argv[1]))
"""


def test_an_idle_window_holds_no_module_sources_numpy_or_cryptography(
        library_path: Path, tmp_path: Path) -> None:
    for i, text in enumerate(("Detention records from the northern district.",
                              "Witness statements about the camp's kitchens.")):
        (tmp_path / f"note{i}.txt").write_text(text, encoding="utf-8")
    with Workbench.open(library_path) as wb:
        wb.import_paths([tmp_path / "note0.txt", tmp_path / "note1.txt"])
        assert wb.wait_for_index(60)
    assert list((library_path / "index").rglob("*.wbx")), "no sidecar: the check verifies none"

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    proc = subprocess.run([sys.executable, "-c", CHILD, str(library_path)], capture_output=True,
                          text=True, env=env, timeout=120, cwd=ROOT)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, f"the app did not start:\n{proc.stdout}\n{proc.stderr[-3000:]}"
    seen = json.loads(line[len("RESULT "):])
    assert seen["index_done"] and seen["sidecar_verified"], seen
    assert len(seen["cached_files"]) < 5, seen["cached_files"][:20]
    assert not seen["numpy"], "the open's index check imported numpy"
    assert not seen["cryptography"], "an unencrypted library's window imported cryptography"
