"""A PDF with a black box drawn over live text: the Original tab warns above the page, the
Show link brings the area into view, and the area is outlined on its page; an ordinary PDF
gets no warning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support import xray_pdfs as X
from tests.ui.test_page_viewer import _open_original


def test_black_box_over_text_is_outlined_with_a_warning(window: Any, tmp_path: Path,
                                                        qtbot: Any) -> None:
    if not window.session.has("xray"):
        pytest.fail("this core build has no failed-redaction check")
    pdf = X.write(tmp_path / "leaky.pdf", [X.ordinary_page(), X.ordinary_page(),
                                           X.black_box_over_text()])
    view = _open_original(window, pdf, qtbot)
    original = window.viewer.original
    assert not original.banner.isHidden()
    assert "1 area on page 3 may hide text under a box" in original.banner.text()
    (area,) = view.overlays.xray
    assert area["page"] == 3 and "text" not in area  # the viewer never holds the hidden text
    assert "Original ⚠" in [window.viewer.tabs.tabText(i)
                            for i in range(window.viewer.tabs.count())]

    original.banner.linkActivated.emit("show")  # the banner's Show link
    assert view.current == 2
    # the outline is painted: a red pixel around the box on the rendered view
    qtbot.waitUntil(view.all_visible_sharp, timeout=10000)
    image = view.viewport().grab().toImage()
    x, y, w, _h = view.pages.rect_to_content(2, area["bbox"])
    ox, oy = view.horizontalScrollBar().value(), view.verticalScrollBar().value()
    red = [image.pixelColor(round(x - ox + w / 2), round(y - oy - 3 + dy)) for dy in (-1, 0, 1)]
    assert any(c.red() > 180 and c.green() < 90 and c.blue() < 90 for c in red), red


def test_ordinary_pdf_has_no_warning(window: Any, tmp_path: Path, qtbot: Any) -> None:
    pdf = X.write(tmp_path / "fine.pdf", [X.ordinary_page()])
    _open_original(window, pdf, qtbot)
    assert window.viewer.original.banner.isHidden()
    assert "Original" in [window.viewer.tabs.tabText(i) for i in range(window.viewer.tabs.count())]
