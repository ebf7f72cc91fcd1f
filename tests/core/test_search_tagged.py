"""A tag search shows the passages tagged, not the document's opening (session 15's walk).

Clicking a tag in the sidebar runs ``tag:"…"``; each hit's snippet was the text's first 200
characters, which rarely hold the passage the user tagged. The hit now carries the tagged
highlights as spans (marked in the snippet, the first one opened by a click), through the
facade and through ``workbench search``'s fast read alike.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workbench import cli
from workbench.search import parse as p
from workbench.search.tagged import matches, tagged_spans, wanted_tags

FILLER = "The committee met in the capital and heard the delegations in turn. " * 6
PASSAGE = "Witnesses described detention without charge for eleven months."
OTHER = "The budget annex lists the costs of the mission in detail."
TEXT = FILLER + PASSAGE + " " + FILLER + OTHER + " The end."


@pytest.fixture
def tagged_library(wb: Any, tmp_path: Path) -> tuple[Any, int]:
    src = tmp_path / "report.txt"
    src.write_text(TEXT, encoding="utf-8")
    wb.import_paths([src])
    doc_id = wb.list_documents()[0]["id"]
    wb.add_highlight(doc_id, PASSAGE, tags=["Abuses/Arbitrary detention"])
    wb.add_highlight(doc_id, OTHER, tags=["Budget"])
    assert wb.wait_for_index(60)
    return wb, doc_id


def _span_text(hit: Any) -> list[str]:
    return [TEXT[a:b] for sn in hit.snippets for a, b in sn.spans]


def test_a_tag_search_marks_the_tagged_passage(tagged_library: tuple[Any, int]) -> None:
    wb, doc_id = tagged_library
    hit, = wb.search('tag:"Arbitrary detention"').hits
    assert hit.document_id == doc_id
    assert _span_text(hit) == [PASSAGE]  # the budget passage is tagged otherwise
    assert PASSAGE in hit.snippet and not hit.snippet.startswith(FILLER[:40])
    assert hit.spans == [(TEXT.index(PASSAGE), TEXT.index(PASSAGE) + len(PASSAGE))]


def test_a_parent_tag_and_a_word_mark_both(tagged_library: tuple[Any, int]) -> None:
    wb, _doc = tagged_library
    hit, = wb.search("tag:Abuses").hits
    assert _span_text(hit) == [PASSAGE]
    hit, = wb.search("tag:Budget mission").hits
    assert set(_span_text(hit)) == {OTHER}  # "mission" lies inside the tagged passage


def test_a_negated_tag_marks_nothing(tagged_library: tuple[Any, int]) -> None:
    wb, _doc = tagged_library
    assert wb.search("committee -tag:Budget").hits == []  # it has the Budget tag
    hit, = wb.search("committee NOT tag:Elsewhere").hits
    assert all(t.casefold() == "committee" for t in _span_text(hit))


def test_the_tag_filter_marks_its_passages(tagged_library: tuple[Any, int]) -> None:
    wb, _doc = tagged_library
    hit, = wb.search("committee", filters={"tag": "Budget"}).hits
    assert OTHER in _span_text(hit)


def test_the_command_line_prints_the_tagged_passage(
        tagged_library: tuple[Any, int], library_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    wb, _doc = tagged_library
    wb.close()
    assert cli.main(["--library", str(library_path), "search", "--json",
                     'tag:"Arbitrary detention"']) == 0
    hit, = json.loads(capsys.readouterr().out)["hits"]
    start = TEXT.index(PASSAGE)
    assert [sn["spans"] for sn in hit["snippets"]] == [[[start, start + len(PASSAGE)]]]


def test_wanted_tags_reads_the_query() -> None:
    node, _ = p.parse('report tag:"Arbitrary Detention" OR tag:budg* -tag:Closed')
    assert wanted_tags(node, ["Case A/Witness"]) == ["case a/witness", "arbitrary detention",
                                                     "budg*"]
    assert wanted_tags(p.parse("detention")[0]) == []


def test_matching_and_spans() -> None:
    assert matches(["Abuses/Arbitrary detention"], ["abuses"])
    assert matches(["Abuses/Arbitrary detention"], ["arbitrary detention"])
    assert matches(["Abuses/Arbitrary detention"], ["abuses/arb*"])
    assert not matches(["Abuses/Arbitrary detention"], ["detention"])
    rows = [(7, 10, 20, ["A"]), (6, 0, 5, ["A"]), (7, 30, 2000, ["A"]), (7, 40, 30, ["A"]),
            (7, 1, 4, ["B"])]
    # another layer's, an inverted and another tag's highlight are left out; a long one is cut
    assert tagged_spans(7, rows, ["a"], 5000) == [(10, 20), (30, 330)]
    assert tagged_spans(7, rows, ["a"], 1000) == [(10, 20)]  # past the text's end
