"""The dossier as a Word document (python-docx): headings, a table of contents, citations.

python-docx starts from a template whose metadata says author "python-docx", dates in 2013,
"Microsoft Macintosh Word" and carries a thumbnail; all of it is replaced or removed here, so
the file says only what the user chose (title, author, organisation) and when it was made.
The table of contents is a real TOC field (Word and LibreOffice can update it) whose stored
result already lists what an update would (sections and exhibits, in Word's "toc 1/2"
styles), so it reads right before any update; its title has no outline level, so it does not
list itself. Paragraphs that start right-to-left (Arabic, Uyghur) are marked ``w:bidi``.
tests/core/test_export_docx_libreoffice.py checks all this as LibreOffice reads it.
A facsimile exhibit is followed by its pages as images: the rendered facsimile
(``facsimile_plan``), not the source, so its redactions are burnt in.
"""

from __future__ import annotations

import io
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from ..chronology.dossier_section import HEADERS as CHRONOLOGY_HEADERS
from ..dossier.citations import citation_parts, facsimile_citation, provenance_rows
from ..dossier.corroboration import HEADING as CORROBORATION
from ..dossier.model import DossierView, ViewItem
from ..dossier.redaction import Segment, plain_context, printed_mark, withheld_note
from .facsimile_plan import FacsimilePlan, render_plans

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

    context = plain_context(segments)
    for seg in segments:
        if seg.redacted:
            run = paragraph.add_run(printed_mark(seg.mark, context))
            run.bold = True
            run.font.highlight_color = WD_COLOR_INDEX.BLACK
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        elif seg.text:
            paragraph.add_run(seg.text)


def _starts_rtl(text: str) -> bool:
    """Whether the first strongly directional character is right-to-left (Arabic, Uyghur)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("L", "R", "AL"):
            return kind != "L"
    return False


def _set_rtl(paragraph: Any) -> None:
    """A right-to-left paragraph (w:bidi), so Word and LibreOffice align and order it so."""
    from docx.oxml import OxmlElement

    # Word rejects pPr children out of schema order: bidi goes before these.
    paragraph._p.get_or_add_pPr().insert_element_before(
        OxmlElement("w:bidi"), "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
        "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
        "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
        "w:rPr", "w:sectPr", "w:pPrChange")


def add_text_block(doc: Any, segments: list[Segment], style: str | None = None) -> None:
    """Segments as paragraphs (blank lines split them)."""
    para = doc.add_paragraph(style=style)
    paras = [para]
    for seg in segments:
        if seg.redacted:
            add_segments(para, [seg])
            continue
        for i, chunk in enumerate(seg.text.split("\n\n")):
            if i:
                para = doc.add_paragraph(style=style)
                paras.append(para)
            add_segments(para, [Segment(chunk.strip("\n") if i else chunk)])
    for p in paras:
        if _starts_rtl(p.text):
            _set_rtl(p)


def _toc_style(doc: Any, level: int) -> Any:
    """Word's built-in "toc N" paragraph style (LibreOffice reads it as "Contents N")."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    name = f"toc {level}"
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.paragraph_format.left_indent = Pt(12 * (level - 1))
        style.paragraph_format.space_after = Pt(2)
        return style


def toc_entries(view: DossierView) -> list[tuple[int, str]]:
    """What Word or LibreOffice lists when the field is updated (headings 1-2), in order."""
    entries: list[tuple[int, str]] = []
    for sec in view.sections:
        if sec.title:
            entries.append((1, sec.title))
        entries += [(2, it.heading) for it in sec.items
                    if it.is_exhibit or it.chronology is not None]
    return [*entries, (1, "Provenance appendix")]


def add_toc(doc: Any, view: DossierView) -> None:
    # "TOC Heading" has no outline level, so an updated contents list does not list itself.
    doc.add_paragraph("Contents", style="TOC Heading")
    entries = toc_entries(view)
    first = doc.add_paragraph(style=_toc_style(doc, entries[0][0]))
    _field_char(first.add_run(), "begin")
    _instr(first.add_run(), ' TOC \\o "1-2" \\h \\z \\u ')
    _field_char(first.add_run(), "separate")
    first.add_run(entries[0][1])
    last = first
    for level, entry in entries[1:]:
        last = doc.add_paragraph(entry, style=_toc_style(doc, level))
    _field_char(last.add_run(), "end")


FACSIMILE_DPI = 150  # page images: legible when printed, about 0.3 MB a page


