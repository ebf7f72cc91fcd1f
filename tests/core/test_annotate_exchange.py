"""Exports and imports: W3C Web Annotation JSON-LD (structure, round trip into a fresh library,
redaction), CSV that a spreadsheet opens, and the REFI-QDA codebook of the tag tree."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.core.test_annotate import corpus_template, lib  # noqa: F401  (fixtures)
from workbench.annotate.w3c import annotations_jsonld
from workbench.errors import UserError
from workbench.models import CollectionRecord

MOTIVATIONS = {"assessing", "bookmarking", "classifying", "commenting", "describing",
               "editing", "highlighting", "identifying", "linking", "moderating",
               "questioning", "replying", "tagging"}
CAPTURED = datetime(2022, 9, 1, 10, 30, tzinfo=UTC)
# Terms and classes defined by http://www.w3.org/ns/anno.jsonld that the export may use: a key
# or a type outside them would be dropped by a JSON-LD processor.
CONTEXT_TERMS = {
    "@context", "id", "type", "body", "target", "source", "selector", "state", "scope",
    "refinedBy", "creator", "generator", "stylesheet", "cached", "items", "value", "first",
    "last", "next", "prev", "motivation", "purpose", "format", "language", "created",
    "generated", "modified", "sourceDate", "startIndex", "total", "exact", "prefix", "suffix",
    "start", "end", "name", "nickname", "label", "styleClass", "conformsTo", "via",
    "canonical", "rights", "homepage", "email", "bodyValue", "textDirection",
}
CONTEXT_CLASSES = {
    "Annotation", "AnnotationCollection", "AnnotationPage", "TextualBody",
    "SpecificResource", "TextQuoteSelector", "TextPositionSelector", "TimeState",
    "CssStylesheet", "Person", "Software", "Organization", "FragmentSelector",
}


def walk(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


@pytest.fixture
def annotated(lib: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    wb = lib["wb"]
    with wb.library.transaction() as s:
        rec = s.execute(select(CollectionRecord).where(
            CollectionRecord.document_id == lib["html"])).scalar_one()
        rec.captured_at = CAPTURED
    ids = [
        wb.add_highlight(lib["report"], quote="Michelle Bachelet finally released",
                         note="Bachelet's last day", tags=["People/UN", "Timing"],
                         color="#ff8800").highlight_ids[0],
        wb.add_highlight(lib["html"], quote="tiger chair", tags=["Torture"]).highlight_ids[0],
        wb.add_highlight(lib["html"], quote="Michelle Bachelet finally released",
                         note="=HYPERLINK(\"http://evil\")").highlight_ids[0],
        wb.add_highlight(lib["labour"], quote="Special Rapporteur", occurrence=2,
                         tags=["People/UN"]).highlight_ids[0],
    ]
    wb.edit_tag("People/UN", description="United Nations officials", color="#3366cc")
    return {**lib, "ids": ids}


def check_annotation(a: dict[str, Any]) -> None:
    """The Web Annotation Data Model's requirements, as far as we use them."""
    assert re.match(r"^urn:uuid:[0-9a-f-]{36}$", a["id"])
    assert a["type"] == "Annotation"
    assert a["motivation"] in MOTIVATIONS
    for key in ("created", "modified"):
        datetime.fromisoformat(a[key].replace("Z", "+00:00"))
    for b in a.get("body", []):
        assert b["type"] == "TextualBody" and isinstance(b["value"], str)
        assert b["purpose"] in MOTIVATIONS
    t = a["target"]
    assert t["type"] == "SpecificResource"
    assert re.match(r"^urn:sha256:[0-9a-f]{64}$", t["source"])
    quote, pos = t["selector"]
    assert quote["type"] == "TextQuoteSelector"
    assert all(isinstance(quote[k], str) for k in ("exact", "prefix", "suffix"))
    assert pos["type"] == "TextPositionSelector"
    assert 0 <= pos["start"] < pos["end"]
    assert a["stylesheet"]["type"] == "CssStylesheet"
    assert f".{t['styleClass']} " in a["stylesheet"]["value"]
    assert a["creator"]["type"] == "Person"


