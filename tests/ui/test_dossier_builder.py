"""The dossier builder's section renaming, per-item redaction and export progress, driven through
the real widgets offscreen (buttons clicked, dialogs typed into) and checked in the library and on
disk."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from tests.ui.conftest import facade, facade_async

WITNESS = "Ahmed Karimov"
STATEMENT = (f"Witness {WITNESS} saw the trucks leave the camp at night.\n"
             "The guards shouted at the workers near the new walls.\n")


def _builder(win: Any) -> Any:
    if win.builder is None:
        pytest.fail("this core build has no dossiers")
    return win.builder


def _ok(buttons: QDialogButtonBox) -> Any:
    return buttons.button(QDialogButtonBox.StandardButton.Ok)


def _row(builder: Any, predicate: Any) -> int:
    items = builder.items
    return next(i for i in range(items.count()) if predicate(items.item(i)))


def _click_row(qtbot: Any, builder: Any, row: int, double: bool = False) -> None:
    items = builder.items
    rect = items.visualItemRect(items.item(row))
    click = qtbot.mouseDClick if double else qtbot.mouseClick
    if double:
        qtbot.mouseClick(items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    click(items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _note_dossier(win: Any) -> int:
    did: int = facade(win, lambda wb: wb.create_dossier("Camp case")).dossier_ids[0]
    facade(win, lambda wb: wb.add_item(did, note="Opening remarks."))
    facade(win, lambda wb: wb.add_section(did, "Witnesses"))
    facade(win, lambda wb: wb.add_item(did, note="Statement summary.", section="Witnesses"))
    facade(win, lambda wb: wb.add_section(did, "Imagery"))  # stays empty
    return did


def test_rename_a_section_with_the_button_and_by_double_click(window: Any, qtbot: Any) -> None:
    builder = _builder(window)
    did = _note_dossier(window)
    builder.open_dossier(did)
    heads = [builder.items.item(i).data(Qt.ItemDataRole.AccessibleTextRole)
             for i in range(builder.items.count()) if not builder.items.item(i).data(
                 Qt.ItemDataRole.UserRole)]
    assert heads == ["Section Witnesses", "Section Imagery"]  # the empty section is shown too

    # select the note inside "Witnesses", then Rename section…: that section is preselected
    _click_row(qtbot, builder, _row(builder, lambda it: it.data(Qt.ItemDataRole.UserRole)
                                     and "Statement" in it.data(Qt.ItemDataRole.UserRole + 10)))
    qtbot.mouseClick(builder.rename_button, Qt.MouseButton.LeftButton)
    dialog = builder.rename_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.section.currentText() == "Witnesses"
    dialog.title.clear()
    qtbot.keyClicks(dialog.title, "Imagery")  # another section's name: refused before the core
    assert not _ok(dialog.buttons).isEnabled()
    assert "already" in dialog.problem.text()
    dialog.title.clear()
    qtbot.keyClicks(dialog.title, "Witness statements")
    qtbot.mouseClick(_ok(dialog.buttons), Qt.MouseButton.LeftButton)
    titles = [s["title"] for s in facade(window, lambda wb: wb.get_dossier(did))["sections"]]
    assert titles == ["Witness statements", "Imagery"]
    shown = [builder.items.item(i).data(Qt.ItemDataRole.AccessibleTextRole)
             for i in range(builder.items.count())]
    assert "Section Witness statements" in shown and "Section Witnesses" not in shown

    # double-click a section heading: the same dialog, on that section
    _click_row(qtbot, builder, _row(builder, lambda it: it.data(
        Qt.ItemDataRole.AccessibleTextRole) == "Section Imagery"), double=True)
    dialog = builder.rename_dialog
    assert dialog.isVisible() and dialog.section.currentText() == "Imagery"
    dialog.title.setText("Satellite imagery")
    _ok(dialog.buttons).click()
    titles = [s["title"] for s in facade(window, lambda wb: wb.get_dossier(did))["sections"]]
    assert titles == ["Witness statements", "Satellite imagery"]

    # an exhibit dropped on the empty section's heading goes into that section
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtGui import QDropEvent

    note = _row(builder, lambda it: "Opening" in (it.data(Qt.ItemDataRole.UserRole + 10) or ""))
    builder.items.setCurrentRow(note)
    head = _row(builder, lambda it: it.data(
        Qt.ItemDataRole.AccessibleTextRole) == "Section Satellite imagery")
    at = QPointF(builder.items.visualItemRect(builder.items.item(head)).center())
    mime = QMimeData()  # kept alive: the event does not own it
    builder.items.dropEvent(QDropEvent(at, Qt.DropAction.MoveAction, mime,
                                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    entries = facade(window, lambda wb: wb.get_dossier(did))["entries"]
    assert [(e["text"], e["section"]) for e in entries] == [
        ("Statement summary.", "Witness statements"), ("Opening remarks.", "Satellite imagery")]

    # F2 on a heading; Cancel changes nothing
    builder.items.setCurrentRow(_row(builder, lambda it: it.data(
        Qt.ItemDataRole.AccessibleTextRole) == "Section Witness statements"))
    builder.rename_dialog = None
    qtbot.keyClick(builder.items, Qt.Key.Key_F2)
    assert builder.rename_dialog is not None
    assert builder.rename_dialog.section.currentText() == "Witness statements"
    builder.rename_dialog.title.setText("Never saved")
    builder.rename_dialog.reject()
    titles = [s["title"] for s in facade(window, lambda wb: wb.get_dossier(did))["sections"]]
    assert titles == ["Witness statements", "Satellite imagery"]


def _highlight_dossier(win: Any, tmp_path: Path) -> tuple[int, int]:
    src = tmp_path / "statement.txt"
    src.write_text(STATEMENT, encoding="utf-8")
    report, _ = facade(win, lambda wb: wb.import_paths([src]))
    doc_id = report.imported[0].document_id
    hid = facade(win, lambda wb: wb.add_highlight(
        doc_id, quote=f"{WITNESS} saw the trucks leave the camp")).highlight_ids[0]
    did = facade(win, lambda wb: wb.create_dossier("Camp case")).dossier_ids[0]
    facade(win, lambda wb: wb.add_item(did, highlight=hid))
    facade(win, lambda wb: wb.add_item(did, note="The guards were not identified."))
    return did, doc_id


def test_redact_a_quote_inside_one_item(window: Any, tmp_path: Path, qtbot: Any) -> None:
    builder = _builder(window)
    did, _doc = _highlight_dossier(window, tmp_path)
    builder.open_dossier(did)
    exhibit = _row(builder, lambda it: it.data(Qt.ItemDataRole.UserRole))
    _click_row(qtbot, builder, exhibit)
    qtbot.mouseClick(builder.redact_item_button, Qt.MouseButton.LeftButton)
    dialog = builder.redact_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.text.toPlainText() == f"{WITNESS} saw the trucks leave the camp"
    assert not dialog.ok.isEnabled()
    dialog.select_range(0, len(WITNESS))  # as a mouse drag over the name would
    assert dialog.quote.text() == WITNESS
    dialog.printed_label.setCurrentText("witness safety")
    qtbot.keyClicks(dialog.reason, "protect a witness")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    data = facade(window, lambda wb: wb.get_dossier(did))
    item_id = data["entries"][0]["id"]
    assert [(r["text"], r["reason"], r["item_id"]) for r in data["redactions"]] == [
        (WITNESS, "protect a witness", item_id)]
    assert not dialog.isVisible()
    from ui.search.delegate import HTML_ROLE

    shown = builder.items.item(_row(builder, lambda it: it.data(Qt.ItemDataRole.UserRole)
                                    == item_id)).data(HTML_ROLE)
    from ui.dossier.items import redaction_colors

    assert "[REDACTED: witness safety]" in shown and "protect a witness" not in shown
    assert f"background-color:{redaction_colors()[0]}" in shown
    assert WITNESS not in shown and "saw the trucks leave the camp" in shown
    assert builder.redactions.count() == 1 and "Exhibit 1" in builder.redactions.item(0).text()

    # opened again, the dialog paints what is already hidden
    builder.redact_in_item()
    again = builder.redact_dialog
    assert again is not dialog and again.hidden == [(0, len(WITNESS))]
    marks = again.text.extraSelections()
    assert [(m.cursor.selectionStart(), m.cursor.selectionEnd()) for m in marks] == [
        (0, len(WITNESS))]
    again.reject()


def test_redaction_errors_then_freeze_and_new_version(window: Any, tmp_path: Path,
                                                                 qtbot: Any,
                                                                 monkeypatch: Any) -> None:
    builder = _builder(window)
    did, _doc = _highlight_dossier(window, tmp_path)
    builder.open_dossier(did)
    # the note is chosen through the list's context menu
    note = _row(builder, lambda it: "guards" in (it.data(Qt.ItemDataRole.UserRole + 10) or ""))
    pos = builder.items.visualItemRect(builder.items.item(note)).center()
    builder._context_menu(pos)
    actions = {a.text(): a for a in builder.context_menu.actions()}
    assert "Rename section…" not in actions  # the note is in no section
    actions["Redact text in this item…"].trigger()
    dialog = builder.redact_dialog
    assert dialog.text.toPlainText() == "The guards were not identified."
    dialog.quote.setText(WITNESS)  # in the dossier, but not in this item
    dialog.reason.setText("protect a witness")
    dialog.ok.click()
    assert "occurs nowhere in item" in window.presenter.shown[-1]
    assert window.presenter.shown[-1].startswith("Could not redact the text")
    assert dialog.isVisible() and dialog.ok.isEnabled()  # correct it and try again
    assert facade(window, lambda wb: wb.list_redactions(did)) == []
    dialog.reject()

    # Freeze… asks first, then the core refuses edits and the builder says so
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert builder.freeze_button.text() == "Freeze…"
    qtbot.mouseClick(builder.freeze_button, Qt.MouseButton.LeftButton)
    assert facade(window, lambda wb: wb.get_dossier(did))["frozen"]
    assert builder.freeze_button.text() == "New version" and "frozen" in builder.meta.text()
    builder.items.setCurrentRow(note)
    builder.redact_in_item()
    dialog = builder.redact_dialog
    dialog.select_range(4, 10)
    assert dialog.quote.text() == "guards"
    dialog.reason.setText("unverified")
    dialog.ok.click()
    assert "is frozen and cannot be changed" in window.presenter.shown[-1]
    assert facade(window, lambda wb: wb.list_redactions(did)) == []
    dialog.reject()

    # New version: an editable copy opens in the builder, and the redaction goes there
    qtbot.mouseClick(builder.freeze_button, Qt.MouseButton.LeftButton)
    copy = builder.dossier_id
    assert copy != did and not builder.data["frozen"]
    assert builder.freeze_button.text() == "Freeze…"
    builder.items.setCurrentRow(_row(builder, lambda it: "guards" in (
        it.data(Qt.ItemDataRole.UserRole + 10) or "")))
    builder.redact_in_item()
    builder.redact_dialog.select_range(4, 10)
    builder.redact_dialog.reason.setText("unverified")
    builder.redact_dialog.ok.click()
    assert [r["text"] for r in facade(window, lambda wb: wb.list_redactions(copy))] == ["guards"]
    assert facade(window, lambda wb: wb.list_redactions(did)) == []


def test_export_shows_where_the_file_went(window: Any, tmp_path: Path, qtbot: Any,
                                          monkeypatch: Any) -> None:
    builder = _builder(window)
    did, _doc = _highlight_dossier(window, tmp_path)
    facade(window, lambda wb: wb.redact_term(did, WITNESS, "protect a witness"))
    builder.open_dossier(did)
    out = tmp_path / "out" / "case.html"
    out.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    builder.format.setCurrentIndex(builder.format.findData("html"))
    qtbot.mouseClick(builder.export_button, Qt.MouseButton.LeftButton)
    assert builder.last_export is not None and out.exists()
    assert WITNESS not in out.read_text(encoding="utf-8")
    assert not builder.exporter.dialog.isVisible()
    assert str(out) in builder.result_box.text() and str(out) in builder.status.toolTip()
    assert builder.export_button.isEnabled()
    assert builder.last_export["sha256"] in builder.result_box.informativeText()
    from ui.dossier.export_flow import result_details

    note = result_details({"sha256": "ab", "excluded_originals": ["x", "y"]})
    assert "2 originals left out of the bundle" in note


def export_html(builder: Any, out: Path, qtbot: Any, monkeypatch: Any) -> None:
    """Export the open dossier as HTML to ``out`` with the Export button, and close the
    result."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    builder.format.setCurrentIndex(builder.format.findData("html"))
    qtbot.mouseClick(builder.export_button, Qt.MouseButton.LeftButton)
    builder.result_box.close()
    qtbot.wait(50)
    assert out.exists()


