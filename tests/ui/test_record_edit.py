"""The Record tab corrects a document's record: type into the real fields, click Save, see the
corrected value with the captured one beneath it; bad values are explained inline; Use captured
and Cancel go back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QToolButton

from tests.ui.conftest import facade
from workbench.ingest import ImportOptions

CAPTURED_URL = "https://www.example.org/2022/report.html"


def _open_record(window: Any, tmp_path: Path) -> int:
    path = tmp_path / "report.txt"
    path.write_text("Assessment of human rights concerns\n\n"
                    + "The assessment describes the testimony of detainees. " * 5,
                    encoding="utf-8")
    report, changes = facade(window, lambda wb: wb.import_paths(
        [path], ImportOptions(source_url=CAPTURED_URL)))
    window.session.broadcast(changes)  # the window leaves its empty state
    doc_id = int(report.imported[0].document_id)
    window.open_document(doc_id)
    window.viewer.show_record()
    return doc_id


def _type(qtbot: Any, line: QLineEdit, text: str) -> None:
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, text)


def test_typing_and_saving_corrects_the_record(window: Any, qtbot: Any,
                                               tmp_path: Path) -> None:
    doc_id = _open_record(window, tmp_path)
    view = window.viewer.record
    assert view.values["Title"] == "Assessment of human rights concerns"
    assert view.edit_button.isVisible() and not view.save_button.isVisible()
    assert view.findChildren(QLineEdit, "recordEdit") == []  # not editable until Edit

    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    assert view.editing and view.save_button.isVisible()
    assert set(view.edits) == {"title", "source_url", "language", "author", "site",
                               "published"}
    qtbot.waitUntil(lambda: view.focusWidget() is view.edits["title"])  # ready to type
    _type(qtbot, view.edits["title"], "OHCHR assessment of Xinjiang")
    _type(qtbot, view.edits["author"], "OHCHR")
    _type(qtbot, view.edits["published"], "2022-08-31")
    _type(qtbot, view.edits["source_url"], "https://www.ohchr.org/en/documents/assessment")
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)

    # The viewer reloaded from the Changes: reading state, corrected values, captured beneath.
    assert not view.editing and window.viewer.doc_id == doc_id
    assert window.viewer.tabs.currentWidget() is view
    assert view.values["Title"] == "OHCHR assessment of Xinjiang"
    assert view.values["Source URL"] == "https://www.ohchr.org/en/documents/assessment"
    assert view.values["Published"] == "2022-08-31" and view.values["Author"] == "OHCHR"
    assert view.captured["title"].text() == "captured: Assessment of human rights concerns"
    assert view.captured["source_url"].text() == f"captured: {CAPTURED_URL}"
    assert view.captured["author"].text() == "captured: none"
    assert "language" not in view.captured  # not corrected: nothing beside it
    assert window.viewer.title.text() == "OHCHR assessment of Xinjiang"  # the header too
    record = facade(window, lambda wb: wb.document_record(doc_id))
    assert record.value("title") == "OHCHR assessment of Xinjiang"
    assert record["source_url"].captured == CAPTURED_URL
    titles = facade(window, lambda wb: [d["title"] for d in wb.list_documents()])
    assert titles == ["OHCHR assessment of Xinjiang"]


def test_a_refused_value_is_explained_inline_and_nothing_is_saved(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    doc_id = _open_record(window, tmp_path)
    view = window.viewer.record
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    _type(qtbot, view.edits["published"], "31 August 2022")
    _type(qtbot, view.edits["site"], "OHCHR")
    qtbot.keyClick(view.edits["site"], Qt.Key.Key_Return)  # Enter saves too
    assert view.editing and view.error.isVisible()
    assert "not a publication date" in view.error.text() and "YYYY-MM-DD" in view.error.text()
    assert view.edits["site"].text() == "OHCHR"  # what was typed is still there to fix
    assert window.session.presenter.shown == []  # inline, not a dialog
    assert facade(window, lambda wb: wb.document_record(doc_id)).value("site") is None

    _type(qtbot, view.edits["published"], "2022-08")
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert not view.editing and not view.error.isVisible()
    assert view.values["Published"] == "2022-08" and view.values["Site"] == "OHCHR"


def test_use_captured_and_cancel(window: Any, qtbot: Any, tmp_path: Path) -> None:
    doc_id = _open_record(window, tmp_path)
    facade(window, lambda wb: wb.edit_document(doc_id, title="A wrong correction"))
    window.viewer.reload()
    view = window.viewer.record
    assert view.values["Title"] == "A wrong correction"

    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    _type(qtbot, view.edits["author"], "Someone")
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # cancel: nothing saved
    assert not view.editing and "Author" not in view.values

    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    back = next(b for b in view.findChildren(QToolButton)
                if b.accessibleName() == "Use captured title")
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert view.edits["title"].text() == "Assessment of human rights concerns"
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert not view.editing and view.values["Title"] == "Assessment of human rights concerns"
    assert "title" not in view.captured
    record = facade(window, lambda wb: wb.document_record(doc_id))
    assert not record["title"].corrected

    # Saving without a change just leaves editing.
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert not view.editing
