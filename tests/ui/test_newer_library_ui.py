"""The window refuses a library written by a newer Workbench in its error dialog, and leaves
the library as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.core.test_newer_library import newer as newer  # the fixture
from tests.core.test_newer_library import refusal_says_what_to_do, snapshot


def test_the_window_refuses_a_newer_library(window: Any, newer: Path) -> None:
    before = snapshot(newer)
    shown = len(window.presenter.shown)
    window.open_path(newer)
    assert not window.session.is_open or window.session.path != newer
    [message] = window.presenter.shown[shown:]
    box = window.presenter._open
    assert box is not None and box.isVisible() and box.text() == message
    refusal_says_what_to_do(f"{message} ({box.informativeText()})")  # the hint is below it
    assert snapshot(newer) == before