def test_a_long_export_path_does_not_widen_the_window(window: Any, tmp_path: Path,
                                                      qtbot: Any, monkeypatch: Any) -> None:
    """Walk at 1024x700: "Exported to <long path>" beside Export… pushed the window past the
    screen and squeezed the sidebar to ~80 px."""
    builder = _builder(window)
    did, _doc = _highlight_dossier(window, tmp_path)
    builder.open_dossier(did)
    window.show_dossier()
    window.resize(1024, 700)
    qtbot.wait(50)
    before = (builder.minimumSizeHint().width(), window.minimumSizeHint().width())
    out = tmp_path / ("a-rather-long-folder-name-for-exports-" * 3) / "the-case-file.html"
    out.parent.mkdir()
    export_html(builder, out, qtbot, monkeypatch)
    # The builder shares 1024 px with the sidebar and the reader: the note must not widen it.
    assert (builder.minimumSizeHint().width(), window.minimumSizeHint().width()) <= before
    assert builder.status.minimumSizeHint().width() < 300
    assert "the-case-file.html" in builder.status.text()
    assert str(out) in builder.status.toolTip()


def test_export_progress_and_cancel_leave_no_file(threaded_window: Any, tmp_path: Path,
                                                  qtbot: Any, monkeypatch: Any) -> None:
    win = threaded_window
    builder = _builder(win)
    did = facade_async(win, qtbot, lambda wb: wb.create_dossier("Camp case")).dossier_ids[0]
    facade_async(win, qtbot, lambda wb: wb.add_item(did, note=f"{WITNESS} was interviewed."))
    facade_async(win, qtbot, lambda wb: wb.redact_term(did, WITNESS, "protect a witness"))
    builder.open_dossier(did)
    qtbot.waitUntil(lambda: builder.data.get("id") == did, timeout=30000)

    # The DOCX writer really writes its temporary file, then waits for the test to press
    # Cancel: a long write, made deterministic.
    from workbench.export import docx as docx_mod

    real, written, release = docx_mod.write_docx, threading.Event(), threading.Event()

    def slow_write(view: Any, tmp: Path) -> None:
        real(view, tmp)
        written.set()
        release.wait(60)

    monkeypatch.setattr(docx_mod, "write_docx", slow_write)
    out = tmp_path / "out" / "case.docx"
    out.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    builder.format.setCurrentIndex(builder.format.findData("docx"))
    qtbot.mouseClick(builder.export_button, Qt.MouseButton.LeftButton)
    dialog = builder.exporter.dialog
    try:
        assert dialog.isVisible() and not builder.export_button.isEnabled()
        qtbot.waitUntil(written.is_set, timeout=60000)
        qtbot.waitUntil(lambda: "writing docx" in dialog.steps, timeout=5000)
        assert "writing the DOCX file" in dialog.label.text()
        # the GUI thread keeps running while the worker is busy: the clock ticks
        qtbot.waitUntil(lambda: "elapsed" in dialog.elapsed.text(), timeout=5000)
        assert [p.name for p in out.parent.iterdir() if ".partial" in p.name]
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        assert "Cancelling" in dialog.label.text() and not dialog.cancel_button.isEnabled()
    finally:
        release.set()
    qtbot.waitUntil(lambda: "cancelled" in builder.status.text(), timeout=60000)
    assert not dialog.isVisible() and builder.export_button.isEnabled()
    assert list(out.parent.iterdir()) == []  # neither the file nor its temporary
    assert builder.last_export is None and win.presenter.shown == []
    events = facade_async(win, qtbot, lambda wb: wb.audit_events(object_type="dossier"))
    assert not any("dissemination" in str(e) for e in events)


