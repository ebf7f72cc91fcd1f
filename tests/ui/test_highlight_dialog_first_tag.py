"""The highlight dialog of a library without tags says how to make the first one: its tag list
was a large blank box (a walk), and Enter in the field creating a tag was not said anywhere."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from ui.dialogs.highlight_dialog import HighlightDialog


def test_an_empty_tag_list_says_how_to_make_a_tag(qtbot: Any) -> None:
    dialog = HighlightDialog("a passage", [])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.no_tags.isVisible() and not dialog.tag_list.isVisible()
    assert "Enter" in dialog.no_tags.text()
    qtbot.keyClicks(dialog.filter, "Detention")
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert dialog.tag_list.isVisible() and not dialog.no_tags.isVisible()
    assert dialog.tag_list.count() == 1


def test_a_library_with_tags_shows_the_list(qtbot: Any) -> None:
    dialog = HighlightDialog("a passage", [{"path": "Detention", "color": "#f5d742"}])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.tag_list.isVisible() and not dialog.no_tags.isVisible()
