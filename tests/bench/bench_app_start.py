"""App start to a usable window (issue 16): fresh processes, against a bare Qt window.

Each run is a fresh ``python`` process. Workbench: ``ui.app.run_app`` exactly as
``workbench gui`` calls it, on an empty library and on a library of N generated documents;
"shown" is the window's first paint, "usable" is the document list filled (below),
"opened" the session's ``opened`` (the facade open, the panels installed: what a click on
the early list waits for), the process's peak RSS 0.3 s after both (``rss_mb``) and its
resident memory 3 s after them (``idle_rss_mb``: what an idle window holds, with whatever it
loads once up, such as a language model opened a second after the open). The
reference, from the same run: a bare ``QMainWindow`` holding a ``QTableView`` with a model of
the same rows, to its first paint. Prints JSON.

"Usable" is the list a user can act on: the window shows the library's list with its first
rows (or, on an empty library, the first-run page) and has painted it. Marked from the
window's own steps (the sidebar read, the model's rows arriving or filled early), so the
same child measures any checkout, whichever way it fills its list: before issue 16's early
read it was the session's ``opened``, which came before the list had its rows.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_app_start.py --runs 5
    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_app_start.py --docs 100000

``--compare DIR`` adds, in the same turns, the app from another checkout (e.g. a ``git
worktree`` of an older commit): before and after measured under the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Both children: resident memory now, and when "idle" is read.
MEMORY = r"""
def vm_rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")
IDLE_MS = 3000  # after the first paint / the open: what an idle window holds
"""

WORKBENCH_CHILD = r"""
import os, resource, sys, time
""" + MEMORY + r"""from pathlib import Path
sys.path.insert(0, {root!r})
from PySide6.QtCore import QEvent, QObject, QTimer
import ui.app as app_module

marks = {{}}
def mark(name):
    marks.setdefault(name, time.perf_counter())
    if all(k in marks for k in ("shown", "usable", "opened")) and "report" not in marks:
        marks["report"] = 1
        def report():
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print("RESULT", marks["shown"], marks["usable"], rss, marks["opened"], flush=True)
        def idle():
            print("IDLE", vm_rss(), flush=True)
            from PySide6.QtWidgets import QApplication
            QApplication.instance().quit()
        QTimer.singleShot(300, report)  # idle a moment: what it holds once up
        QTimer.singleShot(IDLE_MS, idle)  # what it holds a while later, idle

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.isWidgetType() and obj.isWindow() \
                and type(obj).__name__ == "MainWindow":
            mark("shown")
        return False

original_make = app_module.make_application
def make(argv=None):
    app = original_make(argv)
    watch = Watch(app)
    app.installEventFilter(watch)
    app._bench_watch = watch
    import ui.main_window as mw
    import ui.models.documents as dm
    windows = []
    original_init = mw.MainWindow.__init__
    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        windows.append(self)
    mw.MainWindow.__init__ = init
    def check(*_):
        if not windows or "usable" in marks:
            return
        win = windows[0]
        page, model = win.central.currentWidget(), win.documents.model
        if page is win.empty or (page is win.splitter
                                 and (model.rowCount() == 0 or 0 in model._blocks)):
            QTimer.singleShot(0, lambda: mark("usable"))  # once painted
    def after(cls, name):
        original = getattr(cls, name, None)
        if original is None:
            return
        def wrapped(self, *args, **kwargs):
            out = original(self, *args, **kwargs)
            check()
            return out
        setattr(cls, name, wrapped)
    after(mw.MainWindow, "_sidebar_loaded")
    original_opened = mw.MainWindow._opened
    def opened(self, path):
        original_opened(self, path)
        QTimer.singleShot(0, lambda: mark("opened"))
    mw.MainWindow._opened = opened
    for name in ("_arrived", "_set_count", "fill"):
        after(dm.DocumentTableModel, name)
    return app
app_module.make_application = make
app_module.run_app(Path(sys.argv[1]))
"""

BARE_CHILD = r"""
import resource, sys, time
""" + MEMORY + r"""from PySide6.QtCore import QAbstractTableModel, QEvent, QObject, QTimer, Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

