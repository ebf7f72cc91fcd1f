"""The entity register's user actions, one small function each, run through the session.

Reads go through ``session.query`` and changes through ``session.mutate`` (which broadcasts the
``Changes`` the core returns), always on the worker thread: finding an entity's mentions reads
the search index and many texts, and must never hold up the window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..session import Session
from ..tasks import Task

Done = Callable[[Any], None] | None
Failed = Callable[[BaseException], None] | None

KINDS = ("person", "organisation", "place", "other")


def list_entities(session: Session, on_done: Callable[[Any], None]) -> Task:
    return session.query(lambda wb: wb.list_entities(), on_done, "read the entity register")


def get_entity(session: Session, ref: int | str, on_done: Callable[[Any], None]) -> Task:
    return session.query(lambda wb: wb.get_entity(ref), on_done, "read the entity")


def mentions(session: Session, ref: int, on_done: Callable[[Any], None],
             on_error: Failed = None) -> Task:
    return session.query(lambda wb: wb.entity_mentions(ref), on_done,
                         "find the entity's mentions", on_error)


def suggestions(session: Session, on_done: Callable[[Any], None]) -> Task:
    return session.query(lambda wb: wb.entity_suggestions(), on_done, "suggest entities")


def add_entity(session: Session, kind: str, name: str, aliases: Sequence[str], note: str,
               on_done: Done = None, on_error: Failed = None) -> Task:
    return session.mutate(lambda wb: wb.add_entity(kind, name, aliases=tuple(aliases),
                                                   note=note),
                          on_done, "register the entity", on_error)


def save_entity(session: Session, entity_id: int, kind: str, name: str,
                names: Sequence[str], note: str, old: dict[str, Any],
                on_done: Done = None, on_error: Failed = None) -> Task:
    """The dialog's edit as the core's steps in one task: new aliases first (so the shown name
    may become one of them), then name, kind and note, then the aliases taken away."""
    wanted = [n for n in dict.fromkeys([name, *names]) if n]

    def work(wb: Any) -> Any:
        had = list(old.get("names", []))
        changes = None

        def merge(c: Any) -> None:
            nonlocal changes
            changes = c if changes is None else changes.merge(c)

        for n in wanted:
            if n not in had:
                merge(wb.add_alias(entity_id, n))
        if name != old.get("name") or kind != old.get("kind") or note != old.get("note", ""):
            merge(wb.edit_entity(entity_id, name=name, kind=kind, note=note))
        for n in had:
            if n not in wanted:
                merge(wb.remove_alias(entity_id, n))
        return changes

    return session.mutate(work, on_done, "save the entity", on_error)


def add_alias(session: Session, entity_id: int, name: str, on_done: Done = None) -> Task:
    return session.mutate(lambda wb: wb.add_alias(entity_id, name), on_done, "add the name")


def delete_entity(session: Session, entity_id: int, on_done: Done = None) -> Task:
    return session.mutate(lambda wb: wb.delete_entity(entity_id), on_done,
                          "delete the entity")


def link_document(session: Session, entity_id: int, doc_id: int, on_done: Done = None) -> Task:
    return session.mutate(lambda wb: wb.link_entity_document(entity_id, doc_id), on_done,
                          "link the document")


def unlink_document(session: Session, entity_id: int, doc_id: int,
                    on_done: Done = None) -> Task:
    return session.mutate(lambda wb: wb.unlink_entity_document(entity_id, doc_id), on_done,
                          "unlink the document")


def redact_entity(session: Session, dossier_id: int, entity_id: int, reason: str,
                  label: str | None, on_done: Done = None, on_error: Failed = None, *,
                  expected_version: int | None = None, force: bool = False) -> Task:
    """``label`` is printed in the exports (None: ``REDACTED``); ``reason`` stays private.
    ``expected_version``: the dossier's version as the builder showed it; a change by
    someone else since is refused (``ConflictError``, to ``on_error``) unless ``force``."""
    def work(wb: Any) -> Any:
        return wb.redact_entity(dossier_id, entity_id, reason, label=label,
                                expected_version=expected_version, force=force)

    return session.mutate(work, on_done, "redact the person", on_error)


def redact_entity_instead(session: Session, dossier_id: int, term: str, term_rule: int | None,
                          reason: str, label: str | None, on_done: Done = None,
                          on_error: Failed = None) -> Task:
    """"Redact the person instead": the entity one of whose names is ``term`` is redacted with
    the same reason and label, then the term's own rule (now covered) is removed."""
    def work(wb: Any) -> Any:
        entity = wb.get_entity(term)
        changes = wb.redact_entity(dossier_id, entity["id"], reason, label=label)
        if term_rule is not None:
            changes = changes.merge(wb.remove_redaction(dossier_id, term_rule))
        return entity, changes

    return session.mutate(work, on_done, "redact the person", on_error)
