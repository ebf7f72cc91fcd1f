"""A GUI-thread heartbeat: a 50 ms Qt timer that records how long the GUI thread ever waits.

Used by the never-frozen test and the GUI benchmark; import only where Qt is loaded.

With ``watch_ms``, a watchdog thread looks every few milliseconds whether the next beat is
late (no beat for ``watch_ms``) and, while it is, samples what every thread is running
(``sys._current_frames``): the GUI thread's own stack (a slow slot or repaint) and the
other threads' (a worker holding the GIL). ``culprits()`` then tells which stacks were seen
most during the gaps: ``WORKBENCH_HEARTBEAT_CULPRITS=1 pytest -s tests/ui/test_heartbeat.py``.
It also lists the garbage collections that ended in a late beat (``gc.callbacks``): a
collection holds the GIL from start to end, whatever the switch interval (issue 16: the
worst gaps during an import were full collections on the worker thread).
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import traceback
from collections import Counter

from PySide6.QtCore import QTimer  # noqa: TID251 - a GUI test helper

# Where a thread waits (its innermost Python frame): not what keeps the GUI thread waiting.
_IDLE = frozenset({"wait", "wait_for", "_worker", "_read", "acquire", "get", "sleep", "select",
                   "poll", "_wait_for_tstate_lock", "readinto", "recv", "recv_bytes", "_recv"})


def _thread_cpu() -> dict[str, float]:
    """Each live thread's CPU time so far (s), by name ("GUI" for the main thread)."""
    out: dict[str, float] = {}
    for t in threading.enumerate():
        if t.ident is None:
            continue
        try:
            clock = time.pthread_getcpuclockid(t.ident)
            used = time.clock_gettime(clock)
        except (OSError, ValueError, OverflowError):
            continue
        name = "GUI" if t is threading.main_thread() else t.name
        out[name] = out.get(name, 0.0) + used
    return out


class Heartbeat:
    """Start it, do the work, then read ``gaps`` (seconds between beats) or ``worst()``."""

    def __init__(self, interval_ms: int = 50, watch_ms: int | None = None) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._beat)
        self._gui = threading.get_ident()  # made on the GUI thread, as its timer must be
        self._watch_s = None if watch_ms is None else watch_ms / 1000
        self._watching = threading.Event()
        self._watchdog: threading.Thread | None = None
        # (thread name, the innermost frames) -> samples taken while a beat was late
        self.samples: Counter[tuple[str, tuple[str, ...]]] = Counter()
        self.late_samples = 0
        # each late beat's gap (ms) and the CPU (ms) each thread of the process used in it
        self.late_gaps: list[tuple[int, dict[str, int]]] = []
        self._cpu: dict[str, float] = {}
        # each late beat's garbage collections: (its index in late_gaps, generation, thread,
        # CPU ms, wall ms)
        self.late_collections: list[tuple[int, int, str, float, float]] = []
        self._collections: list[tuple[float, int, str, float, float]] = []  # since the beat
        self._gc_start: dict[int, tuple[float, float]] = {}

    def _collected(self, phase: str, info: dict[str, int]) -> None:
        # Runs on the thread that collects, holding the GIL: a list append is safe.
        ident = threading.get_ident()
        if phase == "start":
            self._gc_start[ident] = (time.perf_counter(), time.thread_time())
            return
        began = self._gc_start.pop(ident, None)
        if began is None:
            return
        name = "GUI" if ident == self._gui else threading.current_thread().name
        self._collections.append((time.perf_counter(), info["generation"], name,
                                  (time.thread_time() - began[1]) * 1000,
                                  (time.perf_counter() - began[0]) * 1000))

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        if self._watch_s is not None:
            cpu = _thread_cpu()
            if now - self._last >= self._watch_s + 0.05:  # a late beat: whose CPU was it?
                used = {n: round((c - self._cpu.get(n, 0.0)) * 1000)
                        for n, c in cpu.items()}
                self.late_gaps.append((round((now - self._last) * 1000),
                                       {n: ms for n, ms in used.items() if ms >= 5}))
                self.late_collections += [(len(self.late_gaps) - 1, gen, name, c, w)
                                          for _end, gen, name, c, w in self._collections
                                          if w >= 5]
            self._cpu = cpu
            self._collections.clear()
        self._last = now

    def start(self) -> Heartbeat:
        self.reset()
        self._timer.start()
        if self._watch_s is not None and self._watchdog is None:
            self._watching.set()
            self._watchdog = threading.Thread(target=self._watch, name="heartbeat-watchdog",
                                              daemon=True)
            self._watchdog.start()
            gc.callbacks.append(self._collected)
        return self

    def _watch(self, every_s: float = 0.005, depth: int = 6) -> None:
        assert self._watch_s is not None
        me = threading.get_ident()
        while self._watching.is_set():
            time.sleep(every_s)
            if time.perf_counter() - self._last < self._watch_s:
                continue
            names = {t.ident: t.name for t in threading.enumerate()}
            self.late_samples += 1
            for ident, frame in sys._current_frames().items():
                if ident == me or (ident != self._gui and frame.f_code.co_name in _IDLE):
                    continue
                name = "GUI" if ident == self._gui else names.get(ident, str(ident))
                whole = traceback.extract_stack(frame)
                # the project's own innermost frames (what it asked for), then the innermost
                ours = [f for f in whole if "/workbench/" in f.filename or "/ui/" in f.filename]
                where = tuple(f"{'/'.join(f.filename.rsplit('/', 2)[-2:])}:{f.lineno} {f.name}"
                              for f in [*ours[-depth // 2:], *whole[-depth // 2:]])
                self.samples[(name, where)] += 1

    def culprits(self, top: int = 8) -> str:
        """The stacks seen most while a beat was late, most frequent first (a report)."""
        lines = [f"{len(self.late_gaps)} late beats, worst first: gap ms, then each thread's "
                 "CPU ms in it"]
        worst = sorted(enumerate(self.late_gaps), key=lambda g: -g[1][0])[:top]
        for at, (gap, used) in worst:
            lines.append(f"  {gap} ms: " + ", ".join(
                f"{n} {ms}" for n, ms in sorted(used.items(), key=lambda u: -u[1])))
            lines += [f"    a generation-{gen} garbage collection on {name}: {cpu:.0f} ms of "
                      f"CPU, {wall:.0f} ms" for g, gen, name, cpu, wall in self.late_collections
                      if g == at]
        lines.append(f"{self.late_samples} samples of the threads not waiting, taken while a "
                     "beat was late")
        for (name, where), n in self.samples.most_common(top):
            lines.append(f"-- {n} x thread {name}:")
            lines += [f"     {w}" for w in where]
        return "\n".join(lines)

    def reset(self) -> None:
        """Forget the gaps so far (to measure the next phase on its own)."""
        self.gaps.clear()
        self._last = time.perf_counter()

    def stop(self) -> None:
        self._timer.stop()
        self._watching.clear()
        if self._watchdog is not None:
            self._watchdog.join()
            self._watchdog = None
            if self._collected in gc.callbacks:
                gc.callbacks.remove(self._collected)

    def worst(self) -> float:
        return max(self.gaps) if self.gaps else 0.0
