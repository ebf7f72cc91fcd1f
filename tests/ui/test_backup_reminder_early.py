"""Nothing moves when the window opens (issue 16): on a library never backed up, the backup
reminder bar is shown with the early list (the last backup read by ``FastReader`` before the
core loads), so the panes are not pushed down when the core arrives, and the bar is not
hidden and shown again then."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint

from tests.ui.test_app_start import _with_documents


class _Hides(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide:
            self.count += 1
        return False


def test_the_panes_do_not_move_when_the_core_arrives_on_a_library_never_backed_up(
        qtbot: Any, library_path: Path, tmp_path: Path, monkeypatch: Any) -> None:
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
    bar = win.backups.reminder
    qtbot.waitUntil(lambda: win.documents.model.rowCount() > 0, timeout=20000)
    qtbot.wait(50)  # the first paint of the early list
    assert not win.features_installed  # still the early list: the core is held back
    assert bar.isVisible() and "never been backed up" in bar.label.text()
    early_y = win.splitter.mapTo(win, QPoint(0, 0)).y()
    hides = _Hides()
    bar.installEventFilter(hides)
    gate.set()
    qtbot.waitUntil(lambda: win.features_installed and win.session.is_open, timeout=30000)
    qtbot.wait(200)  # the facade's own check of the last backup
    assert bar.isVisible() and "never been backed up" in bar.label.text()
    assert win.splitter.mapTo(win, QPoint(0, 0)).y() == early_y
    assert hides.count == 0
    win.close()
