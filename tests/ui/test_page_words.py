"""'OCR words' outlines the words OCR read on a scanned image, where they are on the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.scans import make_scan
from tests.support.tools import require_program
from tests.ui.conftest import facade
from tests.ui.test_page_viewer import _open_original


def test_ocr_words_outlined_on_a_scan(window: Any, tmp_path: Path, qtbot: Any) -> None:
    require_program("tesseract")
    if not window.session.has("page_words"):
        pytest.fail("this core build has no page words")
    view = _open_original(window, make_scan(tmp_path / "scan.png", "en"), qtbot)
    doc = window.viewer.doc_id
    words = facade(window, lambda wb: wb.page_words(doc, 1))
    assert words["source"] == "ocr" and words["words"]
    bar = window.viewer.original.toolbar
    assert bar.words.isVisible() and not view.overlays.show_words
    bar.words.trigger()
    qtbot.waitUntil(lambda: 1 in view.overlays.words, timeout=5000)
    shown = view.overlays.words[1]
    assert len(shown) == len(words["words"])
    report = next(w["rect"] for w in words["words"] if w["text"] == "Report")
    first = shown[[w["text"] for w in words["words"]].index("Report")]
    # an image page is measured in pixels by the viewer and by the core's OCR boxes alike
    assert all(abs(a - b) < 1 for a, b in zip(first, report, strict=True))
    assert first[2] < view.pages.sizes[0][0] / 2  # "Report" starts the first line, at the left
    bar.words.trigger()
    assert not view.overlays.show_words
