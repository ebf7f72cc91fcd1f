"""The same search started twice before the first answer lands lists each hit once (a walk
saw "2 documents" over three rows: the window restored the last search as it opened and a
click on the tag ran it again; both answers passed the "same query" check and were added)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui.conftest import facade_async


def test_a_search_run_twice_lists_its_hits_once(threaded_window: Any, qtbot: Any,
                                                tmp_path: Path) -> None:
    win = threaded_window
    for n in range(2):
        (tmp_path / f"d{n}.txt").write_text(f"Statement {n} about the detention camp.",
                                            encoding="utf-8")
    facade_async(win, qtbot, lambda wb: wb.import_paths(sorted(tmp_path.glob("d*.txt"))))
    facade_async(win, qtbot, lambda wb: wb.wait_for_index(60))
    panel = win.search_panel
    for _ in range(3):
        panel.run("detention")  # each before the last one's answer arrived
    qtbot.waitUntil(lambda: panel.info.text().startswith("2 documents"), timeout=20000)
    qtbot.wait(300)  # any later answer of the earlier runs
    assert panel.results.count() == 2 and len(panel.hits) == 2
