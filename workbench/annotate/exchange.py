"""Exports (W3C JSON-LD, CSV, REFI-QDA codebook) and the W3C import, for the facade.

Each export writes to a temporary file beside the target and renames it into place, then
records a ``dissemination`` audit event with the file's SHA-256. The import matches each
annotation's ``urn:sha256:`` source to a document of this library, places it with the same
re-anchoring a new text layer gets (the position first, then the quote and its context), and
keeps whatever cannot be placed as an orphan; an annotation already present is skipped. The
``linking`` annotations among them (``links.py``) become links between the highlights they
target, new or already present; a target the file does not hold is counted, not guessed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import audit
from workbench.annotate import anchoring, csvexport, links, qdc, w3c
from workbench.annotate import highlights as H
from workbench.annotate import tags as T
from workbench.blobs import sha256_file
from workbench.changes import Changes
from workbench.document_queries import latest_layer
from workbench.errors import ExportError, UserError
from workbench.library import Library
from workbench.models import Document, Highlight, TextLayer, utcnow
from workbench.pages.geometry import is_region
from workbench.pages.highlight import place_region, set_text_geometry

FORMATS = ("w3c", "csv", "qdc")


def _write_atomically(path: Path, write: Callable[[Path], int]) -> int:
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path} is a folder", "give a file name")
    tmp = path.with_name(f".{path.name}.partial")
    try:
        n = write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"Could not write {path} ({exc.strerror or exc})") from exc
    return n


class ExchangeMixin:
    library: Library

    if TYPE_CHECKING:  # provided by AnnotationsMixin and DocumentsMixin
        def list_highlights(self, doc: str | int | None = None, tag: str | int | None = None,
                            status: str | None = None) -> list[dict[str, Any]]: ...

        def resolve(self, ref: str | int) -> int: ...

    def export_highlights(self, format: str, path: str | Path, *,
                          doc: str | int | None = None,
                          tag: str | int | None = None) -> dict[str, Any]:
        """Write highlights (all, or one document's / one tag's) as ``w3c`` JSON-LD or
        ``csv``, or the tag tree as a ``qdc`` codebook. Returns path, count and SHA-256."""
        if format not in FORMATS:
            raise UserError(f"Unknown export format {format!r}",
                            f"choose one of {', '.join(FORMATS)}")
        from ..export_destination import check_destination
        from ..shared.roles import check_export

        check_export(self.library, dossier=False)  # a shared case's readers export nothing
        path = check_destination(path, self.library)
        if format == "qdc":
            with self.library.read() as s:
                tags = list(T.all_tags(s).values())
                paths = T.path_map(s)
                if not tags:  # the schema wants at least one Code
                    raise UserError("There are no tags to export", "add tags first")
                n = _write_atomically(path, lambda p: qdc.write_qdc(p, tags, paths))
        else:
            rows = self.list_highlights(doc=doc, tag=tag)
            if format == "w3c":
                data = w3c.annotations_jsonld(self.library, [r["id"] for r in rows])
                text = json.dumps(data, ensure_ascii=False, indent=2)
                n = _write_atomically(path, lambda p: (p.write_text(text, encoding="utf-8"),
                                                       len(rows))[1])
                n_links = data["total"] - n
            else:
                shas = self._document_hashes({r["document_id"] for r in rows})
                for r in rows:
                    r["document_sha256"] = shas.get(r["document_id"])
                n = _write_atomically(path, lambda p: csvexport.write_csv(p, rows))
        digest = sha256_file(path)[0]
        extra = {"links": n_links} if format == "w3c" else {}
        if self.library.writable:
            with self.library.transaction() as s:
                audit.record(s, audit.DISSEMINATION, "highlights", None, {
                    "format": format, "count": n, "sha256": digest, **extra,
                    "document_id": None if doc is None else self.resolve(doc)})
        return {"format": format, "path": str(path), "count": n, "sha256": digest, **extra}

    def _document_hashes(self, ids: set[int]) -> dict[int, str]:
        with self.library.read() as s:
            return dict(s.execute(select(Document.id, Document.sha256)
                                  .where(Document.id.in_(ids))).all()) if ids else {}

    def import_highlights(self, path: str | Path) -> tuple[dict[str, Any], Changes]:
        """Read a W3C Web Annotation file (as ``export_highlights`` writes) into this
        library. Annotations on documents this library lacks are counted, not imported."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise UserError(f"Cannot read {path} as JSON ({exc})",
                            "give a W3C Web Annotation file (.jsonld / .json)") from exc
        found = w3c.iter_annotations(data)
        link_annos = [a for a in found if links.is_link(a)]
        if not found and not (isinstance(data, dict) and "total" in data):
            raise UserError(f"{path} holds no W3C annotations",
                            "expected an Annotation, AnnotationPage or AnnotationCollection")
        parsed, unreadable = [], []
        found = [a for a in found if not links.is_link(a)]
        for n, anno in enumerate(found, start=1):
            try:
                parsed.append(w3c.parse_annotation(anno))
            except UserError as exc:  # one odd annotation does not stop the file
                unreadable.append({"index": n, "id": anno.get("id"), "error": exc.message})
        report: dict[str, Any] = {"annotations": len(found), "imported": 0, "orphaned": 0,
                                  "duplicates": 0, "missing_documents": [],
                                  "unreadable": unreadable, "highlight_ids": []}
        doc_ids: set[int] = set()
        file_sha = sha256_file(path)[0]
        ids: dict[str, int] = {}  # annotation id in the file -> highlight here (new or present)
        with self.library.transaction() as s:
            cache: dict[int, tuple[TextLayer, anchoring.NormText, H.PageRanges]] = {}
            for pa in parsed:
                doc = s.execute(select(Document).where(Document.sha256 == pa.sha256)
                                ).scalar_one_or_none()
                if doc is None:
                    if pa.sha256 not in report["missing_documents"]:
                        report["missing_documents"].append(pa.sha256)
                    continue
                if doc.id not in cache:
                    layer = latest_layer(s, doc.id)
                    if layer is None:
                        report["missing_documents"].append(pa.sha256)
                        continue
                    cache[doc.id] = (layer, anchoring.normalize_cached(layer.text),
                                     H.layer_pages(s, layer.id))
                h = _import_one(s, doc, pa, *cache[doc.id], report, self.library, ids)
                if h is not None:
                    audit.record(s, audit.CREATION, "highlight", h.id, H.audit_details(
                        s, h, doc, imported_from_sha256=file_sha))
                    doc_ids.add(doc.id)
            linked = links.import_links(s, link_annos, ids, report, file_sha)
            audit.record(s, audit.MODIFICATION, "highlights", None, {
                "operation": "import", "file_sha256": file_sha,
                "unreadable": len(unreadable),
                **{k: v for k, v in report.items() if k not in ("highlight_ids", "unreadable")}})
        if doc_ids:
            self.library.index.documents_changed(sorted(doc_ids))
        return report, Changes(highlights=True, tags=True, index=bool(doc_ids),
                               links=bool(linked), document_ids=sorted(doc_ids),
                               highlight_ids=list(dict.fromkeys(
                                   [*report["highlight_ids"], *linked])))


