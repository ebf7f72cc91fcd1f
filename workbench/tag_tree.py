"""Tag paths from the tag table's rows: each tag's name joined to its parents' by ``/``.

Kept apart from ``annotate/tags.py`` (which works through SQLAlchemy) so the read path that
does not load it (``fast_read.py``) computes the same paths by the same rule.
"""

from __future__ import annotations

from collections.abc import Mapping

SEPARATOR = "/"


def tag_paths(tree: Mapping[int, tuple[str, int | None]]) -> dict[int, str]:
    """Every tag id of ``tree`` (id -> (name, parent id)) -> its full path, each computed once.
    A parent missing from ``tree`` raises ``KeyError``."""
    out: dict[int, str] = {}

    def path_of(tag_id: int) -> str:
        if tag_id not in out:
            name, parent = tree[tag_id]
            out[tag_id] = name if parent is None else path_of(parent) + SEPARATOR + name
        return out[tag_id]

    for tid in tree:
        path_of(tid)
    return out
