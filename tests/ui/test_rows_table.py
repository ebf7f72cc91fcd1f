"""The import's plan and summary tables show their Result column whole: it was a fixed 130
pixels, and "Duplicate, skipped" read "Duplicate, skipp…" in the window (sessions 13 and 14's
walks) while the Details column had room; larger text (Preferences) cut it more."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize("result", ["Duplicate, skipped", "Cannot be imported", "Imported"])
def test_the_result_column_fits_its_longest_word(qtbot: Any, result: str, scale: float
                                                 ) -> None:
    from PySide6.QtGui import QFont

    from ui.dialogs.common import readonly_table

    table = readonly_table("Import results per file")
    qtbot.addWidget(table)
    font = QFont(table.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    table.setFont(font)
    table.set_rows(["File", "Result", "Details"],
                   [(["/cases/a/report.pdf", "Imported", ""], "ok"),
                    (["/cases/a/copy.pdf", result, "already in the library"], "warn")])
    table.resize(820, 300)
    needed = table.fontMetrics().horizontalAdvance(result)
    assert table.columnWidth(1) >= needed + 16  # the cell's own margins
    assert table.columnWidth(1) <= max(130, needed + 48)  # and not much wider
