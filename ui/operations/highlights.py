"""Highlight actions: create, edit, delete, accept or discard an orphan (one worker call each)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..session import Session
from ..tasks import Task


def new_tag_colors(tags: list[dict[str, Any]], paths: list[str]) -> dict[str, str]:
    """The colours the core will give ``paths`` when it creates them in this order, given the
    library's ``tags`` (``list_tags`` rows): the core's own rule, pure and quick enough for the
    GUI thread (a preview must not wait for the worker)."""
    from workbench.annotate.tags import planned_colors

    return planned_colors({t["path"]: t.get("color") for t in tags}, paths)


def add_highlight(session: Session, doc_id: int, start: int, end: int, tags: list[str],
                  note: str, on_done: Callable[[Any], None] | None = None) -> Task:
    return session.mutate(lambda wb: wb.add_highlight(doc_id, start=start, end=end, tags=tags,
                                                      note=note),
                          on_done, "highlight the passage")


def edit_highlight(session: Session, highlight_id: int, tags: list[str], note: str, *,
                   expected_version: int | None = None, force: bool = False,
                   on_error: Callable[[BaseException], None] | None = None) -> Task:
    """``expected_version``: the highlight's version shown; a change by someone else since
    is refused (``ConflictError``, to ``on_error``) unless ``force``."""
    return session.mutate(lambda wb: wb.edit_highlight(highlight_id, tags=tags, note=note,
                                                       expected_version=expected_version,
                                                       force=force),
                          doing="change the highlight", on_error=on_error)


def delete_highlight(session: Session, highlight_id: int) -> Task:
    return session.mutate(lambda wb: wb.delete_highlight(highlight_id),
                          doing="delete the highlight")


Mark = tuple[int, int, str]  # start, end and the first words: where the viewer scrolls to


def highlight_mark(session: Session, highlight_id: int,
                   on_done: Callable[[tuple[int, Mark | None]], None], doing: str) -> Task:
    """A highlight's document and the mark the viewer scrolls to (None when it is not anchored),
    for opening a highlight named elsewhere: an event's source, a link's other end."""

    def work(wb: Any) -> tuple[int, Mark | None]:
        h = wb.get_highlight(highlight_id)
        if h.get("status") != "anchored":
            return int(h["document_id"]), None
        return int(h["document_id"]), (int(h["start"]), int(h["end"]),
                                       " ".join(h["quote"].split()[:5]))

    return session.query(work, on_done, doing)


def accept_candidate(session: Session, highlight_id: int) -> Task:
    return session.mutate(lambda wb: wb.accept_candidate(highlight_id),
                          doing="re-anchor the highlight")


def discard_orphan(session: Session, highlight_id: int) -> Task:
    return session.mutate(lambda wb: wb.discard_orphan(highlight_id),
                          doing="discard the orphaned highlight")


def move_tag(session: Session, tag_id: int, parent_id: int | None, *, seen: int | None = None,
             force: bool = False,
             on_error: Callable[[BaseException], None] | None = None) -> Task:
    """``seen``: the tag's version where it was dragged; a change by someone else since is
    refused (``ConflictError``, to ``on_error``: ui/conflicts.py asks) unless ``force``."""
    return session.mutate(lambda wb: wb.move_tag(tag_id, parent_id, expected_version=seen,
                                                 force=force),
                          doing="move the tag", on_error=on_error)


def load_for_document(wb: Any, doc_id: int) -> dict[str, Any]:
    """Worker side: the document's highlights (with orphans) and the tag list."""
    return {"highlights": wb.list_highlights(doc=doc_id), "tags": wb.list_tags()}
