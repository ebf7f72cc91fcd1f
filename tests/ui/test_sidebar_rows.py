"""The sidebar's rows stay where they are painted (issue 16), and a long name keeps its count.

The early sidebar (read before the core) already holds the rows the core's panels fill in
(Entities, Chronology under LIBRARY), greyed until they work: when the core arrives nothing
below them moves. A collection's name too long for the sidebar is cut, its count is not.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tests.ui.conftest import facade
from tests.ui.test_app_start import _with_documents
from workbench.changes import Changes


def _rows(sidebar: Any) -> dict[str, tuple[int, int]]:
    """Every visible row's text (without its count) -> (top, height) in the viewport."""
    out: dict[str, tuple[int, int]] = {}

    def walk(item: Any) -> None:
        for i in range(item.childCount()):
            child = item.child(i)
            rect = sidebar.visualItemRect(child)
            out[child.text(0).split("  (")[0]] = (rect.top(), rect.height())
            walk(child)

    walk(sidebar.invisibleRootItem())
    return out


def test_no_sidebar_row_moves_when_the_core_arrives(qtbot: Any, library_path: Path,
                                                    tmp_path: Path, monkeypatch: Any) -> None:
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
    win.resize(1200, 800)
    win.show()
    win.open_path(lib)
    sidebar = win.sidebar
    qtbot.waitUntil(lambda: sidebar._find("tag", 1) is not None, timeout=20000)
    assert not win.features_installed
    early = _rows(sidebar)
    assert [t for t in early if t in ("Entities", "Chronology")] == ["Entities", "Chronology"]
    entities = sidebar._find("entities", None)
    assert entities is not None and not entities.flags() & Qt.ItemFlag.ItemIsEnabled
    gate.set()
    qtbot.waitUntil(lambda: win.features_installed and win.session.is_open, timeout=30000)
    qtbot.wait(100)  # the facade's own read of the sidebar
    assert _rows(sidebar) == early
    entities = sidebar._find("entities", None)
    assert entities is not None and entities.flags() & Qt.ItemFlag.ItemIsEnabled
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton,
                     pos=sidebar.visualItemRect(entities).center())
    assert win.middle.currentWidget() is win.entities
    win.close()


def test_a_long_collection_name_is_cut_before_its_count(window: Any, qtbot: Any,
                                                        tmp_path: Path) -> None:
    name = ("Forced labour transfers from the Xinjiang Uyghur Autonomous Region to "
            "factories in other provinces, 2017 to 2022, part 1")
    assert len(name) == 120
    path = tmp_path / "a.txt"
    path.write_text("A statement.", encoding="utf-8")
    report, _ = facade(window, lambda wb: wb.import_paths([path]))
    facade(window, lambda wb: wb.add_to_collection([report.imported[0].document_id], name))
    window.session.broadcast(Changes(documents=True, collections=True))
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: sidebar._find("collection", name) is not None, timeout=5000)
    window.splitter.setSizes([220, 600, 600])
    item = sidebar._find("collection", name)
    assert item is not None
    sidebar.viewport().grab()  # paints every row
    shown = sidebar.itemDelegate().painted[name]
    assert shown.endswith("…  (1)"), shown
    width = sidebar.fontMetrics().horizontalAdvance(shown)
    assert width <= sidebar.visualItemRect(item).width()
    assert item.toolTip(0) == name


def test_a_hint_cut_in_a_narrow_sidebar_reads_whole_in_its_tooltip(window: Any) -> None:
    """Seen in the walk at 1024x700: "Tags you add to highlig…", "Save a search to keep
    it …" were cut with no way to read the rest."""
    sidebar = window.sidebar
    hints = [sidebar.sections[s].child(0) for s in ("collections", "tags", "searches",
                                                     "dossiers")]
    assert [h.text(0) for h in hints] == [
        "No collections yet", "Tags you add to highlights appear here",
        "Save a search to keep it here", "No dossiers yet"]
    assert all(h.toolTip(0) == h.text(0) for h in hints)
