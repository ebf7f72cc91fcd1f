"""Highlights through the facade: add by quote or range, errors a person can act on, edit,
delete, audit events, listing by tag, orphans, the search for a passage elsewhere, re-extraction.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS
from tests.support.files import make_html_capture
from tests.support.libraries import copy_library, make_library
from workbench.errors import NotFound, UserError
from workbench.extract.base import Extraction

REPORT = "un-report-crimes-against-humanity"
LABOUR = "un-special-rapporteur-forced-labour"


class RecordingIndex:
    """Stands in for the search index hook and remembers what it was told."""

    def __init__(self) -> None:
        self.changed: list[int] = []

    def documents_changed(self, ids: list[int]) -> None:
        self.changed.extend(ids)

    def documents_removed(self, ids: list[int]) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def corpus_template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A library with the three corpus texts, the report again as an HTML capture, and a
    copy of the report with a few words changed; imported once per module."""
    from workbench.library import Library
    from workbench.services import Workbench

    base = tmp_path_factory.mktemp("annotate")
    files = []
    for name in (REPORT, LABOUR, "un-weighs-in-breach-of-human-rights-law"):
        files.append(shutil.copy(CORPUS / f"{name}.txt", base / f"{name}.txt"))
    text = (CORPUS / f"{REPORT}.txt").read_text(encoding="utf-8")
    title, body = text.split("\n\n", 1)
    files.append(make_html_capture(base / "report.html", title, body,
                                   url="https://example.org/un-report"))
    edited = text.replace("long-overdue", "long overdue").replace("finally", "at last")
    (base / "syndicated.txt").write_text(edited, encoding="utf-8")
    files.append(base / "syndicated.txt")
    make_library(base / "lib")
    # Without the search index: it is not under test here and would triple the import time.
    with Workbench(Library.open(base / "lib", attach_index=False)) as wb:
        report, _ = wb.import_paths(files)
    ids = {Path(o.path).name: o.document_id for o in report.imported}
    return {"path": base / "lib", "report": ids[f"{REPORT}.txt"], "labour": ids[f"{LABOUR}.txt"],
            "html": ids["report.html"], "syndicated": ids["syndicated.txt"], "text": text,
            "files": [Path(f) for f in files]}


@pytest.fixture
def lib(corpus_template: dict[str, Any], tmp_path: Path) -> Iterator[dict[str, Any]]:
    from workbench.library import Library
    from workbench.services import Workbench

    dest = tmp_path / "lib"
    copy_library(corpus_template["path"], dest,
                 ignore=shutil.ignore_patterns("library.lock"))
    with Workbench(Library.open(dest, attach_index=False)) as wb:
        wb.library.index = RecordingIndex()
        yield {**corpus_template, "wb": wb}


def events(wb: Any, object_type: str, object_id: int | None = None) -> list[dict[str, Any]]:
    return wb.audit_events(object_type=object_type,
                           object_id=None if object_id is None else str(object_id))


def test_add_by_quote_records_both_selectors_page_and_user(lib: dict[str, Any]) -> None:
    wb, doc = lib["wb"], lib["report"]
    ch = wb.add_highlight(doc, quote="Michelle  Bachelet finally\nreleased", note="who",
                          color="#FF0000", tags=["People/UN"])
    h = wb.get_highlight(ch.highlight_ids[0])
    text = wb.document_text(doc).text
    assert h["quote"] == "Michelle Bachelet finally released" == text[h["start"]:h["end"]]
    assert h["prefix"] == text[h["start"] - 32:h["start"]]
    assert h["suffix"] == text[h["end"]:h["end"] + 32]
    assert (h["page"], h["layer_version"], h["color"], h["note"]) == (1, 1, "#ff0000", "who")
    assert h["tags"] == ["People/UN"] and h["status"] == "anchored" and h["os_user"]
    assert ch.highlights and ch.index and ch.document_ids == [doc]
    assert lib["wb"].library.index.changed == [doc]


