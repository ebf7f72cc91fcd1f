"""Planning an import looks its files' hashes up in a few queries, not one per file.

A query per file was most of the plan's CPU (≈ 0.4 ms of SQLAlchemy each), run on the
desktop's worker thread while the GUI thread waits for the GIL: the worst heartbeat gap of
tests/ui/test_heartbeat.py (docs/PERFORMANCE.md, "Desktop app: never frozen"). Duplicates
are still found, against the library and within the batch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event


def test_a_plan_of_many_files_runs_a_few_queries_and_finds_duplicates(
        wb: Any, tmp_path: Path) -> None:
    src = tmp_path / "files"
    src.mkdir()
    for i in range(40):
        (src / f"doc-{i:02}.txt").write_text(f"Document number {i}.\n", encoding="utf-8")
    (src / "copy-of-07.txt").write_text("Document number 7.\n", encoding="utf-8")
    report, _changes = wb.import_paths([src / "doc-03.txt"])
    kept = report.imported[0].document_id

    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_a: Any) -> None:
        statements.append(statement)
    engine = wb.library.store.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        plan = wb.plan_import([src])
    finally:
        event.remove(engine, "before_cursor_execute", count)

    lookups = [s for s in statements if "sha256" in s]
    assert 1 <= len(lookups) <= 2, len(lookups)
    by_name = {item.path.name: item for item in plan.items}
    assert len(by_name) == 41
    assert by_name["doc-03.txt"].status == "duplicate"
    assert by_name["doc-03.txt"].duplicate_of == kept
    assert {by_name["doc-07.txt"].status, by_name["copy-of-07.txt"].status} == {"new",
                                                                               "duplicate"}
    dup = next(i for i in (by_name["doc-07.txt"], by_name["copy-of-07.txt"])
               if i.status == "duplicate")
    assert dup.duplicate_in_batch is not None and dup.duplicate_of is None
    assert sum(i.status == "new" for i in plan.items) == 39
