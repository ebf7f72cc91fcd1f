"""Each document's passage tags with their counts, for the list's Tags column: the facade and
the window's early fast read give the same answer (session 15's walk: the column held the
document's own tags only, so a document whose passages were tagged looked untagged)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.libraries import on_postgres
from workbench.fast_read import FastReader


def test_passage_tags_counts_highlights_per_tag(wb: Any, library_path: Path,
                                                tmp_path: Path) -> None:
    texts = {"a.txt": "First witness statement about the camp. Second statement about a trial.",
             "b.txt": "A report with nothing highlighted in it at all."}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    wb.import_paths([tmp_path / n for n in texts])
    ids = {d["title"][:5]: d["id"] for d in wb.list_documents()}
    a, b = ids["First"], ids["A rep"]
    wb.add_highlight(a, "First witness statement", tags=["Abuses/Arbitrary detention"])
    wb.add_highlight(a, "Second statement", tags=["Abuses/Arbitrary detention", "Witness"])
    wb.add_highlight(a, "about a trial")  # no tag
    wb.tag_document(b, "Case A")
    expected = {a: {"Abuses/Arbitrary detention": 2, "Witness": 1}}
    assert wb.passage_tags([a, b]) == expected
    assert wb.passage_tags([]) == {}
    wb.close()
    if on_postgres():
        pytest.skip("the fast read serves a personal library's SQLite file only")
    with FastReader.open(library_path) as fast:
        assert fast.passage_tags([a, b]) == expected
        assert fast.document_tags(b) == ["Case A"]
