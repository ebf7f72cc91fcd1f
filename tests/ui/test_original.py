"""The Original tab: PDF pages through Qt PDF; web captures never rendered, bytes saved as-is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.files import make_html_capture, make_pdf
from tests.ui.conftest import facade


def _open_only(win: Any, path: Path) -> None:
    win.imports.start([path])
    win.imports.plan_dialog.accept()
    win.documents.table.selectRow(0)


def test_pdf_original_is_rendered_and_search_hits_located(window: Any, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "r.pdf", ["First page about the camp.", "Second page: the fence."])
    _open_only(window, pdf)
    viewer = window.viewer
    assert viewer.text.display.separators  # page separators in the reading text
    viewer.tabs.setCurrentWidget(viewer.original)
    original = viewer.original
    assert original.pdf_doc is not None and original.pdf_doc.pageCount() == 2
    original.locate("fence", 2)
    assert original.search_model.searchString() == "fence"


def test_web_capture_is_not_rendered_and_original_bytes_save_exactly(
        window: Any, tmp_path: Path, monkeypatch: Any) -> None:
    html = make_html_capture(tmp_path / "c.html", "Capture", "<p>Statement of the witness.</p>",
                             url="https://example.org/a")
    _open_only(window, html)
    viewer = window.viewer
    viewer.tabs.setCurrentWidget(viewer.original)
    assert "not rendered" in viewer.original.message.text()
    target = tmp_path / "saved.html"
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    viewer.original.save_button.click()
    assert target.read_bytes() == html.read_bytes()
    doc_id = viewer.doc_id
    assert facade(window, lambda wb: wb.show_document(doc_id))["sha256"]
