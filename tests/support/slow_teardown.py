"""Test-only worker plug-in: a module whose teardown is slow, as a worker's is once it has
loaded numpy, and an exit handler that says it ran (``WB_TEST_EXIT_MARK`` names the file),
after ``WB_TEST_EXIT_SLEEP`` seconds.

Loaded through ``Limits(plugins=...)`` like ``plugin_extractors``.
"""

from __future__ import annotations

import atexit
import os
import time
from pathlib import Path

MODULE = "tests.support.slow_teardown"
TEARDOWN_S = 3.0


class _SlowToFree:
    def __del__(self) -> None:  # runs while the interpreter tears its modules down
        time.sleep(TEARDOWN_S)


_held = _SlowToFree()


def _mark() -> None:
    # A slow exit handler (seconds in WB_TEST_EXIT_SLEEP): what an import must not wait for.
    time.sleep(float(os.environ.get("WB_TEST_EXIT_SLEEP", "0")))
    mark = os.environ.get("WB_TEST_EXIT_MARK")
    if mark:
        Path(mark).write_text("ran", encoding="utf-8")


atexit.register(_mark)
