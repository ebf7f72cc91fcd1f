"""Highlighting and redacting on the page through the real widgets and the mouse: a text drag
and H make a highlight that appears on the page, in the text view and in the Highlights tab in
its tag colour; a Shift-drag makes a region highlight; a click on a painted highlight selects it
in the Highlights tab and the reverse; an area drawn with the Redact tool becomes a rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.support.files import make_pdf
from tests.ui.conftest import facade
from tests.ui.test_page_viewer import _open_original
from ui.search.delegate import HTML_ROLE

PAGES = ["Report on the camp. The witness Ekpar Asat described the night transfer.\n\n"
         "A second paragraph about the guards and the fence near the road.",
         "Page two: the road to the county seat and the factory gate."]


def _needs(win: Any, *names: str) -> None:
    if win.highlighter is None or not win.session.has(*names):
        pytest.fail(f"this core build has no {', '.join(names)}")


def _open(win: Any, tmp_path: Path, qtbot: Any) -> Any:
    view = _open_original(win, make_pdf(tmp_path / "r.pdf", PAGES), qtbot)
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow(), timeout=3000)
    return view


def _word_rect(win: Any, page: int, word: str) -> list[float]:
    doc = win.viewer.doc_id
    words = facade(win, lambda wb: wb.page_words(doc, page))["words"]
    return next(w["rect"] for w in words if w["text"].strip(".,") == word)


def _vp(view: Any, page: int, x: float, y: float) -> QPoint:
    cx, cy = view.pages.to_content(page - 1, x, y)
    return QPoint(round(cx - view.horizontalScrollBar().value()),
                  round(cy - view.verticalScrollBar().value()))


def _drag(qtbot: Any, view: Any, a: QPoint, b: QPoint,
          mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, mods, a)
    mid = QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2)
    for p in (mid, b):
        qtbot.mouseMove(vp, p)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, mods, b)


def test_text_drag_and_h_highlight_on_page_text_view_and_tab(window: Any, tmp_path: Path,
                                                              qtbot: Any) -> None:
    _needs(window, "add_page_highlight", "page_text_at", "page_words")
    view = _open(window, tmp_path, qtbot)
    view.set_zoom(1.5)
    a, b = _word_rect(window, 1, "Ekpar"), _word_rect(window, 1, "Asat")
    view.show_rect(1, a)
    top = view.mapTo(window, QPoint(0, 0)).y()
    assert "press H" in window.viewer.original.hint.text()  # how to, before any selection
    _drag(qtbot, view, _vp(view, 1, a[0] + 1, (a[1] + a[3]) / 2),
          _vp(view, 1, b[2] - 1, (b[1] + b[3]) / 2))
    assert view.selection is not None and view.selection.mode == "text"
    assert "Press H" in window.viewer.original.hint.text()
    assert view.mapTo(window, QPoint(0, 0)).y() == top  # the page did not jump under the mouse
    text = window.viewer.text_info.text
    rng = window.highlighter.page.range
    assert rng is not None and text[rng[0]:rng[1]] == "Ekpar Asat"

    qtbot.keyClick(view, Qt.Key.Key_H)
    dialog = window.highlighter.dialog
    assert dialog is not None and "Ekpar Asat" in dialog.quote.text()
    dialog.pick("Testimony")
    dialog.accept()

    doc = window.viewer.doc_id
    hl = facade(window, lambda wb: wb.list_highlights(doc=doc))
    assert [h["quote"] for h in hl] == ["Ekpar Asat"]
    color = facade(window, lambda wb: wb.get_tag("Testimony"))["color"]
    assert hl[0]["page_geometry"]["kind"] == "text"
    # on the page, in the text view and in the Highlights tab, in the tag's colour
    marks = view.overlays.marks
    assert [(m.id, m.color) for m in marks] == [(hl[0]["id"], color)]
    assert marks[0].pages[1]
    assert [(p.start, p.end, p.color) for p in window.viewer.text.highlights] == [
        (rng[0], rng[1], color)]
    pane = window.highlighter.pane
    assert pane.list.count() == 1 and color in pane.list.item(0).data(HTML_ROLE)
    assert view.selection is None  # the selection gave way to the highlight


def test_shift_drag_makes_a_region_highlight(window: Any, tmp_path: Path, qtbot: Any) -> None:
    _needs(window, "add_page_highlight")
    view = _open(window, tmp_path, qtbot)
    # an empty stretch of the page: a region with no text in it
    _drag(qtbot, view, _vp(view, 1, 300, 400), _vp(view, 1, 450, 520),
          Qt.KeyboardModifier.ShiftModifier)
    assert view.selection is not None and view.selection.mode == "region"
    qtbot.keyClick(view, Qt.Key.Key_H)
    dialog = window.highlighter.dialog
    assert dialog is not None
    dialog.pick("Photo")
    dialog.accept()
    doc = window.viewer.doc_id
    (h,) = facade(window, lambda wb: wb.list_highlights(doc=doc))
    geom = h["page_geometry"]
    assert geom["kind"] == "region" and geom["pages"][0]["page"] == 1
    x0, y0, x1, y1 = geom["pages"][0]["quads"][0]
    assert abs(x0 - 300) < 2 and abs(y0 - 400) < 2 and abs(x1 - 450) < 2 and abs(y1 - 520) < 2
    assert [m.region for m in view.overlays.marks] == [True]


def test_click_on_a_painted_highlight_selects_it_and_back(window: Any, tmp_path: Path,
                                                         qtbot: Any) -> None:
    _needs(window, "add_page_highlight", "page_words")
    view = _open(window, tmp_path, qtbot)
    doc = window.viewer.doc_id
    fence, road = _word_rect(window, 1, "fence"), _word_rect(window, 2, "factory")
    facade(window, lambda wb: wb.add_page_highlight(doc, 1, [fence], tags=["Place"]))
    facade(window, lambda wb: wb.add_page_highlight(doc, 2, [road], tags=["Place"]))
    window.viewer.reload()
    ids = [h["id"] for h in facade(window, lambda wb: wb.list_highlights(doc=doc))]
    assert len(view.overlays.marks) == 2
    pane = window.highlighter.pane

    view.show_rect(1, fence)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=_vp(view, 1, (fence[0] + fence[2]) / 2, (fence[1] + fence[3]) / 2))
    assert pane.list.currentItem().data(Qt.ItemDataRole.UserRole) == ids[0]
    assert view.overlays.marked == ids[0]

    # choosing the other in the Highlights tab brings its page into view, marked
    pane.list.setCurrentRow(1)
    assert view.overlays.marked == ids[1] and view.current == 1


def test_area_redaction_drawn_with_the_mouse(window: Any, tmp_path: Path, qtbot: Any) -> None:
    _needs(window, "redact_area")
    view = _open(window, tmp_path, qtbot)
    doc = window.viewer.doc_id
    dossier = facade(window, lambda wb: wb.create_dossier("Report")).dossier_ids[0]
    facade(window, lambda wb: wb.add_item(dossier, document=doc))
    bar = window.viewer.original.toolbar
    assert bar.redact.isVisible()
    bar.redact.trigger()
    assert view.tool == "redact"
    _drag(qtbot, view, _vp(view, 1, 60, 80), _vp(view, 1, 260, 140))
    flow = window.highlighter.page.redaction
    assert flow is not None and flow.dialog is not None
    dialog = flow.dialog
    assert dialog.dossier.currentData() == dossier
    assert not dialog.ok.isEnabled()  # a reason first
    dialog.reason.setText("the witness's face")
    dialog.ok.click()
    (rule,) = facade(window, lambda wb: wb.list_redactions(dossier))
    assert rule["kind"] == "area" and rule["area"]["page"] == 1
    x0, y0, x1, y1 = rule["area"]["rect"]
    assert abs(x0 - 60) < 2 and abs(y0 - 80) < 2 and abs(x1 - 260) < 2 and abs(y1 - 140) < 2
    assert view.tool == "text" and not bar.redact.isChecked()
    assert "redacted" in window.viewer.original.hint.text()
    # The area made is drawn on the page at once (hatched, outlined), not only in the rule.
    qtbot.waitUntil(lambda: len(view.overlays.areas) == 1, timeout=5000)
    (shown,) = view.overlays.areas
    assert shown["page"] == 1 and shown["dossier"] == "Report"
    assert [round(v) for v in shown["rect"]] == [round(v) for v in rule["area"]["rect"]]
    inside = _vp(view, 1, 160, 110)
    image = view.viewport().grab().toImage()
    patch = [image.pixelColor(inside.x() + dx, inside.y() + dy).lightness()
             for dx in range(-6, 7) for dy in range(-6, 7)]
    assert min(patch) < 200  # hatched dark, where the page is white


def test_areas_redacted_before_are_drawn_when_the_page_opens(window: Any, tmp_path: Path,
                                                              qtbot: Any) -> None:
    _needs(window, "redact_area")
    pdf = make_pdf(tmp_path / "r.pdf", PAGES)
    view = _open_original(window, pdf, qtbot)
    doc = window.viewer.doc_id
    dossier = facade(window, lambda wb: wb.create_dossier("Earlier")).dossier_ids[0]
    facade(window, lambda wb: wb.add_item(dossier, document=doc))
    changes = facade(window, lambda wb: wb.redact_area(dossier, doc, 2, (50, 60, 150, 90),
                                                       "a face", label="privacy"))
    window.session.broadcast(changes)  # as any change made elsewhere reaches the window
    qtbot.waitUntil(lambda: [a["page"] for a in view.overlays.areas] == [2], timeout=5000)
    assert view.overlays.areas[0]["label"] == "privacy"