class Model(QAbstractTableModel):
    def __init__(self, n):
        super().__init__()
        self.n = n
    def rowCount(self, parent=None):
        return self.n
    def columnCount(self, parent=None):
        return 3
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return f"Report {{index.row():06}}"
        return None

app = QApplication(sys.argv[:1])
window = QMainWindow()
view = QTableView()
view.setModel(Model(int(sys.argv[1])))
window.setCentralWidget(view)
window.resize(1280, 800)
done = []
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is window and not done:
            done.append(time.perf_counter())
            def report():
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print("RESULT", done[0], done[0], rss, done[0], flush=True)
            def idle():
                print("IDLE", vm_rss(), flush=True)
                app.quit()
            QTimer.singleShot(300, report)
            QTimer.singleShot(IDLE_MS, idle)
        return False
watch = Watch()
app.installEventFilter(watch)
window.show()
app.exec()
"""


def _run(child: str, arg: str, env: dict[str, str]) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", child, arg], capture_output=True, text=True,
                          env=env, timeout=300)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT")), None)
    if line is None:
        raise SystemExit(f"the child did not report:\n{proc.stdout}\n{proc.stderr[-3000:]}")
    # perf_counter is CLOCK_MONOTONIC on Linux: the same clock in parent and child
    _, shown, usable, rss, opened = line.split()
    idle = next((x for x in proc.stdout.splitlines() if x.startswith("IDLE")), "IDLE nan")
    return {"shown_s": float(shown) - start, "usable_s": float(usable) - start,
            "opened_s": float(opened) - start, "rss_mb": float(rss),
            "idle_rss_mb": float(idle.split()[1])}


def _library(folder: Path, docs: int) -> Path:
    lib = folder / f"lib-{docs}"
    if docs:
        from tests.bench.bench_gui_open import make_library  # the 100k generator

        make_library(lib, docs)
    else:
        from workbench.library import Library

        Library.create(lib, program="bench").close()
    return lib


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--docs", type=int, default=0, help="documents in the second library")
    parser.add_argument("--compare", type=Path, help="another checkout's app, in the same turns")
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    # Compiled modules, as an installed app has them: with PYTHONDONTWRITEBYTECODE a checkout
    # without __pycache__ (a fresh worktree) compiled every module at every start and looked
    # a second slower. The warm-up runs below write them.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # no remembered library or window
        libs = {"empty": _library(Path(tmp), 0)}
        if args.docs:
            libs[f"{args.docs}"] = _library(Path(tmp), args.docs)
        rows: dict[str, list[dict[str, float]]] = {}
        bare_rows = {"empty": 0, **({f"{args.docs}": args.docs} if args.docs else {})}
        for root in [ROOT] + ([args.compare.resolve()] if args.compare else []):
            _run(WORKBENCH_CHILD.format(root=str(root)), str(libs["empty"]), env)  # warm caches
        for _ in range(args.runs):  # contenders in turns, so load hits them alike
            for name, lib in libs.items():
                rows.setdefault(f"workbench/{name}", []).append(
                    _run(WORKBENCH_CHILD.format(root=str(ROOT)), str(lib), env))
                if args.compare:
                    rows.setdefault(f"compare/{name}", []).append(
                        _run(WORKBENCH_CHILD.format(root=str(args.compare.resolve())),
                             str(lib), env))
                rows.setdefault(f"bare/{name}", []).append(
                    _run(BARE_CHILD.format(), str(bare_rows[name]), env))
    out: dict[str, object] = {"runs": args.runs, "load": os.getloadavg()[0]}
    for key, runs in rows.items():
        out[key] = {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
    for name in libs:
        wb, bare = out[f"workbench/{name}"], out[f"bare/{name}"]
        out[f"ratio/{name}"] = round(wb["usable_s"] / bare["shown_s"], 2)  # type: ignore[index]
        if args.compare:
            other = out[f"compare/{name}"]
            out[f"ratio/compare/{name}"] = round(
                other["usable_s"] / bare["shown_s"], 2)  # type: ignore[index]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
