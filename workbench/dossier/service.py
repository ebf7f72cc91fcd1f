"""Dossiers as the facade exposes them: build, order, annotate, redact, freeze, export.

``DossiersMixin`` is one part of ``services.Workbench``. Every mutation is one transaction that
writes its audit event (details hold ids, never text: a redacted term must not reach the audit
log, which bundles export; a redaction's event also holds its printed label and its private
reason, which bundles leave out) and returns a ``DossierChanges``. Reads return plain dicts or the
resolved ``DossierView``. A frozen dossier refuses every edit; ``new_version`` copies it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..changes import Changes
from ..document_queries import iso, resolve_document
from ..errors import NotFound, UserError
from ..ids import row_id
from ..library import Library
from ..models import (
    Collection,
    Dossier,
    DossierItem,
    DossierSection,
    Entity,
    Highlight,
    Redaction,
    utcnow,
)
from ..shared.versions import versioned
from . import editing
from .corroboration import HEADING as CORROBORATION_HEADING
from .facsimile import default_pages, format_pages, set_item_facsimile
from .model import DossierView, build_view, dossier_strings, raw_item, rules_for
from .originals import cited_documents, documents_containing
from .pages_service import PagesMixin, redaction_dict
from .redaction import Rule, clean_label, contains, label_clash, mark, segments_text


@dataclass
class DossierChanges(Changes):
    item_ids: list[int] = field(default_factory=list)
    redaction_ids: list[int] = field(default_factory=list)
    # What the user should know about an edit that succeeded (a redacted spelling while the
    # dossier shows another name of the same person): shown, never stopping the edit.
    warnings: list[str] = field(default_factory=list)


def _changed(dossier_id: int, **kw: Any) -> DossierChanges:
    return DossierChanges(dossiers=True, dossier_ids=[dossier_id], **kw)


def _summary(s: Session, d: Dossier) -> dict[str, Any]:
    n = s.execute(select(func.count(DossierItem.id))
                  .where(DossierItem.dossier_id == d.id)).scalar_one()
    case = s.get(Collection, d.collection_id) if d.collection_id else None
    return {"id": d.id, "title": d.title, "case": case.name if case else None,
            "author": d.author, "organisation": d.organisation, "description": d.description,
            "prefix": d.exhibit_prefix, "items": int(n), "frozen": d.frozen_at is not None,
            "frozen_at": iso(d.frozen_at), "version_of": d.version_of_id,
            "created_at": iso(d.created_at), "modified_at": iso(d.modified_at),
            "version": d.version}


def _facsimile_fields(s: Session, it: DossierItem) -> dict[str, Any]:
    """An item's facsimile as ``dossier show`` gives it: the pages shown (None when not a
    facsimile, or when they are found only once a web page's capture is laid out)."""
    if not it.facsimile:
        return {"facsimile": False, "facsimile_pages": None, "facsimile_pages_default": False}
    pages = it.facsimile_pages
    if pages is None:
        found = default_pages(s, it)
        pages = format_pages(found) if found else None
    return {"facsimile": True, "facsimile_pages": pages,
            "facsimile_pages_default": it.facsimile_pages is None}


