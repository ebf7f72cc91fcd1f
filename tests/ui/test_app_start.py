"""Starting the app (issue 16): the window is painted before the core is imported.

``run_app`` runs in a fresh process, as ``workbench gui`` starts it, so ``sys.modules`` at the
window's first paint is what the start path really imported: not SQLAlchemy, the ``Workbench``
facade and its models, nor the language model (numpy, py3langid). Those load on the worker
while the window shows "Opening library…"; once the library is open the window is the one the
user always got: the feature panels installed, the first-run page on an empty library.

The worker's opening of the library is held back until that first paint (in the app it runs
alongside it): what is in ``sys.modules`` then is the GUI thread's own doing, not a race.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

ROOT = Path(__file__).resolve().parents[2]

# Heavy modules the window must not wait for: the core behind the facade and the language model.
HEAVY = ("sqlalchemy", "workbench.services", "workbench.models", "workbench.audit", "numpy",
         "py3langid", "whoosh")

CHILD = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
import ui.app as app_module
import ui.main_window as mw

HEAVY = tuple(sys.argv[2].split(","))
seen = {}

def heavy_loaded():
    return sorted(h for h in HEAVY if h in sys.modules)

def page_text(win):
    page = win.central.currentWidget()
    return page.text() if hasattr(page, "text") else type(page).__name__

import ui.session as session_module
original_open = session_module.Session.open_library
held = []

def open_library(self, *args, **kwargs):
    if "painted" in seen:
        return original_open(self, *args, **kwargs)
    held.append(lambda: original_open(self, *args, **kwargs))

session_module.Session.open_library = open_library

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, mw.MainWindow) \
                and "painted" not in seen:
            seen["painted"] = {"heavy": heavy_loaded(), "page": page_text(obj)}
            for run in held:
                QTimer.singleShot(0, run)
        return False

watch = Watch()
QApplication.instance() or app_module.make_application()
QApplication.instance().installEventFilter(watch)
original_opened = mw.MainWindow._opened

def opened(self, path):
    original_opened(self, path)
    def report(tries=[0]):
        tries[0] += 1
        if "filled" not in seen and tries[0] < 400:  # the sidebar's read, on a busy machine
            return QTimer.singleShot(50, report)
        focus = QApplication.focusWidget()
        seen["usable"] = {
            "heavy": heavy_loaded(), "page": page_text(self),
            "first_run": self.central.currentWidget() is self.empty,
            "search": self.search_panel is not None, "builder": self.builder is not None,
            "highlighter": self.highlighter is not None,
            "chronology": self.chronology is not None, "entities": self.entities is not None,
            "focus": focus.objectName() or type(focus).__name__ if focus else None,
        }
        waited = [0]

        def attached():  # the index is attached after the list, then its drift check runs
            waited[0] += 1
            if "whoosh" not in sys.modules and waited[0] < 200:
                return QTimer.singleShot(50, attached)
            seen["attached"] = {"heavy": heavy_loaded()}
            print("RESULT " + json.dumps(seen), flush=True)
            self.close()
            QApplication.instance().quit()
        attached()
    QTimer.singleShot(0, report)

mw.MainWindow._opened = opened

# The feature panels' modules are imported on the worker, not by the GUI thread's install.
original_core_loaded = mw.MainWindow._core_loaded

def core_loaded(self):
    seen["core_loaded"] = {"not_imported": [m for m in mw.FEATURE_MODULES
                                            if m not in sys.modules]}
    original_core_loaded(self)

mw.MainWindow._core_loaded = core_loaded

# The list filled: its count landed and the sidebar was read (both queries on the worker, after
# the open). The search index (Whoosh, numpy) must not have been attached before.
original_sidebar = mw.MainWindow._sidebar_loaded

def sidebar_loaded(self, data):
    original_sidebar(self, data)
    seen.setdefault("filled", {"heavy": heavy_loaded()})

mw.MainWindow._sidebar_loaded = sidebar_loaded
app_module.run_app(Path(sys.argv[1]))
"""


