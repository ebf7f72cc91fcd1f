"""The Record tab shows the whole SHA-256: at a 1024x700 window its one-line field showed 40
of the 64 digits and scrolled (session 16's walk); in an evidence tool the hash must be read
at a glance. Every digit is on screen without scrolling, and a double-click and Ctrl+C still
copy the 64 digits, unbroken; the tooltip still holds it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from tests.ui.conftest import facade
from tests.ui.test_record_edit import _open_record


def _field(view: Any) -> QWidget:
    found = [w for w in view.inner.findChildren(QWidget) if w.accessibleName() == "SHA-256"]
    assert len(found) == 1, found
    return found[0]


def _shown_lines(field: QWidget) -> tuple[list[str], int]:
    """The lines of text the field draws and the width it has for them."""
    if isinstance(field, QLineEdit):  # one line, in the frame less the text's margins
        return [field.text()], field.contentsRect().width() - 4
    assert isinstance(field, (QPlainTextEdit, QTextEdit))
    assert field.horizontalScrollBar().maximum() == 0, "scrolls sideways"
    assert field.verticalScrollBar().maximum() == 0, "scrolls up and down"
    lines = []
    block = field.document().begin()
    while block.isValid():
        layout: QTextLayout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            lines.append(block.text()[line.textStart():line.textStart() + line.textLength()])
        block = block.next()
    margin = 2 * field.document().documentMargin()
    return lines, int(field.viewport().width() - margin)


def _selected(field: QWidget) -> str:
    if isinstance(field, QLineEdit):
        return field.selectedText()
    assert isinstance(field, (QPlainTextEdit, QTextEdit))
    return field.textCursor().selectedText()


@pytest.mark.parametrize("size", [(1024, 700), (1360, 840), (1600, 1000)])
def test_every_digit_of_the_hash_is_shown(window: Any, qtbot: Any, tmp_path: Path,
                                          size: tuple[int, int]) -> None:
    doc_id = _open_record(window, tmp_path)
    sha = facade(window, lambda wb: wb.show_document(doc_id))["sha256"]
    assert len(sha) == 64
    window.resize(*size)
    QApplication.processEvents()
    qtbot.wait(30)
    field = _field(window.viewer.record)
    qtbot.waitExposed(field)
    lines, room = _shown_lines(field)
    assert "".join(lines) == sha
    fm = field.fontMetrics()
    for line in lines:
        assert fm.horizontalAdvance(line) <= room, (size, line, room)
    lines_high = len(lines) * fm.lineSpacing()
    assert field.contentsRect().height() >= lines_high, (field.contentsRect(), lines)
    assert field.toolTip() == sha
    if size == (1360, 840):  # the window's preferred size: two lines of 32 at most
        assert len(lines) <= 2, lines

    # a double-click takes the whole hash, and Ctrl+C copies its 64 digits, unbroken
    target = field.viewport() if isinstance(field, (QPlainTextEdit, QTextEdit)) else field
    qtbot.mouseDClick(target, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    assert _selected(field) == sha
    QApplication.clipboard().clear()
    qtbot.keyClick(field, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == sha
