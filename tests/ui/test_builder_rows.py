"""What the dossier builder's rows and Help → Keyboard shortcuts say, through the real
widgets: a chronology section says when it has no events yet, a right-to-left quote keeps
its quotation marks on the right sides, and the page highlight's menu key is listed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.ui.conftest import facade

UYGHUR = "ئۇلار شەھەردىن ئېلىپ كېتىلدى"  # "They were taken from the city."


def _section_row(window: Any) -> str:
    from ui.search.delegate import HTML_ROLE

    items = window.builder.items
    return str(items.item(items.count() - 1).data(HTML_ROLE))


def test_a_chronology_section_without_events_says_so(window: Any, qtbot: Any) -> None:
    assert window.builder is not None, "the window installed no dossier builder"
    assert window.session.has("add_chronology_section"), "the core has no chronology section"
    did = facade(window, lambda wb: wb.create_dossier("Timeline")).dossier_ids[0]
    window.refresh_sidebar()
    window.builder.open_dossier(did)
    window.show_dossier()
    qtbot.mouseClick(window.builder.chronology_button, Qt.MouseButton.LeftButton)
    dialog = window.builder.chronology_dialog
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()  # every event: none yet
    shown = _section_row(window)
    assert "no events yet" in shown, shown

    facade(window, lambda wb: wb.add_event("The camp opened", "2017"))
    window.builder.reload()
    shown = _section_row(window)
    assert "no events yet" not in shown and "1 event" in shown, shown


def test_a_right_to_left_quote_keeps_its_quotation_marks_on_the_right_sides() -> None:
    from ui.dossier.items import item_html

    entry = {"kind": "highlight", "label": "Exhibit 1", "source": {"title": "Testimony"},
             "body": [(UYGHUR, None)]}
    # isolated (FSI … PDI): the opening mark stays before the quote and the closing one after
    # it, instead of both being pulled into the right-to-left run and drawn reversed
    assert f"“\u2068{UYGHUR}\u2069”" in item_html(entry)


def test_the_shortcuts_list_names_the_page_highlights_menu_key(window: Any, qtbot: Any) -> None:
    window.show_shortcuts()
    from PySide6.QtWidgets import QApplication

    from ui.dialogs.shortcuts import ShortcutsDialog

    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, ShortcutsDialog) and w.isVisible())
    rows = {dialog.table.text(r, 0): dialog.table.text(r, 1)
            for r in range(dialog.table.row_count())}
    dialog.close()
    keys = [k for a, k in rows.items() if "highlight" in a.lower() and "menu" in a.lower()]
    assert keys and "Shift+F10" in keys[0], rows


def test_a_right_to_left_quote_is_drawn_between_its_marks(qapp: Any) -> None:
    # Walk: isolated or not, the row's paragraph took the quote's right-to-left direction, so
    # the opening mark was drawn at the right end and the row was right-aligned.
    from PySide6.QtGui import QTextDocument

    from ui.dossier.items import item_html

    entry = {"kind": "highlight", "label": "Exhibit 1",
             "source": {"title": "گۇۋاھچى: «" + UYGHUR + "» دېدى."}, "body": [(UYGHUR, None)]}
    doc = QTextDocument()
    doc.setHtml(item_html(entry))
    doc.setTextWidth(700)
    assert doc.size().height() > 0  # laid out: its lines exist
    block = doc.begin().next()  # after the heading: "Exhibit 1  <title> · p. 1"
    assert block.isValid() and "Exhibit" in doc.begin().text()
    text = block.text()
    assert text.startswith("“") and text.endswith("”"), text
    line = block.layout().lineAt(0)
    opening, closing = line.cursorToX(0)[0], line.cursorToX(len(text) - 1)[0]
    assert opening < closing, (opening, closing)
    assert block.textDirection() == Qt.LayoutDirection.LeftToRight