def _start(library: Path) -> dict[str, dict[str, object]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", CHILD, str(library), ",".join(HEAVY)],
                          capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, f"the app did not start:\n{proc.stdout}\n{proc.stderr[-3000:]}"
    return json.loads(line[len("RESULT "):])  # type: ignore[no-any-return]


def test_the_window_is_painted_before_the_core_is_imported(library_path: Path) -> None:
    seen = _start(library_path)
    painted, usable = seen["painted"], seen["usable"]
    assert painted["heavy"] == [], "imported before the window's first paint"
    assert "Opening" in str(painted["page"]) and library_path.name in str(painted["page"])
    # Once open, the window is the one the user always got.
    assert "sqlalchemy" in usable["heavy"] and "workbench.services" in usable["heavy"]
    assert usable["first_run"] is True
    assert usable["focus"] == "QTableView"  # the documents list has the keys, as before
    assert all(usable[k] for k in ("search", "builder", "highlighter", "chronology",
                                   "entities"))
    # The GUI thread installs the panels from modules the worker imported (no import stall).
    assert seen["core_loaded"]["not_imported"] == []


def test_the_search_index_is_attached_after_the_list_is_filled(library_path: Path) -> None:
    """Whoosh and numpy (a quarter of a second to import) are not on the way to a usable
    window: the index is attached once the list and the sidebar are there, and then checks
    itself against the database (its drift repair) as before."""
    seen = _start(library_path)
    filled = seen["filled"]["heavy"]
    assert "sqlalchemy" in filled  # the library was open and read
    assert "whoosh" not in filled and "numpy" not in filled, filled
    assert "whoosh" in seen["attached"]["heavy"], "the index was never attached"


def test_a_feature_asked_for_while_the_library_opens_says_to_wait(qtbot: Any,
                                                                 library_path: Path) -> None:
    """Ctrl+K in the moment between the first paint and the library's list: the search panel
    is not installed yet, which is not 'not available in this build'."""
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.tasks import TaskManager

    make_application()
    win = MainWindow(TaskManager(sync=True))
    qtbot.addWidget(win)
    win.show()
    win.search_field.setText("camp")
    qtbot.keyClick(win.search_field, Qt.Key.Key_Return)
    assert win.statusBar().currentMessage() == "Search is available once the library is open."
    win.open_path(library_path)
    assert win.search_panel is not None
    qtbot.keyClick(win.search_field, Qt.Key.Key_Return)
    assert win.middle.currentWidget() is win.search_panel
    win.close()


def test_a_feature_page_is_built_when_first_used_from_its_shortcut(window: Any,
                                                                    qtbot: Any) -> None:
    """The codebook, entities and chronology pages cost nothing at start: none is built
    when the library opens, and each is built, filled and focused by its shortcut."""
    from tests.ui.conftest import facade

    pages = {"codebook": (Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier),
             "entities": (Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier
                          | Qt.KeyboardModifier.ShiftModifier),
             "chronology": (Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)}
    assert [name for name in pages if getattr(window, name).built] == []
    changes = facade(window, lambda wb: wb.add_entity("person", "Ekpar Asat"))
    window.session.broadcast(changes)
    assert not window.entities.built  # a change does not build a page never shown
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)
    for name, (key, mods) in pages.items():
        window.documents.table.setFocus()
        qtbot.keyClick(window.documents.table, key, mods)
        panel = getattr(window, name)
        assert window.middle.currentWidget() is panel, name
        assert panel.built and panel.isVisibleTo(window.middle), name  # (first-run page)
    entities = window.entities
    qtbot.waitUntil(lambda: entities.table.topLevelItemCount() == 1, timeout=3000)
    assert entities.table.topLevelItem(0).text(1) == "Ekpar Asat"
    chronology = window.chronology  # "No events yet…": built and shown whole
    assert chronology.empty.isVisibleTo(chronology) and "No events" in chronology.empty.text()


def test_the_list_follows_the_panels_in_a_turn_of_its_own(qtbot: Any,
                                                          library_path: Path) -> None:
    """Installing the panels and filling the list are two stalls of the GUI thread, not one:
    a timer due meanwhile (the heartbeat, a repaint) runs between them."""
    import time

    from PySide6.QtCore import QTimer

    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.tasks import TaskManager

    make_application()
    win = MainWindow(TaskManager())
    qtbot.addWidget(win)
    win.show()
    marks: dict[str, float] = {}
    beats: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: beats.append(time.perf_counter()))

    def installed() -> None:
        time.sleep(0.03)  # a slow machine's install: the 10 ms timer is due after it
        marks["installed"] = time.perf_counter()

    win.session.core_loaded.connect(installed)
    win.session.opened.connect(lambda _p: marks.setdefault("opened", time.perf_counter()))
    timer.start()
    win.open_path(library_path)
    qtbot.waitUntil(lambda: "opened" in marks, timeout=30000)
    timer.stop()
    assert any(marks["installed"] < b < marks["opened"] for b in beats)
    assert win.session.is_open and win.search_panel is not None
    win.close()
