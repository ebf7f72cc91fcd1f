"""The entity register's count column says what it counts: headed "Documents", it read 0 for a
person whose detail below said "2 mentions in 2 documents" (a walk): it counts the documents
linked to the entity, not those that mention it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.ui.test_entities_ui import _open_panel


def test_the_count_column_is_headed_linked(window: Any, qtbot: Any) -> None:
    panel = _open_panel(window, qtbot)
    head = panel.table.headerItem()
    assert head.text(3) == "Linked"
    assert "linked" in head.toolTip(3) and "mention" in head.toolTip(3)
    assert head.data(3, Qt.ItemDataRole.ToolTipRole) == head.toolTip(3)
