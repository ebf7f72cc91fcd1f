"""Collection actions: rename a collection, take documents out of one (one worker call each).

Both take the collection's version the window shows (``seen``): a change by someone else
since is refused (``ConflictError``, to ``on_error``: ui/conflicts.py asks reload or
overwrite) unless ``force``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..session import Session
from ..tasks import Task

OnError = Callable[[BaseException], None] | None


def rename_collection(session: Session, collection_id: int, name: str, *,
                      seen: int | None = None, force: bool = False,
                      on_done: Callable[[Any], None] | None = None,
                      on_error: OnError = None) -> Task:
    return session.mutate(lambda wb: wb.rename_collection(collection_id, name,
                                                          expected_version=seen, force=force),
                          on_done, "rename the collection", on_error)


def remove_from_collection(session: Session, ids: list[int], collection_id: int, *,
                           seen: int | None = None, force: bool = False,
                           on_done: Callable[[Any], None] | None = None,
                           on_error: OnError = None) -> Task:
    return session.mutate(lambda wb: wb.remove_from_collection(list(ids), collection_id,
                                                               expected_version=seen,
                                                               force=force),
                          on_done, "remove from the collection", on_error)


def list_collections(session: Session, on_done: Callable[[list[dict[str, Any]]], None]) -> Task:
    return session.query(lambda wb: wb.list_collections(), on_done, "read the collections")
