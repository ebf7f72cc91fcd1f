"""The chronology in the window, through the real widgets on a real library: “New event from
highlight…” proposes the quote and the date it states, shows how a typed date is read (or what
is accepted) and saves the event with its source; the Chronology view lists events in date
order, filters them by tag and collection, changes status, edits, deletes, opens a source and
exports CSV and DOCX off the GUI thread (the private note never in the file); it fits 1024×700
in the light and the dark theme."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from tests.ui.conftest import facade
from workbench.changes import Changes

CAMP = ("On 5 March 2018 the trucks left the camp at night.\n"
        "Workers were moved to the factory in June 2017, a guard said.\n")
OTHER = "The camp was enlarged in 2016 according to satellite images.\n"


def library(win: Any, tmp_path: Path) -> dict[str, Any]:
    if getattr(win, "chronology", None) is None:
        pytest.fail("this core build has no chronology")
    for name, text in (("camp.txt", CAMP), ("other.txt", OTHER)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    win.imports.start([tmp_path / "camp.txt", tmp_path / "other.txt"])
    win.imports.plan_dialog.accept()
    win.imports.summary_dialog.accept()  # (modal: the window's shortcuts wait for it)
    docs = {d["title"][:6]: d["id"] for d in facade(win, lambda wb: wb.list_documents())}
    camp, other = docs["On 5 M"], docs["The ca"]

    def code(wb: Any) -> dict[str, int]:
        return {"trucks": wb.add_highlight(camp, quote="On 5 March 2018 the trucks left the "
                                           "camp", tags=["Transfers"]).highlight_ids[0],
                "moved": wb.add_highlight(camp, quote="Workers were moved to the factory in "
                                          "June 2017", tags=["Labour"]).highlight_ids[0],
                "enlarged": wb.add_highlight(other, quote="The camp was enlarged in 2016"
                                             ).highlight_ids[0]}

    ids = facade(win, code)
    facade(win, lambda wb: wb.add_to_collection([other], "Satellite"))
    win.session.broadcast(Changes(highlights=True, tags=True, collections=True))
    return {"camp": camp, "other": other, **ids}


def choose_highlight(win: Any, qtbot: Any, doc_id: int, hid: int) -> None:
    win.open_document(doc_id)
    pane = win.highlighter.pane
    win.viewer.tabs.setCurrentWidget(pane)
    row = next(i for i in range(pane.list.count())
               if pane.list.item(i).data(Qt.ItemDataRole.UserRole) == hid)
    rect = pane.list.visualItemRect(pane.list.item(row))
    qtbot.mouseClick(pane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def event_from_highlight(win: Any, qtbot: Any, doc_id: int, hid: int) -> Any:
    choose_highlight(win, qtbot, doc_id, hid)
    assert win.new_event_button.isVisible() and win.new_event_button.isEnabled()
    qtbot.mouseClick(win.new_event_button, Qt.MouseButton.LeftButton)
    dialog = win.chronology.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def shown_statements(panel: Any) -> list[str]:
    """The statements as shown, without the sources read under them in a narrow pane."""
    return [panel.table.item(r, 1).text().split("\n— ")[0]
            for r in range(panel.table.rowCount())]


def test_an_event_from_a_highlight_lands_in_the_chronology_in_date_order(
        window: Any, tmp_path: Path, qtbot: Any) -> None:
    ids = library(window, tmp_path)
    dialog = event_from_highlight(window, qtbot, ids["camp"], ids["trucks"])
    # prefilled: the quote as the statement, the date it states, the highlight as the source
    assert dialog.statement.toPlainText() == "On 5 March 2018 the trucks left the camp"
    assert dialog.date.text() == "5 March 2018"
    assert dialog.reading.text() == "Read as exact: 5 March 2018"
    assert dialog.source_ids() == [ids["trucks"]]
    assert "never exported" in dialog.note.accessibleName().lower()
    # what is typed is read as it is typed
    dialog.date.clear()
    qtbot.keyClicks(dialog.date, "March 2018")
    assert dialog.reading.text() == "Read as month: March 2018"
    assert dialog.save.isEnabled()
    dialog.date.clear()
    qtbot.keyClicks(dialog.date, "sometime soon")
    assert "Accepted:" in dialog.reading.text() and "before June 2018" in dialog.reading.text()
    assert not dialog.save.isEnabled()
    dialog.date.clear()
    qtbot.keyClicks(dialog.date, "2017-2019")
    assert dialog.reading.text() == "Read as range: 2017 – 2019"
    # the suggested date comes back from the combo
    dialog.suggested.setCurrentIndex(0)
    dialog.suggested.activated.emit(0)
    assert dialog.date.text() == "5 March 2018"
    dialog.statement.setPlainText("Trucks left the camp at night")
    dialog.status.setCurrentIndex(dialog.status.findData("disputed"))
    qtbot.keyClicks(dialog.note, "ask witness B")
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    events = facade(window, lambda wb: wb.list_events())
    assert [(e["statement"], e["date"]["text"], e["status"], e["note"],
             [s["highlight_id"] for s in e["sources"]]) for e in events] == [
        ("Trucks left the camp at night", "5 March 2018", "disputed", "ask witness B",
         [ids["trucks"]])]

    # a second one, dated earlier: the view lists them in date order
    dialog = event_from_highlight(window, qtbot, ids["camp"], ids["moved"])
    assert dialog.date.text() == "June 2017"
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    window.acts["chronology"].trigger()
    panel = window.chronology
    assert window.middle.currentWidget() is panel
    assert shown_statements(panel) == ["Workers were moved to the factory in June 2017",
                                       "Trucks left the camp at night"]
    row = [panel.table.item(1, c).text() for c in range(5)]
    assert row[0] == "5 March 2018" and row[2] == "disputed" and row[3] == "Transfers"
    assert row[4].startswith("On 5 March 2018") and row[4].endswith("p. 1")
    assert panel.table.item(0, 0).toolTip() == "month: June 2017"


def make_events(win: Any, ids: dict[str, Any]) -> None:
    def work(wb: Any) -> None:
        wb.add_event("The camp was enlarged", "2016", highlights=[ids["enlarged"]],
                     status="undisputed")
        wb.add_event("Trucks left the camp", "5 March 2018", highlights=[ids["trucks"]],
                     note="ask witness B")
        wb.add_event("Workers moved", "before July 2017", highlights=[ids["moved"]])

    facade(win, work)
    win.session.broadcast(Changes(events=True))
    win.acts["chronology"].trigger()


def test_filter_change_status_edit_delete_and_open_a_source(
        window: Any, tmp_path: Path, qtbot: Any, monkeypatch: Any) -> None:
    ids = library(window, tmp_path)
    make_events(window, ids)
    panel = window.chronology
    assert shown_statements(panel) == ["The camp was enlarged", "Workers moved",
                                       "Trucks left the camp"]
    # filter by tag, then by collection, then back to everything
    panel.tag.setCurrentIndex(panel.tag.findData("Transfers"))
    panel.tag.activated.emit(panel.tag.currentIndex())
    assert shown_statements(panel) == ["Trucks left the camp"]
    panel.tag.setCurrentIndex(0)
    panel.collection.setCurrentIndex(panel.collection.findData("Satellite"))
    panel.collection.activated.emit(panel.collection.currentIndex())
    assert shown_statements(panel) == ["The camp was enlarged"]
    panel.tag.setCurrentIndex(panel.tag.findData("Labour"))
    panel.tag.activated.emit(panel.tag.currentIndex())
    assert shown_statements(panel) == [] and panel.empty.text() == \
        "No event matches these filters."
    panel.tag.setCurrentIndex(0)
    panel.collection.setCurrentIndex(0)
    panel.collection.activated.emit(0)
    assert len(shown_statements(panel)) == 3
    if window.session.has("add_entity"):  # by entity: a source quote names the place
        facade(window, lambda wb: wb.add_entity("place", "Factory"))
        window.session.broadcast(Changes(entities=True))
        assert panel.entity.isVisible()
        panel.entity.setCurrentIndex(panel.entity.findData("Factory"))
        panel.entity.activated.emit(panel.entity.currentIndex())
        assert shown_statements(panel) == ["Workers moved"]
        panel.entity.setCurrentIndex(0)
        panel.entity.activated.emit(0)
        assert len(shown_statements(panel)) == 3

    # the status combo changes the chosen event's status
    panel.table.setFocus()
    panel.table.setCurrentCell(1, 1)
    assert panel.status.currentData() == "unverified"
    panel.status.setCurrentIndex(panel.status.findData("disputed"))
    panel.status.activated.emit(panel.status.currentIndex())
    moved = next(e for e in facade(window, lambda wb: wb.list_events())
                 if e["statement"] == "Workers moved")
    assert moved["status"] == "disputed"
    assert panel.table.currentRow() == 1 and panel.table.item(1, 2).text() == "disputed"

    # Enter edits: a new statement and date move it in the order
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    dialog = panel.dialog
    assert dialog.windowTitle() == "Edit event" and dialog.source_ids() == [ids["moved"]]
    dialog.statement.setPlainText("Workers moved to the factory")
    dialog.date.setText("2019")
    dialog.sources.setCurrentRow(0)
    qtbot.mouseClick(dialog.remove_source, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    assert shown_statements(panel)[-1] == "Workers moved to the factory"
    edited = facade(window, lambda wb: wb.list_events())[-1]
    assert edited["date"]["kind"] == "year" and edited["sources"] == []

    # Open source: the viewer shows the source document at the highlight
    panel.table.setCurrentCell(1, 1)
    qtbot.mouseClick(panel.buttons["open"], Qt.MouseButton.LeftButton)
    assert window.viewer.doc_id == ids["camp"]
    trucks = facade(window, lambda wb: wb.get_highlight(ids["trucks"]))
    assert window.viewer.text.mark_range == (trucks["start"], trucks["end"])

    # Delete asks first
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.table.setCurrentCell(0, 1)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert shown_statements(panel) == ["Trucks left the camp", "Workers moved to the factory"]
    assert len(facade(window, lambda wb: wb.list_events())) == 2


def test_export_csv_and_docx_without_the_private_note(
        window: Any, tmp_path: Path, qtbot: Any, monkeypatch: Any) -> None:
    ids = library(window, tmp_path)
    make_events(window, ids)
    panel = window.chronology
    for fmt in ("csv", "docx"):
        target = tmp_path / f"out-{fmt}"  # no suffix: the export adds it
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *a, t=target, **k: (str(t), ""))
        panel.export_actions[fmt].trigger()  # Export ▸ CSV… / DOCX…
        written = target.with_name(target.name + f".{fmt}")
        assert written.exists(), fmt
        assert panel.info.text() == f"Wrote 3 events to {written}"
        if fmt == "csv":
            text = written.read_text(encoding="utf-8-sig")
            rows = list(csv.DictReader(text.splitlines()))
            assert [r["statement"] for r in rows] == ["The camp was enlarged", "Workers moved",
                                                "Trucks left the camp"]
        else:
            text = zipfile.ZipFile(written).read("word/document.xml").decode()
            assert "Trucks left the camp" in text
        assert "ask witness B" not in text
    # with a filter, only what is shown is exported
    panel.tag.setCurrentIndex(panel.tag.findData("Transfers"))
    panel.tag.activated.emit(panel.tag.currentIndex())
    target = tmp_path / "filtered.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    panel.export_actions["csv"].trigger()
    assert len(list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))) == 2


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_chronology_fits_1024x700(window: Any, tmp_path: Path, qtbot: Any,
                                      monkeypatch: Any, theme: str) -> None:
    from tests.ui.test_window_fit import _cut_buttons, _overlaps
    from ui import theme as looks

    monkeypatch.setenv("WORKBENCH_THEME", theme)
    looks.apply_theme(QApplication.instance())
    ids = library(window, tmp_path)
    make_events(window, ids)
    window.resize(1024, 700)
    QApplication.processEvents()
    qtbot.wait(30)
    panel = window.chronology
    assert window.size() == QSize(1024, 700)
    assert panel.isVisible() and panel.table.isVisible() and panel.table.height() >= 120
    assert _cut_buttons(panel) == [] and _overlaps(panel) == []
    table = panel.table  # the statement gives way to no column past the edge
    header = table.horizontalHeader()
    shown = sum(header.sectionSize(c) for c in range(header.count())
                if not header.isSectionHidden(c))
    assert shown <= table.viewport().width(), (shown, table.viewport().width())
    # the statement and the status stay (which events are disputed); the sources' column may
    # step aside, and they are then read under the statement
    assert not header.isSectionHidden(1) and not header.isSectionHidden(2)
    assert header.sectionSize(1) >= 150
    if header.isSectionHidden(4):
        assert all("\n— " in table.item(r, 1).text() for r in range(table.rowCount()))
    # the Highlights tab with its links box and event button also fits
    choose_highlight(window, qtbot, ids["camp"], ids["trucks"])
    QApplication.processEvents()
    pane = window.highlighter.pane
    assert _cut_buttons(pane) == [] and _overlaps(pane) == []
    looks_dark = looks.is_dark()
    assert looks_dark == (theme == "dark")
    monkeypatch.delenv("WORKBENCH_THEME")
    looks.apply_theme(QApplication.instance())


def test_the_builder_adds_a_chronology_section(window: Any, tmp_path: Path, qtbot: Any) -> None:
    ids = library(window, tmp_path)
    make_events(window, ids)
    if window.builder is None or not window.session.has("add_chronology_section"):
        pytest.fail("this core build has no chronology section")
    did = facade(window, lambda wb: wb.create_dossier("Transfers")).dossier_ids[0]
    window.refresh_sidebar()
    window.builder.open_dossier(did)
    window.show_dossier()
    qtbot.mouseClick(window.builder.chronology_button, Qt.MouseButton.LeftButton)
    dialog = window.builder.chronology_dialog
    assert dialog.isVisible()
    dialog.title.setText("Transfers, dated")
    tags = dialog.combos["tags"]
    tags.setCurrentIndex(tags.findData("Transfers"))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    entries = facade(window, lambda wb: wb.get_dossier(did))["entries"]
    assert [(e["kind"], e["chronology"]["title"], e["chronology"]["tags"]) for e in entries] == [
        ("chronology", "Transfers, dated", ["Transfers"])]
    from ui.search.delegate import HTML_ROLE

    shown = window.builder.items.item(window.builder.items.count() - 1).data(HTML_ROLE)
    assert "Transfers, dated" in shown and "tagged Transfers" in shown


def test_keyboard_sidebar_ambiguous_dates_added_sources_and_a_refusal(
        window: Any, tmp_path: Path, qtbot: Any) -> None:
    ids = library(window, tmp_path)
    # the sidebar's LIBRARY → Chronology, and Ctrl+3, show the view
    window.sidebar.select("chronology", None)
    assert window.middle.currentWidget() is window.chronology
    window.show_documents()
    assert window.acts["chronology"].shortcut().toString() == "Ctrl+3"
    from ui.actions import shortcut_rows  # Help → Keyboard shortcuts lists it

    assert any(keys == "Ctrl+3" and "Chronology" in what for what, keys in shortcut_rows())
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    qtbot.keyClick(window.search_field, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.middle.currentWidget() is window.chronology

    dialog = event_from_highlight(window, qtbot, ids["camp"], ids["trucks"])
    dialog.date.clear()
    qtbot.keyClicks(dialog.date, "05/03/2018")  # the core's reason is shown, and the forms
    assert "ambiguous" in dialog.reading.text() and "2018年3月5日" in dialog.reading.text()
    assert not dialog.save.isEnabled()
    dialog.date.setText("early 2018")
    assert dialog.reading.text() == "Read as range: January 2018 – April 2018"

    # Add source…: a second highlight found by typing
    qtbot.mouseClick(dialog.add_source, Qt.MouseButton.LeftButton)
    picker = dialog.picker
    qtbot.keyClicks(picker.picker.search, "enlarged")
    qtbot.keyClick(picker.picker.search, Qt.Key.Key_Return)
    assert picker.picker.chosen_id() == ids["enlarged"]
    qtbot.keyClick(picker.picker.list, Qt.Key.Key_Return)
    assert not picker.isVisible()
    assert dialog.source_ids() == [ids["trucks"], ids["enlarged"]]

    # the source is deleted meanwhile: the core refuses, the dialog stays with what was typed
    facade(window, lambda wb: wb.delete_highlight(ids["enlarged"]))
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert str(ids["enlarged"]) in dialog.error.text()
    assert facade(window, lambda wb: wb.list_events()) == []
    dialog.sources.setCurrentRow(1)
    qtbot.mouseClick(dialog.remove_source, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    events = facade(window, lambda wb: wb.list_events())
    assert [(e["date"]["text"], [s["highlight_id"] for s in e["sources"]]) for e in events] == [
        ("early 2018", [ids["trucks"]])]


def test_the_chronology_fits_1024x700_at_double_text(double_window: Any, tmp_path: Path,
                                                     qtbot: Any) -> None:
    from tests.ui.test_window_fit import _clipped, _cut_buttons, _overlaps

    win = double_window
    ids = library(win, tmp_path)
    make_events(win, ids)
    win.resize(1024, 700)
    QApplication.processEvents()
    qtbot.wait(30)
    panel = win.chronology
    assert win.size() == QSize(1024, 700), "the window's minimum size is larger than the screen"
    assert _cut_buttons(panel) == [] and _overlaps(panel) == [] and _clipped(panel) == []
    assert panel.table.isVisible() and panel.table.height() >= 80
    choose_highlight(win, qtbot, ids["camp"], ids["trucks"])
    QApplication.processEvents()
    pane = win.highlighter.pane
    assert win.size() == QSize(1024, 700)
    assert _cut_buttons(pane) == [] and _overlaps(pane) == []


@pytest.fixture
def double_window(qtbot: Any, library_path: Path) -> Any:
    """A window made at double text size, as Preferences → Text size makes it."""
    from ui import theme
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.tasks import TaskManager

    app = make_application()
    theme.set_text_scale(2.0)
    theme.apply_theme(app)
    win = MainWindow(TaskManager(sync=True))
    qtbot.addWidget(win)
    win.show()
    win.showNormal()
    win.open_path(library_path)
    try:
        yield win
    finally:
        win.close()
        theme.set_text_scale(1.0)
        theme.apply_theme(app)


@pytest.mark.parametrize("dark", [False, True])
def test_the_status_box_looks_unavailable_until_an_event_is_chosen(
        window: Any, tmp_path: Path, qtbot: Any, monkeypatch: Any, dark: bool) -> None:
    """With no event chosen the Status box is disabled, but it was drawn in the full text
    colour like the filters beside it (the dark theme most of all): a click on it did nothing."""
    from PySide6.QtGui import QColor

    from ui import theme

    monkeypatch.setenv("WORKBENCH_THEME", "dark" if dark else "light")
    theme.apply_theme(QApplication.instance())
    try:
        ids = library(window, tmp_path)
        make_events(window, ids)
        panel = window.chronology
        window.acts["chronology"].trigger()
        panel.table.clearSelection()
        panel.table.setCurrentCell(-1, -1)
        QApplication.processEvents()
        assert not panel.status.isEnabled()
        back = QColor(theme.colors()["window"])

        def strongest(widget: Any) -> int:
            """The text's contrast: the largest distance of a pixel from the window colour
            in the left half of the box (its text, not its arrow)."""
            img = widget.grab().toImage()
            best = 0
            for x in range(4, img.width() // 2):
                for y in range(2, img.height() - 2):
                    c = img.pixelColor(x, y)
                    best = max(best, abs(c.lightness() - back.lightness()))
            return best

        disabled = strongest(panel.status)
        panel.status.setEnabled(True)
        enabled = strongest(panel.status)
        panel.status.setEnabled(False)
        assert disabled < enabled - 30, (disabled, enabled)
    finally:
        monkeypatch.delenv("WORKBENCH_THEME")
        theme.apply_theme(QApplication.instance())


def test_a_new_highlight_can_be_made_an_event_at_once(window: Any, tmp_path: Path,
                                                      qtbot: Any) -> None:
    """After a highlight was made, the links box spoke of “the selected highlight” (it follows
    the list's current item) while “New event from highlight…” stayed disabled until the
    highlight was clicked (it followed the selection). Both now follow the current highlight:
    the one just made is current, its links are shown, and it becomes an event at once."""
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QDialogButtonBox

    if getattr(window, "chronology", None) is None or getattr(window, "links", None) is None:
        pytest.fail("this core build has no chronology or links")
    (tmp_path / "camp.txt").write_text(CAMP, encoding="utf-8")
    window.imports.start([tmp_path / "camp.txt"])
    window.imports.plan_dialog.accept()
    window.imports.summary_dialog.accept()
    window.documents.table.selectRow(0)
    pane, button, box = window.highlighter.pane, window.new_event_button, window.links.box

    def make(quote: str) -> int:
        window.viewer.tabs.setCurrentIndex(0)  # the Text tab
        window.activateWindow()
        qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)
        view = window.viewer.text
        start = window.viewer.text_info.text.index(quote)
        view.setFocus()
        view.select_range(start, start + len(quote))
        qtbot.keyClick(view, Qt.Key.Key_H)
        dialog = window.highlighter.dialog
        qtbot.waitUntil(lambda: dialog.isActiveWindow(), timeout=3000)
        save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        QApplication.processEvents()
        made = facade(window, lambda wb: wb.list_highlights(doc=window.viewer.doc_id))
        return int(next(h["id"] for h in made if h["quote"] == quote))

    for quote in ("On 5 March 2018 the trucks left the camp",
                  "Workers were moved to the factory in June 2017"):
        hid = make(quote)
        window.viewer.tabs.setCurrentWidget(pane)
        QApplication.processEvents()
        current = pane.list.currentItem()
        assert current is not None and current.data(Qt.ItemDataRole.UserRole) == hid
        assert box.highlight_id == hid and "selected highlight" in box.title.text()
        assert button.isVisible() and button.isEnabled()
    # Current but no longer selected (Ctrl+click): both still speak of the same highlight.
    pane.list.selectionModel().select(pane.list.currentIndex(),
                                      QItemSelectionModel.SelectionFlag.Deselect)
    QApplication.processEvents()
    assert box.highlight_id == hid and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.chronology.dialog
    assert dialog is not None and dialog.isVisible()
    assert "Workers were moved" in dialog.statement.toPlainText()
    dialog.reject()


def test_deleting_a_highlight_says_which_events_and_links_go_with_it(
        window: Any, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The question before deleting a highlight spoke only of dossier exhibits, though the
    chronology events it is a source of lose it and its links go with it. It now counts what is
    lost: events left without any source, events losing one of their sources, links."""
    ids = library(window, tmp_path)
    if getattr(window, "links", None) is None:
        pytest.fail("this core build has no links between highlights")

    def work(wb: Any) -> None:
        wb.add_event("Trucks left the camp", "5 March 2018", highlights=[ids["trucks"]])
        wb.add_event("The camp emptied", "2018", highlights=[ids["trucks"], ids["enlarged"]])
        wb.add_event("Workers moved", "June 2017", highlights=[ids["moved"]])
        wb.link_highlights(ids["trucks"], ids["moved"], "same-event")
        wb.link_highlights(ids["trucks"], ids["enlarged"], "corroborates")

    facade(window, work)
    window.session.broadcast(Changes(events=True, links=True))
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *a: Any, **k: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    pane = window.highlighter.pane
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)
    choose_highlight(window, qtbot, ids["camp"], ids["trucks"])
    pane.list.setFocus()
    qtbot.keyClick(pane.list, Qt.Key.Key_Delete)
    QApplication.processEvents()
    assert len(asked) == 1
    text = asked[0]
    assert "It is the only source of 1 event in the chronology" in text
    assert "one of the sources of 1 more" in text
    assert "2 links to other highlights go with it" in text
    assert "keep a copy of the quote" in text  # the exhibits, as before
    # Answered No: nothing deleted.
    assert ids["trucks"] in {h["id"] for h in window.highlighter.highlights}

    # One link, one event of which it is one of two sources.
    choose_highlight(window, qtbot, ids["other"], ids["enlarged"])
    pane.list.setFocus()
    qtbot.keyClick(pane.list, Qt.Key.Key_Delete)
    QApplication.processEvents()
    assert "It is one of the sources of 1 event in the chronology" in asked[-1]
    assert "1 link to another highlight goes with it" in asked[-1]
    assert "only source" not in asked[-1]


def test_an_event_without_a_source_says_so() -> None:
    """An event whose only highlight was deleted stays, and its Sources cell says it has
    none rather than showing nothing (a reader could take an empty cell for a layout fault)."""
    from ui.chronology.panel import sources_text

    assert sources_text([]) == "(no source)"
    assert sources_text([{"title": "UN report", "page": 3}]) == "UN report, p. 3"
