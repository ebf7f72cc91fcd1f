"""Going from a PDF's Original tab to a web page or a text shows its text, not a notice that
its original is not rendered; back on a PDF, its pages again (a walk landed on "Web captures
are not rendered here" and took it for an empty document)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tests.support.files import make_pdf
from tests.ui.conftest import facade


def test_the_tab_follows_what_a_document_can_show(window: Any, qtbot: Any,
                                                  tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "report.pdf", ["First page of the report.", "Second page."])
    txt = tmp_path / "note.txt"
    txt.write_text("A plain note about the camp.", encoding="utf-8")
    report = facade(window, lambda wb: wb.import_paths([pdf, txt]))
    report = report[0] if isinstance(report, tuple) else report
    ids = {Path(o.path).suffix: int(o.document_id) for o in report.outcomes}
    viewer = window.viewer
    window.open_document(ids[".pdf"])
    bar = viewer.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.tabRect(viewer.tabs.indexOf(viewer.original)).center())
    assert viewer.tabs.currentWidget() is viewer.original
    window.open_document(ids[".txt"])
    assert viewer.tabs.currentWidget() is viewer.text_page
    window.open_document(ids[".pdf"])
    assert viewer.tabs.currentWidget() is viewer.original  # the reader's choice, kept
    # once the reader chooses the Text tab themselves, a PDF opens on its text
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.tabRect(viewer.tabs.indexOf(viewer.text_page)).center())
    window.open_document(ids[".txt"])
    window.open_document(ids[".pdf"])
    assert viewer.tabs.currentWidget() is viewer.text_page
