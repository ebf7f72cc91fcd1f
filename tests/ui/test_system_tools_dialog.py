"""Help → Optional tools, driven through the real widgets: the menu action opens the report of
``workbench.system_tools`` as a table (tool, available, what it enables, how to add it), and
Copy puts the one apt line for everything missing on the clipboard. Tesseract is made
missing the way the app would find it missing (``shutil.which``)."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

_real_which = shutil.which


def rows(dialog: Any) -> dict[str, list[str]]:
    table = dialog.table
    return {table.text(r, 0): [table.text(r, c) for c in range(4)]
            for r in range(table.row_count())}


def test_the_help_menu_shows_each_tool_and_how_to_add_it(window: Any, qtbot: Any) -> None:
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert window.acts["optional_tools"] in menus["Help"].actions()
    window.acts["optional_tools"].trigger()
    dialog = window.optional_tools_dialog
    assert dialog.isVisible()
    shown = rows(dialog)
    assert {"Tesseract", "pdftotext (Poppler)", "Pango", "HarfBuzz subset"} <= set(shown)
    pango = shown["Pango"]
    assert pango[1].startswith("Yes") and "PDF export" in pango[2]
    assert "libpango-1.0-0" in pango[3]
    if _real_which("tesseract"):
        assert "eng" in shown["Tesseract"][1]  # the installed OCR languages
    everything = all(r[1].startswith("Yes") for r in shown.values())
    assert dialog.copy_button.isEnabled() is not everything
    assert dialog.copy_button.isVisible() is not everything
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_missing_tesseract_is_said_with_the_line_to_copy(window: Any, qtbot: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which",
                        lambda cmd, *a, **k: None if cmd == "tesseract" else _real_which(cmd))
    window.acts["optional_tools"].trigger()
    dialog = window.optional_tools_dialog
    tesseract = rows(dialog)["Tesseract"]
    assert tesseract[1] == "Not installed"
    assert "sudo apt-get install -y tesseract-ocr" in tesseract[3]
    assert "OCR" in tesseract[2]
    assert "scans and images import without text" in dialog.status.text()
    assert dialog.copy_button.isEnabled()
    QApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert copied.startswith("sudo apt-get install -y tesseract-ocr")
    assert "libpango" not in copied  # only what is missing
    assert "Copied" in dialog.status.text()


def test_every_cell_is_shown_whole_not_cut_off(window: Any, qtbot: Any) -> None:
    """Walking the dialog found "What it enables" and "How to add it" cut to "…": a reader
    could not see which packages to ask for. Each cell's text must fit its wrapped cell."""
    window.acts["optional_tools"].trigger()
    dialog = window.optional_tools_dialog
    qtbot.waitExposed(dialog)
    table = dialog.table
    metrics = table.fontMetrics()
    for r in range(table.row_count()):
        for c in range(4):
            width = table.columnWidth(c) - 12  # the cell's padding
            if c == 3 and table.horizontalHeader().stretchLastSection():
                width = table.viewport().width() - table.columnViewportPosition(c) - 12
            need = metrics.boundingRect(0, 0, width, 10_000,
                                        int(Qt.TextFlag.TextWordWrap), table.text(r, c))
            assert need.height() <= table.rowHeight(r), (r, c, table.text(r, c))
