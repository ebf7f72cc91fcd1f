"""Passages by tag: every highlight coded with a tag or its sub-tags, across documents, and
the two files a researcher hands on (a CSV for a spreadsheet, a DOCX to read and quote from).

This is the "retrieve" half of a coding pass (QualCoder's coded-text report, Taguette's
highlights by tag). ``PassagesMixin`` is part of ``AnnotationsMixin``. The exports keep the
order they are given (the window passes its sorted, filtered list), are written beside the
target and renamed into place, and record a ``dissemination`` audit event with the file's
SHA-256, as every export does. Like the other highlight exports, they carry notes: a note is
the researcher's own analysis and goes wherever they send the file.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import audit
from workbench.annotate import csvexport
from workbench.annotate.exchange import _write_atomically
from workbench.blobs import sha256_file
from workbench.errors import UserError
from workbench.library import Library
from workbench.models import utcnow
from workbench.pages.geometry import shown_quote

FORMATS = ("csv", "docx")
CSV_COLUMNS = ["quote", "note", "document", "page", "tags", "highlight_id", "document_id",
               "document_sha256", "status", "created"]


class PassagesMixin:
    library: Library

    if TYPE_CHECKING:  # provided by AnnotationsMixin and TagsMixin
        def list_highlights(self, doc: str | int | None = None, tag: str | int | None = None,
                            status: str | None = None) -> list[dict[str, Any]]: ...

        def get_tag(self, ref: str | int) -> dict[str, Any]: ...

        def _document_hashes(self, ids: set[int]) -> dict[int, str]: ...

    def tag_passages(self, tag: str | int, *, doc: str | int | None = None
                     ) -> list[dict[str, Any]]:
        """The highlights coded with ``tag`` or one of its sub-tags, in document and text
        order: highlight dicts (as ``list_highlights``) plus ``document_sha256``."""
        rows = self.list_highlights(doc=doc, tag=tag)
        shas = self._document_hashes({r["document_id"] for r in rows})
        for r in rows:
            # A region without text (a photo, a signature) is named by its page, not left blank.
            r["quote"] = shown_quote(r["quote"], r.get("page_geometry"), r.get("page"))
            r["document_sha256"] = shas.get(r["document_id"])
        return rows

    def export_passages(self, tag: str | int, format: str, path: str | Path, *,
                        highlight_ids: Sequence[int] | None = None) -> dict[str, Any]:
        """Write the tag's passages as ``csv`` or ``docx``. With ``highlight_ids``, only those
        passages, in that order (what the user sorted and filtered). Returns format, path,
        count, SHA-256 and the tag's path."""
        if format not in FORMATS:
            raise UserError(f"Unknown passages format {format!r}",
                            f"choose one of {', '.join(FORMATS)}")
        from ..export_destination import check_destination
        from ..shared.roles import check_export

        check_export(self.library, dossier=False)  # a shared case's readers export nothing
        path = check_destination(path, self.library)
        info = self.get_tag(tag)
        rows = self.tag_passages(info["id"])
        if highlight_ids is not None:
            by_id = {r["id"]: r for r in rows}
            rows = [by_id[int(i)] for i in highlight_ids if int(i) in by_id]
        if format == "csv":
            n = _write_atomically(path, lambda p: write_csv(p, rows))
        else:
            n = _write_atomically(path, lambda p: write_docx(p, rows, info))
        digest = sha256_file(path)[0]
        if self.library.writable:
            with self.library.transaction() as s:
                audit.record(s, audit.DISSEMINATION, "highlights", None, {
                    "format": f"passages {format}", "count": n, "sha256": digest,
                    "tag_id": info["id"], "highlight_ids": [r["id"] for r in rows]})
        return {"format": format, "path": str(path), "count": n, "sha256": digest,
                "tag": info["path"]}


