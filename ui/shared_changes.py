"""Others' changes to a shared library reach this window (issue 19 part 5).

When the library open is shared, the core's ``ChangeListener`` (a thread of its own, waiting on
the server's NOTIFY or polling) says a change was committed somewhere; this asks the core, on
the session's worker, what changed after the last audit event seen, and hands those
``Changes`` to the session as if made here (``session.broadcast``): the document list,
search, sidebar, viewer and builder refresh through the same path as for this window's own
edits. A personal library has no listener: its only writer is this window.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from workbench.changes import Changes

log = logging.getLogger(__name__)

# While changes keep coming (a colleague's long import commits each document), the views
# refresh at most about twice a second rather than once per document.
GATHER_MS = 500


class SharedChanges(QObject):
    # emitted on the listener's thread; Qt queues it to this object's (the GUI) thread
    heard = Signal()

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.session = window.session
        self.seq: int | None = None  # the last audit event applied; None: not subscribed
        self.listener: Any = None
        self._asking = self._again = False
        self.heard.connect(self._ask)
        self.session.opened.connect(self._start)
        self.session.closed.connect(self._stop)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._stop)

    def _start(self, *_: Any) -> None:
        self._stop()
        self.session.query(_subscribe(self.heard.emit), self._subscribed,
                           "listen for others' changes", on_error=_quiet)

    def _subscribed(self, result: tuple[int, Any] | None) -> None:
        if result is None:  # a personal library
            return
        self.seq, self.listener = result

    def _stop(self, *_: Any) -> None:
        listener, self.listener, self.seq = self.listener, None, None
        if listener is not None:
            listener.stop(wait=0)

    def _ask(self) -> None:
        if self.seq is None:  # word from a library since closed
            return
        if self._asking:  # one question at a time; ask again once it is answered
            self._again = True
            return
        self._asking, seq = True, self.seq
        self.session.query(lambda wb: wb.changes_since(seq), self._answered,
                           "read others' changes", on_error=self._failed)

    def _answered(self, result: tuple[int, Changes]) -> None:
        self._asking = False
        new_seq, changes = result
        if self.seq is None:
            return
        self.seq = max(self.seq, new_seq)
        if changes != Changes():
            self.session.broadcast(changes)
        if self._again:  # more came meanwhile (a long import): gather them a moment first
            self._again = False
            QTimer.singleShot(GATHER_MS, self._ask)

    def _failed(self, exc: BaseException) -> None:
        self._asking = False
        _quiet(exc)


def _subscribe(heard: Any) -> Any:
    def work(wb: Any) -> tuple[int, Any] | None:
        if not getattr(wb.library, "shared", False):
            return None
        seq, _ = wb.changes_since(None)
        return seq, wb.listen_for_changes(heard)
    return work


def _quiet(exc: BaseException) -> None:
    # a dropped server is said by the next edit that needs it; this only refreshes views
    log.info("others' changes not read: %s", type(exc).__name__)


def install_shared_changes(window: Any) -> None:
    window.shared_changes = SharedChanges(window)
