"""The search index's progress in the status bar ("Indexing 120 of 300…").

The index updates itself on its own thread after imports and edits; while it works, searches
miss the newest documents, so the user should see it. Polling runs on the worker once a second,
only while the index is busy and only when the worker has nothing else to do.

It also attaches the index (issue 16): the session opens a library without it, since importing
the engine (Whoosh, numpy) would delay the list by a quarter of a second; once the worker has
been idle for two beats after the open (the list and the sidebar read), the index is attached
and its writer checks it against the database, repairing any drift. A search before that
attaches it itself, on the worker, and so waits for it.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from workbench.search.backend import Activity

from .session import Session

log = logging.getLogger(__name__)


class IndexStatus(QObject):
    def __init__(self, session: Session, label: QLabel) -> None:
        super().__init__(label)
        self.session = session
        self.label = label
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.poll)
        self._asking = False
        self._idle_beats = 0
        self.attacher = QTimer(self)
        self.attacher.setInterval(50)
        self.attacher.timeout.connect(self._attach_when_idle)
        session.opened.connect(lambda _path: self._start_attaching())

    def _start_attaching(self) -> None:
        self._idle_beats = 0
        self.attacher.start()

    def _attach_when_idle(self) -> None:
        if not self.session.is_open:
            self.attacher.stop()
            return
        self._idle_beats = 0 if self.session.tasks.busy else self._idle_beats + 1
        if self._idle_beats >= 2:  # the list's first rows were asked for and have arrived
            self.attacher.stop()
            # A failure is said by the first search, which attaches it again.
            self.session.query(_attach, None, on_error=lambda exc: log.warning(
                "the search index could not be attached: %s", exc))

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
        # The writer counts the batches since it was last idle; what is queued behind the
        # current batch is part of the same work.
        done = status.get("done", 0)
        total = status.get("total", 0) + (status.get("pending") or 0)
        if total and done >= total:  # every document written; the segment is committing
            self.label.setText("Saving the index…")
        else:
            self.label.setText(f"Indexing {done:,} of {total:,}…" if total else "Indexing…")

    def _failed(self, exc: BaseException) -> None:
        self._asking = False
        self.timer.stop()
        self.label.setText("")


def _attach(wb: Any) -> None:
    attach = getattr(wb, "attach_index", None)
    if callable(attach):
        attach()


def _light_status(wb: Any) -> Activity:
    """The writer's progress only (``index_status`` also sizes the folder: too slow to poll)."""
    activity: Activity = wb.index_activity()
    return activity
