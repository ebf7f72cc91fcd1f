"""The entity register's rows inside one session: finding an entity, its names, its dict.

An entity is found by its id or by any of its names compared by ``name_key`` (NFKC, case
folded, one space between words), so ``ekpar asat`` finds ``Ekpar Asat``. The shown name is
always one of its ``EntityName`` rows; the names are listed shown name first, then in the order
they were added.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, UserError
from ..ids import row_id
from ..models import Document, Entity, EntityDocument, EntityName, Redaction

KINDS = ("person", "organisation", "place", "other")
NAME_MAX = 200  # characters: a name, not a paragraph

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def name_key(name: str) -> str:
    """How two names are compared: ``EKPAR  asat`` and ``Ekpar Asat`` are one name."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def clean_name(name: str) -> str:
    """A name as stored: trimmed, one line, one space between words."""
    text = " ".join(str(name or "").split())
    if not text:
        raise UserError("An entity needs a name", "e.g. entity add 'Ekpar Asat' --kind person")
    if _CONTROL.search(str(name).strip()):
        raise UserError("A name must be one line")
    if len(text) > NAME_MAX:
        raise UserError(f"A name must be short (at most {NAME_MAX} characters)",
                        "put the rest in the entity's note")
    return text


def check_kind(kind: str) -> str:
    value = str(kind or "").strip().lower()
    if value not in KINDS:
        raise UserError(f"Unknown entity kind {kind!r}", f"use one of: {', '.join(KINDS)}")
    return value


def names_of(s: Session, e: Entity) -> list[str]:
    """The entity's names, shown name first."""
    rows = s.execute(select(EntityName.name).where(EntityName.entity_id == e.id)
                     .order_by(EntityName.id)).scalars().all()
    return [e.name, *(n for n in rows if n != e.name)]


def name_row(s: Session, e: Entity, name: str) -> EntityName | None:
    key = name_key(name)
    for row in s.execute(select(EntityName).where(EntityName.entity_id == e.id)).scalars():
        if name_key(row.name) == key:
            return row
    return None


def get_entity(s: Session, ref: str | int) -> Entity:
    """An entity by id or by one of its names (case-folded); two with that name: an error."""
    key = row_id(ref)
    if key is not None:
        e = s.get(Entity, key)
        if e is not None:
            return e
    wanted = name_key(str(ref))
    # Names are few (a register is curated by hand): compare folded keys in Python, which
    # SQLite's ASCII-only lower() could not do for Ü or full-width letters.
    ids = sorted({eid for eid, n in s.execute(select(EntityName.entity_id, EntityName.name))
                  if name_key(n) == wanted})
    if len(ids) == 1:
        e = s.get(Entity, ids[0])
        assert e is not None
        return e
    if len(ids) > 1:
        raise UserError(f"{len(ids)} entities have the name {str(ref)!r} "
                        f"(ids {', '.join(map(str, ids))})", "give the entity's id instead")
    raise NotFound(f"No entity {str(ref)!r}", "see `workbench entity list` for ids and names")


def linked_documents(s: Session, e: Entity) -> list[dict[str, Any]]:
    rows = s.execute(select(Document.id, Document.title).join(
        EntityDocument, EntityDocument.document_id == Document.id)
        .where(EntityDocument.entity_id == e.id).order_by(Document.title, Document.id))
    return [{"document_id": i, "title": t} for i, t in rows]


def entity_dict(s: Session, e: Entity, *, documents: int | None = None) -> dict[str, Any]:
    if documents is None:
        documents = int(s.execute(select(func.count()).select_from(EntityDocument)
                                  .where(EntityDocument.entity_id == e.id)).scalar_one())
    return {"id": e.id, "kind": e.kind, "name": e.name, "names": names_of(s, e),
            "documents": documents, "note": e.note, "version": e.version}


def all_names(s: Session) -> dict[int, list[str]]:
    """Every entity's names by id (shown name first)."""
    shown = dict(s.execute(select(Entity.id, Entity.name)).all())
    out: dict[int, list[str]] = {i: [n] for i, n in shown.items()}
    for eid, name in s.execute(select(EntityName.entity_id, EntityName.name)
                               .order_by(EntityName.id)):
        if name != shown.get(eid):
            out.setdefault(eid, []).append(name)
    return out


def rules_naming(s: Session, e: Entity) -> list[Redaction]:
    return list(s.execute(select(Redaction).where(Redaction.entity_id == e.id)
                          .order_by(Redaction.id)).scalars())
