"""A library's process keeps one C heap for all its threads (``workbench/malloc_arenas.py``).

Observed, not assumed: in a fresh process, after ``Workbench.open``, memory that other threads
get from ``malloc`` while the main thread holds the heap busy lies in the main heap (the
``[heap]`` mapping), where without the limit glibc hands such threads arenas of their own
elsewhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's arenas")

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import ctypes, json, sys, threading
from pathlib import Path
if sys.argv[2] == "open":
    from workbench.services import Workbench
    Workbench.open(Path(sys.argv[1])).close()
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
got = []
stop = threading.Event()
def busy():  # keeps the main heap's lock taken often, so other threads meet it held
    while not stop.is_set():
        libc.free(ctypes.c_void_p(libc.malloc(2000)))
def take():
    for _ in range(2000):
        got.append(libc.malloc(64))
spin = threading.Thread(target=busy)
spin.start()
threads = [threading.Thread(target=take) for _ in range(6)]
[t.start() for t in threads]
[t.join() for t in threads]
stop.set(); spin.join()
heap = next(line for line in open("/proc/self/maps") if line.rstrip().endswith("[heap]"))
lo, hi = (int(x, 16) for x in heap.split()[0].split("-"))
print(json.dumps({"outside": sum(1 for p in got if not lo <= p < hi), "all": len(got)}))
"""


def _outside(library: Path, how: str, env: dict[str, str]) -> int:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(library), how], capture_output=True,
                          text=True, env=env, timeout=120, cwd=ROOT, check=True)
    return int(json.loads(proc.stdout.strip().splitlines()[-1])["outside"])


@pytest.mark.sqlite_only("a personal library's process; the measure is the process's own")
def test_after_an_open_every_threads_allocations_are_in_the_main_heap(
        library_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    env["PYTHONPATH"] = str(ROOT)
    assert _outside(library_path, "open", env) == 0
    # The check can see the difference: without the open's limit, threads get arenas.
    assert _outside(library_path, "plain", env) > 0


def test_a_malloc_arena_max_the_user_set_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench import malloc_arenas

    monkeypatch.setattr(malloc_arenas, "_done", False)
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert malloc_arenas.limit_arenas() is False
