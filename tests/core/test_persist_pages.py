"""Saving an imported document writes its pages in one insert and reads nothing back
(issue 16: each page's row was an ORM object, and the new layer was read back by a query)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from tests.support.files import make_pdf

pytestmark = pytest.mark.sqlite_only(
    "counts a personal library's statements; a shared one's search writer reads the texts "
    "back in batches by design (tests/pg/test_pg_search_writer.py)")


def test_an_imported_documents_pages_are_written_at_once_and_nothing_is_read_back(
        wb: Any, tmp_path: Path) -> None:
    from workbench.models import Page, TextLayer

    texts = [f"Page {n} of the witness statement." if n != 4 else "" for n in range(1, 13)]
    pdf = make_pdf(tmp_path / "statement.pdf", texts)
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_a: Any) -> None:
        if threading.current_thread().name != "workbench-index":  # the index reads texts
            statements.append(" ".join(statement.split()))

    engine = wb.library.store.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        report, _changes = wb.import_paths([pdf])
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    doc = report.imported[0].document_id
    assert len([s for s in statements if s.startswith("INSERT INTO pages")]) == 1
    # the new layer and its version: nothing to look up for a document saved just now
    assert not [s for s in statements if s.startswith("SELECT") and "FROM text_layers" in s
                and "max(text_layers.id)" not in s], statements
    with wb.library.read() as s:
        layer = s.execute(select(TextLayer).where(TextLayer.document_id == doc)).scalar_one()
        pages = s.execute(select(Page.number, Page.start, Page.end, Page.has_text)
                          .where(Page.layer_id == layer.id).order_by(Page.number)).all()
        assert layer.version == 1
        assert [p.number for p in pages] == list(range(1, 13))
        assert [layer.text[p.start:p.end].strip() for p in pages] == [t for t in texts]
        assert [p.has_text for p in pages] == [bool(t) for t in texts]
        assert pages[1].start == pages[0].end + 2  # the page separator between them
    assert wb.document_text(doc).page_text(3).strip() == texts[2]