class DossiersMixin(PagesMixin):
    library: Library

    # --- dossiers --------------------------------------------------------------------------

    def create_dossier(self, title: str, *, case: str | None = None, author: str = "",
                       organisation: str = "", description: str = "",
                       prefix: str | None = None) -> DossierChanges:
        if not title.strip():
            raise UserError("A dossier needs a title")
        with self.library.transaction() as s:
            col_id = None
            if case:
                from ..persist import ensure_collection

                col_id = ensure_collection(s, case).id
            d = Dossier(title=title.strip(), collection_id=col_id, author=author,
                        organisation=organisation, description=description,
                        exhibit_prefix="Exhibit " if prefix is None else prefix)
            s.add(d)
            s.flush()
            audit.record(s, audit.CREATION, "dossier", d.id, {"collection_id": col_id})
            return _changed(d.id)

    def list_dossiers(self) -> list[dict[str, Any]]:
        with self.library.read() as s:
            return [_summary(s, d) for d in
                    s.execute(select(Dossier).order_by(Dossier.id)).scalars()]

    def get_dossier(self, ref: str | int) -> dict[str, Any]:
        """The dossier with its sections and items (unredacted: this is the working view)."""
        with self.library.read() as s:
            d = editing.get_dossier(s, ref)
            out = _summary(s, d)
            out["sections"] = [{"id": x.id, "title": x.title, "position": x.position}
                               for x in editing.sections(s, d.id)]
            names = {x.id: x.title for x in editing.sections(s, d.id)}
            items = []
            for it in editing.ordered_items(s, d.id):
                raw = raw_item(s, it)
                items.append({
                    "id": it.id, "kind": it.kind, "label": it.exhibit_label,
                    "section": names.get(it.section_id) if it.section_id else None,
                    "position": it.position, "highlight_id": it.highlight_id,
                    "document_id": it.document_id, "text": raw.text, "page": raw.page,
                    "commentary": it.commentary, "missing": raw.missing,
                    "chronology": it.chronology,
                    **_facsimile_fields(s, it), "corroboration": it.corroboration,
                    "source": None if raw.source is None else {
                        "title": raw.source.title, "sha256": raw.source.sha256,
                        "url": raw.source.final_url or raw.source.url},
                })
            out["entries"] = items
            out["redactions"] = self._redaction_dicts(s, d.id)
            return out

    def dossier_view(self, ref: str | int, *, full_text: bool = False) -> DossierView:
        """The redacted, resolved dossier every exporter renders.

        With ``full_text`` (as every export asks), ``redacted_documents`` also holds cited
        documents whose full text, not only the excerpt shown, contains a redacted text:
        their originals must stay out of bundles. That reads every cited document's text
        (~35 ms per 100 KB), so previews leave it out."""
        with self.library.read() as s:
            view = build_view(s, editing.get_dossier(s, ref))
            if full_text:
                cited = {src.document_id for src in view.sources}
                view.redacted_documents |= documents_containing(s, cited, view.rules)
            return view

    @versioned("dossier")
    def update_dossier(self, ref: str | int, *, expected_version: int | None = None,
                       force: bool = False, **fields: Any) -> DossierChanges:
        allowed = {"title", "author", "organisation", "description", "prefix", "case"}
        unknown = set(fields) - allowed
        if unknown:
            raise UserError(f"Cannot change {', '.join(sorted(unknown))}",
                            f"changeable: {', '.join(sorted(allowed))}")
        with self.library.transaction() as s:
            d = editing.get_dossier(s, ref)
            editing.require_editable(d)
            for key, value in fields.items():
                if key == "prefix":
                    d.exhibit_prefix = value
                elif key == "case":
                    from ..persist import ensure_collection

                    d.collection_id = ensure_collection(s, value).id if value else None
                else:
                    setattr(d, key, value)
            d.modified_at = utcnow()
            editing.renumber(s, d)
            audit.record(s, audit.MODIFICATION, "dossier", d.id, {"fields": sorted(fields)})
            return _changed(d.id)

    # --- items and sections ----------------------------------------------------------------

    @versioned("dossier")
    def add_item(self, dossier: str | int, *, highlight: int | None = None,
                 document: str | int | None = None, note: str | None = None,
                 section: str | None = None, commentary: str = "",
                 position: int | None = None,
                 commentary_from_note: bool = False, facsimile: bool = False,
                 pages: str | None = None,
                 expected_version: int | None = None, force: bool = False) -> DossierChanges:
        """Add an exhibit. ``commentary_from_note``: a highlight's note becomes the exhibit's
        commentary when none is given (an explicit choice: notes can be private memos).
        ``facsimile``: shown as its source's own pages too (``pages`` like ``"3-4,7"``;
        default the pages the highlight spans, or every page of a document)."""
        if sum(x is not None for x in (highlight, document, note)) != 1:
            raise UserError("Give exactly one of a highlight, a document or a note")
        with self.library.transaction() as s:
            d = editing.get_dossier(s, dossier)
            editing.require_editable(d)
            sec = editing.find_section(s, d, section, create=True) if section else None
            it = DossierItem(dossier_id=d.id, section_id=sec.id if sec else None,
                             commentary=commentary,
                             position=editing.next_position(s, d.id, sec.id if sec else None))
            if highlight is not None:
                key = row_id(highlight)
                h = s.get(Highlight, key) if key is not None else None
                if h is None:
                    raise NotFound(f"No highlight {highlight}",
                                   "see `workbench highlight list` for ids")
                it.kind, it.highlight_id, it.document_id = "highlight", h.id, h.document_id
                it.quote_snapshot = h.quote
                if commentary_from_note and not commentary.strip() and h.note.strip():
                    it.commentary = h.note
            elif document is not None:
                doc = resolve_document(s, document)
                it.kind, it.document_id, it.quote_snapshot = "document", doc.id, doc.title
            else:
                if not str(note).strip():
                    raise UserError("A note needs some text")
                it.kind, it.note_text = "note", str(note)
            if facsimile or pages:
                set_item_facsimile(s, it, facsimile, pages)
            s.add(it)
            s.flush()
            if position is not None:
                editing.move(s, d, it, position)
            editing.renumber(s, d)
            d.modified_at = utcnow()
            audit.record(s, audit.MODIFICATION, "dossier", d.id,
                         {"action": "add item", "item_id": it.id, "kind": it.kind,
                          "highlight_id": it.highlight_id, "document_id": it.document_id,
                          **({"facsimile": True, "pages": it.facsimile_pages}
                             if it.facsimile else {})})
            return _changed(d.id, item_ids=[it.id])

    @versioned("dossier")
    def move_item(self, dossier: str | int, item: str | int, position: int,
                  section: str | None = None,
                  *, expected_version: int | None = None, force: bool = False) -> DossierChanges:
        with self.library.transaction() as s:
            d = editing.get_dossier(s, dossier)
            editing.require_editable(d)
            it = editing.get_item(s, d, item)
            target = editing.find_section(s, d, section, create=True) if section else "keep"
            editing.move(s, d, it, position, target)
            d.modified_at = utcnow()
            audit.record(s, audit.MODIFICATION, "dossier", d.id,
                         {"action": "move item", "item_id": it.id, "position": position})
            return _changed(d.id, item_ids=[it.id])

    @versioned("dossier")
    def remove_item(self, dossier: str | int, item: str | int,
                    *, expected_version: int | None = None, force: bool = False) -> DossierChanges:
        with self.library.transaction() as s:
            d = editing.get_dossier(s, dossier)
            editing.require_editable(d)
            it = editing.get_item(s, d, item)
            item_id = it.id
            s.delete(it)
            editing.renumber(s, d)
            d.modified_at = utcnow()
            audit.record(s, audit.MODIFICATION, "dossier", d.id,
                         {"action": "remove item", "item_id": item_id})
            return _changed(d.id, item_ids=[item_id])

    @versioned("dossier")
    def set_item_corroboration(self, dossier: str | int, item: str | int,
                               on: bool,
                               *, expected_version: int | None = None,
                               force: bool = False) -> DossierChanges:
        """Whether a highlight exhibit lists, after its citation, the sources linked to it
        as corroborating it or describing the same event ("Corroborated by:")."""
        with self.library.transaction() as s:
            d = editing.get_dossier(s, dossier)
            editing.require_editable(d)
            it = editing.get_item(s, d, item)
            if it.kind != "highlight":
                raise UserError(f"Item {it.id} is not a highlight exhibit",
                                "only an excerpt lists the sources linked to its highlight")
            it.corroboration = bool(on)
            d.modified_at = utcnow()
            audit.record(s, audit.MODIFICATION, "dossier", d.id,
                         {"action": "set corroboration", "item_id": it.id, "on": bool(on)})
            return _changed(d.id, item_ids=[it.id])

    @versioned("dossier")
    def set_commentary(self, dossier: str | int, item: str | int, text: str,
                       *, expected_version: int | None = None,
                       force: bool = False) -> DossierChanges:
        with self.library.transaction() as s:
            d = editing.get_dossier(s, dossier)
            editing.require_editable(d)
            it = editing.get_item(s, d, item)
            it.commentary = text
            d.modified_at = utcnow()
            audit.record(s, audit.MODIFICATION, "dossier", d.id,
                         {"action": "set commentary", "item_id": it.id})
            return _changed(d.id, item_ids=[it.id])

    @versioned("dossier")
    def add_section(self, dossier: str | int, title: str,
                    *, expected_version: int | None = None, force: bool = False) -> DossierChanges:
        with self.library.transaction() as s:
            d = editing.get_dossier(s, dossier)
            editing.require_editable(d)
            if any(x.title == title for x in editing.sections(s, d.id)):
                raise UserError(f"Dossier {d.id} already has a section {title!r}")
            sec = editing.find_section(s, d, title, create=True)
            audit.record(s, audit.MODIFICATION, "dossier", d.id,
                         {"action": "add section", "section_id": sec.id})
            return _changed(d.id)

    @versioned("dossier")
    def rename_section(self, dossier: str | int, section: str | int,
                       title: str,
                       *, expected_version: int | None = None,
                       force: bool = False) -> DossierChanges:
        with self.library.transaction() as s:
            d = editing.get_dossier(s, dossier)
            editing.require_editable(d)
            sec = editing.find_section(s, d, section)
            if not title.strip():
                raise UserError("A section needs a name")
            sec.title = title.strip()
            audit.record(s, audit.MODIFICATION, "dossier", d.id,
                         {"action": "rename section", "section_id": sec.id})
            return _changed(d.id)

    # --- redaction -------------------------------------------------------------------------

    @versioned("dossier")
    def redact_term(self, dossier: str | int, term: str, reason: str,
                    label: str | None = None,
                    *, expected_version: int | None = None, force: bool = False) -> DossierChanges:
        """Hide every occurrence of ``term`` across the dossier in every export.

        Exports print ``label`` in its place (``[REDACTED]`` by default, or
        ``[REDACTED: witness safety]``); ``reason`` is private, kept in the library."""
        return self._redact(dossier, None, term, reason, label)

    @versioned("dossier")
    def redact_quote(self, dossier: str | int, item: str | int, quote: str,
                     reason: str, label: str | None = None,
                     *, expected_version: int | None = None, force: bool = False) -> DossierChanges:
        """Hide ``quote`` in one item (and, so it cannot leak, wherever else it appears)."""
        return self._redact(dossier, item, quote, reason, label)

    @versioned("dossier")
    def redact_entity(self, dossier: str | int, entity: str | int, reason: str,
                      label: str | None = None,
                      *, expected_version: int | None = None,
                      force: bool = False) -> DossierChanges:
        """Hide every name and alias of an entity (as it has them at each export) across the
        dossier in every export: a person, not a string."""
        from ..entities.redaction import new_entity_rule

        editing.require_reason(reason)
        label = clean_label(label)
        with self.library.transaction() as s:
            d = editing.get_dossier(s, dossier)
            editing.require_editable(d)
            e, r = new_entity_rule(s, d, entity, reason.strip(), label)
            s.add(r)
            s.flush()
            d.modified_at = utcnow()
            # Action "redact", so bundles drop the private reason as for any text rule.
            audit.record(s, audit.MODIFICATION, "dossier", d.id,
                         {"action": "redact", "redaction_id": r.id, "item_id": None,
                          "entity_id": e.id, "label": label, "reason": r.reason})
            return _changed(d.id, redaction_ids=[r.id])

    def _redact(self, dossier: str | int, item: str | int | None, text: str,
                reason: str, label: str | None) -> DossierChanges:
        if not text.strip():
            raise UserError("Give the text to redact")
        editing.require_reason(reason)
        label = clean_label(label)
        with self.library.transaction() as s:
            d = editing.get_dossier(s, dossier)
            editing.require_editable(d)
            it = editing.get_item(s, d, item) if item is not None else None
            others = s.execute(select(Redaction).where(Redaction.dossier_id == d.id)
                               ).scalars().all()
            other_texts = [x.text for x in rules_for(s, d.id)]  # an entity's names too
            # Every export prints its own words and the dossier's marks (this one's too): a
            # text inside them could never be exported clean.
            clash = label_clash(text, sorted({mark(r.label) for r in others} | {mark(label)}))
            if clash:
                raise UserError(f"Cannot redact {text!r}: every export prints it as part of "
                                f"{clash!r}", "redact a longer, more specific phrase, or "
                                "choose another printed label")
            if any(contains(label, t) for t in other_texts):
                raise UserError("A printed label may not contain a redacted text",
                                "the label is printed in every export; choose a category "
                                "such as 'witness safety'")
            self._require_occurrence(s, d, it, text)
            # The reason is written into the audit log, which holds no redacted text.
            if contains(reason, text) or any(contains(reason, t) for t in other_texts):
                raise UserError("A redaction reason may not contain a redacted text",
                                "the reason is kept in this library's audit log; say why "
                                "without naming what is hidden")
            r = Redaction(dossier_id=d.id, item_id=it.id if it else None, text=text.strip(),
                          label=label, reason=reason.strip())
            s.add(r)
            s.flush()
            d.modified_at = utcnow()
            # ``reason`` is the one private detail: ``bundle.audit_events_for_export`` drops it.
            audit.record(s, audit.MODIFICATION, "dossier", d.id,
                         {"action": "redact", "redaction_id": r.id,
                          "item_id": it.id if it else None, "label": label,
                          "reason": r.reason})
            from ..entities.redaction import alias_warnings

            return _changed(d.id, redaction_ids=[r.id],
                            warnings=alias_warnings(s, d, r.text))

    @staticmethod
    def _require_occurrence(s: Session, d: Dossier, it: DossierItem | None, text: str) -> None:
        """Refuse a redaction whose text occurs neither in the dossier (or the item) nor in
        the full text of a document it cites; text found only there withholds that original
        from bundles (see ``originals``)."""
        strings = dossier_strings(s, d)
        if any(contains(t, text) for owner, t in strings if it is None or owner == it.id):
            return
        items = [it] if it is not None else editing.ordered_items(s, d.id)
        if documents_containing(s, cited_documents(s, items), [Rule(text, "")]):
            return
        if it is None:
            where = f"dossier {d.id} or in the text of the documents it cites"
        else:
            where = f"item {it.id}" + ("" if it.kind == "note" else " or its document's text")
        raise UserError(f"The text to redact occurs nowhere in {where}",
                        "check the spelling; nothing was redacted")

    def _redaction_dicts(self, s: Session, dossier_id: int) -> list[dict[str, Any]]:
        rows = s.execute(select(Redaction).where(Redaction.dossier_id == dossier_id)
                         .order_by(Redaction.id)).scalars()
        out = []
        for r in rows:
            row = redaction_dict(r)
            if r.entity_id is not None:  # a person, not a string: its names are not listed
                entity = s.get(Entity, r.entity_id)
                row.update(kind="entity", entity_id=r.entity_id,
                           entity=entity.name if entity else None)
            else:
                row["entity_id"] = None
            out.append(row)
        return out

    def list_redactions(self, dossier: str | int) -> list[dict[str, Any]]:
        with self.library.read() as s:
            return self._redaction_dicts(s, editing.get_dossier(s, dossier).id)

    @versioned("dossier")
    def remove_redaction(self, dossier: str | int, redaction_id: int,
                         *, expected_version: int | None = None,
                         force: bool = False) -> DossierChanges:
        with self.library.transaction() as s:
            d = editing.get_dossier(s, dossier)
            editing.require_editable(d)
            key = row_id(redaction_id)
            r = s.get(Redaction, key) if key is not None else None
            if r is None or r.dossier_id != d.id:
                raise NotFound(f"Dossier {d.id} has no redaction {redaction_id}")
            s.delete(r)
            audit.record(s, audit.MODIFICATION, "dossier", d.id,
                         {"action": "remove redaction", "redaction_id": int(redaction_id)})
            return _changed(d.id, redaction_ids=[int(redaction_id)])

    # --- freezing and versions -------------------------------------------------------------

    @versioned("dossier")
    def freeze(self, dossier: str | int,
               *, expected_version: int | None = None, force: bool = False) -> DossierChanges:
        with self.library.transaction() as s:
            d = editing.get_dossier(s, dossier)
            editing.require_editable(d)
            editing.renumber(s, d)
            d.frozen_at = utcnow()
            audit.record(s, audit.MODIFICATION, "dossier", d.id, {"action": "freeze"})
            return _changed(d.id)

    def new_version(self, dossier: str | int) -> DossierChanges:
        """An editable copy of the dossier (sections, items, redactions), linked to it."""
        with self.library.transaction() as s:
            old = editing.get_dossier(s, dossier)
            d = Dossier(title=old.title, collection_id=old.collection_id, author=old.author,
                        organisation=old.organisation, description=old.description,
                        exhibit_prefix=old.exhibit_prefix, version_of_id=old.id)
            s.add(d)
            s.flush()
            sec_map: dict[int | None, int | None] = {None: None}
            for sec in editing.sections(s, old.id):
                new = DossierSection(dossier_id=d.id, title=sec.title, position=sec.position)
                s.add(new)
                s.flush()
                sec_map[sec.id] = new.id
            item_map: dict[int, int] = {}
            for it in editing.ordered_items(s, old.id):
                copy = DossierItem(
                    dossier_id=d.id, section_id=sec_map.get(it.section_id),
                    position=it.position, kind=it.kind, highlight_id=it.highlight_id,
                    document_id=it.document_id, note_text=it.note_text,
                    commentary=it.commentary, quote_snapshot=it.quote_snapshot,
                    facsimile=it.facsimile, facsimile_pages=it.facsimile_pages,
                    corroboration=it.corroboration, chronology=it.chronology)
                s.add(copy)
                s.flush()
                item_map[it.id] = copy.id
            for r in s.execute(select(Redaction).where(Redaction.dossier_id == old.id)).scalars():
                s.add(Redaction(dossier_id=d.id, text=r.text, label=r.label, reason=r.reason,
                                item_id=item_map.get(r.item_id) if r.item_id else None,
                                area=r.area, entity_id=r.entity_id))
            editing.renumber(s, d)
            audit.record(s, audit.CREATION, "dossier", d.id,
                         {"action": "new version", "version_of": old.id})
            return _changed(d.id)

    # --- export ----------------------------------------------------------------------------

    def export(self, dossier: str | int, format: str, out: str | Path,
               bates: str | None = None, progress: Callable[[Any], None] | None = None,
               cancel: Any = None) -> dict[str, Any]:
        """Write the dossier as pdf, docx, html or bundle; leak-check it; audit it.

        ``progress`` receives ``workbench.progress.Progress`` steps (write, check, done);
        ``cancel`` is a ``CancelToken`` checked between steps (raises ``Cancelled``)."""
        from ..export import run_export
        from ..shared.roles import check_export

        check_export(self.library, dossier=True)  # a shared case's owners export dossiers
        with self._early_layout(dossier, format):
            view = self.dossier_view(dossier, full_text=True)
            result = run_export(self.library, view, format, Path(out), bates=bates,
                                progress=progress, cancel=cancel)
        from ..pending_events import PENDING, RECORDED, note

        with self.library.read() as s:
            # The rules as the user made them (a person's rule is one, whatever their names).
            rules = s.execute(select(func.count(Redaction.id))
                              .where(Redaction.dossier_id == view.id)).scalar_one()
        # Appended now; beside the window holding the library, left for its next writer.
        state = note(self.library, audit.DISSEMINATION, "dossier", view.id, {
            "format": result.format, "sha256": result.sha256, "size": result.size,
            "exhibits": len(view.exhibits), "redactions": int(rules),
            "bates": bool(bates), "files": result.files,
            "excluded_originals": result.excluded_originals})
        return {**result.to_json(), "recorded": state == RECORDED, "pending": state == PENDING}

    def _early_layout(self, dossier: str | int, format: str) -> AbstractContextManager[None]:
        """The PDF layout processes a big dossier's export will use, started before its view
        is built (issue 16: their start then overlaps the view); nothing for other formats."""
        if format.lower() not in ("pdf", "bundle"):
            return nullcontext()
        from ..export.pdf import early_layout

        with self.library.read() as s:
            items = s.execute(select(func.count(DossierItem.id)).where(
                DossierItem.dossier_id == editing.get_dossier(s, dossier).id)).scalar_one()
        return early_layout(int(items), format.lower())

    def sources_csl(self, dossier: str | int) -> list[dict[str, Any]]:
        from .citations import csl_json

        return csl_json(self.dossier_view(dossier).sources)

    def view_text(self, dossier: str | int) -> str:
        """The redacted dossier as plain text (what a preview shows)."""
        view = self.dossier_view(dossier)
        lines = [view.title]
        for it in view.items:
            lines += [it.heading, segments_text(it.body), segments_text(it.commentary)]
            if it.corroborated_by:
                lines.append(CORROBORATION_HEADING)
                lines += [f"{segments_text(c.quote)} ({c.citation})" for c in it.corroborated_by]
            if it.chronology:
                lines += [f"{r.date} · {segments_text(r.statement)} · {r.status}"
                          for r in it.chronology.rows]
        return "\n".join(lines)
