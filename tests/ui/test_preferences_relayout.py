"""Preferences after Apply of a larger text size: the open dialog lays itself out again (and
grows if it must), so nothing on its right is cut off: combo arrows, "Standard location", the
theme note. Before, only a dialog opened afresh was laid out for the new size."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QWidget


@pytest.fixture(autouse=True)
def _normal_text_after(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("WORKBENCH_THEME", "light")  # and so the theme note shows
    yield
    from ui import theme

    theme.set_text_scale(1.0)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        theme.apply_theme(app)


def _cut_off(dialog: Any) -> list[str]:
    """The visible widgets that reach past the dialog's contents, or past what shows of the
    scrolled page (its viewport) when they are on it."""
    inside = dialog.contentsRect()
    viewport = dialog.groups_scroll.viewport()
    shown = QRect(viewport.mapTo(dialog, viewport.rect().topLeft()), viewport.size())
    out = []
    for child in dialog.findChildren(QWidget):
        if not child.isVisibleTo(dialog) or child.window() is not dialog:
            continue
        rect = QRect(child.mapTo(dialog, child.rect().topLeft()), child.size())
        if viewport.isAncestorOf(child):  # scrolls up and down, never sideways
            if rect.right() > shown.right():
                out.append(f"{type(child).__name__} {child.accessibleName()!r} {rect} "
                           f"past the scrolled page's right edge {shown.right()}")
        elif not inside.contains(rect):
            out.append(f"{type(child).__name__} {child.accessibleName()!r} {rect}")
    return out


def test_apply_of_a_larger_text_size_relays_the_open_dialog(window: Any, qtbot: Any) -> None:
    window.acts["preferences"].trigger()
    dialog = window.preferences_dialog
    qtbot.waitExposed(dialog)
    assert _cut_off(dialog) == []
    before = dialog.font().pointSizeF()
    dialog.text_size.setCurrentIndex(dialog.text_size.findData(150))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Apply),
                     Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    qtbot.wait(50)  # the layout requests posted by the font change
    assert dialog.font().pointSizeF() > before * 1.4  # the new size reached it
    assert _cut_off(dialog) == []
    # grown, but still on the screen (a dialog grown rightwards went past a 1024 px screen)
    assert dialog.screen().availableGeometry().contains(dialog.frameGeometry())
    for combo in dialog.findChildren(QComboBox):
        assert combo.width() >= combo.sizeHint().width(), combo.accessibleName()


def _apply_text_size(dialog: Any, qtbot: Any, percent: int) -> None:
    dialog.text_size.setCurrentIndex(dialog.text_size.findData(percent))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Apply),
                     Qt.MouseButton.LeftButton)
    qtbot.wait(50)  # the layout requests posted by the font change


def test_back_to_a_smaller_text_size_the_open_dialog_shrinks_again(window: Any,
                                                                     qtbot: Any) -> None:
    """Grown for 200 %, the dialog kept that size when the text went back to 100 %: half of
    it empty, and on a small screen over most of the window."""
    window.acts["preferences"].trigger()
    dialog = window.preferences_dialog
    qtbot.waitExposed(dialog)
    original = dialog.size()
    _apply_text_size(dialog, qtbot, 200)
    grown = dialog.size()
    assert grown.width() > original.width() * 1.2, (original, grown)
    _apply_text_size(dialog, qtbot, 100)
    back = dialog.size()
    assert abs(back.width() - original.width()) <= original.width() * 0.05, (original, back)
    assert abs(back.height() - original.height()) <= original.height() * 0.05, (original, back)
    assert _cut_off(dialog) == []
    assert dialog.screen().availableGeometry().contains(dialog.frameGeometry())


def test_an_apply_that_keeps_the_text_size_keeps_the_dialog_s_size(window: Any,
                                                                   qtbot: Any) -> None:
    """A size the person dragged the dialog to stays through an Apply of anything but the text
    size (the OCR languages, say); a new text size brings the size that text needs."""
    window.acts["preferences"].trigger()
    dialog = window.preferences_dialog
    qtbot.waitExposed(dialog)
    original = dialog.size()
    chosen = original + QSize(60, -40)
    dialog.resize(chosen)
    qtbot.wait(20)
    _apply_text_size(dialog, qtbot, 100)
    assert dialog.size() == chosen
    _apply_text_size(dialog, qtbot, 115)
    _apply_text_size(dialog, qtbot, 100)
    assert dialog.size() == original
