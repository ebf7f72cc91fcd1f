"""Links between highlights: two passages that corroborate or contradict each other, or
describe the same event (issue 18 §4), with the user's private note.

Owns the facade's ``LinksMixin`` (link, unlink, list, change a note), the session helpers the
dossier uses to list an exhibit's corroborating sources, and the W3C shape of a link: an
``Annotation`` with motivation ``linking`` whose two targets are the linked highlights'
annotation ids (``w3c.annotation_id``) and whose body is a ``TextualBody`` with purpose
``classifying`` and the relation as its value. The note is never exported.

Every relation is symmetric, so a link is stored once, with the smaller highlight id first.
A highlight's deletion drops its links (the foreign keys cascade).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from workbench import audit
from workbench.annotate import highlights as H
from workbench.changes import Changes
from workbench.document_queries import iso as _iso
from workbench.errors import NotFound, UserError
from workbench.ids import row_id
from workbench.library import Library
from workbench.models import Document, Highlight, HighlightLink

RELATIONS = ("corroborates", "contradicts", "same-event")
# What a dossier exhibit lists after its citation: contradicting sources are the user's to
# weigh and present, never listed automatically.
CORROBORATING = ("corroborates", "same-event")
W3C_PURPOSE = "classifying"
_NS = uuid.UUID("0b1e3f7c-5a52-4c55-9a7e-6c1d3e2f4a90")  # uuid5 namespace of link ids


def check_relation(relation: str) -> str:
    value = (relation or "").strip().lower()
    if value not in RELATIONS:
        raise UserError(f"Unknown relation {relation!r}",
                        f"choose one of {', '.join(RELATIONS)}")
    return value


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def links_of(session: Session, highlight_id: int,
             relations: Iterable[str] = RELATIONS) -> list[tuple[HighlightLink, Highlight]]:
    """The highlight's links with the highlight at the other end, in the order made."""
    rows = session.execute(
        select(HighlightLink).where(
            or_(HighlightLink.first_id == highlight_id, HighlightLink.second_id == highlight_id),
            HighlightLink.relation.in_(list(relations)))
        .order_by(HighlightLink.id)).scalars().all()
    out = []
    for link in rows:
        other = session.get(Highlight, link.second_id if link.first_id == highlight_id
                            else link.first_id)
        if other is not None:
            out.append((link, other))
    return out


def links_within(session: Session, ids: Iterable[int]) -> list[HighlightLink]:
    """The links whose two highlights are both among ``ids`` (an export's highlights)."""
    wanted = sorted(set(ids))
    found: dict[int, HighlightLink] = {}
    for start in range(0, len(wanted), 400):  # SQLite caps the number of bound parameters
        chunk = wanted[start:start + 400]
        for link in session.execute(select(HighlightLink).where(
                HighlightLink.first_id.in_(chunk))).scalars():
            found[link.id] = link
    keep = set(wanted)
    return [found[k] for k in sorted(found) if found[k].second_id in keep]


def _audit(s: Session, kind: str, link: HighlightLink, **extra: Any) -> None:
    # Ids only: the note is the user's own and the audit log travels in bundles' reach.
    audit.record(s, kind, "highlight_link", link.id, {
        "first_id": link.first_id, "second_id": link.second_id, "relation": link.relation,
        "note": bool(link.note), **extra})


def _link_dict(s: Session, link: HighlightLink, other: Highlight) -> dict[str, Any]:
    doc = s.get(Document, other.document_id)
    return {"id": link.id, "relation": link.relation,
            "other": {"highlight_id": other.id, "document_id": other.document_id,
                      "title": doc.title if doc else None, "page": other.page,
                      "quote": other.quote},
            "note": link.note, "created_at": _iso(link.created_at)}


