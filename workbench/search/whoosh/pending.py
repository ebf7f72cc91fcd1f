"""Edits made while the index was refused (another Whoosh), kept for the next writer.

While ``whoosh_pin`` refuses the installed Whoosh, a writable library has no index writer, yet
documents can still be edited, tagged or deleted. The index's own check on the next open
catches new and changed text layers, but not a new title, tag or collection: those ids are
kept in ``index/pending.json`` and handed to the next writer, which applies them and removes
the file. A file that cannot be read asks for a rebuild instead (losing an edit would leave
searches answering from the old values). Sealed like the other small index files in an
encrypted library.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)
NAME = "pending.json"


def remember(index_dir: Path, changed: list[int], removed: list[int]) -> None:
    """Add ``changed`` and ``removed`` ids to the kept ones (a later change wins)."""
    from .engine import write_small

    kept = take(index_dir, keep=True)
    if kept is None:  # left as it is: the next writer rebuilds, which covers these too
        return
    now_changed = (set(kept[0]) - set(removed)) | set(changed)
    now_removed = (set(kept[1]) - set(changed)) | set(removed)
    data = {"changed": sorted(now_changed), "removed": sorted(now_removed)}
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        write_small(index_dir / NAME, json.dumps(data).encode("utf-8"))
    except OSError:
        log.warning("could not keep the ids of documents edited while search was off: "
                    "run `workbench reindex` once search works again", exc_info=True)


def take(index_dir: Path, keep: bool = False) -> tuple[list[int], list[int]] | None:
    """The kept ``(changed, removed)`` ids, and the file removed unless ``keep``;
    ``([], [])`` when there is none, None when it cannot be read."""
    from .engine import read_small

    path = index_dir / NAME
    if not path.exists():
        return [], []
    try:
        data = json.loads(read_small(path).decode("utf-8"))
        out = ([int(i) for i in data["changed"]], [int(i) for i in data["removed"]])
    except (OSError, ValueError, KeyError, TypeError):
        out = None
    if not keep:
        path.unlink(missing_ok=True)
    return out
