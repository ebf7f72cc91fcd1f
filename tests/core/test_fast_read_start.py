"""What the desktop app shows as a library opens, read without SQLAlchemy (issue 16).

The window fills its list and sidebar from ``FastReader`` while the facade is still being
imported (``ui/session.py``), then the facade takes over. So the reads it makes must answer
exactly what the facade's methods of the same names answer: the document count, the first
block of the list (with each row's tags), the collections, the tag tree with its counts, the
saved searches and the dossiers. Compared here on a library holding each of them, with
names that sort differently by case and script, a nested tag, an empty collection, a frozen
dossier and its new version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workbench.fast_read import FastReader, Unsupported

pytestmark = pytest.mark.sqlite_only(
    "FastReader reads a personal library's SQLite file; a shared library's window is filled by "
    "the facade (FastReader refuses its marker: Unsupported)")


def _filled(lib: Path, files: Path) -> None:
    from workbench.services import Workbench

    files.mkdir()
    paths = []
    for i, text in enumerate(["Torture in camp one. Witness statement.",
                              "Second report of the camp, with a witness.",
                              "Third: nothing about anything.", "Fourth document here."]):
        path = files / f"doc-{i}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    with Workbench.open(lib) as wb:
        wb.import_paths(paths)
        wb.add_to_collection([1, 2], "案件 A")
        wb.add_to_collection([2], "b case")
        wb.add_to_collection([3], "Zed")
        wb.remove_from_collection([3], "Zed")  # an empty collection
        wb.add_tag("Abuse/torture", color="#ff0000")
        wb.add_tag("abuse/Beating")
        wb.add_tag("witness")
        first = wb.add_highlight(1, "Torture", tags=["Abuse/torture"]).highlight_ids[0]
        wb.add_highlight(2, "witness", tags=["witness", "Abuse"])
        wb.tag_document(1, "witness")
        wb.tag_document(1, "Abuse/torture")
        wb.tag_document(3, "abuse/Beating")
        wb.save_search("Camps", "camp")
        wb.save_search("a witness", '"a witness"')
        wb.create_dossier("Brief", case="案件 A", author="A. Lawyer")
        wb.add_item(1, highlight=first)
        wb.add_item(1, document=2)
        wb.create_dossier("Plain")
        wb.freeze(1)
        wb.new_version(1)


@pytest.fixture
def library(library_path: Path, tmp_path: Path) -> Path:
    _filled(library_path, tmp_path / "files")
    return library_path


def _plain(rows: Any) -> Any:
    return [dict(r) for r in rows]


def test_the_reads_of_an_opening_window_are_the_facades(library: Path) -> None:
    from workbench.services import Workbench

    with Workbench.open(library, writable=False) as wb, FastReader.open(library) as fast:
        assert fast.count_documents() == wb.count_documents() == 4
        for offset, limit in ((0, 250), (0, 2), (2, 2), (3, None)):
            assert fast.list_documents(offset=offset, limit=limit) == \
                wb.list_documents(offset=offset, limit=limit)
        for doc_id in range(1, 5):
            assert fast.document_tags(doc_id) == wb.document_tags(doc_id)
        assert fast.document_tags(1) == ["Abuse/torture", "witness"]  # really compared
        assert fast.list_collections() == wb.list_collections()
        assert [c["name"] for c in fast.list_collections()] == ["Zed", "b case", "案件 A"]
        assert fast.list_tags() == wb.list_tags()
        assert [t["highlights_total"] for t in fast.list_tags()][:1] == [2]
        assert _plain(fast.list_saved_searches()) == _plain(wb.list_saved_searches())
        assert fast.list_dossiers() == wb.list_dossiers()
        assert len(fast.list_dossiers()) == 3 and fast.list_dossiers()[0]["frozen"]


def test_what_the_window_would_filter_or_sort_is_left_to_the_facade(library_path: Path) -> None:
    with FastReader.open(library_path) as fast:
        for kwargs in ({"collection": "b case"}, {"contains": "camp"},
                       {"failed_redactions": True}):
            with pytest.raises(Unsupported):
                fast.count_documents(**kwargs)
        with pytest.raises(Unsupported):
            fast.list_documents(order_by="title")
        with pytest.raises(Unsupported):
            fast.list_tags(tree=True)
        with pytest.raises(Unsupported):
            fast.document_tags(99)  # the facade's NotFound
