"""Which documents a dossier cites, and which of them hold redacted text in their text layers.

An original file goes into a bundle byte for byte, so a redacted term that occurs anywhere in a
cited document — not only in the excerpt shown — would leak through it. A redaction is
therefore accepted when its text occurs in a cited document's text, even if nowhere in the
dossier's visible text, and such a document's original is left out of bundles.

Every text layer counts (an older OCR layer may show text the latest one lost), and matching
uses the one matcher the leak check uses, so whatever the leak check could find in an original's
text marks that original as withheld.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..chronology.dossier_section import section_documents
from ..models import DossierItem, Highlight, TextLayer
from .corroboration import linked_documents
from .redaction import Rule, matcher_of


def cited_documents(session: Session, items: Iterable[DossierItem]) -> set[int]:
    """The ids of the documents behind these items (excerpts and whole documents) and the
    sources an exhibit lists as corroborating it or a chronology section cites."""
    items = list(items)
    ids: set[int] = linked_documents(session, items) | section_documents(session, items)
    for it in items:
        if it.kind == "note":
            continue
        h = session.get(Highlight, it.highlight_id) if it.highlight_id else None
        doc_id = h.document_id if h is not None else it.document_id
        if doc_id is not None:
            ids.add(doc_id)
    return ids


def documents_containing(session: Session, document_ids: Iterable[int],
                         rules: list[Rule]) -> set[int]:
    """The documents among ``document_ids`` whose text (any layer) contains a rule's text."""
    matcher = matcher_of(rules)
    wanted = sorted(set(document_ids))
    if not matcher or not wanted:
        return set()
    found: set[int] = set()
    for start in range(0, len(wanted), 500):  # SQLite caps the number of bound parameters
        rows = session.execute(
            select(TextLayer.document_id, TextLayer.text)
            .where(TextLayer.document_id.in_(wanted[start:start + 500]))).all()
        for doc_id, text in rows:
            if doc_id not in found and matcher.find_in_readings(text or "") is not None:
                found.add(doc_id)
    return found
