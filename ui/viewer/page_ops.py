"""The page viewer's actions on the library, one worker call each (as ``ui/operations``):
read the text a drag covers, highlight on the page, redact an area, list the dossiers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..session import Session
from ..tasks import Task
from .page_sources import Rect


def text_at(session: Session, doc_id: int, page: int, rects: list[Rect],
            on_done: Callable[[Any], None]) -> Task:
    """The layer range ``rects`` cover (None when no character lies inside)."""
    return session.query(lambda wb: wb.page_text_at(doc_id, page, [list(r) for r in rects]),
                         on_done, "read the selected text", lambda _e: on_done(None))


def add_page_highlight(session: Session, doc_id: int, page: int, rects: list[Rect],
                       region: bool, tags: list[str], note: str,
                       on_done: Callable[[Any], None] | None = None) -> Task:
    return session.mutate(lambda wb: wb.add_page_highlight(
        doc_id, page, [list(r) for r in rects], region=region, tags=tags, note=note),
        on_done, "highlight on the page")


def redact_area(session: Session, dossier_id: int, doc_id: int, page: int, rect: Rect,
                reason: str, label: str, on_done: Callable[[Any], None],
                on_error: Callable[[BaseException], None], *,
                expected_version: int | None = None, force: bool = False) -> Task:
    """``expected_version``: the dossier's version when the dialog listed it; a change by
    someone else since is refused (``ConflictError``, to ``on_error``) unless ``force``."""
    return session.mutate(lambda wb: wb.redact_area(dossier_id, doc_id, page, rect, reason,
                                                    label=label or None,
                                                    expected_version=expected_version,
                                                    force=force),
                          on_done, "redact the area", on_error)


def list_dossiers(session: Session, on_done: Callable[[Any], None]) -> Task:
    return session.query(lambda wb: wb.list_dossiers(), on_done, "list the dossiers")