def test_ambiguous_and_missing_quotes_say_what_to_do(lib: dict[str, Any]) -> None:
    wb, doc = lib["wb"], lib["report"]
    with pytest.raises(UserError) as err:
        wb.add_highlight(doc, quote="crimes against humanity")
    n = int(str(err.value).split("occurs ")[1].split(" ")[0])
    assert n >= 2 and "--occurrence" in str(err.value)
    seen = set()
    for k in range(1, n + 1):
        h = wb.get_highlight(wb.add_highlight(doc, quote="crimes against humanity",
                                              occurrence=k).highlight_ids[0])
        seen.add(h["start"])
    assert len(seen) == n  # each occurrence is a different place
    with pytest.raises(UserError, match="no occurrence"):
        wb.add_highlight(doc, quote="crimes against humanity", occurrence=n + 1)
    with pytest.raises(UserError) as err:
        wb.add_highlight(doc, quote="Michele Bachelet finaly relased her long-overdue report")
    assert "not found" in err.value.message
    assert err.value.hint and "Bachelet finally released her long-overdue report" in err.value.hint
    with pytest.raises(UserError):
        wb.add_highlight(doc, quote="   ")
    with pytest.raises(UserError):
        wb.add_highlight(doc, quote="x", start=1, end=2)
    with pytest.raises(NotFound):
        wb.add_highlight(999, quote="x")


def test_add_by_range_trims_space_and_checks_bounds(lib: dict[str, Any]) -> None:
    wb, doc = lib["wb"], lib["labour"]
    text = wb.document_text(doc).text
    i = text.index(" forced labour") if " forced labour" in text else text.index(" ")
    h = wb.get_highlight(wb.add_highlight(doc, start=i, end=i + 10).highlight_ids[0])
    assert h["start"] == i + 1 and h["quote"] == text[i + 1:i + 10]
    for bad in ((-1, 5), (5, 5), (0, len(text) + 1)):
        with pytest.raises(UserError):
            wb.add_highlight(doc, start=bad[0], end=bad[1])
    # Overlapping highlights are allowed.
    wb.add_highlight(doc, start=i + 3, end=i + 20)
    assert len(wb.list_highlights(doc=doc)) == 2


def test_edit_delete_and_audit_hold_no_text(lib: dict[str, Any]) -> None:
    wb, doc = lib["wb"], lib["report"]
    hid = wb.add_highlight(doc, quote="vocational training centres").highlight_ids[0]
    wb.edit_highlight(hid, note="SECRET-NOTE", color="00ff00", add_tags=["Detention"])
    h = wb.get_highlight(hid)
    assert (h["note"], h["color"], h["tags"]) == ("SECRET-NOTE", "#00ff00", ["Detention"])
    assert h["modified_at"] >= h["created_at"]
    wb.edit_highlight(hid, tags=["Detention/Camps", "Torture"])
    assert wb.get_highlight(hid)["tags"] == ["Detention/Camps", "Torture"]
    wb.edit_highlight(hid, remove_tags=["Torture"])
    assert wb.get_highlight(hid)["tags"] == ["Detention/Camps"]
    old = wb.get_highlight(hid)
    wb.edit_highlight(hid, start=old["start"] - 10)
    assert wb.get_highlight(hid)["quote"].endswith("vocational training centres")
    with pytest.raises(UserError):
        wb.edit_highlight(hid, color="blue")
    wb.delete_highlight(hid)
    with pytest.raises(NotFound):
        wb.get_highlight(hid)
    evs = events(wb, "highlight", hid)
    assert [e["type"] for e in evs] == ["creation"] + ["modification"] * 4 + ["deletion"]
    dumped = json.dumps(evs)
    assert "SECRET-NOTE" not in dumped and "vocational" not in dumped
    assert all(e["details"]["quote_sha256"] and e["details"]["document_sha256"] for e in evs)
    assert wb.verify()["ok"]


def test_list_by_tag_includes_sub_tags(lib: dict[str, Any]) -> None:
    wb = lib["wb"]
    a = wb.add_highlight(lib["report"], quote="family separation",
                         tags=["Forced labour/Labour transfer"]).highlight_ids[0]
    b = wb.add_highlight(lib["labour"], quote="Special Rapporteur", occurrence=1,
                         tags=["Forced labour"]).highlight_ids[0]
    c = wb.add_highlight(lib["report"], quote="torture, and", occurrence=1).highlight_ids[0]
    assert [h["id"] for h in wb.list_highlights(tag="Forced labour")] == [a, b]
    assert [h["id"] for h in wb.list_highlights(tag="Forced labour/Labour transfer")] == [a]
    assert {h["id"] for h in wb.list_highlights(doc=lib["report"])} == {a, c}
    assert wb.count_highlights() == {"anchored": 3}


