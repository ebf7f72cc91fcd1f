"""Exporting keeps the dossier builder's editing area where the user scrolled it: at
1024x700 the Export row was below the fold, and after every export the area jumped back to its
top (session 15's walk), so the next export meant scrolling down again. Since session 16 the
Export row stays in view under the editing area, which still keeps its place across an
export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import facade
from tests.ui.test_dossier_builder import WITNESS, _builder, _highlight_dossier, export_html


def test_an_export_keeps_the_editing_area_scrolled(window: Any, tmp_path: Path, qtbot: Any,
                                                   monkeypatch: Any) -> None:
    builder = _builder(window)
    did, _doc = _highlight_dossier(window, tmp_path)
    for term in (WITNESS, "trucks", "guards", "walls"):
        facade(window, lambda wb, t=term: wb.redact_term(did, t, "protect a witness"))
    window.refresh_sidebar()  # the library is no longer empty: its panes are shown
    builder.open_dossier(did)
    window.showNormal()
    window.resize(1024, 700)
    qtbot.waitExposed(window)
    window.show_dossier()
    qtbot.waitUntil(builder.isVisible, timeout=5000)
    qtbot.wait(50)
    scroller = builder.editing_area
    assert not scroller.isAncestorOf(builder.export_button)  # in view, whatever the scroll
    # A short editing area, as on a small screen: the user drags the split's handle down.
    split = scroller.parentWidget()
    handle = split.handle(1)
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=handle.rect().center())
    target = handle.rect().center() + QPoint(0, split.height() - 140 - split.sizes()[0])
    qtbot.mouseMove(handle, target)
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=target)
    qtbot.wait(50)
    assert split.sizes()[1] < 200
    bar = scroller.verticalScrollBar()
    assert bar.maximum() > 0  # the redactions are below the fold at this size
    bar.setValue(bar.maximum())
    builder.export_button.setFocus()
    QApplication.processEvents()
    scrolled = bar.value()
    export_html(builder, tmp_path / "case.html", qtbot, monkeypatch)
    assert bar.value() == scrolled