def test_w3c_export_follows_the_data_model(annotated: dict[str, Any], tmp_path: Path) -> None:
    wb = annotated["wb"]
    out = wb.export_highlights("w3c", tmp_path / "h.jsonld")
    data = json.loads((tmp_path / "h.jsonld").read_text(encoding="utf-8"))
    assert out["count"] == 4 == data["total"]
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    assert data["first"]["type"] == "AnnotationPage"
    items = data["first"]["items"]
    for a in items:
        check_annotation(a)
    for node in walk(data):
        assert set(node) <= CONTEXT_TERMS, set(node) - CONTEXT_TERMS
        if "type" in node:
            assert node["type"] in CONTEXT_CLASSES
    first = next(a for a in items if a["target"]["selector"][0]["prefix"]
                 and "commenting" in {b["purpose"] for b in a.get("body", [])}
                 and a["target"]["styleClass"] == "wb-ff8800")
    assert {b["purpose"]: b["value"] for b in first["body"] if b["purpose"] == "commenting"} \
        == {"commenting": "Bachelet's last day"}
    assert sorted(b["value"] for b in first["body"] if b["purpose"] == "tagging") \
        == ["People/UN", "Timing"]
    h = wb.get_highlight(annotated["ids"][0])
    sel = first["target"]["selector"]
    assert (sel[0]["exact"], sel[1]["start"], sel[1]["end"]) == (h["quote"], h["start"], h["end"])
    sha = wb.show_document(annotated["report"])["sha256"]
    assert first["target"]["source"] == f"urn:sha256:{sha}"
    html_sha = wb.show_document(annotated["html"])["sha256"]
    web = next(a["target"] for a in items if a["target"]["source"].endswith(html_sha))
    assert web["scope"] == "https://example.org/un-report"
    assert web["state"] == {"type": "TimeState", "sourceDate": "2022-09-01T10:30:00Z"}
    assert "state" not in first["target"]
    dissemination = wb.audit_events(object_type="highlights")[-1]
    assert dissemination["type"] == "dissemination"
    assert dissemination["details"]["sha256"] == out["sha256"]


def test_round_trip_into_a_fresh_library(annotated: dict[str, Any], tmp_path: Path) -> None:
    from workbench.library import Library
    from workbench.services import Workbench

    wb = annotated["wb"]
    wb.export_highlights("w3c", tmp_path / "h.jsonld")
    Library.create(tmp_path / "other").close()
    with Workbench(Library.open(tmp_path / "other", attach_index=False)) as other:
        other.import_paths(list(reversed(annotated["files"])))  # other ids, same bytes
        report, changes = other.import_highlights(tmp_path / "h.jsonld")
        assert (report["imported"], report["orphaned"], report["missing_documents"]) \
            == (4, 0, [])
        assert changes.highlights and len(changes.highlight_ids) == 4

        def comparable(bench: Any) -> list[dict[str, Any]]:
            shas = {d["id"]: d["sha256"] for d in bench.list_documents()}
            keep = ("start", "end", "page", "quote", "prefix", "suffix", "note", "tags",
                    "color", "status", "os_user", "created_at", "modified_at")
            return sorted(({"sha": shas[h["document_id"]], **{k: h[k] for k in keep}}
                           for h in bench.list_highlights()),
                          key=lambda r: (r["sha"], r["start"]))

        assert comparable(other) == comparable(wb)
        # Importing again adds nothing.
        again, _ = other.import_highlights(tmp_path / "h.jsonld")
        assert (again["imported"], again["duplicates"]) == (0, 4)
        assert len(other.list_highlights()) == 4
        created = [e for e in other.audit_events(object_type="highlight")
                   if e["type"] == "creation"]
        assert len(created) == 4 and all("imported_from_sha256" in e["details"]
                                         for e in created)


def test_import_reports_missing_documents_and_bad_files(annotated: dict[str, Any],
                                                        tmp_path: Path) -> None:
    wb = annotated["wb"]
    data = annotations_jsonld(wb.library, annotated["ids"][:1])
    data["first"]["items"][0]["target"]["source"] = "urn:sha256:" + "0" * 64
    (tmp_path / "x.json").write_text(json.dumps(data), encoding="utf-8")
    odd = json.loads(json.dumps(data["first"]["items"][0]))
    odd["target"]["source"] = "https://example.org/page"
    data["first"]["items"].append(odd)
    (tmp_path / "x.json").write_text(json.dumps(data), encoding="utf-8")
    report, _ = wb.import_highlights(tmp_path / "x.json")
    assert report["imported"] == 0 and report["missing_documents"] == ["0" * 64]
    assert report["annotations"] == 2 and report["unreadable"][0]["index"] == 2
    assert "urn:sha256" in report["unreadable"][0]["error"]
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match="JSON"):
        wb.import_highlights(tmp_path / "bad.json")
    (tmp_path / "empty.json").write_text("{}", encoding="utf-8")
    with pytest.raises(UserError, match="no W3C"):
        wb.import_highlights(tmp_path / "empty.json")


def test_redaction_reaches_every_text_field(annotated: dict[str, Any]) -> None:
    wb, doc = annotated["wb"], annotated["report"]
    text = wb.document_text(doc).text
    i = text.index("Bachelet")
    # Prefix cut three letters into "Bachelet": the fragment must not survive either.
    cut = wb.add_highlight(doc, start=i + 35, end=i + 60).highlight_ids[0]
    assert wb.get_highlight(cut)["prefix"].startswith("helet")
    data = annotations_jsonld(wb.library, [*annotated["ids"], cut],
                              redact=lambda s: s.replace("Bachelet", "[REDACTED]"))
    dumped = json.dumps(data, ensure_ascii=False)
    assert "Bachelet" not in dumped and "helet" not in dumped
    assert "[REDACTED]" in dumped
    assert data["total"] == 5


