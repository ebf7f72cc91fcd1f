"""The event dialog's word on a date it cannot read ("05/03/2018" is ambiguous, "31 February
2018" is no day) names every accepted form; it was cut at its top and bottom (the dialog kept
its 560 px and squeezed the label, fresh-user walk at 1600x1000 and 1024x700). It reads whole:
the label wraps and the dialog grows, within the screen, or the sources list gives way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from tests.ui.test_chronology_ui import (
    double_window,  # noqa: F401 (a fixture)
    event_from_highlight,
    library,
)
from tests.ui.test_page_hint_wraps import _reads_whole


def _type_date(win: Any, qtbot: Any, tmp_path: Path, typed: str) -> Any:
    """As in the walk: an event made from a highlight (the date found in its quote offered,
    the highlight listed as the source), then a date typed that cannot be read."""
    ids = library(win, tmp_path)
    dialog = event_from_highlight(win, qtbot, ids["camp"], ids["trucks"])
    assert dialog.suggested.isVisible() and dialog.sources.count() == 1
    dialog.date.clear()
    qtbot.keyClicks(dialog.date, typed)
    QApplication.processEvents()
    return dialog


def _check(dialog: Any) -> None:
    label = dialog.reading
    assert "Accepted:" in label.text() and "2018年3月5日" in label.text()
    assert label.isVisible() and _reads_whole(label), (label.size(), label.text())
    # inside the dialog, and the dialog inside the screen
    bottom = label.mapTo(dialog, QPoint(0, label.height())).y()
    assert bottom <= dialog.height()
    screen = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= screen.height()
    # the rest of the dialog is still there to use
    assert dialog.sources.height() >= dialog.sources.fontMetrics().lineSpacing() * 2
    assert dialog.save.isVisible() and not dialog.save.isEnabled()
    dialog.reject()


@pytest.mark.parametrize("typed", ["05/03/2018", "31 February 2018"])
def test_the_accepted_date_forms_read_whole(window: Any, qtbot: Any, tmp_path: Path,
                                            typed: str) -> None:
    window.resize(1024, 700)
    _check(_type_date(window, qtbot, tmp_path, typed))


def test_the_accepted_date_forms_read_whole_at_double_text(
        double_window: Any, qtbot: Any, tmp_path: Path) -> None:  # noqa: F811
    _check(_type_date(double_window, qtbot, tmp_path, "05/03/2018"))


def test_a_date_read_gives_the_room_back(window: Any, qtbot: Any, tmp_path: Path) -> None:
    """Once the date is read, the one-line reading does not leave the dialog grown."""
    ids = library(window, tmp_path)
    dialog = event_from_highlight(window, qtbot, ids["camp"], ids["trucks"])
    QApplication.processEvents()
    start = dialog.height()
    dialog.date.clear()
    qtbot.keyClicks(dialog.date, "05/03/2018")
    QApplication.processEvents()
    assert _reads_whole(dialog.reading) and dialog.height() > start
    dialog.date.clear()
    qtbot.keyClicks(dialog.date, "5 March 2018")
    QApplication.processEvents()
    assert dialog.reading.text().startswith("Read as")
    assert _reads_whole(dialog.reading)
    assert dialog.height() == start
    dialog.reject()
