"""A GUI-thread heartbeat: a 50 ms Qt timer that records how long the GUI thread ever waits.

Used by the never-frozen test and the GUI benchmark; import only where Qt is loaded.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer  # noqa: TID251 - a GUI test helper


class Heartbeat:
    """Start it, do the work, then read ``gaps`` (seconds between beats) or ``worst()``."""

    def __init__(self, interval_ms: int = 50) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def start(self) -> Heartbeat:
        self.reset()
        self._timer.start()
        return self

    def reset(self) -> None:
        """Forget the gaps so far (to measure the next phase on its own)."""
        self.gaps.clear()
        self._last = time.perf_counter()

    def stop(self) -> None:
        self._timer.stop()

    def worst(self) -> float:
        return max(self.gaps) if self.gaps else 0.0
