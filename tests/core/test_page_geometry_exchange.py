"""Page geometry in the exchange formats: W3C FragmentSelectors (RFC 8118) out and back in,
regions without text, redacted exports, and the CSV's page and page_geometry columns."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.files import make_pdf
from workbench.annotate import w3c

PAGE2 = "Alpha beta gamma delta epsilon.\nThe witness spoke last about the camp."


def _library(path: Path, pdf: Path) -> tuple[Any, int]:
    from workbench.library import Library
    from workbench.services import Workbench

    Library.create(path).close()
    wb = Workbench(Library.open(path, attach_index=False))
    report, _ = wb.import_paths([pdf])
    return wb, report.imported[0].document_id


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "report.pdf", ["Cover page.", PAGE2])


def test_w3c_round_trip_restores_page_geometry(tmp_path: Path, pdf: Path) -> None:
    wb, doc = _library(tmp_path / "a", pdf)
    try:
        text_id = wb.add_highlight(doc, quote="epsilon. The witness", tags=["T"]).highlight_ids[0]
        empty_id = wb.add_page_highlight(doc, 2, [(300, 600, 420.5, 700)], region=True,
                                         note="signature").highlight_ids[0]
        before = {h["id"]: h for h in wb.list_highlights(doc)}
        out = tmp_path / "h.jsonld"
        wb.export_highlights("w3c", out)
    finally:
        wb.close()
    data = json.loads(out.read_text(encoding="utf-8"))
    annos = {a["target"]["selector"][0]["type"]: a for a in data["first"]["items"]}
    # The region without text has no quote selector: its first selector is its position.
    region_sel = annos["TextPositionSelector"]["target"]["selector"]
    frag = [s for s in region_sel if s["type"] == "FragmentSelector"]
    assert frag == [{"type": "FragmentSelector", "conformsTo": "http://tools.ietf.org/rfc/rfc8118",
                     "value": "page=2&viewrect=300,600,120.5,100", "workbench:kind": "region",
                     "workbench:quads": [[300, 600, 420.5, 700]]}]
    text_frag = [s for s in annos["TextQuoteSelector"]["target"]["selector"]
                 if s["type"] == "FragmentSelector"]
    assert len(text_frag) == 1 and text_frag[0]["value"].startswith("page=2&viewrect=")
    assert len(text_frag[0]["workbench:quads"]) == 2  # two lines

    wb2, doc2 = _library(tmp_path / "b", pdf)
    try:
        report, _ = wb2.import_highlights(out)
        assert (report["imported"], report["orphaned"]) == (2, 0)
        after = {h["note"]: h for h in wb2.list_highlights(doc2)}
        for old in before.values():
            new = after[old["note"]]
            assert new["page_geometry"] == old["page_geometry"]
            assert (new["quote"], new["page"], new["status"]) == (old["quote"], old["page"],
                                                                  "anchored")
        assert after["signature"]["quote"] == ""
        assert before[text_id]["page_geometry"]["kind"] == "text"
        assert before[empty_id]["page_geometry"]["kind"] == "region"
        # Importing the same file again finds both already there.
        again, _ = wb2.import_highlights(out)
        assert (again["imported"], again["duplicates"]) == (0, 2)
    finally:
        wb2.close()


def test_a_viewrect_from_another_tool_becomes_one_quad() -> None:
    anno = {"type": "Annotation", "target": {
        "source": "urn:sha256:" + "a" * 64,
        "selector": [{"type": "TextQuoteSelector", "exact": "camp"},
                     {"type": "FragmentSelector",
                      "conformsTo": "http://tools.ietf.org/rfc/rfc8118",
                      "value": "page=3&viewrect=10,20,30,40"}]}}
    pa = w3c.parse_annotation(anno)
    assert pa.page_geometry == {"kind": "text", "pages": [{"page": 3,
                                                           "quads": [[10, 20, 40, 60]]}]}
    # Nonsense geometry from an untrusted file is dropped, the annotation kept.
    bad = json.loads(json.dumps(anno))
    bad["target"]["selector"][1]["workbench:quads"] = [[5, 5, 1, 1]]
    assert w3c.parse_annotation(bad).page_geometry is None
    # No quote and no region: nothing to anchor.
    with pytest.raises(Exception, match="TextQuoteSelector"):
        w3c.parse_annotation({"type": "Annotation", "target": {
            "source": "urn:sha256:" + "a" * 64, "selector": [anno["target"]["selector"][1]]}})


def test_redacted_export_drops_the_geometry_of_a_redacted_quote(tmp_path: Path,
                                                                 pdf: Path) -> None:
    wb, doc = _library(tmp_path / "a", pdf)
    try:
        hid = wb.add_highlight(doc, quote="The witness spoke").highlight_ids[0]
        plain = w3c.annotations_jsonld(wb.library, [hid])
        hidden = w3c.annotations_jsonld(wb.library, [hid],
                                        redact=lambda t: t.replace("witness", "█"))
    finally:
        wb.close()
    kinds = [s["type"] for s in plain["first"]["items"][0]["target"]["selector"]]
    assert "FragmentSelector" in kinds
    kinds = [s["type"] for s in hidden["first"]["items"][0]["target"]["selector"]]
    assert kinds == ["TextQuoteSelector"]  # neither offsets nor the extent on the page


def test_csv_has_page_and_page_geometry(tmp_path: Path, pdf: Path) -> None:
    wb, doc = _library(tmp_path / "a", pdf)
    try:
        wb.add_highlight(doc, quote="camp")
        wb.add_page_highlight(doc, 2, [(300, 600, 400, 700)], region=True)
        wb.add_highlight(doc, quote="Cover")
        rows_before = wb.list_highlights(doc)
        out = tmp_path / "h.csv"
        wb.export_highlights("csv", out)
    finally:
        wb.close()
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {"page", "page_geometry"} <= set(rows[0])
    by_quote = {r["quote"]: r for r in rows}
    assert by_quote["[region on page 2]"]["page"] == "2"
    assert json.loads(by_quote["[region on page 2]"]["page_geometry"]) == {
        "kind": "region", "pages": [{"page": 2, "quads": [[300, 600, 400, 700]]}]}
    camp = next(h for h in rows_before if h["quote"] == "camp")
    assert json.loads(by_quote["camp"]["page_geometry"]) == camp["page_geometry"]
    assert by_quote["Cover"]["page"] == "1"
