"""The chronology's status box says it sets the chosen event's status: labelled "Status:" among
the Tag, Entity and Collection filters' row of buttons, a walk read it as one more filter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel

from tests.ui.test_chronology_ui import library, make_events


def test_the_status_box_is_labelled_as_an_action(window: Any, tmp_path: Path) -> None:
    make_events(window, library(window, tmp_path))
    panel = window.chronology
    label, = [w for w in panel.findChildren(QLabel) if w.buddy() is panel.status]
    assert label.text().replace("&", "") == "Set status:"
    assert "chosen event" in panel.status.toolTip()