def _import_one(s: Session, doc: Document, pa: w3c.ParsedAnnotation, layer: TextLayer,
                nt: anchoring.NormText, pages: H.PageRanges,
                report: dict[str, Any], library: Library,
                ids: dict[str, int]) -> Highlight | None:
    """Import one annotation; ``ids`` learns which highlight here it is (for its links)."""
    h = _import_placed(s, doc, pa, layer, nt, pages, report, library, ids)
    if h is not None and pa.id:
        ids[pa.id] = h.id
    return h


def _import_placed(s: Session, doc: Document, pa: w3c.ParsedAnnotation, layer: TextLayer,
                   nt: anchoring.NormText, pages: H.PageRanges,
                   report: dict[str, Any], library: Library,
                   ids: dict[str, int]) -> Highlight | None:
    if is_region(pa.page_geometry):
        return _import_region(s, doc, pa, layer, report, library, ids)
    start, end = pa.start or 0, pa.end or 0
    anchor = anchoring.reanchor(pa.exact, pa.prefix, pa.suffix, start, end, len(layer.text),
                                layer.text, nt)
    present = _exists(s, doc.id, anchor.start, anchor.end, pa.note) if anchor.placed else None
    if present is not None:
        report["duplicates"] += 1
        if pa.id:
            ids[pa.id] = present
        return None
    h = Highlight(document_id=doc.id, layer_id=layer.id, start=start, end=end,
                  quote=pa.exact, prefix=pa.prefix, suffix=pa.suffix,
                  color=T.check_color(pa.color) if pa.color else T.DEFAULT_COLOR,
                  note=pa.note, status="anchored",
                  os_user=pa.creator or audit.current_actor(),
                  created_at=pa.created or utcnow(), modified_at=pa.modified or utcnow())
    # The geometry is of the original's pages, which the sha256 names: kept as written.
    h.page_geometry = pa.page_geometry
    if anchor.placed:
        H.place(h, layer, pages, anchor.start, anchor.end)
        if h.page_geometry is None:
            set_text_geometry(s, library, h, layer, doc)
        report["imported"] += 1
    else:
        h.status = "orphan"
        c = anchor.candidate
        h.candidate = None if c is None else {
            "layer_id": layer.id, "layer_version": layer.version, "start": c.start,
            "end": c.end, "quote": layer.text[c.start:c.end], "score": round(c.score, 4),
            "method": c.method, "page": H.page_of(pages, c.start)}
        report["orphaned"] += 1
    s.add(h)
    s.flush()
    H.set_tags(s, h, add=pa.tags)
    report["highlight_ids"].append(h.id)
    return h


