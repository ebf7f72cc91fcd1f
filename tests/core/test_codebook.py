"""The codebook in the core: tag colours from a palette (sub-tags inherit, recolouring
carries them along), passages by tag across documents and their CSV / DOCX exports, the
count a delete confirms, merges that keep memos and history, and a note carried into an
exhibit's commentary."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from tests.core.test_annotate import corpus_template, lib  # noqa: F401  (fixtures)
from workbench.annotate import tags as T
from workbench.errors import UserError


@pytest.fixture
def coded(lib: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    wb = lib["wb"]
    a = wb.add_highlight(lib["report"], quote="family separation", note="=1+1 key finding",
                         tags=["Forced labour/Labour transfer", "Detention"]).highlight_ids[0]
    b = wb.add_highlight(lib["labour"], quote="Special Rapporteur", occurrence=1,
                         tags=["Forced labour"]).highlight_ids[0]
    c = wb.add_highlight(lib["report"], quote="tiger chair", tags=["Detention"]).highlight_ids[0]
    wb.tag_document(lib["html"], "Forced labour")
    return {**lib, "a": a, "b": b, "c": c}


def test_new_top_level_tags_take_distinct_palette_colours(lib: dict[str, Any]) -> None:  # noqa: F811
    wb = lib["wb"]
    for name in ("One", "Two", "Three/Child/Grandchild"):
        wb.add_tag(name)
    tags = {t["path"]: t["color"] for t in wb.list_tags()}
    assert [tags["One"], tags["Two"], tags["Three"]] == list(T.PALETTE[:3])
    assert tags["Three/Child"] == tags["Three/Child/Grandchild"] == tags["Three"]
    # A colour given by hand is taken and then skipped by the palette.
    wb.add_tag("Four", color=T.PALETTE[3])
    wb.add_tag("Five")
    assert wb.get_tag("Five")["color"] == T.PALETTE[4]
    # Tags made on the fly by a highlight get colours the same way.
    wb.add_highlight(lib["report"], quote="tiger chair", tags=["Torture"])
    assert wb.get_tag("Torture")["color"] == T.PALETTE[5]
    for i in range(len(T.PALETTE)):
        wb.add_tag(f"More {i}")
    assert {t["color"] for t in wb.list_tags()} <= set(T.PALETTE)


def test_planned_colours_are_the_colours_the_core_then_gives(lib: dict[str, Any]) -> None:  # noqa: F811
    """The pure preview (the highlight dialog's) agrees with ensure_tag, past a full palette."""
    wb = lib["wb"]
    wb.add_tag("Places", color="#2a6f97")
    for i in range(len(T.PALETTE) - 1):
        wb.add_tag(f"Filled {i}")
    existing = {t["path"]: t["color"] for t in wb.list_tags()}
    paths = ["Places/Camp 3", "New one", "New two/Sub", "New one/Child", "bad//path"]
    planned = T.planned_colors(existing, paths)
    assert "bad//path" not in planned
    wb.add_highlight(lib["report"], quote="tiger chair", tags=paths[:-1])
    made = {t["path"]: t["color"] for t in wb.list_tags()}
    assert planned == {p: made[p] for p in paths[:-1]}
    assert planned["Places/Camp 3"] == "#2a6f97"


def test_recolour_carries_inheriting_sub_tags(lib: dict[str, Any]) -> None:  # noqa: F811
    wb = lib["wb"]
    wb.add_tag("Abuse/Beating")
    wb.add_tag("Abuse/Threats", color="#123456")
    ch = wb.edit_tag("Abuse", color="#ff0000")
    assert ch.tags and ch.highlights  # highlights are painted in tag colours
    colors = {t["path"]: t["color"] for t in wb.list_tags()}
    assert colors == {"Abuse": "#ff0000", "Abuse/Beating": "#ff0000",
                      "Abuse/Threats": "#123456"}
    ev = wb.audit_events(object_type="tag", object_id=str(wb.get_tag("Abuse")["id"]))[-1]
    assert ev["details"] == {"fields": ["color"], "sub_tags_recoloured": 1}
    with pytest.raises(UserError):
        wb.edit_tag("Abuse", color="red")


def test_display_colour_is_the_first_tags(coded: dict[str, Any]) -> None:
    wb = coded["wb"]
    wb.edit_tag("Detention", color="#00aa00")
    h = wb.get_highlight(coded["a"])
    assert h["tags"][0] == "Detention" and h["display_color"] == "#00aa00"
    untagged = wb.add_highlight(coded["report"], quote="long-overdue", color="#abcdef")
    assert wb.get_highlight(untagged.highlight_ids[0])["display_color"] == "#abcdef"


def test_passages_include_sub_tags_across_documents(coded: dict[str, Any]) -> None:
    wb = coded["wb"]
    rows = wb.tag_passages("Forced labour")
    assert sorted(r["id"] for r in rows) == sorted([coded["a"], coded["b"]])
    assert {r["document_id"] for r in rows} == {coded["report"], coded["labour"]}
    assert all(len(r["document_sha256"]) == 64 and r["document_title"] for r in rows)
    assert [r["id"] for r in wb.tag_passages("Forced labour", doc=coded["labour"])] \
        == [coded["b"]]
    assert wb.tag_passages("Forced labour/Labour transfer")[0]["id"] == coded["a"]


def test_export_passages_csv_in_the_given_order(coded: dict[str, Any], tmp_path: Path) -> None:
    wb = coded["wb"]
    out = wb.export_passages("Forced labour", "csv", tmp_path / "p.csv",
                             highlight_ids=[coded["b"], coded["a"], 99999])
    assert out["count"] == 2 and out["tag"] == "Forced labour"
    raw = (tmp_path / "p.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(tmp_path / "p.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["highlight_id"]) for r in rows] == [coded["b"], coded["a"]]
    assert rows[1]["quote"] == "family separation"
    assert rows[1]["note"] == "'=1+1 key finding"  # never a formula in a spreadsheet
    assert rows[1]["tags"] == "Detention | Forced labour/Labour transfer"
    ev = [e for e in wb.audit_events(object_type="highlights")
          if e["type"] == "dissemination"][-1]
    assert ev["details"]["sha256"] == out["sha256"]
    assert ev["details"]["highlight_ids"] == [coded["b"], coded["a"]]
    with pytest.raises(UserError):
        wb.export_passages("Forced labour", "pdf", tmp_path / "p.pdf")


