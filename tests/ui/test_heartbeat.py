"""Never frozen: a 50 ms timer on the GUI thread keeps ticking while the real worker thread
imports 300 files and runs searches. Any gap above 250 ms fails the test.

``WORKBENCH_HEARTBEAT_CULPRITS=1`` (with ``-s``) prints the stacks of every thread seen while
a beat was late (``Heartbeat(watch_ms=...)``): what held the GIL or the GUI thread."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.heartbeat import Heartbeat

WORDS = ["camp", "detention", "labour", "transfer", "testimony", "witness", "factory", "cotton",
         "village", "county", "report", "satellite", "dormitory", "permit", "police", "school",
         "mosque", "family", "border"]


def _make_files(folder: Path, n: int) -> None:
    rng = random.Random(7)
    folder.mkdir()
    for i in range(n):
        words = " ".join(rng.choice(WORDS) for _ in range(450))
        (folder / f"doc-{i:03}.txt").write_text(f"Document {i}\n\n{words}\n", encoding="utf-8")


# Runs on its own after the parallel suite (see Makefile): it measures scheduling gaps, and a
# neighbouring test on the other core would measure that test, not the app.
@pytest.mark.serial
def test_gui_thread_never_blocks_during_import_and_search(threaded_window: Any, tmp_path: Path,
                                                          qtbot: Any) -> None:
    win = threaded_window
    _make_files(tmp_path / "many", 300)
    watch = bool(os.environ.get("WORKBENCH_HEARTBEAT_CULPRITS"))
    heart = Heartbeat(watch_ms=60 if watch else None).start()
    started = time.perf_counter()

    # a drop, as the app sees one: the files are dragged over the window (which starts the
    # import's language model on a thread of its own), then dropped a moment later
    win.imports.prepare()
    qtbot.wait(300)
    win.imports.start([tmp_path / "many"])
    qtbot.waitUntil(lambda: win.imports.plan_dialog is not None, timeout=60000)
    win.imports.plan_dialog.accept()
    qtbot.waitUntil(lambda: win.imports.summary_dialog is not None, timeout=240000)
    report = win.imports.summary_dialog.report
    assert len(report.imported) == 300

    searches = 0
    if win.search_panel is not None:
        # the index catches up on its own thread; waiting for it blocks the worker, not the GUI
        win.search_field.setText("testimony")
        win.run_search()
        win.session.query(lambda wb: wb.wait_for_index(120))
        qtbot.waitUntil(lambda: not win.tasks.busy, timeout=150000)
        for word in ("testimony", "cotton factory", "border AND police", "village"):
            win.search_field.setText(word)
            win.run_search()
            qtbot.waitUntil(lambda: not win.tasks.busy, timeout=60000)
            searches += 1
        assert win.search_panel.total > 0
    heart.stop()
    elapsed = time.perf_counter() - started
    worst = heart.worst() * 1000
    print(f"\nheartbeat: {len(heart.gaps)} beats over {elapsed:.1f}s, worst gap {worst:.0f} ms, "
          f"{searches} searches, 300 files imported")
    if watch:
        print(heart.culprits())
    assert worst < 250, f"the GUI thread stalled for {worst:.0f} ms"
