"""The index writer's progress counts a stretch of work, not only its current batch: while an
import commits documents one after another, the writer takes them in several batches, and
the window's status bar said "Indexing 0 of 1…" after two documents were imported (session
14's walk). ``done`` and ``total`` now run over the batches written since the writer last
had nothing to do; the status bar adds what is still queued (``pending``)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.sqlite_only("the Whoosh writer's progress")


def test_consecutive_batches_count_as_one_stretch(wb: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.search.whoosh import writer as W

    wb.attach_index()
    worker = wb.library.index.worker
    assert worker.wait_idle(60)
    seen: list[tuple[int, int]] = []

    def write_batch(ix: Any, changed: set[int], removed: set[int], load: Any, done: Any,
                    mergetype: Any = None) -> None:
        seen.append((worker.progress.done, worker.progress.total))
        if len(seen) == 1:  # two more documents are committed while the first is written
            worker.changed([90_002, 90_003])
        done(len(changed) + len(removed))

    monkeypatch.setattr(W, "write_batch", write_batch)
    worker.changed([90_001])
    assert worker.wait_idle(60)
    assert seen == [(0, 1), (1, 3)]
    assert (worker.progress.done, worker.progress.total) == (0, 0)  # idle: a new stretch
    worker.changed([90_004])
    assert worker.wait_idle(60)
    assert seen[-1] == (0, 1)


def test_documents_arriving_one_by_one_are_written_in_few_batches(
        wb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import commits a document every ~15 ms; the writer took each as it came (69
    batches for 100 documents, each with its own queries and segment: 0.6 s of the import
    process's 1.2 s of CPU). It now waits while ids keep arriving, a little, then writes."""
    import threading
    import time

    from workbench.search.whoosh import writer as W

    wb.attach_index()
    worker = wb.library.index.worker
    assert worker.wait_idle(60)
    batches: list[int] = []

    def write_batch(ix: Any, changed: set[int], removed: set[int], load: Any, done: Any,
                    mergetype: Any = None) -> None:
        batches.append(len(changed) + len(removed))
        time.sleep(0.002)
        done(len(changed) + len(removed))

    monkeypatch.setattr(W, "write_batch", write_batch)

    def commits() -> None:
        for i in range(40):
            worker.changed([80_000 + i])
            time.sleep(0.01)

    feeder = threading.Thread(target=commits)
    feeder.start()
    feeder.join()
    assert worker.wait_idle(60)
    assert sum(batches) == 40 and len(batches) <= 6, batches
    # A single edit on its own waits no longer than the quiet gap.
    began = time.monotonic()
    worker.changed([80_100])
    assert worker.wait_idle(60)
    assert time.monotonic() - began < 0.5
    assert batches[-1] == 1