class LinksMixin:
    library: Library

    def link_highlights(self, a: int, b: int, relation: str, note: str = "") -> Changes:
        """Link two highlights (``corroborates``, ``contradicts`` or ``same-event``; every
        relation is symmetric). ``note`` is private: never exported."""
        relation = check_relation(relation)
        with self.library.transaction() as s:
            ha, hb = H.get_row(s, a), H.get_row(s, b)
            if ha.id == hb.id:
                raise UserError("A highlight cannot be linked to itself",
                                "choose another highlight, in this or another document")
            first, second = _pair(ha.id, hb.id)
            if s.execute(select(HighlightLink.id).where(
                    HighlightLink.first_id == first, HighlightLink.second_id == second,
                    HighlightLink.relation == relation)).first() is not None:
                raise UserError(f"Highlights {ha.id} and {hb.id} are already linked as "
                                f"{relation}", "see `workbench highlight links "
                                f"{ha.id}`; change its note there or unlink it")
            link = HighlightLink(first_id=first, second_id=second, relation=relation,
                                 note=note or "")
            s.add(link)
            s.flush()
            _audit(s, audit.CREATION, link)
            docs = sorted({ha.document_id, hb.document_id})
        return Changes(links=True, highlights=True, highlight_ids=[ha.id, hb.id],
                       document_ids=docs)

    def unlink_highlights(self, a: int, b: int, relation: str | None = None) -> Changes:
        """Remove the link of ``relation`` between two highlights, or every link between
        them when no relation is given."""
        rel = check_relation(relation) if relation is not None else None
        with self.library.transaction() as s:
            ha, hb = H.get_row(s, a), H.get_row(s, b)
            first, second = _pair(ha.id, hb.id)
            q = select(HighlightLink).where(HighlightLink.first_id == first,
                                            HighlightLink.second_id == second)
            if rel is not None:
                q = q.where(HighlightLink.relation == rel)
            rows = s.execute(q.order_by(HighlightLink.id)).scalars().all()
            if not rows:
                what = f" as {rel}" if rel else ""
                raise UserError(f"Highlights {ha.id} and {hb.id} are not linked{what}",
                                f"see `workbench highlight links {ha.id}`")
            for link in rows:
                _audit(s, audit.DELETION, link)
                s.delete(link)
            docs = sorted({ha.document_id, hb.document_id})
        return Changes(links=True, highlights=True, highlight_ids=[ha.id, hb.id],
                       document_ids=docs)

    def set_link_note(self, link_id: int, note: str) -> Changes:
        """Change a link's private note."""
        with self.library.transaction() as s:
            key = row_id(link_id)
            link = s.get(HighlightLink, key) if key is not None else None
            if link is None:
                raise NotFound(f"No link {link_id}", "see `workbench highlight links ID`")
            link.note = note or ""
            _audit(s, audit.MODIFICATION, link, fields=["note"])
            ids = [link.first_id, link.second_id]
        return Changes(links=True, highlights=True, highlight_ids=ids)

    def highlight_links(self, highlight_id: int) -> list[dict[str, Any]]:
        """The highlight's links, in the order they were made, each with the other end."""
        with self.library.read() as s:
            h = H.get_row(s, highlight_id)
            return [_link_dict(s, link, other) for link, other in links_of(s, h.id)]


# --- W3C --------------------------------------------------------------------------------------


def link_annotation(link: HighlightLink, first: str, second: str) -> dict[str, Any]:
    """One link as a W3C ``Annotation`` (``first``/``second``: the highlights' annotation
    ids). A stable id, so the same link exports under the same IRI every time."""
    return {
        "id": f"urn:uuid:{uuid.uuid5(_NS, f'{first} {second} {link.relation}')}",
        "type": "Annotation",
        "motivation": "linking",
        "created": _iso(link.created_at),
        "body": {"type": "TextualBody", "purpose": W3C_PURPOSE, "value": link.relation},
        "target": [first, second],
    }


def is_link(anno: dict[str, Any]) -> bool:
    motivation = anno.get("motivation")
    return motivation == "linking" or (isinstance(motivation, list) and "linking" in motivation)


def _relation_of(anno: dict[str, Any]) -> str | None:
    bodies = anno.get("body")
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if isinstance(body, dict) and str(body.get("value", "")).lower() in RELATIONS:
            return str(body["value"]).lower()
    return None


def _target_ids(anno: dict[str, Any]) -> list[str]:
    targets = anno.get("target")
    out = []
    for t in targets if isinstance(targets, list) else [targets]:
        value = t.get("id") if isinstance(t, dict) else t
        if isinstance(value, str):
            out.append(value)
    return out


def import_links(s: Session, annos: list[dict[str, Any]], ids: dict[str, int],
                 report: dict[str, Any], file_sha: str) -> list[int]:
    """Restore the links of ``annos`` between highlights of this import (``ids``: annotation
    id in the file -> highlight id here, new or already present). Counts what was imported,
    already present, or could not be resolved (a target missing from the file, a relation
    Workbench does not know) in ``report``; returns the linked highlight ids."""
    report.update(links=len(annos), links_imported=0, links_present=0, links_unresolved=0)
    touched: list[int] = []
    for anno in annos:
        relation = _relation_of(anno)
        targets = [ids.get(t) for t in _target_ids(anno)]
        if relation is None or len(targets) != 2 or None in targets or targets[0] == targets[1]:
            report["links_unresolved"] += 1
            continue
        first, second = _pair(int(targets[0] or 0), int(targets[1] or 0))
        if s.execute(select(HighlightLink.id).where(
                HighlightLink.first_id == first, HighlightLink.second_id == second,
                HighlightLink.relation == relation)).first() is not None:
            report["links_present"] += 1
            continue
        link = HighlightLink(first_id=first, second_id=second, relation=relation, note="")
        s.add(link)
        s.flush()
        _audit(s, audit.CREATION, link, imported_from_sha256=file_sha)
        report["links_imported"] += 1
        touched += [first, second]
    return touched