def test_same_passage_in_other_documents(lib: dict[str, Any]) -> None:
    wb = lib["wb"]
    hid = wb.add_highlight(lib["report"], quote="Bachelet finally released her long-overdue "
                                                "report on Xinjiang").highlight_ids[0]
    found = wb.find_quote_elsewhere(hid)
    by_doc = {r["document_id"]: r for r in found}
    assert by_doc[lib["html"]]["match"] == "exact" and by_doc[lib["html"]]["score"] == 1.0
    near = by_doc[lib["syndicated"]]
    assert near["match"] == "near" and 0.8 <= near["score"] < 1
    assert "at last released her long overdue report" in near["quote"]
    assert lib["labour"] not in by_doc and lib["report"] not in by_doc


def test_new_layer_reanchors_and_orphans_can_be_resolved(lib: dict[str, Any]) -> None:
    wb, doc = lib["wb"], lib["report"]
    keep = wb.add_highlight(doc, quote="Human Rights Watch described").highlight_ids[0]
    lose = wb.add_highlight(doc, quote="The 46-page report concluded").highlight_ids[0]
    text = wb.document_text(doc).text
    new = ("NEW HEADER\n" + text).replace("The 46-page report concluded", "Its report found")
    r = wb.add_text_layer(doc, Extraction([new], "test", "2"))
    assert (r["moved"], r["orphaned"], r["orphan_ids"]) == (1, 1, [lose])
    assert wb.get_highlight(keep)["layer_version"] == 2
    orphan = wb.orphans()[0]
    assert orphan["id"] == lose and orphan["layer_version"] == 1
    with pytest.raises(UserError):
        wb.discard_orphan(keep)
    wb.discard_orphan(lose)
    assert wb.orphans() == []
    assert [e["type"] for e in events(wb, "highlight", lose)][-1] == "deletion"
    doc_events = events(wb, "document", doc)
    assert doc_events[-1]["details"]["operation"] == "new text layer"
    assert doc_events[-1]["details"]["orphaned"] == 1


def test_reextract_runs_the_original_again(lib: dict[str, Any]) -> None:
    wb, doc = lib["wb"], lib["html"]
    hid = wb.add_highlight(doc, quote="tiger chair").highlight_ids[0]
    before = wb.get_highlight(hid)
    r = wb.reextract(doc)
    assert (r["highlights"], r["anchored"], r["orphaned"], r["layer_version"]) == (1, 1, 0, 2)
    after = wb.get_highlight(hid)
    assert after["layer_version"] == 2
    assert (after["start"], after["end"], after["quote"]) == (
        before["start"], before["end"], before["quote"])
    assert events(wb, "document", doc)[-1]["details"]["operation"] == "re-extraction"
    assert wb.show_document(doc)["text_layers"][-1]["version"] == 2


def test_new_range_for_an_orphan_is_in_the_latest_layer(lib: dict[str, Any]) -> None:
    wb, doc = lib["wb"], lib["labour"]
    hid = wb.add_highlight(doc, quote="Special Rapporteur", occurrence=1).highlight_ids[0]
    text = wb.document_text(doc).text.replace("Special Rapporteur", "envoy").replace(
        "special rapporteur", "envoy")
    wb.add_text_layer(doc, Extraction([text], "test", "2"))
    assert wb.get_highlight(hid)["status"] == "orphan"
    with pytest.raises(UserError, match="both"):
        wb.edit_highlight(hid, start=0)
    i = text.index("envoy")
    wb.edit_highlight(hid, start=i, end=i + len("envoy"))
    h = wb.get_highlight(hid)
    assert (h["status"], h["layer_version"], h["quote"]) == ("anchored", 2, "envoy")
    assert h["candidate"] is None
