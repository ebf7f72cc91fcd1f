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
import ui.library_opening as opening

HEAVY = tuple(sys.argv[2].split(","))
seen = {}

# "hold": the worker's import of SQLAlchemy waits until the list is filled (or 15 s), so a
# list that waited for the core shows only after that, with SQLAlchemy loaded.
import threading
listed = threading.Event()
if sys.argv[3:] == ["hold"]:
    class Hold:
        def find_spec(self, name, path=None, target=None):
            if name == "sqlalchemy" and threading.current_thread() is not threading.main_thread():
                seen.setdefault("held", listed.wait(15))
            return None
    sys.meta_path.insert(0, Hold())

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
    seen["core_loaded"] = {"not_imported": [m for m in opening.FEATURE_MODULES
                                            if m not in sys.modules]}
    original_core_loaded(self)

mw.MainWindow._core_loaded = core_loaded

# The list filled: its count landed and the sidebar was read (both queries on the worker, after
# the open). The search index (Whoosh, numpy) must not have been attached before.
original_sidebar = mw.MainWindow._sidebar_loaded

def sidebar_loaded(self, data):
    original_sidebar(self, data)
    model = self.documents.model
    seen.setdefault("filled", {"heavy": heavy_loaded(), "count": model.rowCount(),
                               "rows": [r["title"] for r in model._blocks.get(0, [])],
                               "sidebar": self.sidebar.all_item.text(0),
                               "page": page_text(self)})
    listed.set()

