"""Record actions: correct or revert fields of a document's record (one worker call)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..session import Session
from ..tasks import Task


def save_record(session: Session, doc_id: int, values: dict[str, str | None],
                revert: Iterable[str] = (), on_done: Callable[[Any], None] | None = None,
                on_error: Callable[[BaseException], None] | None = None) -> Task:
    """``values`` sets fields (empty clears), ``revert`` puts fields back as captured; the
    ``Changes`` it returns (``records``) makes the viewer reload the document."""
    reverts = list(revert)
    return session.mutate(lambda wb: wb.edit_document(doc_id, revert=reverts, **values),
                          on_done, "save the record", on_error)
