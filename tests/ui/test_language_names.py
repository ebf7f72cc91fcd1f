"""A document's language is shown by its name with its code kept ("English (en)", "Moroccan
Arabic (ary)"), in the Record tab and in the search's language filter, which still filters by
the code; a code nobody knows stays as it is. (Fresh-user walk: the Record tab said "ary".)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from tests.ui.conftest import facade
from ui.language_names import language_name

TEXT = ("Assessment of human rights concerns\n\n"
        + "The assessment describes the testimony of detainees held in the camps. " * 8)


def _open_record(window: Any, tmp_path: Path) -> int:
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    report, changes = facade(window, lambda wb: wb.import_paths([path]))
    window.session.broadcast(changes)
    doc_id = int(report.imported[0].document_id)
    window.open_document(doc_id)
    window.viewer.show_record()
    return doc_id


def _shown(view: Any, label: str) -> str:
    """The text a person reads in the Record tab's row ``label``."""
    form = view.form
    for row in range(form.rowCount()):
        key = form.itemAt(row, form.ItemRole.LabelRole)
        if key is not None and isinstance(key.widget(), QLabel) and key.widget().text() == label:
            field = form.itemAt(row, form.ItemRole.FieldRole).widget()
            return field.text() if isinstance(field, (QLabel, QLineEdit)) else \
                field.findChild(QLabel).text()
    raise AssertionError(f"no row {label}")


def test_names_keep_the_code() -> None:
    assert language_name("en") == "English (en)"
    assert language_name("zh") == "Chinese (zh)"
    assert language_name("ug") == "Uyghur (ug)"
    # codes the language detector gives that Qt has no name for
    assert language_name("ary") == "Moroccan Arabic (ary)"
    assert language_name("arz") == "Egyptian Arabic (arz)"
    # a code typed by hand that nobody knows, and nothing at all
    assert language_name("qqx") == "qqx"
    assert language_name("") == "" and language_name(None) == ""


def test_every_code_the_detector_gives_has_a_name() -> None:
    from workbench.language_model import load_identifier

    for code in set(load_identifier().nb_classes):
        assert language_name(code) != code, code


def test_record_tab_names_the_language_and_edits_its_code(window: Any, qtbot: Any,
                                                         tmp_path: Path) -> None:
    doc_id = _open_record(window, tmp_path)
    view = window.viewer.record
    assert _shown(view, "Language") == "English (en)"

    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    line = view.edits["language"]
    assert line.text() == "en"  # the code is what is edited
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, "ary")
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)

    assert not view.editing and window.viewer.doc_id == doc_id
    assert _shown(view, "Language") == "Moroccan Arabic (ary)"
    assert view.captured["language"].text() == "captured: English (en)"
    assert facade(window, lambda wb: wb.document_record(doc_id)).value("language") == "ary"


def test_search_language_filter_names_languages_and_filters_by_code(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    _open_record(window, tmp_path)
    assert facade(window, lambda wb: wb.wait_for_index(60))
    window.focus_search()
    window.search_field.setText("testimony")
    window.run_search()
    panel = window.search_panel
    assert panel.hits
    box = panel.facets["language"]
    items = {box.itemText(i): box.itemData(i) for i in range(1, box.count())}
    assert items == {"English (en) (1)": "en"}
    box.setCurrentIndex(1)
    box.activated.emit(1)
    assert panel.filters == {"language": "en"} and len(panel.hits) == 1
