"""The highlight dialog driven by keys and clicks: a typed tag is never dropped, Enter in the tag
field adds the tag without saving, Tab moves on to the note, and saving keeps the reader's place.

Issue 14, bugs 1, 2, 6 (the tag-field half) and 11; each check goes through the real widgets and
reads the result back from the core.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.conftest import facade

QUOTE = "the guards moved the detainees at dawn"


def _open_document(win: Any, tmp_path: Path, qtbot: Any, text: str) -> Any:
    if win.highlighter is None:
        pytest.fail("this core build has no highlights")
    f = tmp_path / "statement.txt"
    f.write_text(text, encoding="utf-8")
    win.imports.start([f])
    win.imports.plan_dialog.accept()
    win.imports.summary_dialog.accept()
    win.documents.table.selectRow(0)
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow(), timeout=3000)
    assert win.viewer.doc_id is not None
    return win.viewer.text


def _press_h_on(win: Any, qtbot: Any, quote: str) -> Any:
    """Selects ``quote`` in the reading text, presses H and returns the dialog once it is up."""
    view = win.viewer.text
    start = win.viewer.text_info.text.index(quote)
    view.setFocus()
    view.select_range(start, start + len(quote))
    qtbot.keyClick(view, Qt.Key.Key_H)
    dialog = win.highlighter.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isActiveWindow(), timeout=3000)
    return dialog


def _save_button(dialog: Any) -> Any:
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)


def _highlights(win: Any) -> list[dict[str, Any]]:
    doc_id = win.viewer.doc_id
    return facade(win, lambda wb: wb.list_highlights(doc=doc_id))


def test_a_typed_tag_is_applied_when_the_user_clicks_save(window: Any, tmp_path: Path,
                                                          qtbot: Any) -> None:
    _open_document(window, tmp_path, qtbot, f"Witness B said {QUOTE}.\n")
    dialog = _press_h_on(window, qtbot, QUOTE)
    qtbot.keyClicks(dialog.filter, "Victims/Testimony")  # no Enter
    qtbot.mouseClick(dialog.note.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.note, "Seen by two witnesses")
    qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)
    hl = _highlights(window)
    assert len(hl) == 1
    assert hl[0]["tags"] == ["Victims/Testimony"]
    assert hl[0]["note"] == "Seen by two witnesses"
    assert "Victims/Testimony" in {t["path"] for t in window.sidebar_data["tags"]}


def test_the_typed_text_picks_an_existing_tag_rather_than_a_near_duplicate(
        window: Any, tmp_path: Path, qtbot: Any) -> None:
    _open_document(window, tmp_path, qtbot, f"Witness B said {QUOTE}.\n")
    facade(window, lambda wb: wb.add_tag("Victims/Testimony"))
    window.viewer.reload()
    dialog = _press_h_on(window, qtbot, QUOTE)
    qtbot.keyClicks(dialog.filter, "victims/testimony")  # other case: the existing tag
    assert "Victims/Testimony" in dialog.hint.text()  # the dialog says what Save will do
    qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)
    assert _highlights(window)[0]["tags"] == ["Victims/Testimony"]


def test_leftover_filter_text_is_not_applied_after_ticking_from_the_filtered_list(
        window: Any, tmp_path: Path, qtbot: Any) -> None:
    _open_document(window, tmp_path, qtbot, f"Witness B said {QUOTE}.\n")
    facade(window, lambda wb: wb.add_tag("Victims/Testimony"))
    facade(window, lambda wb: wb.add_tag("Victims/Names"))
    window.viewer.reload()
    dialog = _press_h_on(window, qtbot, QUOTE)
    qtbot.keyClicks(dialog.filter, "vict")  # filters to both, then one is ticked by keyboard
    assert "Save" in dialog.hint.text()  # as typed, Save would add a new tag "vict"
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)
    assert dialog.focusWidget() is dialog.tag_list
    ticked = dialog.tag_list.currentItem().text()
    assert ticked == dialog.visible_tags()[0] and ticked.startswith("Victims")
    qtbot.keyClick(dialog.tag_list, Qt.Key.Key_Space)
    assert dialog.chosen_tags() == [ticked]
    assert "Save" not in dialog.hint.text()  # "vict" was a filter, not meant as a new tag
    qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)
    assert _highlights(window)[0]["tags"] == [ticked]


def test_enter_in_the_tag_field_adds_the_tag_and_keeps_the_dialog_open(
        window: Any, tmp_path: Path, qtbot: Any) -> None:
    _open_document(window, tmp_path, qtbot, f"Witness B said {QUOTE}.\n")
    dialog = _press_h_on(window, qtbot, QUOTE)
    qtbot.keyClicks(dialog.filter, "Victims/Testimony")
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    assert _highlights(window) == []
    assert dialog.chosen_tags() == ["Victims/Testimony"]
    assert dialog.filter.text() == ""
    assert dialog.focusWidget() is dialog.filter  # ready for another tag
    qtbot.keyClicks(dialog.filter, "Places/Camp 3")
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Enter)  # the keypad's Enter too
    assert dialog.isVisible()
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.note
    qtbot.keyClicks(dialog.note, "Dawn transfers")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    hl = _highlights(window)
    assert len(hl) == 1
    assert sorted(hl[0]["tags"]) == ["Places/Camp 3", "Victims/Testimony"]
    assert hl[0]["note"] == "Dawn transfers"


def test_ctrl_enter_in_the_tag_field_saves_with_the_typed_tag(window: Any, tmp_path: Path,
                                                              qtbot: Any) -> None:
    _open_document(window, tmp_path, qtbot, f"Witness B said {QUOTE}.\n")
    dialog = _press_h_on(window, qtbot, QUOTE)
    qtbot.keyClicks(dialog.filter, "Victims/Testimony")
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    assert _highlights(window)[0]["tags"] == ["Victims/Testimony"]


def test_tab_from_the_tag_field_keeps_the_typed_tag_and_goes_to_the_note(
        window: Any, tmp_path: Path, qtbot: Any) -> None:
    _open_document(window, tmp_path, qtbot, f"Witness B said {QUOTE}.\n")
    dialog = _press_h_on(window, qtbot, QUOTE)
    qtbot.keyClicks(dialog.filter, "Victims/Testimony")
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.note
    assert dialog.chosen_tags() == ["Victims/Testimony"]
    assert dialog.filter.text() == ""
    qtbot.keyClicks(dialog.note, "Tab then note")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Tab)  # Tab leaves the note instead of typing a tab
    assert dialog.note.toPlainText() == "Tab then note"
    assert dialog.focusWidget() is _save_button(dialog)
    qtbot.mouseClick(dialog.filter, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Backtab)  # the list is one Shift+Tab away
    assert dialog.focusWidget() is dialog.tag_list
    qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)
    hl = _highlights(window)
    assert hl[0]["tags"] == ["Victims/Testimony"] and hl[0]["note"] == "Tab then note"


def _long_text() -> str:
    lines = [f"Paragraph {i}: routine entries about the weather and supplies." for i in range(300)]
    lines[200] = f"Paragraph 200: witness B said {QUOTE}."
    return "\n".join(lines) + "\n"


def test_saving_a_highlight_keeps_the_reading_position(window: Any, tmp_path: Path,
                                                      qtbot: Any) -> None:
    view = _open_document(window, tmp_path, qtbot, _long_text())
    qtbot.wait(50)  # let the window settle its layout: a wider pane rewraps and rescrolls
    start = window.viewer.text_info.text.index(QUOTE)
    view.select_range(start, start + len(QUOTE))
    view.centerCursor()
    bar = view.verticalScrollBar()
    before = bar.value()
    width = view.viewport().width()
    assert before > 50
    dialog = _press_h_on(window, qtbot, QUOTE)
    qtbot.keyClicks(dialog.filter, "Victims/Testimony")
    qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)
    assert len(view.highlights) == 1  # redrawn with the new highlight ...
    assert bar.value() == before  # ... where the reader was
    # and stays there once the Highlights tab has laid out what a first highlight shows (its
    # links box): nothing there may widen the viewer and rewrap the text under the reader
    qtbot.wait(100)
    assert view.viewport().width() == width and bar.value() == before
    # the cursor stays at the passage; the selection is dropped so the new colour shows
    cur = view.textCursor()
    assert not cur.hasSelection()
    assert view.display.qt_to_layer(cur.position()) == start + len(QUOTE)

    # editing it (a click on the passage) keeps the place too
    pos = view.display.layer_to_qt(start + 3)
    c = view.textCursor()
    c.setPosition(pos)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(c).center())
    edit = window.highlighter.dialog
    assert edit is not dialog and edit.windowTitle() == "Edit highlight"
    qtbot.waitUntil(lambda: edit.isActiveWindow(), timeout=3000)
    qtbot.mouseClick(edit.note.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(edit.note, "edited")
    qtbot.mouseClick(_save_button(edit), Qt.MouseButton.LeftButton)
    assert _highlights(window)[0]["note"] == "edited"
    assert bar.value() == before


def test_opening_another_document_still_starts_at_the_top(window: Any, tmp_path: Path,
                                                          qtbot: Any) -> None:
    if window.highlighter is None:
        pytest.fail("this core build has no highlights")
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(_long_text().replace("weather", name), encoding="utf-8")
    window.imports.start([tmp_path / "a.txt", tmp_path / "b.txt"])
    window.imports.plan_dialog.accept()
    window.documents.table.selectRow(0)
    first = window.viewer.doc_id
    view = window.viewer.text
    view.verticalScrollBar().setValue(120)
    window.documents.table.selectRow(1)
    assert window.viewer.doc_id != first
    assert view.verticalScrollBar().value() == 0
    view.verticalScrollBar().setValue(80)
    window.documents.table.selectRow(0)
    assert window.viewer.doc_id == first
    assert view.verticalScrollBar().value() == 0


def _dot(dialog: Any, path: str) -> str:
    """The colour of the dot the tag list shows beside ``path`` (read from its pixels)."""
    item = next(dialog.tag_list.item(i) for i in range(dialog.tag_list.count())
                if dialog.tag_list.item(i).text() == path)
    image = item.icon().pixmap(12, 12).toImage()
    return str(image.pixelColor(image.width() // 2, image.height() // 2).name())


def test_a_new_tag_is_previewed_in_the_colour_the_core_will_give_it(
        window: Any, tmp_path: Path, qtbot: Any) -> None:
    """Every typed tag used to be previewed in yellow, though the core gives a new top-level
    tag the next unused palette colour and a sub-tag its parent's."""
    _open_document(window, tmp_path, qtbot, f"Witness B said {QUOTE}.\n")
    facade(window, lambda wb: wb.add_tag("Abuse"))  # the first palette colour (yellow)
    facade(window, lambda wb: wb.add_tag("Places", color="#2a6f97"))
    window.viewer.reload()
    dialog = _press_h_on(window, qtbot, QUOTE)
    typed = ["Transfers", "Places/Camp 3", "Victims/Testimony", "Abuse/Beating"]
    for path in typed:
        qtbot.keyClicks(dialog.filter, path)
        qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    previews = {path: _dot(dialog, path) for path in typed}
    assert previews["Places/Camp 3"] == "#2a6f97"  # its parent's colour, not yellow
    assert previews["Transfers"] != "#f5d742"  # yellow is taken by "Abuse"
    qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)
    made = {t["path"]: t["color"] for t in facade(window, lambda wb: wb.list_tags())}
    assert previews == {path: made[path] for path in typed}  # what the core then gave them