mw.MainWindow._sidebar_loaded = sidebar_loaded
app_module.run_app(Path(sys.argv[1]))
"""


def _start(library: Path, *extra: str) -> dict[str, dict[str, object]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", CHILD, str(library), ",".join(HEAVY), *extra],
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
    assert usable["focus"] == "DocumentTable"  # the documents list has the keys, as before
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
    assert "whoosh" not in filled and "numpy" not in filled, filled
    assert "whoosh" not in seen["usable"]["heavy"] or "sqlalchemy" in seen["usable"]["heavy"]
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

    pages = {"codebook": (Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier),
             "entities": (Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier),
             "chronology": (Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)}
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


TITLES = ["First report", "Second report", "Third report"]


def _with_documents(library: Path, tmp_path: Path) -> Path:
    from workbench.services import Workbench

    files = tmp_path / "files"
    files.mkdir()
    paths = []
    for i, title in enumerate(TITLES):
        path = files / f"{i}.txt"
        path.write_text(f"{title}. A camp, a witness, a statement number {i}.", encoding="utf-8")
        paths.append(path)
    with Workbench.open(library) as wb:
        wb.import_paths(paths)
        for doc_id, title in enumerate(TITLES, start=1):
            wb.edit_document(doc_id, title=title)
        wb.add_to_collection([1, 2], "Case A")
        wb.tag_document(3, "Witness")
    return library


def test_the_list_is_filled_before_sqlalchemy_is_imported(library_path: Path,
                                                          tmp_path: Path) -> None:
    """A plain personal library's list and sidebar are read in plain SQL (FastReader) while
    the worker imports the core: the worker's import of SQLAlchemy is held until the list is
    filled, and the list is there without it. Then the facade takes over as before."""
    seen = _start(_with_documents(library_path, tmp_path), "hold")
    filled, usable = seen["filled"], seen["usable"]
    assert seen.get("held") is True, "the list waited for the core's import"
    # (the worker is inside ``import workbench.services``, held at its first line's import)
    assert "sqlalchemy" not in filled["heavy"] and "workbench.models" not in filled["heavy"]
    assert (filled["count"], filled["rows"]) == (3, TITLES)
    assert filled["sidebar"] == "All documents  (3)" and filled["page"] == "QSplitter"
    assert "sqlalchemy" in usable["heavy"] and "workbench.services" in usable["heavy"]
    assert all(usable[k] for k in ("search", "builder", "highlighter", "chronology",
                                   "entities"))


def test_a_document_and_the_builder_asked_for_as_the_list_shows_open_with_the_core(
        qtbot: Any, library_path: Path, tmp_path: Path, monkeypatch: Any) -> None:
    """A click on a row and Ctrl+5 in the moment the list shows but the facade is not yet
    open (its open held here): each is done once the core is up, once, and the list the
    facade then reads is the one shown."""
    import threading

    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.tasks import TaskManager
    from workbench.services import Workbench

    lib = _with_documents(library_path, tmp_path)
    gate = threading.Event()
    original_open = Workbench.open
    shown: list[Any] = []
    original_show = Workbench.show_document

    def held_open(*args: Any, **kwargs: Any) -> Any:
        gate.wait(30)
        return original_open(*args, **kwargs)

    def counted_show(self: Any, ref: Any) -> Any:
        shown.append(ref)
        return original_show(self, ref)

    monkeypatch.setattr(Workbench, "open", held_open)
    monkeypatch.setattr(Workbench, "show_document", counted_show)
    make_application()
    win = MainWindow(TaskManager())
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    win.open_path(lib)
    model, table = win.documents.model, win.documents.table
    qtbot.waitUntil(lambda: win.central.currentWidget() is win.splitter
                    and model.rowCount() == 3 and model.data(model.index(2, 0)) == TITLES[2],
                    timeout=20000)
    assert not win.features_installed and win.builder is None and not gate.is_set()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(model.index(1, 0)).center())
    assert win.statusBar().currentMessage() == "The document opens once the library is open."
    qtbot.keyClick(table, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert "once the library is open" in win.statusBar().currentMessage()
    gate.set()
    qtbot.waitUntil(lambda: win.viewer.doc_id == 2, timeout=30000)
    assert win.viewer.title.text() == TITLES[1]
    qtbot.waitUntil(lambda: win.builder is not None
                    and win.middle.currentWidget() is win.builder, timeout=10000)
    qtbot.wait(200)  # the facade's own read of the list has come back by now
    assert win.builder.built
    assert shown == [2], "the document was opened more than once"
    assert [model.data(model.index(r, 0)) for r in range(3)] == TITLES
    assert win.session.is_open and table.selectionModel().isRowSelected(1)
    win.close()


def test_a_tag_chosen_in_the_early_sidebar_shows_its_documents_with_the_core(
        qtbot: Any, library_path: Path, tmp_path: Path, monkeypatch: Any) -> None:
    """The early sidebar lists the tags; a click on one before the search panel is there is
    kept and shows the tag's documents once it is."""
    import threading

    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.tasks import TaskManager
    from workbench.services import Workbench

    lib = _with_documents(library_path, tmp_path)
    gate = threading.Event()
    original_open = Workbench.open
    monkeypatch.setattr(Workbench, "open",
                        lambda *a, **k: (gate.wait(30), original_open(*a, **k))[1])
    make_application()
    win = MainWindow(TaskManager())
    qtbot.addWidget(win)
    win.show()
    win.open_path(lib)
    qtbot.waitUntil(lambda: win.sidebar._find("tag", 1) is not None, timeout=20000)
    item = win.sidebar._find("tag", 1)
    assert item is not None and item.text(0).startswith("Witness")
    qtbot.mouseClick(win.sidebar.viewport(), Qt.MouseButton.LeftButton,
                     pos=win.sidebar.visualItemRect(item).center())
    assert win.search_panel is None and not gate.is_set()
    gate.set()
    qtbot.waitUntil(lambda: win.search_panel is not None
                    and win.middle.currentWidget() is win.search_panel, timeout=30000)
    assert win.search_field.text() == 'tag:"Witness"'
    win.close()


