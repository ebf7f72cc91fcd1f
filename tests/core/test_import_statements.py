"""The statements an import sends for each file it saves (issue 16: the importing process's
own thread is the import's critical path; each round trip and each ORM flush is CPU there)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from tests.support.files import make_pdf

pytestmark = pytest.mark.sqlite_only(
    "counts what a personal library's import sends and loads; a shared one also writes the "
    "server's change notice and search rows (tests/pg/test_pg_search_writer.py)")


def _import_counting(wb: Any, paths: list[Path]) -> list[str]:
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_a: Any) -> None:
        if threading.current_thread().name != "workbench-index":  # the index reads texts
            statements.append(" ".join(statement.split()))

    engine = wb.library.store.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        report, _changes = wb.import_paths(paths)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(report.imported) == len(paths)
    return statements


def test_an_import_reads_its_settings_once_and_sends_seven_statements_a_file(
        wb: Any, tmp_path: Path) -> None:
    pdfs = [make_pdf(tmp_path / f"r{n}.pdf", [f"Report {n}, page {p}." for p in range(3)])
            for n in range(9)]
    three = _import_counting(wb, pdfs[:3])
    six = _import_counting(wb, pdfs[3:])
    for run in (three, six):  # ocr_languages was read in a transaction of its own per file
        assert len([s for s in run if "FROM settings" in s]) <= 1, run
    # each more file: the duplicate check, document, collection record, text layer, pages,
    # the chain's end and the audit event (the fixed part of an import cancels out)
    assert (len(six) - len(three)) / 3 <= 7, six
    assert wb.verify()["ok"]


IMPORTS = (
    "import json, sys\n"
    "from pathlib import Path\n"
    "from workbench.services import Workbench\n"
    "with Workbench.open(Path(sys.argv[1])) as wb:\n"
    "    report, _ = wb.import_paths([Path(sys.argv[2])])\n"
    "    assert len(report.imported) == 1\n"
    "print(json.dumps(sorted(sys.modules)))\n"
)


def test_importing_into_a_plain_library_loads_no_encryption(library_path: Path,
                                                            tmp_path: Path) -> None:
    """The index writer's sidecars (a bulk segment's, for every import batch) loaded
    ``cryptography`` to write a plain file: ~11 MB more in the importing process."""
    import json
    import subprocess
    import sys

    text = tmp_path / "note.txt"
    text.write_text("The rapporteur heard of labour camps in the region.\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", IMPORTS, str(library_path), str(text)],
                         capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    modules = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "workbench.search.whoosh.bulk" in modules  # the index was written, the bulk way
    assert not {"cryptography", "workbench.crypto.sealed"} & modules
    # the copies' signatures are upserted with SQLite's dialect alone (PostgreSQL's is 19
    # modules more)
    assert "workbench.copies.finder" in modules
    assert "sqlalchemy.dialects.postgresql" not in modules
