"""The status bar's index progress reads the index through the facade (``index_activity``),
not the engine's modules, and says nothing when the index is idle or turned off."""

from __future__ import annotations

from typing import Any

from tests.ui.conftest import facade


def test_the_index_progress_comes_through_the_facade(window: Any, qtbot: Any) -> None:
    from ui.index_status import _light_status

    win = window
    status = win.index_status
    assert status is not None
    activity = facade(win, _light_status)
    assert activity["state"] in ("idle", "checking", "indexing", "rebuilding")
    assert "size_bytes" not in activity  # the cheap part only: no folder sizing per poll
    status._show({"state": "indexing", "done": 3, "total": 10})
    assert win.index_label.text() == "Indexing 3 of 10…"
    # Documents queued behind the current batch count too (an import commits one by one).
    status._show({"state": "indexing", "done": 1, "total": 1, "pending": 2})
    assert win.index_label.text() == "Indexing 1 of 3…"
    status._show({"state": "idle", "done": 1, "total": 1, "pending": 2})
    assert win.index_label.text() == "Indexing 1 of 3…"
    # Every document is written and the segment is being committed: "800 of 800" would
    # stay up for that half second as if the count were stuck.
    status._show({"state": "indexing", "done": 800, "total": 800})
    assert win.index_label.text() == "Saving the index…"
    status._show({"state": "indexing", "done": 800, "total": 800, "pending": 1})
    assert win.index_label.text() == "Indexing 800 of 801…"
    # Another Whoosh turns search off: nothing is being indexed, so nothing is said.
    status._show({"state": "unavailable", "done": 0, "total": 0})
    assert win.index_label.text() == "" and not status.timer.isActive()
