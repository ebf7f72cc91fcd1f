"""The facade's page-level dossier edits: facsimile exhibits and area redactions.

``PagesMixin`` is part of ``DossiersMixin`` (and so of ``services.Workbench``). As for every
dossier edit, each call is one transaction with its audit event (ids, pages and rectangles;
never text), a frozen dossier refuses it, and it returns a ``DossierChanges`` the builder and
the page viewer refresh from. Given the dossier's ``version`` last seen
(``expected_version``), an edit is refused when someone changed the dossier since, unless
``force`` (``workbench.shared.versions``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import audit
from ..document_queries import iso, resolve_document
from ..errors import UserError
from ..models import Redaction, utcnow
from ..shared.versions import versioned
from . import editing
from .facsimile import Rect, area_json, check_area, is_pdf, page_count, pdf_page_size
from .facsimile import set_item_facsimile as _set
from .originals import cited_documents
from .redaction import clean_label, mark

if TYPE_CHECKING:
    from ..library import Library
    from .service import DossierChanges


class PagesMixin:
    library: Library

    @versioned("dossier")
    def set_facsimile(self, dossier: str | int, item: str | int, facsimile: bool,
                      pages: str | None = None, *, expected_version: int | None = None,
                      force: bool = False) -> DossierChanges:
        """Show ``item`` as its source's own pages (``pages`` like ``"3-4,7"``, None for the
        default: the pages its highlight spans, or every page of a document) or not."""
        from .service import _changed

        with self.library.transaction() as s:
            d = editing.get_dossier(s, dossier)
            editing.require_editable(d)
            it = editing.get_item(s, d, item)
            _set(s, it, facsimile, pages)
            d.modified_at = utcnow()
            audit.record(s, audit.MODIFICATION, "dossier", d.id,
                         {"action": "set facsimile", "item_id": it.id,
                          "facsimile": it.facsimile, "pages": it.facsimile_pages})
            return _changed(d.id, item_ids=[it.id])

    @versioned("dossier")
    def redact_area(self, dossier: str | int, document: str | int, page: int, rect: Rect,
                    reason: str, *, label: str | None = None,
                    expected_version: int | None = None, force: bool = False
                    ) -> DossierChanges:
        """Black out ``rect`` (PDF points from the top-left corner of ``page`` as displayed)
        on every facsimile of ``document`` in the dossier: what a term cannot name, such as
        a face, a signature or a name drawn as an image. The document's original then stays
        out of bundles, as its bytes still show what the area hides."""
        from .service import _changed

        editing.require_reason(reason, "shows a face")
        label = clean_label(label)
        with self.library.transaction() as s:
            d = editing.get_dossier(s, dossier)
            editing.require_editable(d)
            doc = resolve_document(s, document)
            if doc.id not in cited_documents(s, editing.ordered_items(s, d.id)):
                raise UserError(f"Dossier {d.id} does not cite document {doc.id}",
                                "add it (or a highlight of it) to the dossier first")
            size = self._page_size(doc.sha256, page) if is_pdf(doc) else None
            box = check_area(int(page), rect, page_count(s, doc.id), size, doc.id)
            r = Redaction(dossier_id=d.id, item_id=None, text="", label=label,
                          reason=reason.strip(), area=area_json(doc.id, int(page), box))
            s.add(r)
            s.flush()
            d.modified_at = utcnow()
            # As for text rules, the reason is the one private detail (bundles drop it).
            audit.record(s, audit.MODIFICATION, "dossier", d.id,
                         {"action": "redact area", "redaction_id": r.id,
                          "document_id": doc.id, "page": int(page), "rect": list(box),
                          "label": label, "reason": r.reason})
            return _changed(d.id, redaction_ids=[r.id])

    def document_areas(self, document: str | int) -> list[dict[str, Any]]:
        """The area rules drawn on ``document``'s pages in every dossier, for the page view:
        ``{"redaction_id", "dossier_id", "dossier", "page", "rect", "label"}`` by page."""
        from sqlalchemy import select

        from ..models import Dossier

        with self.library.read() as s:
            doc = resolve_document(s, document)
            rows = s.execute(select(Redaction, Dossier.title).join(
                Dossier, Dossier.id == Redaction.dossier_id).where(Redaction.area.is_not(None))
                .order_by(Redaction.id)).all()
            areas = [{"redaction_id": r.id, "dossier_id": r.dossier_id, "dossier": title,
                      "page": int(r.area["page"]), "rect": [float(v) for v in r.area["rect"]],
                      "label": r.label}
                     for r, title in rows
                     if isinstance(r.area, dict) and r.area.get("document_id") == doc.id]
        return sorted(areas, key=lambda a: (a["page"], a["redaction_id"]))

    def _page_size(self, sha256: str, page: int) -> tuple[float, float] | None:
        if page < 1 or not self.library.originals.exists(sha256):
            return None
        with self.library.originals.materialize(sha256) as path:
            return pdf_page_size(path, page)


def redaction_dict(r: Redaction) -> dict[str, Any]:
    """The facade's dict of a redaction rule (``kind``: term, quote or area)."""
    kind = "area" if r.area else ("quote" if r.item_id else "term")
    return {"id": r.id, "kind": kind, "item_id": r.item_id,
            "scope": "item" if r.item_id else "dossier", "text": r.text, "label": r.label,
            "mark": mark(r.label), "reason": r.reason, "area": r.area,
            "created_at": iso(r.created_at)}
