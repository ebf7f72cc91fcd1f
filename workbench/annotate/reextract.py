"""Re-extraction of a document and re-anchoring of its highlights on the new text layer.

``reanchor_layer`` is the core step, usable on any new layer (tests build layers with other
normalisations): every highlight of the document is placed on the new layer or becomes an
orphan that keeps its old selectors, its old layer and its best candidate; none is dropped.
Each highlight that moved, changed or was orphaned gets an audit event; so does the run.
``extract_original`` runs the stored original through the isolated extractor workers with the
same options an import uses; ``adopt_reading`` then makes that new reading of the whole
original the document's: its problems, status, OCR metadata and (unless a user corrected it)
language, as ``workbench reextract`` and ``workbench ocr`` both need.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import audit, records
from workbench.annotate import anchoring
from workbench.annotate.highlights import audit_details, layer_pages, page_of, place, sha
from workbench.errors import NotFound
from workbench.library import Library
from workbench.models import Document, Highlight, HighlightTag, TextLayer, utcnow
from workbench.pages import highlight as page_highlight
from workbench.persist import document_status, language_of, set_reading_metadata

if TYPE_CHECKING:  # the extractors load when something is extracted, not with the facade
    from workbench.extract import Limits
    from workbench.extract.base import Extraction


@dataclass
class ReanchorReport:
    document_id: int
    layer_id: int
    layer_version: int
    anchored: int = 0  # same range still holds
    moved: int = 0  # same quote, other offsets
    fuzzy: int = 0  # close match above the threshold; the quote now reads as the new text
    orphaned: int = 0
    orphan_ids: list[int] = field(default_factory=list)
    moved_ids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.anchored + self.moved + self.fuzzy + self.orphaned

    def to_json(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "layer_id": self.layer_id,
                "layer_version": self.layer_version, "highlights": self.total,
                "anchored": self.anchored, "moved": self.moved, "fuzzy": self.fuzzy,
                "orphaned": self.orphaned, "orphan_ids": self.orphan_ids,
                "moved_ids": self.moved_ids}


def reanchor_layer(session: Session, doc: Document, layer: TextLayer,
                   library: Library | None = None) -> ReanchorReport:
    """Re-anchor every highlight of ``doc`` onto ``layer`` (inside the caller's transaction).

    A placed text highlight's page geometry is derived again from ``layer`` (``library``
    reads the original's boxes). A region highlight is anchored to its page and rectangle,
    not to text: it moves to ``layer`` with the text now inside its rectangle and is never
    orphaned (``workbench.pages.highlight``)."""
    report = ReanchorReport(doc.id, layer.id, layer.version)
    rows = session.execute(select(Highlight).where(Highlight.document_id == doc.id)
                           .order_by(Highlight.id)).scalars().all()
    if not rows:
        return report
    nt = anchoring.normalize_cached(layer.text)
    pages = layer_pages(session, layer.id)
    old_lengths: dict[int, int] = {}
    tags: dict[int, list[int]] = {}
    for hid, tid in session.execute(
            select(HighlightTag.highlight_id, HighlightTag.tag_id).join(
                Highlight, Highlight.id == HighlightTag.highlight_id)
            .where(Highlight.document_id == doc.id).order_by(HighlightTag.tag_id)).all():
        tags.setdefault(hid, []).append(tid)
    for h in rows:
        if h.layer_id == layer.id and h.status == "anchored":
            report.anchored += 1
            continue
        region = page_highlight.region_of(h)
        if region is not None:
            before_quote = sha(h.quote)
            page_highlight.place_region(session, library, h, layer, doc, *region)
            h.status, h.candidate = "anchored", None
            report.anchored += 1
            if sha(h.quote) != before_quote:  # the text inside the rectangle reads anew
                h.modified_at = utcnow()
                audit.record(session, audit.MODIFICATION, "highlight", h.id, audit_details(
                    session, h, doc, tags.get(h.id, []), reanchor="region",
                    previous={"quote_sha256": before_quote}))
            continue
        if h.layer_id not in old_lengths:
            old = session.get(TextLayer, h.layer_id)
            old_lengths[h.layer_id] = len(old.text) if old else len(layer.text)
        before = (h.layer_id, h.start, h.end, sha(h.quote), h.status)
        anchor = anchoring.reanchor(h.quote, h.prefix, h.suffix, h.start, h.end,
                                    old_lengths[h.layer_id], layer.text, nt)
        _apply(h, anchor, layer, pages, report)
        if anchor.placed:
            page_highlight.set_text_geometry(session, library, h, layer, doc)
        if anchor.status != "same" or before[4] != "anchored":
            h.modified_at = utcnow()
            audit.record(session, audit.MODIFICATION, "highlight", h.id, audit_details(
                session, h, doc, tags.get(h.id, []), reanchor=anchor.status,
                score=round(anchor.score, 4),
                previous={"layer_id": before[0], "start": before[1], "end": before[2],
                          "quote_sha256": before[3], "status": before[4]}))
    session.flush()
    return report


def _apply(h: Highlight, anchor: anchoring.Anchor, layer: TextLayer,
           pages: list[tuple[int, int, int]], report: ReanchorReport) -> None:
    if anchor.placed:
        place(h, layer, pages, anchor.start, anchor.end)
        h.status, h.candidate = "anchored", None
        if anchor.status == "same":
            report.anchored += 1
        elif anchor.status == "moved":
            report.moved += 1
            report.moved_ids.append(h.id)
        else:
            report.fuzzy += 1
            report.moved_ids.append(h.id)
        return
    # An orphan keeps its old layer and selectors: they still hold there.
    h.status = "orphan"
    report.orphaned += 1
    report.orphan_ids.append(h.id)
    c = anchor.candidate
    h.candidate = None if c is None else {
        "layer_id": layer.id, "layer_version": layer.version, "start": c.start, "end": c.end,
        "quote": layer.text[c.start:c.end], "score": round(c.score, 4), "method": c.method,
        "page": page_of(pages, c.start),
    }


def extract_original(library: Library, sha256: str, kind: str, source_url: str | None,
                     limits: Limits | None = None) -> Extraction:
    """Run the stored original through an isolated extractor, as an import would."""
    from workbench.extract import ExtractOptions, ExtractorPool

    if not library.originals.exists(sha256):
        raise NotFound(f"The original {sha256[:12]} is missing from the library",
                       "run `workbench verify`")
    children_dir = library.tmp_dir / f"reextract-{sha256[:16]}"
    opts = ExtractOptions(
        kind=kind, children_dir=str(children_dir),
        ocr_languages=library.get_setting("ocr_languages", "auto"), source_url=source_url,
    )
    try:
        with ExtractorPool(1, limits) as pool, library.originals.materialize(sha256) as path:
            return pool.extract(path, opts)
    finally:
        # Attachments found again are already documents of their own: drop the copies.
        shutil.rmtree(children_dir, ignore_errors=True)


def adopt_reading(doc: Document, extraction: Extraction, layer: TextLayer) -> dict[str, Any]:
    """Make ``extraction`` — a new reading of the whole original, stored as ``layer`` — the
    document's reading (inside the caller's transaction); returns what changed, old and new,
    for the audit event.

    Its problems replace the old ones rather than adding to them: they all came from the
    previous extraction of the same original (an "OCR confidence 31 %" from the wrong
    language goes once the right one reads well; one the new reading still has stays). The
    language follows the new text unless a user corrected it (``records``): a correction is
    the user's word and no reading overrides it, while a captured language was only ever a
    reading of the text. A reading that names no language leaves the old one.
    """
    status, problems = document_status(extraction)
    changes: dict[str, Any] = {"problems": {"old": list(doc.problems or []), "new": problems},
                               "status": {"old": doc.status, "new": status}}
    doc.status, doc.problems = status, problems
    # Only the language is read here, so the collection record need not be loaded.
    if not records.record_of(doc, None)["language"].corrected:
        language = language_of(extraction)
        if language is not None and language != doc.language:
            changes["language"] = {"old": doc.language, "new": language}
            doc.language = language
    set_reading_metadata(doc, extraction, layer.version)
    return changes
