"""The document list's Tags column shows the tags of a document's passages too, with how many
passages carry each, and its tooltip says which are which (session 15's walk: a document whose
passages were tagged showed an empty Tags column)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tests.ui.conftest import facade, select_listed
from ui.models.documents import COLUMNS


def test_the_tags_column_counts_tagged_passages(window: Any, qtbot: Any,
                                                tmp_path: Path) -> None:
    src = tmp_path / "statement.txt"
    src.write_text("First witness statement about the camp. Second statement about a trial.",
                   encoding="utf-8")
    facade(window, lambda wb: wb.import_paths([src]))
    doc = facade(window, lambda wb: wb.list_documents())[0]["id"]
    model = window.documents.model
    model.reload()  # imported behind the window's back
    select_listed(window, doc, qtbot)
    # as the window's own actions change the library: their changes reach the list
    session = window.session
    session.mutate(lambda wb: wb.add_highlight(doc, "First witness", tags=["Detention"]))
    session.mutate(lambda wb: wb.add_highlight(doc, "Second statement", tags=["Detention"]))
    session.mutate(lambda wb: wb.tag_document(doc, "Case A"))
    column = [key for key, _label in COLUMNS].index("tags")
    index = model.index(model.row_of(doc), column)
    qtbot.waitUntil(lambda: "Case A" in str(model.data(index)), timeout=10000)
    assert model.data(index) == "Case A, Detention (2)"
    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "Case A" in tip and "Detention: 2 passages" in tip
