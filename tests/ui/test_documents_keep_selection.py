"""The document list keeps the user's selection when it reloads under them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui.conftest import facade


def test_a_corrected_record_keeps_the_document_selected(window: Any, tmp_path: Path,
                                                       qtbot: Any) -> None:
    # Regression (walk): after Edit record → Save the list reloaded and nothing was selected
    # any more, though the reader still showed the document.
    src = tmp_path / "in"
    src.mkdir()
    for name in ("alpha", "beta", "gamma"):
        (src / f"{name}.txt").write_text(f"The {name} report on the detentions.\n",
                                         encoding="utf-8")
    window.imports.start([src])
    window.imports.plan_dialog.accept()
    panel = window.documents
    qtbot.waitUntil(lambda: panel.model.document_id(2) is not None)
    panel.table.selectRow(1)
    chosen = panel.selected_ids()
    assert len(chosen) == 1
    opened: list[int] = []
    panel.document_chosen.connect(opened.append)

    doc = chosen[0]
    facade(window, lambda wb: wb.edit_document(doc, author="A. Researcher"))
    window.on_changes(facade(window, lambda wb: wb.edit_document(doc, site="Example Site")))
    qtbot.waitUntil(lambda: panel.selected_ids() == chosen, timeout=3000)
    assert panel.model.document_id(panel.table.currentIndex().row()) == doc
    assert opened == []  # selected again, not opened again