def test_a_library_the_plain_reader_does_not_serve_opens_as_before(
        qtbot: Any, library_path: Path, tmp_path: Path) -> None:
    """A library that needs an upgrade is shown once the facade has upgraded it (no early
    list); one from a newer Workbench is refused before anything of it is shown."""
    import shutil
    import sqlite3

    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.tasks import TaskManager

    make_application()
    old = tmp_path / "old"
    shutil.copytree(ROOT / "tests" / "fixtures" / "libraries" / "schema-0001", old)
    newer = _with_documents(library_path, tmp_path)
    con = sqlite3.connect(newer / "library.sqlite")
    con.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    con.commit()
    con.close()
    for lib, opens in ((old, True), (newer, False)):
        win = MainWindow(TaskManager(sync=True))
        qtbot.addWidget(win)
        early: list[Any] = []
        errors: list[BaseException] = []
        win.session.previewed.connect(early.append)
        win.presenter.show = (  # type: ignore[method-assign]
            lambda exc, doing=None, seen=errors: seen.append(exc))
        win.show()
        win.open_path(lib)
        assert early == []
        if opens:
            assert errors == [] and win.session.is_open
            assert win.central.currentWidget() in (win.splitter, win.empty)
        else:
            assert not win.session.is_open and win.central.currentWidget() is win.no_library
            assert [type(e).__name__ for e in errors] and "newer Workbench" in str(errors[0])
            assert win.documents.model.rowCount() == 0
        win.close()


def test_the_dossier_builder_is_built_when_first_shown(window: Any, qtbot: Any) -> None:
    """The builder costs nothing at the open: the sidebar's dossiers, the dossier it opens and
    a change to it are kept as state; Ctrl+5 builds it showing them, with the buttons other
    features add (the chronology's section, the corroboration toggle)."""
    from tests.ui.conftest import facade

    builder = window.builder
    assert builder is not None and not builder.built
    window.session.broadcast(facade(window, lambda wb: wb.create_dossier("Brief")))
    changes = facade(window, lambda wb: wb.add_item(1, note="A first note"))
    window.session.broadcast(changes)
    assert not builder.built and builder.dossier_id == 1 and len(builder.data["entries"]) == 1
    assert builder.entity_register is None and not builder.built  # asked for: not built
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)
    window.documents.table.setFocus()
    qtbot.keyClick(window.documents.table, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.middle.currentWidget() is builder and builder.built
    assert builder.chooser.currentText() == "Brief  (1)" and builder.items.count() >= 1
    assert "1 item" in builder.meta.text()
    assert builder.chronology_button.parent() is not None
    assert builder.corroboration.parent() is not None


def test_an_early_list_whose_library_then_fails_to_open_shows_the_failure_once(
        qtbot: Any, library_path: Path, tmp_path: Path, monkeypatch: Any) -> None:
    """The list shows, then the facade's open fails (another process holds the library):
    the window says so as before, once; a document clicked meanwhile is dropped, not run
    on nothing; the early list and sidebar are gone; asking works as before after it."""
    import threading

    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.tasks import TaskManager
    from workbench.errors import LibraryLocked
    from workbench.services import Workbench

    lib = _with_documents(library_path, tmp_path)
    gate = threading.Event()

    def locked(*args: Any, **kwargs: Any) -> Any:
        gate.wait(30)
        raise LibraryLocked("The library is open in another Workbench", "close it there")

    monkeypatch.setattr(Workbench, "open", locked)
    make_application()
    win = MainWindow(TaskManager())
    qtbot.addWidget(win)
    errors: list[tuple[str, Any]] = []
    real_show = win.presenter.show  # says nothing of a Cancelled (a quiet stop)
    win.presenter.show = (  # type: ignore[method-assign]
        lambda exc, doing=None: None if type(exc).__name__ == "Cancelled"
        else errors.append((type(exc).__name__, doing)))
    assert real_show.__func__.__code__.co_names.count("Cancelled")  # as the real one does
    win.show()
    win.open_path(lib)
    model, table = win.documents.model, win.documents.table
    qtbot.waitUntil(lambda: model.rowCount() == 3 and win.central.currentWidget()
                    is win.splitter, timeout=20000)
    win.documents.filter.setText("Second")  # a query queued behind the open
    win.documents._apply_filter()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(model.index(0, 0)).center())
    gate.set()
    qtbot.waitUntil(lambda: win.central.currentWidget() is win.no_library, timeout=20000)
    qtbot.wait(300)
    assert errors == [("LibraryLocked", "open the library")]
    assert not win.session.is_open and model.rowCount() == 0
    assert win.sidebar.all_item.text(0) == "All documents  (0)" and win.viewer.doc_id is None
    done: list[Any] = []
    win.session.query(lambda wb: wb, done.append)  # after the failure: said as before
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=10000)
    assert errors[1][0] == "UserError" and done == []
    win.close()
