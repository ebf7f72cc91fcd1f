"""The chronology written out, as a litigation chronology is: a CSV for spreadsheets and a
Word table (date, statement, status, tags, sources), each source cited with its document's
title, page and SHA-256. Events' notes are private and are never written.

The Word table's columns have widths that suit them (``DOCX_COLUMNS``) and a quote is put in
quotation marks by the one rule the window uses (``workbench/quoting.py``).

CSV as the passages export writes it: UTF-8 with a byte-order mark (Excel reads the scripts
right), formula-like cells defused. Files are written to a temporary name and moved into place.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..annotate import csvexport
from ..annotate.exchange import _write_atomically
from ..models import utcnow
from ..quoting import quoted

FORMATS = ("csv", "docx")
CSV_COLUMNS = ("date", "from", "to", "kind", "statement", "status", "tags", "sources",
               "sources_sha256", "event_id")


def source_citation(src: dict[str, Any], *, full_hash: bool = True) -> str:
    """``Title, p. 3, SHA-256 abcd…`` for one source of an event."""
    page = f", p. {src['page']}" if src.get("page") else ""
    sha = src["sha256"] if full_hash else src["sha256"][:12]
    return f"{src['title']}{page}, SHA-256 {sha}"


def write(format: str, path: Path, rows: Sequence[dict[str, Any]]) -> int:
    if format == "csv":
        return _write_atomically(path, lambda p: write_csv(p, rows))
    return _write_atomically(path, lambda p: write_docx(p, rows))


def write_csv(path: Path, rows: Sequence[dict[str, Any]]) -> int:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, dialect="excel")
        w.writerow(CSV_COLUMNS)
        for ev in rows:
            d = ev["date"]
            w.writerow([csvexport.safe_cell(v) for v in (
                d["text"], d["from"] or "", d["to"] or "", d["kind"], ev["statement"],
                ev["status"], csvexport.TAG_JOIN.join(ev["tags"]),
                "; ".join(source_citation(s) for s in ev["sources"]),
                " ".join(s["sha256"] for s in ev["sources"]), ev["id"])])
    return len(rows)


# The Word table: 9 pt text between 1 in margins (6.5 in of text width). Its columns' widths
# follow what they hold (``_docx_widths``): equal columns cramped the sources and broke a tag
# "Detention/Arrest s".
DOCX_HEADINGS = ("Date", "Statement", "Status", "Sources")
DOCX_MARGIN_INCHES = 1.0
DOCX_TABLE_POINTS = 9
# A character's width, in ems, in a wide font (DejaVu Serif, LibreOffice's stand-in for the
# template's Cambria on a Linux desktop, is 0.53-0.61): widths measured with it hold in any.
DOCX_EM_PER_CHAR = 0.6
DOCX_CELL_MARGINS_INCHES = 0.16  # a cell's left and right margins together
SHORT_HASH = "SHA-256 0123456789ab"  # the widest line a citation must keep whole


def write_docx(path: Path, rows: Sequence[dict[str, Any]]) -> int:
    """A title, a four-column table (date, statement, status and tags, sources: each
    source's quote and its citation) and a sources list with full SHA-256 hashes."""
    import docx
    from docx.shared import Inches

    from ..annotate.passages import _metadata, _sources
    from ..export.docx import _set_rtl, _starts_rtl

    doc = docx.Document()
    section = doc.sections[0]
    margin = Inches(DOCX_MARGIN_INCHES)
    section.left_margin = section.right_margin = margin
    usable = int(section.page_width or Inches(8.5)) - 2 * margin
    widths = [int(Inches(w)) for w in _docx_widths(usable / Inches(1), rows)]
    widths[1] += usable - sum(widths)  # what rounding left over goes to the statement
    now = utcnow()
    doc.add_heading("Chronology", level=0)
    doc.add_paragraph(f"{len(rows)} event{'s' if len(rows) != 1 else ''}, in date order. "
                      f"Generated {now:%Y-%m-%d %H:%M} UTC.")
    table = doc.add_table(rows=1, cols=len(DOCX_HEADINGS))
    table.style = "Table Grid"
    table.autofit = False  # fixed layout: Word would share the width out again by content
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice reads
    for cell, head in zip(table.rows[0].cells, DOCX_HEADINGS, strict=True):
        _cell_run(cell.paragraphs[0], head).bold = True
    for ev in rows:
        cells = table.add_row().cells
        _cell_run(cells[0].paragraphs[0], ev["date"]["text"])
        _cell_run(cells[1].paragraphs[0], ev["statement"])
        if _starts_rtl(ev["statement"]):
            _set_rtl(cells[1].paragraphs[0])
        # the tags one a line: a tag is not broken inside, however long
        status = [ev["status"], *(["Tags:", *ev["tags"]] if ev["tags"] else [])]
        _cell_run(cells[2].paragraphs[0], "\n".join(status))
        for n, src in enumerate(ev["sources"]):
            para = cells[3].paragraphs[0] if n == 0 else cells[3].add_paragraph()
            _cell_run(para, quoted(src["quote"])).italic = True
            # the citation on a line of its own, under the quote
            _cell_run(para, "\n" + source_citation(src, full_hash=False))
    for row in table.rows:  # each cell's own width, which Word reads
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    _sources(doc, [{"document_id": s["document_id"], "document_title": s["title"],
                    "document_sha256": s["sha256"]} for ev in rows for s in ev["sources"]])
    _metadata(doc, "Chronology", now)
    doc.save(str(path))
    return len(rows)


def _docx_widths(usable: float, rows: Sequence[dict[str, Any]]) -> list[float]:
    """The four columns' widths in inches, ``usable`` in all: the date as wide as the longest
    date (within 0.8-1.2 in), the status as the longest word of a status or tag, which must
    not be broken (within 0.9-1.8 in), the sources 30 % and at least a short hash's line, the
    statement the rest (at least 1.8 in, taken back from the status and the date)."""
    def inches(chars: int) -> float:
        return chars * DOCX_EM_PER_CHAR * DOCX_TABLE_POINTS / 72 + DOCX_CELL_MARGINS_INCHES

    longest_date = max((len(ev["date"]["text"]) for ev in rows), default=0)
    words = [w for ev in rows for text in (ev["status"], *ev["tags"]) for w in text.split()]
    date = min(max(inches(longest_date), 0.8), 1.2)
    status = min(max(inches(max(map(len, words), default=0)), 0.9), 1.8)
    sources = max(0.30 * usable, inches(len(SHORT_HASH)))
    short = 1.8 - (usable - date - status - sources)
    if short > 0:  # a long tag: the statement keeps its room, the tag wraps
        status = max(status - short, 0.9)
    return [date, usable - date - status - sources, status, sources]


def _cell_run(paragraph: Any, text: str) -> Any:
    """``text`` added to a table cell's paragraph at the table's size (a "\\n" breaks the
    line)."""
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.size = Pt(DOCX_TABLE_POINTS)
    return run
