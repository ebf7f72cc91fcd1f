"""The library list's "Possible failed redactions" filter (issue 13): only the PDFs whose import
found text under a box drawn over it, together with the text filter and the collection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support import xray_pdfs as X


def test_the_list_filters_possible_failed_redactions(window: Any, tmp_path: Path,
                                                     qtbot: Any) -> None:
    src = tmp_path / "in"
    src.mkdir()
    X.write(src / "leaky.pdf", [X.black_box_over_text()])
    X.write(src / "clean.pdf", [X.shaded_table_header()])
    (src / "note.txt").write_text(X.BODY, encoding="utf-8")
    window.imports.start([src])
    window.imports.plan_dialog.accept()
    panel = window.documents
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3)

    toggle = panel.failed_redactions
    assert toggle.text() == "Possible failed redactions" and not toggle.isChecked()
    toggle.setChecked(True)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    qtbot.waitUntil(lambda: panel.model.document_id(0) is not None)
    row = panel.model.row(0)
    assert row is not None and row["title"] == "leaky"
    assert panel.count.text() == "1 of 3"

    panel.filter.setText("clean")  # both filters at once: nothing
    panel.enter_list()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)
    panel.filter.setText("")
    panel.enter_list()
    toggle.setChecked(False)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3)
