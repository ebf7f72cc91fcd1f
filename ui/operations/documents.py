"""Document actions: delete, edit metadata, add to a collection (each one worker call)."""

from __future__ import annotations

from typing import Any

from workbench.changes import Changes

from ..session import Session
from ..tasks import Task


def delete_documents(session: Session, ids: list[int]) -> Task:
    def work(wb: Any) -> Changes:
        changes = Changes()
        for doc_id in ids:
            changes = changes.merge(wb.delete_document(doc_id))
        return changes

    return session.mutate(work, doing="delete the documents")


def edit_document(session: Session, doc_id: int, **fields: Any) -> Task:
    return session.mutate(lambda wb: wb.edit_document(doc_id, **fields),
                          doing="edit the document")


def add_to_collection(session: Session, ids: list[str | int], name: str) -> Task:
    return session.mutate(lambda wb: wb.add_to_collection(ids, name),
                          doing="add to the collection")
