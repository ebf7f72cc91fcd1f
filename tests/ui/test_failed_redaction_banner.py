"""A PDF with a black box drawn over live text warns on the Text tab too (where the document
opens, and which shows the hidden text): a banner above the text whose link opens the Original
tab at the area's page with the area outlined; one x-ray query per document open serves both
tabs; an ordinary document shows no banner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from tests.support import xray_pdfs as X
from tests.support.files import make_pdf


def _import(win: Any, paths: list[Path]) -> None:
    win.imports.start(paths)
    win.imports.plan_dialog.accept()
    win.imports.summary_dialog.accept()


def _open(win: Any, title: str) -> None:
    from tests.ui.conftest import facade

    doc = next(d["id"] for d in facade(win, lambda wb: wb.list_documents())
               if title in (d.get("original_filename") or d.get("title") or ""))
    win.open_document(doc)
    QApplication.processEvents()


def test_text_tab_warns_and_shows_the_area_on_the_page(window: Any, tmp_path: Path, qtbot: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    if not window.session.has("xray"):
        pytest.fail("this core build has no failed-redaction check")
    from workbench.services import Workbench

    calls: list[int] = []
    real = Workbench.xray

    def counted(self: Any, doc: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(doc)
        return real(self, doc, *args, **kwargs)

    monkeypatch.setattr(Workbench, "xray", counted)
    leaky = X.write(tmp_path / "leaky.pdf", [X.ordinary_page(), X.ordinary_page(),
                                             X.black_box_over_text()])
    fine = make_pdf(tmp_path / "fine.pdf", ["Nothing is hidden here."])
    _import(window, [leaky, fine])
    viewer = window.viewer

    _open(window, "leaky")
    assert viewer.tabs.currentWidget() is viewer.text_page  # where a document opens
    banner = viewer.text_banner
    assert banner.isVisible()
    assert "1 area on page 3 may hide text under a box (a failed redaction?)" in banner.text()
    assert "the text is still in the file" in banner.text() and "Show on the page" in banner.text()
    assert banner.geometry().bottom() <= viewer.text.geometry().top()  # above the text
    assert len(calls) == 1  # one query serves the Text and the Original tab

    banner.linkActivated.emit("show")
    original = viewer.original
    assert viewer.tabs.currentWidget() is original
    view = original.page_view
    qtbot.waitUntil(lambda: view.page_count > 0 and view.all_visible_sharp(), timeout=10000)
    assert view.current == 2  # page 3, the area's
    (area,) = view.overlays.xray  # outlined there
    assert area["page"] == 3 and "text" not in area
    x, y, w, h = view.pages.rect_to_content(2, area["bbox"])
    top, left = view.verticalScrollBar().value(), view.horizontalScrollBar().value()
    assert top <= y and y + h <= top + view.viewport().height()  # in view
    assert left <= x and x + w <= left + view.viewport().width()
    assert original.banner.isVisible()
    assert len(calls) == 1  # the Original tab did not ask again

    # Back on the Text tab, then another document: no warning for an ordinary PDF.
    viewer.tabs.setCurrentWidget(viewer.text_page)
    assert banner.isVisible()
    _open(window, "fine")
    assert banner.isHidden() and original.banner.isHidden()
    assert len(calls) == 2


def test_ordinary_document_has_no_text_banner(window: Any, tmp_path: Path) -> None:
    _import(window, [make_pdf(tmp_path / "fine.pdf", ["Nothing is hidden here."])])
    _open(window, "fine")
    assert window.viewer.text_banner.isHidden()
    assert window.viewer.text.isVisible()
