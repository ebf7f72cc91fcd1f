"""Highlights as the facade exposes them: add, edit, delete, list, orphans, re-extraction and
the search for a passage in other documents. Tags live in ``tagservice.TagsMixin``, exports
and imports in ``exchange.ExchangeMixin``, passages by tag in ``passages.PassagesMixin``;
``AnnotationsMixin`` joins the four.

Reads return plain data (dicts); each mutation is one transaction that writes its audit event
and returns a ``Changes`` value, as everywhere in the facade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from workbench import audit
from workbench.annotate import anchoring
from workbench.annotate import highlights as H
from workbench.annotate import tags as T
from workbench.annotate.exchange import ExchangeMixin
from workbench.annotate.passages import PassagesMixin
from workbench.annotate.reextract import (
    ReanchorReport,
    adopt_reading,
    extract_original,
    reanchor_layer,
)
from workbench.annotate.tagservice import TagsMixin
from workbench.changes import Changes
from workbench.document_queries import latest_layer, resolve_document
from workbench.errors import NotFound, UserError
from workbench.library import Library
from workbench.models import (
    CollectionRecord,
    Document,
    Highlight,
    HighlightTag,
    TextLayer,
    utcnow,
)
from workbench.pages.highlight import set_text_geometry
from workbench.persist import add_text_layer, layer_details
from workbench.shared.versions import versioned

if TYPE_CHECKING:
    from workbench.extract.base import Extraction


class AnnotationsMixin(TagsMixin, ExchangeMixin, PassagesMixin):
    library: Library

    # --- highlights: change ------------------------------------------------------------------

    def add_highlight(self, doc_ref: str | int, quote: str | None = None,
                      start: int | None = None, end: int | None = None,
                      occurrence: int | None = None, tags: list[str] | tuple[str, ...] = (),
                      note: str = "", color: str | None = None) -> Changes:
        """Highlight a quote (matched as people copy text) or a character range of the
        document's latest text layer. ``Changes.highlight_ids[0]`` is the new highlight."""
        if (quote is None) == (start is None or end is None):
            raise UserError("Give either a quote or a start and an end offset")
        color = T.check_color(color) or T.DEFAULT_COLOR
        with self.library.transaction() as s:
            doc = resolve_document(s, doc_ref)
            layer = latest_layer(s, doc.id)
            if layer is None or not layer.text.strip():
                raise UserError(f"Document {doc.id} has no text to highlight",
                                "re-extract it with OCR, or import a text version")
            if quote is not None:
                a, b = H.locate(layer.text, quote, occurrence)
            else:
                assert start is not None and end is not None
                a, b = H.check_range(layer.text, start, end)
            h = Highlight(document_id=doc.id, layer_id=layer.id, start=a, end=b, quote="",
                          color=color, note=note or "", status="anchored",
                          os_user=audit.current_actor())
            H.place(h, layer, H.layer_pages(s, layer.id), a, b)
            set_text_geometry(s, self.library, h, layer, doc)
            s.add(h)
            s.flush()
            H.set_tags(s, h, add=list(tags))
            audit.record(s, audit.CREATION, "highlight", h.id, H.audit_details(s, h, doc))
            hid, doc_id = h.id, doc.id
        return self._highlight_changed(hid, doc_id, bool(tags))

    @versioned("highlight")
    def edit_highlight(self, highlight_id: int, *, note: str | None = None,
                       color: str | None = None, tags: list[str] | None = None,
                       add_tags: list[str] | tuple[str, ...] = (),
                       remove_tags: list[str] | tuple[str, ...] = (),
                       start: int | None = None, end: int | None = None,
                       expected_version: int | None = None, force: bool = False) -> Changes:
        """Change the note, colour, tags (``tags`` replaces, ``add_tags``/``remove_tags``
        adjust) or the range (offsets in the document's latest text layer)."""
        with self.library.transaction() as s:
            h = H.get_row(s, highlight_id)
            fields = []
            if note is not None and note != h.note:
                h.note = note
                fields.append("note")
            if color is not None:
                h.color = T.check_color(color) or h.color
                fields.append("color")
            if start is not None or end is not None:
                # A new range is chosen in the text the user sees: the latest layer (for an
                # orphan, that also settles where it belongs).
                layer = latest_layer(s, h.document_id)
                assert layer is not None
                if layer.id != h.layer_id and (start is None or end is None):
                    raise UserError("Give both --start and --end: the highlight is on an "
                                    "older text layer", "offsets are in the latest layer")
                a, b = H.check_range(layer.text, h.start if start is None else start,
                                     h.end if end is None else end)
                H.place(h, layer, H.layer_pages(s, layer.id), a, b)
                h.page_geometry = None  # a range chosen in the text is a text highlight
                set_text_geometry(s, self.library, h, layer)
                h.status, h.candidate = "anchored", None
                fields.append("range")
            tags_changed = H.set_tags(s, h, tags, add_tags, remove_tags)
            if tags_changed:
                fields.append("tags")
            if fields:
                h.modified_at = utcnow()
                audit.record(s, audit.MODIFICATION, "highlight", h.id,
                             H.audit_details(s, h, fields=fields))
            hid, doc_id = h.id, h.document_id
        return self._highlight_changed(hid, doc_id, tags_changed)

    def delete_highlight(self, highlight_id: int) -> Changes:
        from workbench.models import EventSource, HighlightLink

        with self.library.transaction() as s:
            h = H.get_row(s, highlight_id)
            had_tags = bool(H.tag_ids(s, h.id))
            # Its links and its place among an event's sources go with it (the database
            # cascades): the audit event names them, the window redraws them.
            links = sorted(s.execute(select(HighlightLink.id).where(
                (HighlightLink.first_id == h.id) | (HighlightLink.second_id == h.id)))
                .scalars())
            events = sorted(s.execute(select(EventSource.event_id).where(
                EventSource.highlight_id == h.id)).scalars())
            details = H.audit_details(s, h)
            if links or events:
                details = {**details, "links_removed": links, "event_sources_removed": events}
            audit.record(s, audit.DELETION, "highlight", h.id, details)
            hid, doc_id = h.id, h.document_id
            s.delete(h)
        changes = self._highlight_changed(hid, doc_id, had_tags)
        changes.links, changes.events = bool(links), bool(events)
        return changes

    def _highlight_changed(self, hid: int, doc_id: int, tags_changed: bool) -> Changes:
        if tags_changed:
            self.library.index.documents_changed([doc_id])
        return Changes(highlights=True, tags=tags_changed, index=tags_changed,
                       document_ids=[doc_id], highlight_ids=[hid])

    # --- highlights: read --------------------------------------------------------------------

    def get_highlight(self, highlight_id: int) -> dict[str, Any]:
        with self.library.read() as s:
            return H.to_dicts(s, [H.get_row(s, highlight_id)])[0]

    def list_highlights(self, doc: str | int | None = None, tag: str | int | None = None,
                        status: str | None = None) -> list[dict[str, Any]]:
        """Highlights in document and text order; ``tag`` includes its sub-tags."""
        with self.library.read() as s:
            q = select(Highlight).order_by(Highlight.document_id, Highlight.start, Highlight.id)
            if doc is not None:
                q = q.where(Highlight.document_id == resolve_document(s, doc).id)
            if tag is not None:
                t = T.get_tag(s, tag)
                ids = [t.id, *T.descendants(s, t.id)]
                q = q.where(Highlight.id.in_(select(HighlightTag.highlight_id)
                                             .where(HighlightTag.tag_id.in_(ids))))
            if status is not None:
                q = q.where(Highlight.status == status)
            return H.to_dicts(s, list(s.execute(q).scalars()))

    def count_highlights(self) -> dict[str, int]:
        with self.library.read() as s:
            rows = s.execute(select(Highlight.status, func.count())
                             .group_by(Highlight.status)).all()
            return {str(k): int(v) for k, v in rows}

    # --- orphans -----------------------------------------------------------------------------

    def orphans(self, doc: str | int | None = None) -> list[dict[str, Any]]:
        """Highlights that re-anchoring could not place, each with its best ``candidate``."""
        return self.list_highlights(doc=doc, status="orphan")

    def accept_candidate(self, highlight_id: int) -> Changes:
        """Anchor an orphan at its candidate position."""
        with self.library.transaction() as s:
            h = H.get_row(s, highlight_id)
            c = h.candidate
            if h.status != "orphan" or not c:
                raise UserError(f"Highlight {h.id} is not an orphan with a candidate",
                                "edit its range instead")
            layer = s.get(TextLayer, c["layer_id"])
            if layer is None:
                raise NotFound("The candidate's text layer no longer exists")
            H.place(h, layer, H.layer_pages(s, layer.id), int(c["start"]), int(c["end"]))
            set_text_geometry(s, self.library, h, layer)
            h.status, h.candidate, h.modified_at = "anchored", None, utcnow()
            audit.record(s, audit.MODIFICATION, "highlight", h.id,
                         H.audit_details(s, h, operation="accept candidate"))
            hid, doc_id = h.id, h.document_id
        return self._highlight_changed(hid, doc_id, False)

    def discard_orphan(self, highlight_id: int) -> Changes:
        """Delete an orphan the user has decided to give up (an explicit choice, audited)."""
        with self.library.read() as s:
            if H.get_row(s, highlight_id).status != "orphan":
                raise UserError(f"Highlight {highlight_id} is not an orphan",
                                "use `highlight delete` for anchored highlights")
        return self.delete_highlight(highlight_id)

    # --- new text layers ---------------------------------------------------------------------

    def add_text_layer(self, doc_ref: str | int, extraction: Extraction,
                       reason: str = "new text layer", *,
                       whole_reading: bool = False) -> dict[str, Any]:
        """Add ``extraction`` as the document's newest text layer and re-anchor every
        highlight on it. Returns the counts: anchored / moved / fuzzy / orphaned.

        ``whole_reading``: the extraction read the stored original again (re-extraction,
        OCR), so it also becomes the document's problems, status, OCR metadata and
        uncorrected language (``reextract.adopt_reading``); the audit event records each
        old and new value, and the result adds ``problems``, ``status`` and ``language``."""
        with self.library.transaction() as s:
            doc = resolve_document(s, doc_ref)
            layer = add_text_layer(s, doc, extraction)
            doc.page_count, doc.modified_at = len(extraction.pages), utcnow()
            report: ReanchorReport = reanchor_layer(s, doc, layer, self.library)
            reading = adopt_reading(doc, extraction, layer) if whole_reading else {}
            audit.record(s, audit.MODIFICATION, "document", doc.id, {
                "operation": reason, "sha256": doc.sha256, **layer_details(layer),
                "layer_version": layer.version, "extractor": extraction.extractor,
                "extractor_version": extraction.extractor_version, **reading,
                **{k: v for k, v in report.to_json().items() if k != "document_id"}})
            doc_id = doc.id
            result = report.to_json()
            if whole_reading:
                result.update(problems=list(doc.problems), status=doc.status,
                              language=doc.language)
        self.library.index.documents_changed([doc_id])
        from workbench.copies.finder import find_copies_of

        # Signed again now, so a read-only `copies` and a search folding copies see it.
        result["copies_changed"] = find_copies_of(self.library, [doc_id])
        return result

    def reextract(self, doc_ref: str | int) -> dict[str, Any]:
        """Extract the stored original again (isolated worker, import options), re-anchor
        the document's highlights on the new layer and make it the document's reading (its
        problems, status and uncorrected language)."""
        with self.library.read() as s:
            doc = resolve_document(s, doc_ref)
            doc_id, sha256, kind = doc.id, doc.sha256, doc.kind
            source_url = s.execute(select(CollectionRecord.source_url).where(
                CollectionRecord.document_id == doc.id)).scalar_one_or_none()
        extraction = extract_original(self.library, sha256, kind, source_url)
        return self.add_text_layer(doc_id, extraction, reason="re-extraction",
                                   whole_reading=True)

    # --- the same passage elsewhere ------------------------------------------------------------

    def find_quote_elsewhere(self, highlight_id: int, *, threshold: float = 0.8,
                             limit: int = 50) -> list[dict[str, Any]]:
        """Other documents holding the highlight's passage, exactly or nearly (best first).
        Scans the latest text layers directly; no search index is needed."""
        with self.library.read() as s:
            h = H.get_row(s, highlight_id)
            quote, own_doc = h.quote, h.document_id
            latest = (select(TextLayer.document_id, func.max(TextLayer.version).label("v"))
                      .group_by(TextLayer.document_id).subquery())
            layers = s.execute(
                select(TextLayer.id, TextLayer.document_id, Document.title)
                .join(latest, (latest.c.document_id == TextLayer.document_id)
                      & (latest.c.v == TextLayer.version))
                .join(Document, Document.id == TextLayer.document_id)
                .where(TextLayer.document_id != own_doc).order_by(TextLayer.document_id)
            ).all()
            words = [w for w in anchoring.norm_quote(quote).split(" ")
                     if len(w) >= 5 and w.isalnum()]
            out = []
            for layer_id, doc_id, title in layers:
                text = s.execute(select(TextLayer.text)
                                 .where(TextLayer.id == layer_id)).scalar_one()
                if words and sum(w in text for w in words) * 2 < len(words):
                    continue  # cheap pre-filter: most longer words of the quote are absent
                found = _find_passage(text, quote, threshold)
                if found is not None:
                    pages = H.layer_pages(s, layer_id)
                    out.append({"document_id": doc_id, "title": title, "layer_id": layer_id,
                                "start": found.start, "end": found.end,
                                "page": H.page_of(pages, found.start),
                                "match": found.method, "score": round(found.score, 4),
                                "quote": text[found.start:found.end]})
        out.sort(key=lambda r: (-r["score"], r["document_id"]))
        return out[:limit]


def _find_passage(text: str, quote: str, threshold: float) -> anchoring.Match | None:
    nt = anchoring.normalize(text)
    q = anchoring.norm_quote(quote)
    hits = anchoring.find_all(nt.text, q, limit=1)
    if hits:
        a, b = nt.to_original(hits[0], hits[0] + len(q))
        return anchoring.Match(a, b, 1.0, "exact")
    near = anchoring.fuzzy_find(nt, quote, max_windows=6)
    if near is not None and near.score >= threshold:
        return anchoring.Match(near.start, near.end, near.score, "near")
    return None
