"""The builder's "Show as original pages" row and its area rules (issue 13), driven through the
real widgets offscreen and checked in the library."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.support.files import make_pdf
from tests.ui.conftest import facade

ITEM_ID = Qt.ItemDataRole.UserRole


def _builder(win: Any) -> Any:
    if win.builder is None:
        pytest.fail("this core build has no dossiers")
    return win.builder


def _dossier(win: Any, tmp_path: Path) -> tuple[int, int, int, int]:
    pdf = make_pdf(tmp_path / "report.pdf", ["The mission's first page.",
                                             "The witness described the camp.",
                                             "Recommendations."])
    report, _ = facade(win, lambda wb: wb.import_paths([pdf]))
    doc = report.imported[0].document_id
    did = facade(win, lambda wb: wb.create_dossier("Camp case")).dossier_ids[0]
    item = facade(win, lambda wb: wb.add_item(did, document=doc)).item_ids[0]
    note = facade(win, lambda wb: wb.add_item(did, note="Context.")).item_ids[0]
    return did, doc, item, note


def _entry(win: Any, did: int, item: int) -> dict[str, Any]:
    return next(e for e in facade(win, lambda wb: wb.get_dossier(did))["entries"]
                if e["id"] == item)


def _select(builder: Any, item_id: int) -> None:
    assert builder.items.select_item(item_id)


def test_show_an_exhibit_as_its_original_pages(window: Any, tmp_path: Path, qtbot: Any) -> None:
    builder = _builder(window)
    did, _doc, item, note = _dossier(window, tmp_path)
    builder.open_dossier(did)
    _select(builder, item)
    row = builder.facsimile
    assert row.check.isEnabled() and not row.check.isChecked()
    assert not row.pages.isEnabled()

    row.check.click()  # (it may be scrolled out of the short offscreen window)
    got = _entry(window, did, item)
    assert (got["facsimile"], got["facsimile_pages"], got["facsimile_pages_default"]) == (
        True, "1-3", True)
    assert row.check.isChecked() and row.pages.isEnabled()
    assert "1-3" in row.pages.placeholderText()

    row.pages.setFocus()
    qtbot.keyClicks(row.pages, "3, 2")
    qtbot.keyClick(row.pages, Qt.Key.Key_Return)
    assert _entry(window, did, item)["facsimile_pages"] == "2-3"
    assert row.pages.text() == "2-3"  # shown as the core stored it

    row.check.click()  # (it may be scrolled out of the short offscreen window)
    assert _entry(window, did, item)["facsimile"] is False
    _select(builder, note)
    assert not row.check.isEnabled()


def test_area_rules_are_listed_refreshed_and_removable(window: Any, tmp_path: Path,
                                                       qtbot: Any) -> None:
    builder = _builder(window)
    did, doc, _item, _note = _dossier(window, tmp_path)
    builder.open_dossier(did)
    assert builder.redactions.count() == 0
    # Drawn elsewhere (the page viewer): the change reaches the builder as a Changes value.
    window.session.mutate(lambda wb: wb.redact_area(did, doc, 2, (72, 100, 300, 130.5),
                                                    "shows a face", label="witness safety"))
    assert builder.redactions.count() == 1
    shown = builder.redactions.item(0).text()
    assert "area on page 2 of document" in shown and "72, 100, 300, 130.5" in shown
    assert "[REDACTED: witness safety]" in shown and "shows a face" in shown
    builder.redactions.setCurrentRow(0)
    remove = next(b for b in builder.findChildren(type(builder.export_button))
                  if b.text() == "Remove redaction")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert facade(window, lambda wb: wb.list_redactions(did)) == []
    assert builder.redactions.count() == 0