def write_csv(path: Path, rows: Sequence[dict[str, Any]]) -> int:
    """UTF-8 with a byte-order mark, formula-like cells defused (as ``csvexport``)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, dialect="excel")
        w.writerow(CSV_COLUMNS)
        for h in rows:
            w.writerow([csvexport.safe_cell(v) for v in (
                h["quote"], h["note"], h["document_title"], h["page"],
                csvexport.TAG_JOIN.join(h["tags"]), h["id"], h["document_id"],
                h.get("document_sha256"), h["status"], h["created_at"])])
    return len(rows)


def write_docx(path: Path, rows: Sequence[dict[str, Any]], tag: dict[str, Any]) -> int:
    """A reading copy: the tag and its memo, then each passage under its document's title
    (a new heading whenever the document changes, so any order reads right), with page, tags
    and note; a sources table with each document's SHA-256 closes it."""
    import docx

    doc = docx.Document()
    doc.add_heading(f"Passages: {tag['path']}", level=0)
    n_docs = len({r["document_id"] for r in rows})
    now = utcnow()
    doc.add_paragraph(f"{len(rows)} passage{'s' if len(rows) != 1 else ''} from {n_docs} "
                      f"document{'s' if n_docs != 1 else ''}, coded with this tag or its "
                      f"sub-tags. Generated {now:%Y-%m-%d %H:%M} UTC.")
    if (tag.get("description") or "").strip():
        _para(doc, tag["description"].strip(), label="Memo: ")
    current: int | None = None
    for r in rows:
        if r["document_id"] != current:
            current = r["document_id"]
            doc.add_heading(r["document_title"] or f"Document {current}", level=1)
        _para(doc, r["quote"], style="Quote")
        where = [f"p. {r['page']}" if r.get("page") else "",
                 "Tags: " + ", ".join(r["tags"]) if r["tags"] else "",
                 f"highlight {r['id']}", "orphaned" if r["status"] == "orphan" else ""]
        doc.add_paragraph(" · ".join(w for w in where if w))
        if r["note"]:
            _para(doc, r["note"], label="Note: ")
    _sources(doc, rows)
    _metadata(doc, f"Passages: {tag['path']}", now)
    doc.save(str(path))
    return len(rows)


def _para(doc: Any, text: str, style: str | None = None, label: str = "") -> None:
    """A paragraph, right-to-left when ``text`` (not its label) starts so."""
    from workbench.export.docx import _set_rtl, _starts_rtl

    p = doc.add_paragraph(style=style)
    if label:
        p.add_run(label).bold = True
    p.add_run(text)
    if _starts_rtl(text):
        _set_rtl(p)


def _sources(doc: Any, rows: Sequence[dict[str, Any]]) -> None:
    seen: dict[int, tuple[str, str]] = {}
    for r in rows:
        seen.setdefault(r["document_id"], (r["document_title"] or f"Document {r['document_id']}",
                                           r.get("document_sha256") or ""))
    if not seen:
        return
    doc.add_heading("Sources", level=1)
    table = doc.add_table(rows=len(seen) + 1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Document", "SHA-256"
    for row, (title, sha) in zip(table.rows[1:], seen.values(), strict=True):
        row.cells[0].text, row.cells[1].text = title, sha


def _metadata(doc: Any, title: str, now: Any) -> None:
    """Only what the user chose and when: python-docx's template says otherwise."""
    from workbench.export.docx import APP_XML, EXTENDED, THUMBNAIL

    cp = doc.core_properties
    cp.title = title
    cp.author = cp.last_modified_by = ""
    for name in ("subject", "keywords", "comments", "category", "content_status",
                 "identifier", "language", "version"):
        setattr(cp, name, "")
    cp.created = cp.modified = cp.last_printed = now.replace(microsecond=0)
    cp.revision = 1
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype == THUMBNAIL:
            del pkg.rels[rid]
        elif rel.reltype == EXTENDED:
            rel.target_part._blob = APP_XML

