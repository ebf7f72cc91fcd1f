"""The hit list keeps the user's place when the library changes under it (a saved highlight)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui.conftest import facade


def test_saving_a_highlight_keeps_the_selected_hit_and_the_scroll(window: Any, tmp_path: Path,
                                                                 qtbot: Any) -> None:
    # Regression: the search ran again after each highlight, back at the top with no hit
    # selected, so the user lost their place in a long list of hits.
    src = tmp_path / "in"
    src.mkdir()
    for n in range(22):
        (src / f"report-{n:02}.txt").write_text(
            f"Report {n}. The detention of witness number {n} was recorded in the camp "
            f"register.\n\n" + "Other paragraph text. " * 20, encoding="utf-8")
    window.imports.start([src])
    window.imports.plan_dialog.accept()
    assert facade(window, lambda wb: wb.wait_for_index(60))
    window.resize(1024, 700)
    window.search_field.setText("detention")
    window.run_search()
    panel = window.search_panel
    qtbot.waitUntil(lambda: len(panel.hits) == 22)
    panel.open_hit(18)
    bar = panel.results.verticalScrollBar()
    panel.results.scrollToItem(panel.results.item(18))
    place = bar.value()
    assert place > 0
    doc = panel.hits[18].document_id

    viewer = window.viewer
    text = viewer.text_info.text
    start = text.index("detention")
    viewer.text.select_range(start, start + len("detention"))
    window.acts["highlight"].trigger()
    dialog = window.highlighter.dialog
    dialog.pick("Detention")
    dialog.accept()
    assert facade(window, lambda wb: wb.list_highlights(doc=doc))
    assert facade(window, lambda wb: wb.wait_for_index(60))
    qtbot.wait(200)
    qtbot.waitUntil(lambda: len(panel.hits) == 22)
    assert panel.current_document() == doc
    assert bar.value() == place
