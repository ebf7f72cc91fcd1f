"""The window shell: first run, import through the import action, the list, the viewer."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tests.ui.conftest import facade


def _import(win: Any, paths: list[Path]) -> Any:
    win.imports.start(paths)
    dialog = win.imports.plan_dialog
    assert dialog is not None, "the plan dialog must open before anything is imported"
    dialog.accept()
    assert win.imports.summary_dialog is not None
    return win.imports.summary_dialog


def test_empty_library_says_what_to_do(window: Any) -> None:
    assert window.central.currentWidget() is window.empty
    assert window.empty.isVisible()
    assert "Import" in window.empty.accessibleName()


def test_import_plan_summary_list_and_viewer(window: Any, corpus_dir: Path,
                                             tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(corpus_dir.glob("*.txt")):
        shutil.copy(p, src / p.name)
    shutil.copy(next(corpus_dir.glob("*.txt")), src / "copy-of-first.txt")
    (src / "tool.exe").write_bytes(b"MZ\x90\x00" + bytes(200))

    window.imports.start([src])
    plan = window.imports.plan_dialog
    assert plan is not None
    # problems first: the unsupported file, then the duplicate, then the new files
    assert plan.table.text(0, 1) == "Cannot be imported"  # the plan's own words for it
    assert "tool.exe" in plan.table.text(0, 0)
    assert plan.table.text(1, 1) == "Duplicate, skipped"
    assert plan.import_button.text() == "Import 3 files"
    plan.collection.setEditText("Xinjiang 2022")
    plan.accept()

    summary = window.imports.summary_dialog
    assert summary is not None
    assert len(summary.report.imported) == 3
    assert summary.table.text(0, 1) != "Imported"  # failures listed first
    assert facade(window, lambda wb: wb.count_documents()) == 3
    cols = facade(window, lambda wb: wb.list_collections())
    assert cols[0]["name"] == "Xinjiang 2022" and cols[0]["documents"] == 3

    assert window.central.currentWidget() is window.splitter
    model = window.documents.model
    assert model.rowCount() == 3
    assert model.data(model.index(0, 0)) != "…"
    window.documents.table.selectRow(1)
    doc_id = model.document_id(1)
    assert window.viewer.doc_id == doc_id
    text = facade(window, lambda wb: wb.document_text(doc_id)).text
    assert window.viewer.text.toPlainText().replace("\u2029", "\n").strip()[:40] in text
    assert window.viewer.record.values["SHA-256"] == model.row(1)["sha256"]

    # find in document with next / previous
    window.find_in_document()
    word = text.split()[3]
    window.viewer.find_bar.field.setText(word)
    assert window.viewer.text.find_matches
    assert window.viewer.find_bar.count.text().startswith("1 of")

    # sorting and filtering go through the worker and come back sorted
    model.sort(0, Qt.SortOrder.DescendingOrder)
    titles = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert titles == sorted(titles, key=str.casefold, reverse=True)
    window.documents.filter.setText(titles[0][:12])
    window.documents._apply_filter()
    assert model.rowCount() == 1


def test_selection_maps_to_layer_offsets(window: Any, tmp_path: Path) -> None:
    f = tmp_path / "mixed.txt"
    f.write_text("Intro 😀 line\n\n新疆 维吾尔 自治区 report\n\nالتقرير النهائي", encoding="utf-8")
    _import(window, [f])
    window.documents.table.selectRow(0)
    view = window.viewer.text
    layer = window.viewer.text_info.text
    start = layer.index("维吾尔")
    view.select_range(start, start + 3)
    assert view.selected_range() == (start, start + 3)
    assert view.textCursor().selectedText() == "维吾尔"


def test_second_instance_gets_a_clear_message(window: Any, library_path: Path,
                                              qtbot: Any) -> None:
    from ui.main_window import MainWindow
    from ui.tasks import TaskManager

    other = MainWindow(TaskManager(sync=True))
    qtbot.addWidget(other)
    other.open_path(library_path)
    assert not other.session.is_open
    assert other.presenter.shown and "open for writing" in other.presenter.shown[-1]
    # the lock's hint is one the window can follow: it has no read-only open of a held library
    hint = other.presenter._open.informativeText()
    assert "close it there first" in hint and "read-only" not in hint, hint
    assert other.central.currentWidget() is other.no_library
    other.close()


def test_unexpected_errors_show_one_dialog_with_the_log_path(window: Any) -> None:
    for _ in range(5):
        window.session.query(lambda wb: 1 / 0, doing="divide")
    assert len(window.presenter.shown) == 1
    box = window.presenter._open
    assert box is not None and "workbench.log" in box.informativeText()


def test_shortcuts_dialog_lists_main_actions(window: Any) -> None:
    window.show_shortcuts()
    table = window.shortcuts_dialog.table
    assert table.row_count() >= 10
    names = [table.text(r, 0) for r in range(table.row_count())]
    assert any(n.startswith("Import files") for n in names)
    assert any(n.startswith("Search") for n in names)