def test_redaction_bar_is_dark_in_both_themes_and_previews_are_cut_once(
        monkeypatch: Any) -> None:
    from ui.dossier.items import segments_html

    segments: list[tuple[str, str | None]] = [("Witness ", None),
                                              ("", "[REDACTED: protect <her>]"),
                                              (" saw " + "x" * 400, None), ("tail", None)]
    monkeypatch.setenv("WORKBENCH_THEME", "dark")
    dark = segments_html(segments)
    assert "background-color:#454c59; color:#ffffff" in dark  # a dark bar seen on a dark page
    assert "REDACTED: protect &lt;her&gt;" in dark
    monkeypatch.setenv("WORKBENCH_THEME", "light")
    light = segments_html(segments)
    assert "background-color:#000000; color:#ffffff" in light  # as the exports print it
    assert light.count("…") == 1 and "tail" not in light


def test_a_whole_document_exhibit_has_no_space_before_its_closing_quote() -> None:
    # Regression: a document ends with a line break, which the preview showed as `city. ”`.
    from ui.dossier.items import item_html

    entry = {"kind": "document", "label": "Exhibit 1", "source": {"title": "Note"},
             "body": [("\nThey were taken from the city.\n", None)]}
    # (the quote is isolated, FSI … PDI, inside its marks: tests/ui/test_builder_rows.py)
    assert "“\u2068They were taken from the city.\u2069”" in item_html(entry)
    plain = {"kind": "document", "label": "Exhibit 2", "source": {}, "text": " the city.\n"}
    assert "“\u2068the city.\u2069”" in item_html(plain)