def facsimile_images(plans: dict[int, FacsimilePlan]) -> dict[int, list[bytes]]:
    """Each facsimile exhibit's pages as PNG images, by item id."""
    if not plans:
        return {}
    import pypdfium2 as pdfium

    out: dict[int, list[bytes]] = {}
    with tempfile.TemporaryDirectory(prefix="workbench-facsimiles-") as folder:
        jobs = [(plan, Path(folder) / plan.file_name(), None) for plan in plans.values()]
        render_plans(jobs)
        for plan, path, _ in jobs:
            pdf = pdfium.PdfDocument(str(path))
            try:
                images = []
                for page in pdf:
                    buffer = io.BytesIO()
                    page.render(scale=FACSIMILE_DPI / 72).to_pil().save(buffer, "PNG")
                    images.append(buffer.getvalue())
                    page.close()
            finally:
                pdf.close()
            out[plan.item_id] = images
    return out


def add_facsimile(doc: Any, images: list[bytes]) -> None:
    """The pages, one per page of the document, as wide as the text."""
    from docx.shared import Inches

    for png in images:
        doc.add_page_break()
        doc.add_picture(io.BytesIO(png), width=Inches(6.0))


def add_chronology(doc: Any, item: ViewItem) -> None:
    """A chronology section: its title and a table (date, statement, status, sources: each
    quote with its citation), every cell already redacted."""
    doc.add_heading(item.heading, level=2)
    table = doc.add_table(rows=1, cols=len(CHRONOLOGY_HEADERS))
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, CHRONOLOGY_HEADERS, strict=True):
        cell.paragraphs[0].add_run(head).bold = True
    for r in item.chronology.rows if item.chronology else []:
        cells = table.add_row().cells
        cells[0].text, cells[2].text = r.date, r.status
        add_segments(cells[1].paragraphs[0], r.statement)
        if _starts_rtl(plain_context(r.statement)):
            _set_rtl(cells[1].paragraphs[0])
        for i, src in enumerate(r.sources):
            para = cells[3].paragraphs[0] if i == 0 else cells[3].add_paragraph()
            add_segments(para, src.quote)
            cells[3].add_paragraph(src.citation)


def add_item(doc: Any, item: ViewItem, images: list[bytes] | None = None) -> None:
    if item.kind == "note":
        add_text_block(doc, item.body, style="Intense Quote")
        return
    if item.kind == "chronology":
        add_chronology(doc, item)
        return
    doc.add_heading(item.heading, level=2)
    doc.add_paragraph("Excerpt" if item.kind == "highlight" else "Whole document")
    add_text_block(doc, item.body, style="Quote")
    if item.source is not None:
        para = doc.add_paragraph()
        for k, v in citation_parts(item.source, item.page):
            para.add_run(f"{k}: ").bold = True
            para.add_run(f"{v}\n")
        if item.facsimile_shown and images:
            para.add_run(facsimile_citation(item.source, *item.facsimile_shown))
    if item.corroborated_by:
        doc.add_paragraph().add_run(CORROBORATION).bold = True
        for c in item.corroborated_by:
            add_text_block(doc, c.quote, style="Quote")
            doc.add_paragraph(c.citation)
    if item.commentary:
        doc.add_heading("Commentary", level=3)
        add_text_block(doc, item.commentary)
    if images:
        add_facsimile(doc, images)


def add_appendix(doc: Any, view: DossierView) -> None:
    doc.add_page_break()
    doc.add_heading("Provenance appendix", level=1)
    for src in view.sources:
        doc.add_heading(src.title, level=3)
        rows = [(k, v) for k, v in provenance_rows(src) if k != "Title"]  # title: the heading
        if src.document_id in view.redacted_documents:
            rows.append(("Note", "contains redacted text; its original is not distributed"))
        rows = [(k, v) for k, v in rows if v not in (None, "")]
        table = doc.add_table(rows=len(rows), cols=2)
        for row, (k, v) in zip(table.rows, rows, strict=True):
            row.cells[0].text, row.cells[1].text = k, str(v)
    if view.labels:
        doc.add_paragraph(withheld_note(view.labels))


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


def write_docx(view: DossierView, path: Path,
               facsimiles: dict[int, FacsimilePlan] | None = None) -> None:
    import docx

    images = facsimile_images(facsimiles or {})
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
            add_item(doc, it, images.get(it.id))
    add_appendix(doc, view)
    set_metadata(doc, view)
    # Zipped in memory, then written in one go: python-docx's ZipFile on a file that hits a
    # full disk is left half-closed, and its __del__ later prints a traceback of its own.
    buffer = io.BytesIO()
    doc.save(buffer)
    with open(path, "wb") as fh:
        fh.write(buffer.getbuffer())
