"""The search index's progress in the status bar ("Indexing 120 of 300…").

The index updates itself on its own thread after imports and edits; while it works, searches
miss the newest documents, so the user should see it. Polling runs on the worker once a second,
only while the index is busy and only when the worker has nothing else to do.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from workbench.search.backend import Activity

from .session import Session


class IndexStatus(QObject):
    def __init__(self, session: Session, label: QLabel) -> None:
        super().__init__(label)
        self.session = session
        self.label = label
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.poll)
        self._asking = False

    def watch(self) -> None:
        if self.session.has("index_status") and not self.timer.isActive():
            self.timer.start()
            self.poll()

    def poll(self) -> None:
        if self._asking or self.session.tasks.busy or not self.session.is_open:
            return
        self._asking = True
        self.session.query(_light_status, self._show, on_error=self._failed)

    def _show(self, status: Activity) -> None:
        self._asking = False
        state = status.get("state", "idle")
        # "unavailable": another Whoosh, nothing is indexed until it is put back
        if state in ("idle", "read-only", "unavailable") and not status.get("pending"):
            self.label.setText("")
            self.timer.stop()
            return
        done, total = status.get("done", 0), status.get("total", 0)
        self.label.setText(f"Indexing {done:,} of {total:,}…" if total else "Indexing…")

    def _failed(self, exc: BaseException) -> None:
        self._asking = False
        self.timer.stop()
        self.label.setText("")


def _light_status(wb: Any) -> Activity:
    """The writer's progress only (``index_status`` also sizes the folder: too slow to poll)."""
    activity: Activity = wb.index_activity()
    return activity
