"""Every wrapped value of the Record tab is shown whole: at 1024x700 a long title showed three
of its four lines, its last word ("Xinjiang") cut off (session 16's walk)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from tests.ui.conftest import facade
from workbench.ingest_types import ImportOptions

TITLE = ("UN Special Rapporteur’s Report: “Reasonable to Conclude” Existence of Forced Labor "
         "in Xinjiang")


@pytest.mark.parametrize("size", [(1008, 652), (1600, 1000)])
def test_a_long_title_is_shown_on_all_its_lines(window: Any, qtbot: Any, tmp_path: Path,
                                                size: tuple[int, int]) -> None:
    path = tmp_path / "report.txt"
    path.write_text(TITLE + "\n\n" + "A report released this week. " * 20, encoding="utf-8")
    report, changes = facade(window, lambda wb: wb.import_paths(
        [path], ImportOptions(source_url="https://example.org/reports/2022/08/forced-labour")))
    window.session.broadcast(changes)
    window.resize(*size)
    window.open_document(int(report.imported[0].document_id))
    window.viewer.show_record()
    QApplication.processEvents()
    if size[0] < 1600:  # the reading pane narrowed as the walk saw it: the record now scrolls
        window.splitter.setSizes([210, 540, 250])
        QApplication.processEvents()
    qtbot.wait(50)
    view = window.viewer.record
    assert view.values["Title"] == TITLE
    labels = [w for w in view.inner.findChildren(QLabel) if w.wordWrap() and w.text()
              and w.isVisible()]
    title = next(w for w in labels if w.text() == TITLE)
    assert title.heightForWidth(title.width()) >= 2 * title.fontMetrics().lineSpacing()
    assert view.verticalScrollBar().isVisible() == (size[0] < 1600)
    for label in labels:
        need = label.heightForWidth(label.width())
        assert label.height() >= need, (size, label.text()[:40], label.height(), need)
