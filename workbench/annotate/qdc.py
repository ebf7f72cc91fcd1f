"""The tag tree as a REFI-QDA codebook (``.qdc``), readable by QualCoder, ATLAS.ti, MAXQDA,
NVivo and Taguette.

Structure (Codebook.xsd, namespace ``urn:QDA-XML:codebook:1.0``): ``CodeBook/Codes/Code``,
nested for the hierarchy; each ``Code`` has ``guid`` (a UUID derived from the tag's id and
path, so re-exports agree), ``name``, ``isCodable="true"``, ``color`` (``#RRGGBB``) and a
``Description`` element when the tag has one.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from workbench import __version__
from workbench.models import Tag

NS = "urn:QDA-XML:codebook:1.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
_GUID_NS = uuid.UUID("0b6f8f4c-3f43-5b8e-9d1e-7c1f3b7a2d10")


def rgb(color: str) -> str | None:
    """``#RRGGBB`` as the schema's RGBType wants, from #RGB, #RRGGBB or #RRGGBBAA."""
    c = color.strip().lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    if len(c) not in (6, 8):
        return None
    try:
        int(c, 16)
    except ValueError:
        return None
    return "#" + c[:6].upper()


def codebook(tags: list[Tag], paths: dict[int, str]) -> ET.Element:
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{NS}}}CodeBook", {"origin": f"Workbench {__version__}",
                                             f"{{{XSI}}}schemaLocation": f"{NS} {SCHEMA}"})
    codes = ET.SubElement(root, f"{{{NS}}}Codes")
    children: dict[int | None, list[Tag]] = {}
    for t in tags:
        children.setdefault(t.parent_id, []).append(t)

    def add(parent: ET.Element, tag: Tag) -> None:
        attrs = {"guid": str(uuid.uuid5(_GUID_NS, f"{tag.id}:{paths[tag.id]}")).upper(),
                 "name": tag.name, "isCodable": "true"}
        color = rgb(tag.color or "")
        if color:
            attrs["color"] = color
        el = ET.SubElement(parent, f"{{{NS}}}Code", attrs)
        if tag.description:
            ET.SubElement(el, f"{{{NS}}}Description").text = tag.description
        for child in sorted(children.get(tag.id, []), key=lambda t: t.name.casefold()):
            add(el, child)

    for top in sorted(children.get(None, []), key=lambda t: t.name.casefold()):
        add(codes, top)
    return root


def write_qdc(path: Path, tags: list[Tag], paths: dict[int, str]) -> int:
    root = codebook(tags, paths)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return len(tags)
