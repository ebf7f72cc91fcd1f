"""Sidebar tag tree, highlight editing and orphans, drops onto the window, lazy list, theme."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from tests.ui.conftest import facade


def _import(win: Any, paths: list[Path]) -> None:
    win.imports.start(paths)
    win.imports.plan_dialog.accept()


def _text_file(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_dropping_files_on_the_window_starts_an_import(window: Any, tmp_path: Path) -> None:
    f = _text_file(tmp_path, "dropped.txt", "A witness statement about the camp. " * 20)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.imports.plan_dialog is not None
    assert window.imports.plan_dialog.table.text(0, 0).endswith("dropped.txt")
    window.imports.plan_dialog.accept()
    assert facade(window, lambda wb: wb.count_documents()) == 1


def test_lazy_list_loads_blocks_on_demand(window: Any, tmp_path: Path) -> None:
    from ui.models import documents as docmodel

    docmodel_block = docmodel.BLOCK
    docmodel.BLOCK = 5  # small blocks so a handful of files shows the laziness
    try:
        folder = tmp_path / "many"
        folder.mkdir()
        for i in range(12):
            _text_file(folder, f"d{i:02}.txt", f"Document number {i} about the region. " * 5)
        _import(window, [folder])
        model = window.documents.model
        assert model.rowCount() == 12
        model.reload()
        assert model._blocks == {}  # nothing fetched until a row is asked for
        assert model.row(11) is not None
        assert set(model._blocks) == {2}
    finally:
        docmodel.BLOCK = docmodel_block


def test_highlight_click_edit_delete_and_tag_reparent(window: Any, tmp_path: Path,
                                                      qtbot: Any, monkeypatch: Any) -> None:
    if window.highlighter is None:
        pytest.fail("this core build has no highlights")
    f = _text_file(tmp_path, "a.txt", "The satellite images show new walls around the camp.\n")
    _import(window, [f])
    window.documents.table.selectRow(0)
    doc_id = window.viewer.doc_id
    facade(window, lambda wb: wb.add_tag("Places", color="#90be6d"))
    facade(window, lambda wb: wb.add_tag("Evidence/Imagery", color="#4ea8de"))
    facade(window, lambda wb: wb.add_highlight(doc_id, quote="new walls",
                                               tags=["Evidence/Imagery"]))
    window.viewer.reload()
    painted = window.viewer.text.highlights
    assert len(painted) == 1 and painted[0].color == "#4ea8de"  # the tag's colour
    hid = painted[0].id
    # a click on the painted passage opens the editor
    view = window.viewer.text
    pos = view.display.layer_to_qt(painted[0].start + 2)
    cur = view.textCursor()
    cur.setPosition(pos)
    rect = view.cursorRect(cur)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = window.highlighter.dialog
    assert dialog is not None and dialog.windowTitle() == "Edit highlight"
    dialog.filter.setText("plac")
    assert dialog.visible_tags() == ["Places"]
    dialog.pick("plac")  # Enter on the only match ticks it
    dialog.accept()
    tags = facade(window, lambda wb: wb.get_highlight(hid))["tags"]
    assert sorted(tags) == ["Evidence/Imagery", "Places"]

    # drag "Imagery" onto "Places" in the sidebar: the core moves it, the tree follows
    by_path = {t["path"]: t["id"] for t in window.sidebar_data["tags"]}
    window.sidebar.tag_dropped.emit(by_path["Evidence/Imagery"], by_path["Places"])
    paths = {t["path"] for t in window.sidebar_data["tags"]}
    assert "Places/Imagery" in paths

    # delete through the editor, confirming the question
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.highlighter.edit(hid)
    window.highlighter.dialog.done(window.highlighter.dialog.DELETE)
    assert facade(window, lambda wb: wb.list_highlights(doc=doc_id)) == []
    assert window.viewer.text.highlights == []


def test_delete_document_asks_then_updates_list(window: Any, tmp_path: Path,
                                                monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QMessageBox

    _import(window, [_text_file(tmp_path, "x.txt", "To be deleted, with its original. " * 10),
                     _text_file(tmp_path, "y.txt", "To be kept in the library for later. " * 10)])
    window.documents.table.selectRow(0)
    window.documents.table.setFocus()
    monkeypatch.setattr(window.documents.table, "hasFocus", lambda: True)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.delete_document()
    assert facade(window, lambda wb: wb.count_documents()) == 1
    assert window.documents.model.rowCount() == 1
    assert window.viewer.doc_id is None


def test_layout_and_recent_libraries_are_remembered(window: Any, library_path: Path) -> None:
    from ui.operations.library import recent_libraries

    assert recent_libraries()[0] == str(library_path.absolute())
    window.splitter.setSizes([300, 500, 500])
    window.save_layout()
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow
    from ui.tasks import TaskManager

    saved = QSettings().value("window/splitter")
    assert saved is not None
    other = MainWindow(TaskManager(sync=True))
    assert other.splitter.saveState() == saved  # restored before the first show
    other.tasks.shutdown()


def test_dark_theme_follows_setting(qapp: Any, monkeypatch: Any) -> None:
    from PySide6.QtGui import QPalette

    from ui import theme

    monkeypatch.setenv("WORKBENCH_THEME", "dark")
    assert theme.is_dark()
    dark = theme._palette(theme.DARK if theme.is_dark() else theme.LIGHT)
    assert dark.color(QPalette.ColorRole.Window).lightness() < 80
    monkeypatch.setenv("WORKBENCH_THEME", "light")
    assert not theme.is_dark()


def test_orphaned_highlights_are_listed_and_can_be_discarded(window: Any,
                                                             tmp_path: Path) -> None:
    if window.highlighter is None:
        pytest.fail("this core build has no highlights")
    from workbench.extract.base import Extraction

    f = _text_file(tmp_path, "w.txt", "Witness A saw the trucks leave at night.\n"
                                      "Witness B heard the guards shouting.\n")
    _import(window, [f])
    window.documents.table.selectRow(0)
    doc_id = window.viewer.doc_id
    facade(window, lambda wb: wb.add_highlight(doc_id, quote="saw the trucks leave at night"))
    new_text = "Witness B heard the guards shouting.\nNothing else was recorded.\n"
    facade(window, lambda wb: wb.add_text_layer(doc_id, Extraction([new_text], "test", "2")))
    window.viewer.reload()
    pane = window.highlighter.pane
    assert pane.orphans.count() == 1
    assert "saw the trucks leave at night" in pane.orphans.item(0).text()
    assert window.viewer.text.highlights == []  # an orphan is not painted on the new text
    pane.orphans.setCurrentRow(0)
    pane.discard_button.click()
    assert facade(window, lambda wb: wb.orphans(doc_id)) == []
    assert pane.orphans.count() == 0


def test_widgets_have_accessible_names(window: Any) -> None:
    for widget in (window.search_field, window.sidebar, window.documents.table,
                   window.documents.filter, window.viewer.text, window.viewer.tabs):
        assert widget.accessibleName(), widget


def test_dropping_documents_on_a_sidebar_dossier_adds_them(window: Any, tmp_path: Path) -> None:
    if window.builder is None:
        pytest.fail("this core build has no dossiers")
    _import(window, [_text_file(tmp_path, "e.txt", "Exhibit material about the camp. " * 10)])
    doc_id = window.documents.model.document_id(0)
    window.builder.create_dossier("Case A")
    dossier_id = window.builder.dossier_id
    window.refresh_sidebar()
    window.sidebar.select("dossier", dossier_id)
    item = window.sidebar.currentItem()
    center = window.sidebar.visualItemRect(item).center()
    mime = window.documents.model.mimeData([window.documents.model.index(0, 0)])
    event = QDropEvent(QPointF(center), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.sidebar.dropEvent(event)
    entries = facade(window, lambda wb: wb.get_dossier(dossier_id))["entries"]
    assert [(e["kind"], e["document_id"]) for e in entries] == [("document", doc_id)]


def test_uyghur_is_drawn_in_a_face_made_for_screens(window: Any) -> None:
    # Regression (walk): Uyghur titles fell back to Noto Naskh Arabic, a book face whose
    # letters are a size smaller than the Latin beside them at one point size.
    from PySide6.QtGui import QTextLayout

    layout = QTextLayout("ئەكبەر ئاسات ئۈرۈمچىدە تۇتۇلغان", window.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    faces = {run.rawFont().familyName() for run in layout.glyphRuns()}
    assert "Noto Sans Arabic" in faces and "Noto Naskh Arabic" not in faces, faces
