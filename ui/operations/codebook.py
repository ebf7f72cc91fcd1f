"""Codebook actions: create, rename, move, merge, recolour, describe and delete a tag; list a
tag's passages, export them, add them to a dossier (one worker call each).

The tag ids travel, never paths: a path changes under a rename or a move still in flight.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.annotate.tags import PALETTE
from workbench.changes import Changes

from ..session import Session
from ..tasks import Task

__all__ = ["PALETTE"]


def load_tags(session: Session, on_done: Callable[[Any], None]) -> Task:
    return session.query(lambda wb: wb.list_tags(), on_done, "read the tags")


def load_passages(session: Session, tag_id: int, on_done: Callable[[Any], None]) -> Task:
    return session.query(lambda wb: wb.tag_passages(tag_id), on_done, "list the passages")


def add_tag(session: Session, path: str) -> Task:
    return session.mutate(lambda wb: wb.add_tag(path), doing="create the tag")


OnError = Callable[[BaseException], None] | None


# The edits below take the tag's version shown (``seen``): a change by someone else since is
# refused (``ConflictError``, to ``on_error``: ui/conflicts.py asks reload or overwrite)
# unless ``force``.

def rename_tag(session: Session, tag_id: int, name: str, *, seen: int | None = None,
               force: bool = False, on_error: OnError = None) -> Task:
    return session.mutate(lambda wb: wb.rename_tag(tag_id, name, expected_version=seen,
                                                   force=force),
                          doing="rename the tag", on_error=on_error)


def move_tag(session: Session, tag_id: int, parent_id: int | None, *, seen: int | None = None,
             force: bool = False, on_error: OnError = None) -> Task:
    return session.mutate(lambda wb: wb.move_tag(tag_id, parent_id, expected_version=seen,
                                                 force=force),
                          doing="move the tag", on_error=on_error)


def merge_tags(session: Session, source_id: int, target_id: int, *, seen: int | None = None,
               force: bool = False, on_error: OnError = None) -> Task:
    """``seen``: the version of the tag merged away."""
    return session.mutate(lambda wb: wb.merge_tags(source_id, target_id,
                                                   expected_version=seen, force=force),
                          doing="merge the tags", on_error=on_error)


def set_color(session: Session, tag_id: int, color: str, *, seen: int | None = None,
              force: bool = False, on_error: OnError = None) -> Task:
    return session.mutate(lambda wb: wb.edit_tag(tag_id, color=color, expected_version=seen,
                                                 force=force),
                          doing="change the tag's colour", on_error=on_error)


def set_description(session: Session, tag_id: int, text: str, *, seen: int | None = None,
                    force: bool = False, on_error: OnError = None) -> Task:
    return session.mutate(lambda wb: wb.edit_tag(tag_id, description=text,
                                                 expected_version=seen, force=force),
                          doing="save the tag's memo", on_error=on_error)


def tag_usage(session: Session, tag_id: int, on_done: Callable[[Any], None]) -> Task:
    return session.query(lambda wb: wb.tag_usage(tag_id), on_done, "count the tag's uses")


def delete_tag(session: Session, tag_id: int) -> Task:
    """Deletes the tag with its sub-tags and links; the highlights and documents stay."""
    return session.mutate(lambda wb: wb.delete_tag(tag_id, cascade=True),
                          doing="delete the tag")


def export_passages(session: Session, tag_id: int, fmt: str, path: Path,
                    highlight_ids: list[int], on_done: Callable[[Any], None]) -> Task:
    return session.query(lambda wb: wb.export_passages(tag_id, fmt, path,
                                                       highlight_ids=highlight_ids),
                         on_done, "export the passages")


def add_to_dossier(session: Session, dossier_id: int, highlight_ids: list[int],
                   commentary_from_note: bool,
                   on_done: Callable[[Any], None] | None = None) -> Task:
    """Adds the highlights as exhibits, in order; ``commentary_from_note`` makes each
    highlight's note its exhibit's commentary."""
    def work(wb: Any) -> Changes:
        changes = Changes()
        for hid in highlight_ids:
            changes = changes.merge(wb.add_item(dossier_id, highlight=hid,
                                                commentary_from_note=commentary_from_note))
        return changes

    return session.mutate(work, on_done, "add the passages to the dossier")