def test_csv_opens_in_a_spreadsheet(annotated: dict[str, Any], tmp_path: Path) -> None:
    wb = annotated["wb"]
    out = wb.export_highlights("csv", tmp_path / "h.csv", tag="People")
    raw = (tmp_path / "h.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with open(tmp_path / "h.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert out["count"] == len(rows) == 2
    assert list(rows[0]) == ["id", "document", "document_id", "document_sha256", "page",
                             "quote", "note", "tags", "colour", "created", "modified",
                             "status", "page_geometry"]
    assert rows[0]["tags"] == "People/UN | Timing" and rows[0]["colour"] == "#ff8800"
    everything = tmp_path / "all.csv"
    wb.export_highlights("csv", everything)
    with open(everything, encoding="utf-8-sig", newline="") as fh:
        notes = [r["note"] for r in csv.DictReader(fh)]
    assert "'=HYPERLINK(\"http://evil\")" in notes  # a formula stays text


# The REFI-QDA Codebook 1.0 structure (Codebook.xsd), restated for validation: CodeBook holds
# Codes (at least one Code) and optional Sets; a Code has an optional Description, then nested
# Codes; guid, name and isCodable are required, color is #RGB or #RRGGBB.
CODEBOOK_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:QDA-XML:codebook:1.0"
  targetNamespace="urn:QDA-XML:codebook:1.0" elementFormDefault="qualified">
 <xs:element name="CodeBook">
  <xs:complexType>
   <xs:sequence>
    <xs:element name="Codes"><xs:complexType><xs:sequence>
     <xs:element name="Code" type="CodeType" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType></xs:element>
    <xs:element name="Sets" minOccurs="0"/>
   </xs:sequence>
   <xs:attribute name="origin" type="xs:string"/>
  </xs:complexType>
 </xs:element>
 <xs:complexType name="CodeType">
  <xs:sequence>
   <xs:element name="Description" type="xs:string" minOccurs="0"/>
   <xs:element name="Code" type="CodeType" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence>
  <xs:attribute name="guid" use="required"><xs:simpleType><xs:restriction base="xs:string">
   <xs:pattern value="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"/>
  </xs:restriction></xs:simpleType></xs:attribute>
  <xs:attribute name="name" type="xs:string" use="required"/>
  <xs:attribute name="isCodable" type="xs:boolean" use="required"/>
  <xs:attribute name="color"><xs:simpleType><xs:restriction base="xs:string">
   <xs:pattern value="#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})"/>
  </xs:restriction></xs:simpleType></xs:attribute>
 </xs:complexType>
</xs:schema>"""


def test_qdc_validates_against_the_codebook_schema(annotated: dict[str, Any],
                                                    tmp_path: Path) -> None:
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.fromstring(CODEBOOK_XSD.encode()))
    annotated["wb"].export_highlights("qdc", tmp_path / "tags.qdc")
    doc = etree.parse(str(tmp_path / "tags.qdc"))
    assert schema.validate(doc), schema.error_log


def test_qdc_codebook_structure(annotated: dict[str, Any], tmp_path: Path) -> None:
    wb = annotated["wb"]
    out = wb.export_highlights("qdc", tmp_path / "tags.qdc")
    ns = "{urn:QDA-XML:codebook:1.0}"
    root = ET.parse(tmp_path / "tags.qdc").getroot()
    assert root.tag == f"{ns}CodeBook"
    codes = root.find(f"{ns}Codes")
    assert codes is not None
    top = {c.get("name"): c for c in codes.findall(f"{ns}Code")}
    assert set(top) == {"People", "Timing", "Torture"}
    un = top["People"].find(f"{ns}Code")
    assert un is not None and un.get("name") == "UN"
    assert un.get("color") == "#3366CC"
    desc = un.find(f"{ns}Description")
    assert desc is not None and desc.text == "United Nations officials"
    every = list(root.iter(f"{ns}Code"))
    assert out["count"] == len(every) == 4
    guid = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
    assert all(guid.match(c.get("guid", "")) and c.get("isCodable") == "true" for c in every)
    assert len({c.get("guid") for c in every}) == 4
    wb.export_highlights("qdc", tmp_path / "again.qdc")
    assert (tmp_path / "again.qdc").read_bytes() == (tmp_path / "tags.qdc").read_bytes()
    with pytest.raises(UserError):
        wb.export_highlights("pdf", tmp_path / "x")
    for t in wb.list_tags(tree=True):
        wb.delete_tag(t["id"], cascade=True)
    with pytest.raises(UserError, match="no tags"):
        wb.export_highlights("qdc", tmp_path / "none.qdc")
    assert not (tmp_path / "none.qdc").exists()
