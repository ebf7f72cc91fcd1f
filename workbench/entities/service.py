"""The entity register as the facade exposes it: people, organisations, places and other
things, with names and aliases in any script, a private note and links to documents.

``EntitiesMixin`` is one part of ``services.Workbench``. Every mutation is one transaction that
writes its audit event and returns an ``EntityChanges``. The audit details hold ids and
counts, never a name or the note: a name may be one a dossier hides, and the audit log is
permanent (a redacted export carries it redacted, but the library's own log cannot forget).
Redacting an entity from a dossier is ``DossiersMixin.redact_entity``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select

from .. import audit
from ..changes import Changes
from ..document_queries import resolve_document
from ..errors import UserError
from ..library import Library
from ..models import Document, Entity, EntityDocument, EntityName, Redaction, utcnow
from ..shared.versions import versioned
from . import register as reg


@dataclass
class EntityChanges(Changes):
    entity_ids: list[int] = field(default_factory=list)


def _changed(entity_id: int, **kw: Any) -> EntityChanges:
    return EntityChanges(entities=True, entity_ids=[entity_id], **kw)


class EntitiesMixin:
    library: Library

    # --- reading ---------------------------------------------------------------------------

    def list_entities(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Every entity (of ``kind``), by shown name."""
        with self.library.read() as s:
            q = select(Entity).order_by(Entity.name, Entity.id)
            if kind:
                q = q.where(Entity.kind == reg.check_kind(kind))
            counts = dict(s.execute(select(EntityDocument.entity_id, func.count())
                                    .group_by(EntityDocument.entity_id)).all())
            return [reg.entity_dict(s, e, documents=int(counts.get(e.id, 0)))
                    for e in s.execute(q).scalars()]

    def get_entity(self, ref: str | int) -> dict[str, Any]:
        """One entity by id or any of its names, with its linked documents."""
        with self.library.read() as s:
            e = reg.get_entity(s, ref)
            out = reg.entity_dict(s, e)
            out["linked_documents"] = reg.linked_documents(s, e)
            return out

    # --- the register ----------------------------------------------------------------------

    def add_entity(self, kind: str, name: str, *, aliases: tuple[str, ...] | list[str] = (),
                   note: str = "") -> EntityChanges:
        kind = reg.check_kind(kind)
        names = _distinct([reg.clean_name(name), *(reg.clean_name(a) for a in aliases)])
        with self.library.transaction() as s:
            e = Entity(kind=kind, name=names[0], note=note or "")
            s.add(e)
            s.flush()
            for n in names:
                s.add(EntityName(entity_id=e.id, name=n))
            s.flush()
            audit.record(s, audit.CREATION, "entity", e.id, {"kind": kind, "names": len(names)})
            return _changed(e.id)

    @versioned("entity")
    def edit_entity(self, ref: str | int, *, name: str | None = None, kind: str | None = None,
                    note: str | None = None,
                    expected_version: int | None = None, force: bool = False) -> EntityChanges:
        """Change the shown name (the old one stays as an alias: a name never silently stops
        being hidden), the kind or the private note."""
        with self.library.transaction() as s:
            e = reg.get_entity(s, ref)
            changed: list[str] = []
            if name is not None:
                new = reg.clean_name(name)
                row = reg.name_row(s, e, new)
                if row is None:
                    self._check_new_name(s, e, new)
                    row = EntityName(entity_id=e.id, name=new)
                    s.add(row)
                    s.flush()
                if e.name != row.name:
                    e.name = row.name
                    changed.append("name")
            if kind is not None and reg.check_kind(kind) != e.kind:
                e.kind = reg.check_kind(kind)
                changed.append("kind")
            if note is not None and note != e.note:
                e.note = note
                changed.append("note")
            if changed:
                e.modified_at = utcnow()
                audit.record(s, audit.MODIFICATION, "entity", e.id,
                             {"action": "edit", "changed": changed})
            return _changed(e.id)

    @versioned("entity")
    def add_alias(self, ref: str | int, name: str,
                  *, expected_version: int | None = None, force: bool = False) -> EntityChanges:
        """Another name of the entity; every dossier redacting the entity hides it from its
        next export on."""
        new = reg.clean_name(name)
        with self.library.transaction() as s:
            e = reg.get_entity(s, ref)
            if reg.name_row(s, e, new) is not None:
                raise UserError(f"{new!r} is already a name of entity {e.id}")
            self._check_new_name(s, e, new)
            row = EntityName(entity_id=e.id, name=new)
            s.add(row)
            s.flush()
            e.modified_at = utcnow()
            audit.record(s, audit.MODIFICATION, "entity", e.id,
                         {"action": "add alias", "name_id": row.id})
            return _changed(e.id)

    @versioned("entity")
    def remove_alias(self, ref: str | int, name: str,
                     *, expected_version: int | None = None, force: bool = False) -> EntityChanges:
        with self.library.transaction() as s:
            e = reg.get_entity(s, ref)
            row = reg.name_row(s, e, name)
            if row is None:
                raise UserError(f"{name!r} is not a name of entity {e.id}",
                                f"its names: {', '.join(reg.names_of(s, e))}")
            rules = reg.rules_naming(s, e)
            if rules:
                where = ", ".join(sorted({f"dossier {r.dossier_id}" for r in rules}))
                raise UserError(f"Entity {e.id} is redacted in {where}: removing a name would "
                                "stop hiding it there", "remove that redaction first, or keep "
                                "the name (a misspelling hidden too does no harm)")
            rest = [n for n in reg.names_of(s, e) if n != row.name]
            if not rest:
                raise UserError(f"{row.name!r} is the entity's last name",
                                "add another name first, or delete the entity")
            if e.name == row.name:
                e.name = rest[0]
            row_id = row.id
            s.delete(row)
            e.modified_at = utcnow()
            audit.record(s, audit.MODIFICATION, "entity", e.id,
                         {"action": "remove alias", "name_id": row_id})
            return _changed(e.id)

    def delete_entity(self, ref: str | int) -> EntityChanges:
        with self.library.transaction() as s:
            e = reg.get_entity(s, ref)
            rules = reg.rules_naming(s, e)
            if rules:
                where = ", ".join(sorted({f"dossier {r.dossier_id}" for r in rules}))
                raise UserError(f"Entity {e.id} is redacted by {len(rules)} redaction rule(s) "
                                f"({where}); deleting it would stop hiding its names",
                                "remove those redactions first (`workbench dossier unredact`)")
            eid = e.id
            s.execute(delete(EntityDocument).where(EntityDocument.entity_id == eid))
            s.execute(delete(EntityName).where(EntityName.entity_id == eid))
            s.delete(e)
            audit.record(s, audit.DELETION, "entity", eid, {})
            return _changed(eid)

    def link_entity_document(self, ref: str | int, doc_ref: str | int) -> EntityChanges:
        with self.library.transaction() as s:
            e = reg.get_entity(s, ref)
            doc = resolve_document(s, doc_ref)
            if s.get(EntityDocument, (e.id, doc.id)) is not None:
                raise UserError(f"Document {doc.id} is already linked to entity {e.id}")
            s.add(EntityDocument(entity_id=e.id, document_id=doc.id))
            audit.record(s, audit.MODIFICATION, "entity", e.id,
                         {"action": "link document", "document_id": doc.id})
            return _changed(e.id, document_ids=[doc.id])

    def unlink_entity_document(self, ref: str | int, doc_ref: str | int) -> EntityChanges:
        with self.library.transaction() as s:
            e = reg.get_entity(s, ref)
            doc = resolve_document(s, doc_ref)
            link = s.get(EntityDocument, (e.id, doc.id))
            if link is None:
                raise UserError(f"Document {doc.id} is not linked to entity {e.id}")
            s.delete(link)
            audit.record(s, audit.MODIFICATION, "entity", e.id,
                         {"action": "unlink document", "document_id": doc.id})
            return _changed(e.id, document_ids=[doc.id])

    @staticmethod
    def _check_new_name(s: Any, e: Entity, name: str) -> None:
        """A name a dossier's redaction of this entity could not hide cleanly is refused: one
        the exports print themselves (``Page``) or inside that dossier's printed marks."""
        from ..dossier.redaction import label_clash, mark

        for dossier_id in sorted({r.dossier_id for r in reg.rules_naming(s, e)}):
            marks = sorted({mark(label) for label in s.execute(
                select(Redaction.label).where(Redaction.dossier_id == dossier_id)).scalars()})
            clash = label_clash(name, marks)
            if clash:
                raise UserError(f"Cannot add the name {name!r}: dossier {dossier_id} redacts "
                                f"this entity and every export prints it as part of {clash!r}",
                                "give a longer, more specific name")

    # --- mentions and suggestions ----------------------------------------------------------

    def entity_mentions(self, ref: str | int, *,
                        limit_per_document: int = 20) -> list[dict[str, Any]]:
        """Every place one of the entity's names can be read in a document's latest text
        (see ``entities.mentions``), by document title; each document with its ``kind``,
        ``original_filename`` and ``site``."""
        from .mentions import find_mentions

        with self.library.read() as s:
            names = reg.names_of(s, reg.get_entity(s, ref))
        found = find_mentions(self.library, self._entity_search, names,
                              limit_per_document=limit_per_document)
        # What tells two documents of one title apart (a PDF and its saved web page).
        about: dict[int, tuple[str, str | None, str | None]] = {}
        ids = [int(d["document_id"]) for d in found]
        with self.library.read() as s:
            for i in range(0, len(ids), 500):
                q = select(Document.id, Document.kind, Document.original_filename,
                           Document.site).where(Document.id.in_(ids[i:i + 500]))
                for doc_id, kind, filename, site in s.execute(q):
                    about[int(doc_id)] = (kind, filename, site)
        for d in found:
            kind, filename, site = about.get(int(d["document_id"]), ("", None, None))
            d.update(kind=kind, original_filename=filename, site=site)
        return found

    def _entity_search(self, query: str, limit: int, offset: int) -> tuple[list[int], int]:
        result = self.search(query, limit, offset,  # type: ignore[attr-defined]
                             facets=False, snippets=False)
        return [h.document_id for h in result.hits], int(result.total)

    def entity_suggestions(self, limit: int = 50) -> list[dict[str, Any]]:
        """Names from the library not yet registered (see ``entities.suggestions``)."""
        from ..redact.fold import fold
        from .suggestions import suggestions

        with self.library.read() as s:
            registered = {fold(n) for names in reg.all_names(s).values() for n in names}
            out = suggestions(s, registered, limit=10_000)
        for item in out:
            if item["source"] == "alias-group":
                item["documents"] = self._count_documents(item["name"])
        out.sort(key=lambda x: -x["documents"])  # stable: ties keep their order
        return out[:max(0, limit)]

    def _count_documents(self, query: str) -> int:
        """Documents a search for ``query`` finds (an alias group's name expands to its
        spellings); 0 when the index cannot answer."""
        from .mentions import plain_words

        q = plain_words(query)
        if not q:
            return 0
        try:
            return self._entity_search(q, 0, 0)[1]
        except UserError:
            return 0


def _distinct(names: list[str]) -> list[str]:
    """``names`` without repeats (compared as ``name_key`` compares them), first kept."""
    seen: set[str] = set()
    out = []
    for n in names:
        key = reg.name_key(n)
        if key not in seen:
            seen.add(key)
            out.append(n)
    return out
