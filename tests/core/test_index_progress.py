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
