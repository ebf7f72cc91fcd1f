"""Session-level dossier rules: finding dossiers and items, order, exhibit numbers, freezing.

The facade (``service.py``) wraps these in transactions with audit events. Display order is
sections by position (items outside any section first), then items by position inside their
section; exhibit numbers run over highlights and documents in that order (notes get none) and
are stored on the items, so a frozen dossier keeps the numbers it was frozen with.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, UserError
from ..ids import row_id
from ..models import Dossier, DossierItem, DossierSection

EXHIBIT_KINDS = ("highlight", "document")


def require_reason(reason: str, example: str = "names a witness") -> str:
    """The stripped reason of a new redaction rule; every rule needs one (kept in the library,
    never exported)."""
    if not reason.strip():
        raise UserError("A redaction needs a reason",
                        f"e.g. --reason '{example}' (kept in this library, never exported)")
    return reason.strip()


def get_dossier(session: Session, ref: str | int) -> Dossier:
    """A dossier by id, or by its exact title when that names exactly one."""
    text = str(ref).strip()
    if (dossier_id := row_id(text)) is not None:
        d = session.get(Dossier, dossier_id)
        if d is not None:
            return d
    rows = session.execute(select(Dossier).where(Dossier.title == text).limit(2)).scalars().all()
    if len(rows) == 1:
        return rows[0]
    if len(rows) > 1:
        raise UserError(f"Several dossiers are titled {text!r}", "give the dossier's id")
    raise NotFound(f"No dossier {text}", "see `workbench dossier list` for ids")


def sections(session: Session, dossier_id: int) -> list[DossierSection]:
    return list(session.execute(
        select(DossierSection).where(DossierSection.dossier_id == dossier_id)
        .order_by(DossierSection.position, DossierSection.id)).scalars())


def ordered_items(session: Session, dossier_id: int) -> list[DossierItem]:
    rank: dict[int | None, int] = {None: -1}
    rank.update({s.id: i for i, s in enumerate(sections(session, dossier_id))})
    items = session.execute(select(DossierItem).where(DossierItem.dossier_id == dossier_id)
                            ).scalars().all()
    return sorted(items, key=lambda it: (rank.get(it.section_id, -1), it.position, it.id))


def get_item(session: Session, dossier: Dossier, ref: str | int) -> DossierItem:
    """An item of ``dossier`` by id or by its exhibit label (``3``, ``Exhibit 3``, ``A-3``)."""
    text = str(ref).strip()
    items = ordered_items(session, dossier.id)
    if (item_id := row_id(text)) is not None:
        for it in items:
            if it.id == item_id:
                return it
    for it in items:
        if it.exhibit_label and it.exhibit_label.strip().lower() == text.lower():
            return it
    raise NotFound(f"Dossier {dossier.id} has no item {text}",
                   f"see `workbench dossier show {dossier.id}` for item ids")


def require_editable(dossier: Dossier) -> None:
    if dossier.frozen_at is not None:
        raise UserError(f"Dossier {dossier.id} is frozen and cannot be changed",
                        f"make an editable copy with `workbench dossier new-version {dossier.id}`")


def label(prefix: str, number: int) -> str:
    return f"{prefix}{number}"


def renumber(session: Session, dossier: Dossier) -> None:
    """Give exhibits consecutive labels in display order; positions become 1..n per section."""
    session.flush()
    n = 0
    per_section: dict[int | None, int] = {}
    for it in ordered_items(session, dossier.id):
        per_section[it.section_id] = per_section.get(it.section_id, 0) + 1
        it.position = per_section[it.section_id]
        if it.kind in EXHIBIT_KINDS:
            n += 1
            it.exhibit_label = label(dossier.exhibit_prefix, n)
        else:
            it.exhibit_label = None
    session.flush()


def next_position(session: Session, dossier_id: int, section_id: int | None) -> int:
    q = select(func.max(DossierItem.position)).where(DossierItem.dossier_id == dossier_id)
    q = q.where(DossierItem.section_id.is_(None) if section_id is None
                else DossierItem.section_id == section_id)
    return int(session.execute(q).scalar() or 0) + 1


def find_section(session: Session, dossier: Dossier, name: str | int,
                 create: bool = False) -> DossierSection:
    """A section by id or title; ``create`` adds a titled one at the end when missing."""
    text = str(name).strip()
    section_id = row_id(text)
    for sec in sections(session, dossier.id):
        if (section_id is not None and sec.id == section_id) or sec.title == text:
            return sec
    if not create:
        raise NotFound(f"Dossier {dossier.id} has no section {text!r}")
    if not text:
        raise UserError("A section needs a name")
    pos = len(sections(session, dossier.id)) + 1
    sec = DossierSection(dossier_id=dossier.id, title=text, position=pos)
    session.add(sec)
    session.flush()
    return sec


def move(session: Session, dossier: Dossier, item: DossierItem, position: int,
         section: DossierSection | str | None = "keep") -> None:
    """Put ``item`` at 1-based ``position`` inside its (or the given) section."""
    if not isinstance(section, str):
        item.section_id = None if section is None else section.id
    peers = [it for it in ordered_items(session, dossier.id)
             if it.section_id == item.section_id and it.id != item.id]
    if position < 1 or position > len(peers) + 1:
        raise UserError(f"Position {position} is out of range",
                        f"positions in this section run from 1 to {len(peers) + 1}")
    peers.insert(position - 1, item)
    for i, it in enumerate(peers, 1):
        it.position = i
    renumber(session, dossier)
