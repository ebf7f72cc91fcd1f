"""The language model (py3langid and numpy, ~27 MB) is opened when an import starts, while
the plan is made and shown, not a second after every open: a window that imports nothing
keeps it out of its memory (issue 16: idle memory)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.worker_pids import record_worker_pids
from workbench import language


def _drag_over(win: Any, path: Path) -> Any:
    """Files dragged over the window (not dropped): the drag-enter event, sent."""
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent
    from PySide6.QtWidgets import QApplication

    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(win, event)
    return event


def test_an_import_opens_the_language_model_as_it_starts(
        threaded_window: Any, tmp_path: Path, qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(language, "preload", lambda: calls.append("preload"))
    (tmp_path / "a.txt").write_text("A witness statement about the camp.\n", encoding="utf-8")
    win = threaded_window
    win.imports.start([tmp_path / "a.txt"])
    assert calls == ["preload"]  # before the plan is made, let alone confirmed
    qtbot.waitUntil(lambda: win.imports.plan_dialog is not None, timeout=30000)
    win.imports.plan_dialog.reject()



def test_files_dragged_over_the_window_open_the_language_model_before_the_drop(
        threaded_window: Any, tmp_path: Path, qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(language, "preload", lambda: calls.append("preload"))
    (tmp_path / "a.txt").write_text("A witness statement.\n", encoding="utf-8")
    win = threaded_window
    qtbot.waitUntil(lambda: win.session.is_open, timeout=30000)
    event = _drag_over(win, tmp_path / "a.txt")
    assert event.isAccepted()
    assert calls == ["preload"]


def test_files_dragged_over_the_window_start_the_workers_the_import_then_takes(
        threaded_window: Any, tmp_path: Path, qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The extraction workers (a fresh interpreter each) start while the person drags and
    confirms the plan, and the import that follows uses those very processes."""
    from workbench.extract import isolation

    used = record_worker_pids(monkeypatch)
    (tmp_path / "a.txt").write_text("A witness statement.\n", encoding="utf-8")
    win = threaded_window
    qtbot.waitUntil(lambda: win.session.is_open, timeout=30000)
    _drag_over(win, tmp_path / "a.txt")

    def waiting() -> list[isolation.WorkerProcess]:
        prepared = win.session._wb._prepared if win.session._wb is not None else None
        pool = prepared._pool if prepared is not None else None
        return list(pool._all) if pool is not None else []

    qtbot.waitUntil(lambda: len(waiting()) >= 1 and all(w.alive() for w in waiting()),
                    timeout=30000)
    started = {w.proc.pid for w in waiting()}
    win.imports.start([tmp_path / "a.txt"])
    qtbot.waitUntil(lambda: win.imports.plan_dialog is not None, timeout=30000)
    win.imports.plan_dialog.accept()
    qtbot.waitUntil(lambda: win.imports.summary_dialog is not None, timeout=60000)
    assert used and used <= started
