"""Redacting a person, not a string: the dossier's entity rules and the warning about a
spelling redacted alone.

An entity rule is a ``Redaction`` row with ``entity_id`` set and no text; ``dossier.model.
rules_for`` expands it into one rule per name the entity has at export time, so every export,
preview and leak check hides every name, aliases added later included. This module checks a
new entity rule the way ``DossiersMixin._redact`` checks a term, and finds, for a term that is
one name of an entity, the other names the dossier still shows.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..dossier import editing
from ..dossier.model import dossier_strings, rules_for
from ..dossier.originals import cited_documents, documents_containing
from ..dossier.redaction import Rule, contains, label_clash, mark
from ..errors import UserError
from ..models import Dossier, Entity, Redaction
from ..redact.fold import fold
from . import register as reg


def new_entity_rule(s: Session, d: Dossier, entity_ref: str | int, reason: str,
                    label: str) -> tuple[Entity, Redaction]:
    """The checked, unsaved rule hiding every name of the entity in dossier ``d``."""
    e = reg.get_entity(s, entity_ref)
    rows = s.execute(select(Redaction).where(Redaction.dossier_id == d.id)).scalars().all()
    if any(r.entity_id == e.id for r in rows):
        raise UserError(f"Dossier {d.id} already redacts entity {e.id}",
                        "its rule hides every name the entity has, new aliases included")
    names = reg.names_of(s, e)
    texts = [r.text for r in rules_for(s, d.id)]
    marks = sorted({mark(r.label) for r in rows} | {mark(label)})
    for name in names:
        clash = label_clash(name, marks)
        if clash:
            raise UserError(f"Cannot redact entity {e.id}: every export prints one of its names "
                            f"as part of {clash!r}", "remove that name from the entity, or "
                            "choose another printed label")
    if any(contains(label, t) for t in (*texts, *names)):
        raise UserError("A printed label may not contain a redacted text",
                        "the label is printed in every export; choose a category such as "
                        "'witness safety'")
    # The reason is written into the audit log, which holds no redacted text.
    if any(contains(reason, t) for t in (*texts, *names)):
        raise UserError("A redaction reason may not contain a redacted text",
                        "the reason is kept in this library's audit log; say why without "
                        "naming what is hidden")
    return e, Redaction(dossier_id=d.id, item_id=None, text="", entity_id=e.id, label=label,
                        reason=reason)


def alias_warnings(s: Session, d: Dossier, text: str) -> list[str]:
    """For a ``text`` just redacted that is one name of an entity: a warning naming each other
    name of it that the dossier (or a document it cites) still contains unredacted."""
    key = fold(text).strip()
    rules = rules_for(s, d.id)
    hidden = {fold(r.text).strip() for r in rules}
    strings: list[str] | None = None
    cited: set[int] | None = None
    out = []
    for eid, names in reg.all_names(s).items():
        if key not in {fold(n).strip() for n in names}:
            continue
        e = s.get(Entity, eid)
        assert e is not None
        if strings is None:
            strings = [t for _owner, t in dossier_strings(s, d)]
            cited = cited_documents(s, editing.ordered_items(s, d.id))
        assert cited is not None
        shown = [n for n in names if fold(n).strip() not in hidden and (
            any(contains(t, n) for t in strings)
            or documents_containing(s, cited, [Rule(n, "")]))]
        if shown:
            also = ", ".join(f"“{n}”" for n in shown)
            out.append(f"“{text}” is one name of the {e.kind} {e.name}; the dossier also "
                       f"contains {also}: redact the {e.kind} (`dossier redact {d.id} "
                       f"--entity {e.id}`) to hide every name")
    return out
