"""The Qt binding keeps Python's reference counts: PySide6 6.12.0 on Python 3.11 dropped a
reference to ``True`` at every signal emit and to ``None`` at every call of a Qt method that
returns nothing, so a long session ended in "Fatal Python error: bool_dealloc" (every task
emits ``busy_changed`` twice; the window calls such methods all the time). Found in session
17; pyproject.toml leaves that release out. Python 3.12 made these objects immortal, where
this test has nothing to see."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

CALLS = 2000


class _Emitter(QObject):
    bare = Signal()
    flag = Signal(bool)


def test_signals_and_void_calls_keep_true_and_none(qapp: object) -> None:
    emitter = _Emitter()
    emitter.bare.connect(lambda: None)
    emitter.flag.connect(lambda _on: None)
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(CALLS):
        emitter.bare.emit()
        emitter.flag.emit(True)
        emitter.setObjectName("x")  # a Qt method that returns nothing
    # Other threads may take or drop a few references meanwhile; a leak is thousands.
    assert sys.getrefcount(True) - true_before > -CALLS // 4
    assert sys.getrefcount(None) - none_before > -CALLS // 4
