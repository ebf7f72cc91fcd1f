"""Word documents (DOCX) with python-docx: body text in reading order, tables, properties.

A DOCX has no fixed pages (pagination is the word processor's layout decision), so the text
is one page. Paragraphs and tables are read in document order, table cells separated by tabs,
so a quoted passage matches what the reader sees. Title, author, subject and the created and
modified dates come from the file's core properties. A part that declares a DTD (entities:
XXE) is never resolved, and a problem names it and says its entities' text is missing
(``xmldtd``).
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import ExtractionError
from .base import ENCRYPTED, UNREADABLE, Extraction, ExtractOptions
from .xmldtd import dropped_problem, dtd_members

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_zip(path: Path, what: str) -> None:
    """Name the usual ways an office file is not one: encrypted (OLE wrapper) or not a zip."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        raise ExtractionError(
            ENCRYPTED, f"the {what} is password-protected (or an old binary format); "
            "save it unprotected as a current format and import again")
    if not zipfile.is_zipfile(path):
        raise ExtractionError(UNREADABLE, f"not a readable {what} (the file is not a zip package)")


def iso_date(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _block_text(block: Any) -> str:
    from docx.table import Table

    if isinstance(block, Table):
        rows = []
        for row in block.rows:
            cells: list[str] = []
            for cell in row.cells:
                text = cell.text.strip()
                if not cells or cells[-1] != text:  # merged cells repeat their text
                    cells.append(text)
            rows.append("\t".join(cells))
        return "\n".join(rows)
    return str(block.text)


def _header_footer_text(document: Any) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            try:
                text = "\n".join(p.text for p in part.paragraphs).strip()
            except Exception:  # a broken header part costs the header, not the document
                continue
            if text and text not in seen:
                seen.add(text)
                out.append(text)
    return out


class DocxExtractor:
    name = "python-docx"
    version = "1"

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        import docx

        check_zip(path, "Word document")
        dtd = _dtd_parts(path)
        try:
            document = docx.Document(str(path))
        except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
            raise ExtractionError(UNREADABLE, f"not a readable Word document ({exc})") from exc
        except Exception as exc:  # lxml errors on damaged XML parts
            raise ExtractionError(
                UNREADABLE, f"not a readable Word document ({type(exc).__name__})") from exc
        blocks = [_block_text(b) for b in document.iter_inner_content()]
        text = "\n".join(b for b in blocks if b.strip())
        problems = [dropped_problem(dtd)] if dtd else []
        extra = _header_footer_text(document)
        if extra:
            text = text + "\n\n" + "\n".join(extra) if text else "\n".join(extra)
        meta = _properties(document, problems)
        return Extraction(pages=[text], extractor=self.name,
                          extractor_version=f"{self.version}+python-docx-{docx.__version__}",
                          metadata=meta, problems=problems)


def _dtd_parts(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as zf:
            return dtd_members(zf)
    except (zipfile.BadZipFile, OSError):
        return []  # python-docx names what is wrong with the package


def _properties(document: Any, problems: list[str]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    try:
        cp = document.core_properties
        for key, value in (("title", cp.title), ("author", cp.author),
                           ("subject", cp.subject), ("keywords", cp.keywords),
                           ("language", cp.language), ("last_modified_by", cp.last_modified_by)):
            if value and str(value).strip():
                meta[key] = str(value).strip()
        created, modified = iso_date(cp.created), iso_date(cp.modified)
        if created:
            meta["created"] = created
            meta["published"] = created[:10]
        if modified:
            meta["modified"] = modified
    except Exception:  # malformed core.xml: the text is still worth having
        problems.append("document properties are unreadable")
    return meta
