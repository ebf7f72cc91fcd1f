"""A duplicate in the import plan and summary is named by the title of the document it repeats:
"already in the library as document 1" named an id the window shows nowhere (a walk)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui.conftest import facade
from ui.dialogs.import_dialogs import _plan_row, outcome_rows


def test_a_duplicate_names_the_document_it_repeats(window: Any, tmp_path: Path) -> None:
    src = tmp_path / "statement.txt"
    src.write_text("Witness statement about the camp near the river.", encoding="utf-8")
    facade(window, lambda wb: wb.import_paths([src]))
    again = tmp_path / "copy.txt"
    again.write_bytes(src.read_bytes())
    plan = facade(window, lambda wb: wb.plan_import([again]))
    (cells, _kind), = [_plan_row(item) for item in plan.items]
    assert cells[2] == "already in the library as “Witness statement about the camp near the " \
                       "river.”"
    report = facade(window, lambda wb: wb.run_import(plan))
    report = report[0] if isinstance(report, tuple) else report
    (cells, _kind), = outcome_rows(report)
    assert "“Witness statement about the camp near the river.”" in cells[2]
