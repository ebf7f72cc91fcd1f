"""The dossier as a Word document (python-docx): headings, a table of contents, citations.

python-docx starts from a template whose metadata says author "python-docx", dates in 2013,
"Microsoft Macintosh Word" and carries a thumbnail; all of it is replaced or removed here, so
the file says only what the user chose (title, author, organisation) and when it was made.
The table of contents is a real TOC field (Word and LibreOffice can update it) whose stored
result already lists the exhibits, so it reads right before any update.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..dossier.citations import citation_parts
from ..dossier.model import DossierView, ViewItem
from ..dossier.redaction import Segment

THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
EXTENDED = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
            "extended-properties")
APP_XML = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           b'extended-properties"><Application>Workbench</Application></Properties>')


def _field_char(run: Any, kind: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    run._r.append(el)


def _instr(run: Any, text: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:instrText")
    el.set(qn("xml:space"), "preserve")
    el.text = text
    run._r.append(el)


def add_segments(paragraph: Any, segments: list[Segment]) -> None:
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import RGBColor

    for seg in segments:
        if seg.redacted:
            run = paragraph.add_run(f"[REDACTED: {seg.reason}]")
            run.bold = True
            run.font.highlight_color = WD_COLOR_INDEX.BLACK
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        elif seg.text:
            paragraph.add_run(seg.text)


def add_text_block(doc: Any, segments: list[Segment], style: str | None = None) -> None:
    """Segments as paragraphs (blank lines split them)."""
    para = doc.add_paragraph(style=style)
    for seg in segments:
        if seg.redacted:
            add_segments(para, [seg])
            continue
        for i, chunk in enumerate(seg.text.split("\n\n")):
            if i:
                para = doc.add_paragraph(style=style)
            add_segments(para, [Segment(chunk.strip("\n") if i else chunk)])


def add_toc(doc: Any, view: DossierView) -> None:
    doc.add_heading("Contents", level=1)
    entries = [it.heading for it in view.exhibits] + ["Provenance appendix"]
    first = doc.add_paragraph()
    _field_char(first.add_run(), "begin")
    _instr(first.add_run(), ' TOC \\o "1-2" \\h \\z \\u ')
    _field_char(first.add_run(), "separate")
    first.add_run(entries[0])
    last = first
    for entry in entries[1:]:
        last = doc.add_paragraph(entry)
    _field_char(last.add_run(), "end")


def add_item(doc: Any, item: ViewItem) -> None:
    if item.kind == "note":
        add_text_block(doc, item.body, style="Intense Quote")
        return
    doc.add_heading(item.heading, level=2)
    doc.add_paragraph("Excerpt" if item.kind == "highlight" else "Whole document")
    add_text_block(doc, item.body, style="Quote")
    if item.source is not None:
        para = doc.add_paragraph()
        for k, v in citation_parts(item.source, item.page):
            para.add_run(f"{k}: ").bold = True
            para.add_run(f"{v}\n")
    if item.commentary:
        doc.add_heading("Commentary", level=3)
        add_text_block(doc, item.commentary)


def add_appendix(doc: Any, view: DossierView) -> None:
    doc.add_page_break()
    doc.add_heading("Provenance appendix", level=1)
    for src in view.sources:
        doc.add_heading(src.title, level=3)
        rows = [("SHA-256", src.sha256), ("Kind", src.media_type), ("Size", f"{src.size} bytes"),
                ("Author", src.author), ("Site", src.site), ("Published", src.published),
                ("Source URL", src.url), ("Final URL", src.final_url),
                ("Captured", src.captured_at), ("Imported", src.imported_at),
                ("Importer", src.importer), ("HTTP status", src.http_status),
                ("File name", src.filename)]
        if src.document_id in view.redacted_documents:
            rows.append(("Note", "contains redacted text; its original is not distributed"))
        rows = [(k, v) for k, v in rows if v not in (None, "")]
        table = doc.add_table(rows=len(rows), cols=2)
        for row, (k, v) in zip(table.rows, rows, strict=True):
            row.cells[0].text, row.cells[1].text = k, str(v)
    if view.rules:
        reasons = "; ".join(sorted({r.reason for r in view.rules}))
        doc.add_paragraph(f"Text was withheld from this dossier for these reasons: {reasons}.")


def set_metadata(doc: Any, view: DossierView) -> None:
    cp = doc.core_properties
    cp.title = view.title
    cp.author = cp.last_modified_by = view.byline
    for name in ("subject", "keywords", "comments", "category", "content_status",
                 "identifier", "language", "version"):
        setattr(cp, name, "")
    cp.created = cp.modified = view.generated_at.replace(microsecond=0)
    cp.last_printed = view.generated_at.replace(microsecond=0)
    cp.revision = 1
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype == THUMBNAIL:
            del pkg.rels[rid]  # the template's thumbnail is python-docx's, not ours
        elif rel.reltype == EXTENDED:
            rel.target_part._blob = APP_XML


def write_docx(view: DossierView, path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_heading(view.title, level=0)
    if view.byline:
        doc.add_paragraph(f"Prepared by {view.byline}")
    if view.case:
        doc.add_paragraph(f"Case: {view.case}")
    doc.add_paragraph(f"Dossier {view.id}, version {view.version}; "
                      f"{'frozen' if view.frozen_at else 'draft'}; generated "
                      f"{view.generated_at:%Y-%m-%d %H:%M} UTC")
    if view.description:
        add_text_block(doc, view.description)
    add_toc(doc, view)
    doc.add_page_break()
    for sec in view.sections:
        if sec.title:
            doc.add_heading(sec.title, level=1)
        for it in sec.items:
            add_item(doc, it)
    add_appendix(doc, view)
    set_metadata(doc, view)
    doc.save(str(path))
