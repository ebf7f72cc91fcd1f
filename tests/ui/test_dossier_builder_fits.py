"""The dossier builder on a small laptop (1024x700) and a large screen (1360x840, the window a
1600x1000 screen opens): session 16's walk found it cramped at 1024x700 — scroll areas inside
a scroll area (the wheel over the redactions list scrolled the list, not the editing area),
the Export row below the fold, a redactions list less than one row tall, the dossier chooser
cut without an ellipsis and "Freeze…" wrapped onto a row of its own.

Driven through the real window offscreen: the main window shown and resized, the builder
opened with Ctrl+5, a wheel turned over the redactions list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QScrollArea,
    QToolTip,
    QWidget,
)

from tests.ui.conftest import facade
from ui.window_fit import PREFERRED, fitted_geometry

TITLE = ("Submission to the UN Special Rapporteur on contemporary forms of slavery — "
         "forced labour in the Xinjiang camps, 2017–2022")
STATEMENTS = [
    "Witness Ahmed Karimov saw the trucks leave the camp at night.\n",
    "The guards shouted at the workers near the new walls of the factory.\n",
]
# The window as the app opens it on a 1024x700 and a 1600x1000 screen (ui/window_fit.py):
# 1008x652 (the room left by the window's frame and title bar) and 1360x840.
SIZES = [fitted_geometry(PREFERRED, QRect(0, 0, *screen))[0].toTuple()
         for screen in ((1024, 700), (1600, 1000))]


def _dossier(win: Any, tmp_path: Path, terms: list[str]) -> int:
    """Two exhibits (a highlight and a whole document) and a redaction per term."""
    paths = []
    for i, text in enumerate(STATEMENTS):
        paths.append(tmp_path / f"statement-{i}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    report, _ = facade(win, lambda wb: wb.import_paths(paths))
    first, second = (r.document_id for r in report.imported)
    hid = facade(win, lambda wb: wb.add_highlight(
        first, quote="saw the trucks leave the camp")).highlight_ids[0]
    did: int = facade(win, lambda wb: wb.create_dossier(TITLE)).dossier_ids[0]
    facade(win, lambda wb: wb.add_item(did, highlight=hid))
    facade(win, lambda wb: wb.add_item(did, document=second))
    for term in terms:
        facade(win, lambda wb, t=term: wb.redact_term(
            did, t, "the witness's family still lives near the camp and could be "
            "identified from this"))
    return did


def _settle(qtbot: Any) -> None:
    QApplication.processEvents()
    qtbot.wait(60)


def _open_at(win: Any, qtbot: Any, did: int, size: tuple[int, int]) -> Any:
    """The window at ``size``, the builder opened as a person does: click, Ctrl+5."""
    if win.builder is None:
        pytest.fail("this core build has no dossiers")
    win.refresh_sidebar()  # the library is no longer empty: its panes are shown
    win.showNormal()
    win.resize(*size)
    qtbot.waitExposed(win)
    win.builder.open_dossier(did)
    qtbot.keyClick(win, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(win.builder.isVisible, timeout=5000)
    _settle(qtbot)
    return win.builder


def _in_view(widget: QWidget, root: QWidget) -> bool:
    """Whether all of ``widget`` is on screen inside ``root`` (not scrolled away or cut)."""
    region = widget.visibleRegion().boundingRect()
    top_left = widget.mapTo(root, QPoint(0, 0))
    return (region == widget.rect() and top_left.x() >= 0 and top_left.y() >= 0
            and top_left.x() + widget.width() <= root.width()
            and top_left.y() + widget.height() <= root.height())


def _same_row(a: QWidget, b: QWidget) -> bool:
    return abs(a.geometry().center().y() - b.geometry().center().y()) < a.height() // 2


SCREENS = pytest.mark.parametrize("size", SIZES, ids=["screen-1024x700", "screen-1600x1000"])


def _opened(window: Any, tmp_path: Path, qtbot: Any, size: tuple[int, int]) -> Any:
    did = _dossier(window, tmp_path, ["Ahmed Karimov", "factory"])
    builder = _open_at(window, qtbot, did, size)
    assert window.size().toTuple() == size
    return builder


@SCREENS
def test_the_chooser_elides_the_title_and_names_it_in_its_tooltip(
        window: Any, tmp_path: Path, qtbot: Any, size: tuple[int, int]) -> None:
    chooser = _opened(window, tmp_path, qtbot, size).chooser
    at = chooser.rect().center()
    QApplication.sendEvent(chooser, QHelpEvent(QEvent.Type.ToolTip, at, chooser.mapToGlobal(at)))
    assert TITLE in chooser.toolTip() and TITLE in QToolTip.text()
    QToolTip.hideText()
    assert chooser.currentText().startswith(TITLE)  # the item itself is not cut
    shown = chooser.shown_text()  # what the box draws: cut with "…", not at the arrow
    assert shown.endswith("…") and shown[:-1] in chooser.currentText()
    assert chooser.fontMetrics().horizontalAdvance(shown) < chooser.width()


@SCREENS
def test_no_button_is_cut_and_freeze_keeps_the_chooser_row(
        window: Any, tmp_path: Path, qtbot: Any, size: tuple[int, int]) -> None:
    builder = _opened(window, tmp_path, qtbot, size)
    # No button's text is wider than its button, and none is cut off at the pane's edge.
    for b in builder.findChildren(QAbstractButton):
        if b.isVisibleTo(builder) and b.text():
            text = b.text().replace("&", "")
            assert b.fontMetrics().horizontalAdvance(text) < b.width(), b.text()
            assert b.sizeHint().width() <= b.width(), b.text()
            left = b.mapTo(builder, QPoint(0, 0)).x()
            assert left >= 0 and left + b.width() <= builder.width(), b.text()
    # "Freeze…" stays on the chooser's row (it wrapped onto a row of its own).
    assert _same_row(builder.chooser, builder.freeze_button)


@SCREENS
def test_the_redactions_list_shows_three_whole_rows(
        window: Any, tmp_path: Path, qtbot: Any, size: tuple[int, int]) -> None:
    red = _opened(window, tmp_path, qtbot, size).redactions
    assert red.count() == 2
    row = red.sizeHintForRow(0)
    assert red.viewport().height() >= 3 * row, (red.viewport().height(), row)
    # Each on one line, cut with "…" rather than scrolled sideways; the tooltip has it all.
    assert not red.horizontalScrollBar().isVisible()
    assert red.visualItemRect(red.item(0)).width() <= red.viewport().width()
    full = red.item(0).text()
    assert "the witness's family" in full and red.item(0).toolTip() == full


@SCREENS
def test_export_is_in_view_without_scrolling(
        window: Any, tmp_path: Path, qtbot: Any, size: tuple[int, int]) -> None:
    builder = _opened(window, tmp_path, qtbot, size)
    builder.editing_area.verticalScrollBar().setValue(0)
    _settle(qtbot)
    assert _in_view(builder.export_button, builder)
    assert _in_view(builder.format, builder) and _in_view(builder.bates, builder)


def test_one_scroll_area_and_the_wheel_scrolls_it(window: Any, tmp_path: Path,
                                                    qtbot: Any) -> None:
    terms = ["Ahmed Karimov", "factory", "trucks", "guards", "walls", "workers"]
    did = _dossier(window, tmp_path, terms)
    builder = _open_at(window, qtbot, did, SIZES[0])

    # At most one scroll area in the editing area, and no list scrolling inside it: a list
    # there shows all its rows (the commentary box, a text editor, may scroll its own text).
    areas = builder.findChildren(QScrollArea)
    assert areas == [builder.editing_area]
    inner = [w for w in builder.findChildren(QAbstractScrollArea)
             if w is not builder.editing_area and builder.editing_area.isAncestorOf(w)]
    assert builder.redactions in inner
    for w in inner:
        assert not isinstance(w, QScrollArea)
        if isinstance(w, QAbstractItemView):
            assert w.verticalScrollBar().maximum() == 0, w.accessibleName()
            assert w.viewport().height() >= w.count() * w.sizeHintForRow(0)  # type: ignore[attr-defined]

    # The wheel over the redactions list scrolls the editing area (it scrolled the list).
    area = builder.editing_area
    split = area.parentWidget()
    split.setSizes([split.height() - 140, 140])  # a short editing area, as on a small screen
    _settle(qtbot)
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(builder.redactions.y())  # the list's first rows at the area's top
    _settle(qtbot)
    before = bar.value()
    assert 0 < before < bar.maximum()  # the area can go on down
    # A wheel turned by the user (through the window system, as a real one arrives: Qt
    # passes it on to the parents only then) over the list's middle.
    viewport = builder.redactions.viewport()
    at = viewport.mapTo(window, viewport.rect().center())
    QTest.wheelEvent(window.windowHandle(), QPointF(at), QPoint(0, -120))  # down
    _settle(qtbot)
    assert bar.value() > before  # the editing area moved down, not the list
    assert builder.redactions.verticalScrollBar().value() == 0


def test_a_frozen_dossier_keeps_new_version_on_the_chooser_row(
        window: Any, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Frozen, the button reads "New version", wider than "Freeze…": it too stays on its row
    at 1024x700."""
    from PySide6.QtWidgets import QMessageBox

    did = _dossier(window, tmp_path, ["Ahmed Karimov", "factory"])
    builder = _open_at(window, qtbot, did, SIZES[0])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(builder.freeze_button, Qt.MouseButton.LeftButton)
    _settle(qtbot)
    assert builder.freeze_button.text() == "New version"
    assert _same_row(builder.chooser, builder.freeze_button)
    assert builder.chooser.shown_text().endswith("…") and TITLE in builder.chooser.toolTip()
