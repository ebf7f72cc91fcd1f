"""Tag paths from the tag table's rows: each tag's name joined to its parents' by ``/``.

Kept apart from ``annotate/tags.py`` (which works through SQLAlchemy) so the read path that
does not load it (``fast_read.py``) computes the same paths by the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

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


def passage_counts(rows: Iterable[tuple[Any, Any, Any]],
                   paths: Mapping[int, str]) -> dict[int, dict[str, int]]:
    """(document id, tag id, highlights) rows -> each document's tag paths and counts, in
    path order: ``passage_tags`` of the facade and of the fast read, one rule."""
    out: dict[int, dict[str, int]] = {}
    for doc_id, tag_id, n in rows:
        out.setdefault(int(doc_id), {})[paths[int(tag_id)]] = int(n)
    return {d: dict(sorted(t.items(), key=lambda kv: kv[0].casefold()))
            for d, t in out.items()}
