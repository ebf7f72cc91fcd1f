"""The chronology written out, as a litigation chronology is: a CSV for spreadsheets and a
Word table (date, statement, status, tags, sources), each source cited with its document's
title, page and SHA-256. Events' notes are private and are never written.

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


def write_docx(path: Path, rows: Sequence[dict[str, Any]]) -> int:
    """A title, a four-column table (date, statement, status, sources: each source's quote
    and its citation) and a sources list with full SHA-256 hashes."""
    import docx

    from ..annotate.passages import _metadata, _sources
    from ..export.docx import _set_rtl, _starts_rtl

    doc = docx.Document()
    now = utcnow()
    doc.add_heading("Chronology", level=0)
    doc.add_paragraph(f"{len(rows)} event{'s' if len(rows) != 1 else ''}, in date order. "
                      f"Generated {now:%Y-%m-%d %H:%M} UTC.")
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, ("Date", "Statement", "Status", "Sources"),
                          strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(head).bold = True
    for ev in rows:
        cells = table.add_row().cells
        cells[0].text = ev["date"]["text"]
        cells[1].text = ev["statement"]
        if _starts_rtl(ev["statement"]):
            _set_rtl(cells[1].paragraphs[0])
        cells[2].text = ev["status"] + (f"\nTags: {', '.join(ev['tags'])}" if ev["tags"] else "")
        first = True
        for src in ev["sources"]:
            para = cells[3].paragraphs[0] if first else cells[3].add_paragraph()
            first = False
            para.add_run(f"“{src['quote']}” ").italic = True
            para.add_run(source_citation(src, full_hash=False))
    _sources(doc, [{"document_id": s["document_id"], "document_title": s["title"],
                    "document_sha256": s["sha256"]} for ev in rows for s in ev["sources"]])
    _metadata(doc, "Chronology", now)
    doc.save(str(path))
    return len(rows)