def test_export_passages_docx(coded: dict[str, Any], tmp_path: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    wb = coded["wb"]
    wb.edit_tag("Detention", description="Held without charge")
    wb.add_highlight(coded["labour"], quote="Special Rapporteur", occurrence=2,
                     note="ملاحظة بالعربية", tags=["Detention"])
    out = wb.export_passages("Detention", "docx", tmp_path / "p.docx")
    assert out["count"] == 3
    d = docx.Document(str(tmp_path / "p.docx"))
    text = [p.text for p in d.paragraphs]
    assert text[0] == "Passages: Detention"
    assert "Memo: Held without charge" in text
    assert "family separation" in text and "tiger chair" in text
    assert "Note: =1+1 key finding" in text
    rtl = next(p for p in d.paragraphs if p.text.startswith("Note: ملاحظة"))
    assert rtl._p.pPr is not None and rtl._p.pPr.find(qn("w:bidi")) is not None
    titles = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert titles[-1] == "Sources" and len(titles) == 3
    assert d.core_properties.author == "" and d.core_properties.title == "Passages: Detention"
    assert len(d.tables[0].rows) == 3  # header + two documents


def test_tag_usage_counts_what_a_delete_touches(coded: dict[str, Any]) -> None:
    wb = coded["wb"]
    use = wb.tag_usage("Forced labour")
    # Highlight a carries both the tag's sub-tag and another tag: it counts once.
    assert (use["highlights"], use["documents"], use["sub_tags"]) == (2, 1, 1)
    assert use["path"] == "Forced labour"
    wb.delete_tag("Forced labour", cascade=True)
    assert wb.get_highlight(coded["a"])["tags"] == ["Detention"]
    ev = wb.audit_events(object_type="tag", object_id=str(use["id"]))[-1]
    assert ev["type"] == "deletion" and ev["details"]["mode"] == "cascade"


def test_merge_keeps_memos_and_lists_the_highlights(coded: dict[str, Any]) -> None:
    wb = coded["wb"]
    wb.edit_tag("Forced labour", description="Work under menace of penalty")
    wb.edit_tag("Detention", description="Held without charge")
    src = wb.get_tag("Forced labour")["id"]
    wb.merge_tags("Forced labour", "Detention")
    target = wb.get_tag("Detention")
    assert target["description"] == ("Held without charge\n\n"
                                     "Forced labour: Work under menace of penalty")
    assert sorted(r["id"] for r in wb.tag_passages("Detention")) \
        == sorted([coded["a"], coded["b"], coded["c"]])
    ev = wb.audit_events(object_type="tag", object_id=str(target["id"]))[-1]
    assert ev["details"]["operation"] == "merge" and ev["details"]["merged_tag_id"] == src
    assert ev["details"]["highlight_ids"] == sorted([coded["a"], coded["b"]])
    assert len(ev["details"]["merged_tag_ids"]) == 2


def test_note_becomes_commentary_only_when_asked(coded: dict[str, Any]) -> None:
    wb = coded["wb"]
    d = wb.create_dossier("Case").dossier_ids[0]
    plain = wb.add_item(d, highlight=coded["a"]).item_ids[0]
    carried = wb.add_item(d, highlight=coded["a"], commentary_from_note=True).item_ids[0]
    given = wb.add_item(d, highlight=coded["a"], commentary="mine",
                        commentary_from_note=True).item_ids[0]
    entries = {e["id"]: e for e in wb.get_dossier(d)["entries"]}
    assert entries[plain]["commentary"] == ""
    assert entries[carried]["commentary"] == "=1+1 key finding"
    assert entries[given]["commentary"] == "mine"
