"""The passages a tag search is about: which tags a query asks for, and where in a hit's text
the user highlighted them.

A ``tag:`` term matches a document whose own tags or whose highlights' tags include it, and
marks no word: without this, a hit's snippet was its text's opening, not the passage the user
tagged. The query's positive tag values (and a ``tag`` facet filter) are matched against each
highlight's tag paths the way the index matches a document's (``analysis.tag_keys``: the path,
its ancestors, its own name), and the highlights on the hit's latest text layer become spans
that the snippets show and mark, as a word match's are. Engine-neutral: the facade reads the
highlights through the ORM (``load_highlights``), ``workbench search``'s fast read through
plain SQL (``fast_read``), and both hand them here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from . import parse as p
from .analysis import keyword, tag_keys

if TYPE_CHECKING:
    from ..library import Library

# A long highlight is marked and shown from its start for this many characters: a snippet is
# a glimpse that leads to the passage, not the passage (a page-long one would fill the list).
SHOWN = 300
# (layer id, start, end, tag paths) of each anchored highlight, per document
Highlights = Mapping[int, Sequence[tuple[int, int, int, Sequence[str]]]]


def wanted_tags(node: p.Node, filter_tags: Iterable[str] = ()) -> list[str]:
    """The tag keys (or ``*``/``?`` patterns over them) a query asks for as it stands: ``tag:``
    values outside any NOT, and the ``tag`` filter's values, each folded as the index folds
    them."""
    found: list[str] = [keyword(t) for t in filter_tags if keyword(t)]

    def walk(n: p.Node, in_tag: bool) -> None:
        if isinstance(n, p.Not):
            return
        if isinstance(n, (p.And, p.Or)):
            for child in n.children:
                walk(child, in_tag)
        elif isinstance(n, p.Field):
            walk(n.child, n.name == "tag")
        elif in_tag and isinstance(n, p.Wild):
            found.append(n.pattern.casefold())
        elif in_tag and isinstance(n, (p.Word, p.Phrase)) and keyword(n.text):
            found.append(keyword(n.text))

    walk(node, False)
    return list(dict.fromkeys(found))


def matches(paths: Sequence[str], wanted: Sequence[str]) -> bool:
    """Whether a highlight with tags ``paths`` answers any of ``wanted`` (``wanted_tags``)."""
    keys = tag_keys(list(paths))
    for want in wanted:
        if "*" in want or "?" in want:
            if any(fnmatchcase(k, want) for k in keys):
                return True
        elif want in keys:
            return True
    return False


def tagged_spans(layer_id: int | None, rows: Sequence[tuple[int, int, int, Sequence[str]]],
                 wanted: Sequence[str], text_length: int) -> list[tuple[int, int]]:
    """The spans, on the latest layer ``layer_id``, of the highlights tagged with what is
    ``wanted`` (a long one cut to its first ``SHOWN`` characters), in text order. A highlight
    on an older layer is left out: its offsets are not this text's."""
    out = []
    for lid, start, end, paths in rows:
        if lid != layer_id or not 0 <= start < end <= text_length:
            continue
        if matches(paths, wanted):
            out.append((start, min(end, start + SHOWN)))
    return sorted(out)


def merge(*groups: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans from several sources in order, overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(span for group in groups for span in group):
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def load_highlights(library: Library, ids: list[int]) -> dict[int, list[
        tuple[int, int, int, list[str]]]]:
    """``Highlights`` of documents ``ids`` through the ORM: each anchored highlight's layer,
    offsets and full tag paths."""
    from sqlalchemy import select

    from ..models import Highlight, HighlightTag, Tag
    from ..tag_tree import tag_paths

    with library.read() as s:
        rows = s.execute(
            select(Highlight.document_id, Highlight.id, Highlight.layer_id, Highlight.start,
                   Highlight.end, HighlightTag.tag_id)
            .join(HighlightTag, HighlightTag.highlight_id == Highlight.id)
            .where(Highlight.document_id.in_(ids), Highlight.status == "anchored")
            .order_by(Highlight.document_id, Highlight.start, Highlight.id)).all()
        if not rows:
            return {}
        paths = tag_paths({tid: (name, parent) for tid, name, parent in
                           s.execute(select(Tag.id, Tag.name, Tag.parent_id))})
    return group(rows, paths)


def group(rows: Iterable[tuple[Any, ...]], paths: Mapping[int, str]) -> dict[int, list[
        tuple[int, int, int, list[str]]]]:
    """Rows of (document id, highlight id, layer id, start, end, tag id), a highlight's rows
    adjacent, as ``Highlights``."""
    out: dict[int, list[tuple[int, int, int, list[str]]]] = {}
    last: int | None = None
    for doc_id, hid, lid, start, end, tag_id in rows:
        docs = out.setdefault(int(doc_id), [])
        path = paths.get(int(tag_id), "")
        if hid == last and docs:
            docs[-1][3].append(path)
        else:
            docs.append((int(lid), int(start), int(end), [path]))
        last = hid
    return out
