"""OpenDocument text (ODT) with odfpy: headings, paragraphs and table cells in order, metadata.

Like DOCX, an ODT has no fixed pages, so its text is one page. Title, author (creator, else the
initial creator), language and the creation and modification dates come from ``meta.xml``.
A part that declares a DTD (entities: XXE) is read without it, and a problem says what was
dropped (odfpy's parser would refuse the whole file); see ``xmldtd``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from ..errors import ExtractionError
from .base import UNREADABLE, Extraction, ExtractOptions
from .docx import check_zip
from .xmldtd import dropped_problem, dtd_members, without_dtd

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
DC_NS = "http://purl.org/dc/elements/1.1/"
META_NS = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
BLOCKS = {(TEXT_NS, "p"), (TEXT_NS, "h")}
META_FIELDS = {
    (DC_NS, "title"): "title",
    (DC_NS, "creator"): "author",
    (META_NS, "initial-creator"): "initial_creator",
    (DC_NS, "subject"): "subject",
    (DC_NS, "language"): "language",
    (META_NS, "creation-date"): "created",
    (DC_NS, "date"): "modified",
}


def _blocks(node: Any, out: list[str]) -> None:
    from odf import teletype

    for child in node.childNodes:
        if getattr(child, "qname", None) in BLOCKS:
            out.append(teletype.extractText(child))
        elif getattr(child, "childNodes", None):
            _blocks(child, out)


def _metadata(doc: Any) -> dict[str, Any]:
    from odf import teletype

    meta: dict[str, Any] = {}
    for node in doc.meta.childNodes:
        key = META_FIELDS.get(getattr(node, "qname", ("", "")))
        value = teletype.extractText(node).strip() if key else ""
        if key and value:
            meta[key] = value
    if "author" not in meta and "initial_creator" in meta:
        meta["author"] = meta["initial_creator"]
    if meta.get("created"):
        meta["published"] = meta["created"][:10]
    return meta


class OdtExtractor:
    name = "odfpy"
    version = "1"

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        from odf.opendocument import load

        check_zip(path, "OpenDocument text")
        dtd: list[str] = []
        try:
            source, dtd = _without_dtds(path)
            doc = load(source)
        except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
            raise ExtractionError(UNREADABLE, f"not a readable OpenDocument text ({exc})") from exc
        except Exception as exc:  # expat errors on damaged XML
            raise ExtractionError(
                UNREADABLE, f"not a readable OpenDocument text ({type(exc).__name__})") from exc
        blocks: list[str] = []
        _blocks(doc.text, blocks)
        problems = [dropped_problem(dtd)] if dtd else []
        try:
            meta = _metadata(doc)
        except Exception:
            meta = {}
            problems.append("document properties are unreadable")
        text = "\n".join(b for b in blocks if b.strip())
        return Extraction(pages=[text], extractor=self.name,
                          extractor_version=f"{self.version}+{_odfpy_version()}", metadata=meta,
                          problems=problems)


def _without_dtds(path: Path) -> tuple[str | io.BytesIO, list[str]]:
    """The package to load: the file itself, or, when parts declare a DTD, a copy in memory
    with those parts rewritten without it; and the names of those parts."""
    with zipfile.ZipFile(path) as zf:
        dtd = dtd_members(zf)
        if not dtd:
            return str(path), []
        copy = io.BytesIO()
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
            for info in zf.infolist():
                data = zf.read(info)
                out.writestr(info, without_dtd(data) if info.filename in dtd else data)
    copy.seek(0)
    return copy, dtd


def _odfpy_version() -> str:
    from odf.namespaces import TOOLSVERSION  # "ODFPY/1.4.1"

    return str(TOOLSVERSION).replace("ODFPY/", "odfpy-")