def test_redacting_after_an_emoji_and_non_latin_text(window: Any, qtbot: Any) -> None:
    builder = _builder(window)
    note = f"🇨🇳 证人 {WITNESS} 说 — الشاهد"
    did = facade(window, lambda wb: wb.create_dossier("Case")).dossier_ids[0]
    facade(window, lambda wb: wb.add_item(did, note=note))
    builder.open_dossier(did)
    builder.items.setCurrentRow(0)
    builder.redact_in_item()
    dialog = builder.redact_dialog
    start = note.index(WITNESS)
    dialog.select_range(start, start + len(WITNESS))  # code points; the flag is 4 UTF-16 units
    assert dialog.quote.text() == WITNESS
    dialog.printed_label.setCurrentText("证人保护")  # non-ASCII: setText, never keyClicks
    dialog.reason.setText("保护证人家属")
    dialog.ok.click()
    assert [r["text"] for r in facade(window, lambda wb: wb.list_redactions(did))] == [WITNESS]
    builder.redact_in_item()
    marks = builder.redact_dialog.text.extraSelections()
    assert [m.cursor.selectedText() for m in marks] == [WITNESS]
    from ui.search.delegate import HTML_ROLE

    shown = builder.items.item(0).data(HTML_ROLE)
    assert "[REDACTED: 证人保护]" in shown and WITNESS not in shown and "الشاهد" in shown
    assert "保护证人家属" not in shown
