"""Issue 16 (the heartbeat during an import): once a library is open, a full garbage collection
does not walk the core. Python's full collections visit every object the process holds (Qt's
wrappers, SQLAlchemy, the models, the language model: ~87-91 ms of CPU measured by
tests/ui/test_heartbeat.py's culprits, at load 5-6), holding the GIL for all of it; the first
ones came on the worker thread as the import started and as the first search ran, and were
the window's worst late beats. The open freezes what exists by then (``gc.freeze``)."""

from __future__ import annotations

import gc
from typing import Any


def _walked(obj: object) -> bool:
    """Whether a full collection visits ``obj`` (frozen objects are in no generation)."""
    return any(o is obj for o in gc.get_objects())


def test_a_full_collection_after_the_open_does_not_walk_the_core(threaded_window: Any,
                                                                 qtbot: Any) -> None:
    win = threaded_window
    qtbot.waitUntil(lambda: win.session.core_ready, timeout=30000)
    wb = win.session._wb  # made on the worker as the library opened: lives as long as it
    assert wb is not None and gc.is_tracked(wb)
    assert not _walked(wb)
    assert not _walked(type(wb).__dict__["open"])  # the core's own functions, too
    assert gc.get_freeze_count() > len(gc.get_objects())


def test_a_window_whose_tasks_run_inline_freezes_nothing(window: Any) -> None:
    """Tests' synchronous windows open hundreds of libraries in one process: freezing at each
    would keep every earlier test's uncollected garbage for good."""
    assert window.session.is_open
    assert _walked(window.session._wb)


def test_a_library_closed_for_another_is_not_kept_frozen(threaded_window: Any, qtbot: Any,
                                                         tmp_path: Any) -> None:
    """What the open froze is thawed and collected when that library closes: a facade, its
    index and caches caught in a reference cycle would otherwise stay for the app's life."""
    import shutil
    import weakref

    win = threaded_window
    qtbot.waitUntil(lambda: win.session.core_ready and win.session._wb is not None,
                    timeout=30000)
    first = win.session._wb
    first.kept_in_a_cycle = first  # only a full collection can free it
    gone = weakref.ref(first)
    del first
    other = tmp_path / "other"
    shutil.copytree(win.session.path, other)
    win.open_path(other)
    qtbot.waitUntil(lambda: win.session._wb is not None and gone() is not win.session._wb
                    and win.session.path == other, timeout=30000)
    gc.collect()
    assert gone() is None
    assert not _walked(win.session._wb)  # the library open now is frozen in its turn