def _import_region(s: Session, doc: Document, pa: w3c.ParsedAnnotation, layer: TextLayer,
                   report: dict[str, Any], library: Library,
                   ids: dict[str, int]) -> Highlight | None:
    """A region is anchored to its page and rectangle: placed there, never an orphan; its
    quote is the text inside the rectangle on this library's layer."""
    assert pa.page_geometry is not None
    first = pa.page_geometry["pages"][0]
    same = s.execute(select(Highlight.id, Highlight.page_geometry).where(
        Highlight.document_id == doc.id, Highlight.note == pa.note)).all()
    present = next((hid for hid, g in same if g == pa.page_geometry), None)
    if present is not None:
        report["duplicates"] += 1
        if pa.id:
            ids[pa.id] = present
        return None
    h = Highlight(document_id=doc.id, layer_id=layer.id, start=0, end=0, quote="",
                  color=T.check_color(pa.color) if pa.color else T.DEFAULT_COLOR,
                  note=pa.note, status="anchored",
                  os_user=pa.creator or audit.current_actor(),
                  created_at=pa.created or utcnow(), modified_at=pa.modified or utcnow())
    x0, y0, x1, y1 = first["quads"][0]
    place_region(s, library, h, layer, doc, int(first["page"]), (x0, y0, x1, y1))
    report["imported"] += 1
    s.add(h)
    s.flush()
    H.set_tags(s, h, add=pa.tags)
    report["highlight_ids"].append(h.id)
    return h


def _exists(s: Session, doc_id: int, start: int, end: int, note: str) -> int | None:
    """The id of the same highlight already here, if any."""
    row = s.execute(select(Highlight.id).where(
        Highlight.document_id == doc_id, Highlight.start == start, Highlight.end == end,
        Highlight.note == note).limit(1)).first()
    return None if row is None else int(row[0])

