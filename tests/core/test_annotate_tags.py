"""The tag tree: creation on demand, rename, move, merge and delete keep (or, when asked,
reassign) every link; moves under a descendant are refused; the index hears of each change."""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.test_annotate import corpus_template, lib  # noqa: F401  (fixtures)
from workbench.errors import NotFound, UserError


def paths(wb: Any) -> list[str]:
    return [t["path"] for t in wb.list_tags()]


def tags_of(wb: Any, hid: int) -> list[str]:
    return wb.get_highlight(hid)["tags"]


@pytest.fixture
def tagged(lib: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    wb = lib["wb"]
    a = wb.add_highlight(lib["report"], quote="family separation",
                         tags=["Forced labour/Labour transfer", "Detention"]).highlight_ids[0]
    b = wb.add_highlight(lib["labour"], quote="Special Rapporteur", occurrence=1,
                         tags=["Forced labour"]).highlight_ids[0]
    wb.tag_document(lib["html"], "Sources/Web")
    wb.library.index.changed.clear()
    return {**lib, "a": a, "b": b}


def test_tree_with_counts(tagged: dict[str, Any]) -> None:
    wb = tagged["wb"]
    assert paths(wb) == ["Detention", "Forced labour", "Forced labour/Labour transfer",
                         "Sources", "Sources/Web"]
    rows = {t["path"]: t for t in wb.list_tags()}
    assert (rows["Forced labour"]["highlights"], rows["Forced labour"]["highlights_total"]) \
        == (1, 2)
    assert rows["Sources/Web"]["documents"] == 1 and rows["Sources/Web"]["depth"] == 1
    tree = wb.list_tags(tree=True)
    fl = next(t for t in tree if t["name"] == "Forced labour")
    assert [c["name"] for c in fl["children"]] == ["Labour transfer"]
    assert wb.document_tags(tagged["html"]) == ["Sources/Web"]
    with pytest.raises(UserError, match="already exists"):
        wb.add_tag("Forced labour")
    with pytest.raises(UserError):
        wb.add_tag("a//b")
    wb.add_tag("Places/Xinjiang", color="#123456", description="the region")
    t = wb.get_tag("Places/Xinjiang")
    assert (t["color"], t["description"]) == ("#123456", "the region")
    wb.edit_tag("Places/Xinjiang", color="#abcdef", description="XUAR")
    assert wb.get_tag("Places/Xinjiang")["color"] == "#abcdef"


def test_rename_keeps_links_and_refuses_clashes(tagged: dict[str, Any]) -> None:
    wb, a = tagged["wb"], tagged["a"]
    wb.rename_tag("Forced labour", "Forced Labor")
    assert tags_of(wb, a) == ["Detention", "Forced Labor/Labour transfer"]
    assert set(wb.library.index.changed) == {tagged["report"], tagged["labour"]}
    with pytest.raises(UserError, match="merge"):
        wb.rename_tag("Detention", "Forced Labor")
    with pytest.raises(UserError):
        wb.rename_tag("Detention", "a/b")


def test_move_keeps_links_and_refuses_own_descendant(tagged: dict[str, Any]) -> None:
    wb, a = tagged["wb"], tagged["a"]
    with pytest.raises(UserError, match="descendants"):
        wb.move_tag("Forced labour", "Forced labour/Labour transfer")
    with pytest.raises(UserError):
        wb.move_tag("Forced labour", "Forced labour")
    wb.move_tag("Forced labour/Labour transfer", "Detention")
    assert tags_of(wb, a) == ["Detention", "Detention/Labour transfer"]
    wb.move_tag("Detention/Labour transfer", None)
    assert "Labour transfer" in paths(wb)
    wb.add_tag("Detention/Labour transfer")
    with pytest.raises(UserError, match="already exists"):
        wb.move_tag("Labour transfer", "Detention")
    moves = [e for e in wb.audit_events(object_type="tag")
             if e["details"].get("operation") == "move"]
    assert len(moves) == 2


def test_merge_moves_links_and_children(tagged: dict[str, Any]) -> None:
    wb, a, b = tagged["wb"], tagged["a"], tagged["b"]
    wb.add_tag("Labour/Labour transfer")
    c = wb.add_highlight(tagged["report"], quote="tiger chair",
                         tags=["Labour/Labour transfer", "Labour"]).highlight_ids[0]
    wb.merge_tags("Forced labour", "Labour")
    assert "Forced labour" not in paths(wb)
    assert tags_of(wb, a) == ["Detention", "Labour/Labour transfer"]
    assert tags_of(wb, b) == ["Labour"]
    assert tags_of(wb, c) == ["Labour", "Labour/Labour transfer"]
    assert wb.get_tag("Labour/Labour transfer")["highlights"] == 2
    with pytest.raises(UserError):
        wb.merge_tags("Labour", "Labour/Labour transfer")
    with pytest.raises(NotFound):
        wb.merge_tags("Nope", "Labour")


def test_delete_needs_a_choice_when_in_use(tagged: dict[str, Any]) -> None:
    wb, a, b = tagged["wb"], tagged["a"], tagged["b"]
    with pytest.raises(UserError, match="--reassign-to"):
        wb.delete_tag("Forced labour")
    with pytest.raises(UserError):
        wb.delete_tag("Detention")  # one highlight link
    wb.add_tag("Empty")
    wb.delete_tag("Empty")  # unused: no question
    with pytest.raises(UserError):
        wb.delete_tag("Forced labour", reassign_to="Forced labour/Labour transfer")
    wb.delete_tag("Forced labour", reassign_to="Detention")
    assert tags_of(wb, a) == ["Detention", "Detention/Labour transfer"]
    assert tags_of(wb, b) == ["Detention"]
    wb.delete_tag("Detention", cascade=True)
    assert tags_of(wb, a) == [] and tags_of(wb, b) == []
    assert {h["id"] for h in wb.list_highlights()} == {a, b}  # highlights stay
    assert paths(wb) == ["Sources", "Sources/Web"]
    kinds = [e["type"] for e in wb.audit_events(object_type="tag")]
    assert kinds.count("deletion") == 3


def test_tag_and_untag_documents(tagged: dict[str, Any]) -> None:
    wb, doc = tagged["wb"], tagged["report"]
    wb.tag_document(doc, "Sources/UN")
    wb.tag_document(doc, "Sources/UN")  # twice is once
    assert wb.document_tags(doc) == ["Sources/UN"]
    assert wb.library.index.changed[-1] == doc
    wb.untag_document(doc, "Sources/UN")
    assert wb.document_tags(doc) == []
    with pytest.raises(UserError):
        wb.untag_document(doc, "Sources/UN")
    ops = [e["details"]["operation"] for e in wb.audit_events(object_type="document",
                                                              object_id=str(doc))
           if "operation" in e["details"]]
    assert ops == ["tag", "untag"]
