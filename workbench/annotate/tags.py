"""The tag tree: paths, creation on demand, rename, move, merge and delete, at session level.

A tag's path is its names from the root joined by ``/`` (``Forced labour/Labour transfer``).
Every operation here keeps the links (``HighlightTag``, ``DocumentTag``) it is not told to drop:
merge and reassign move them, rename and move never touch them. The caller owns the transaction,
the audit event and telling the search index which documents changed (``affected_documents``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from workbench.errors import NotFound, UserError
from workbench.ids import row_id
from workbench.models import DocumentTag, Highlight, HighlightTag, Tag
from workbench.tag_tree import SEPARATOR, tag_paths

DEFAULT_COLOR = "#f5d742"  # a highlight's own colour when none is given
# New top-level tags take the first colour here that no tag uses yet, so codes are told apart
# at a glance; sub-tags take their parent's. Mid-light hues: they read under dark text (the
# tag chips) and as translucent marks on a light or a dark page alike.
PALETTE = ("#f5d742", "#7fc8f8", "#f4a261", "#8bd17c", "#e79bd3", "#b39ddb", "#f28482",
           "#6fd1c4", "#c9b17a", "#a3b8f0", "#d4e157", "#ffb4a2")
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")


def check_color(color: str | None) -> str | None:
    if color is None:
        return None
    color = color.strip()
    if not color.startswith("#"):
        color = "#" + color
    if not _COLOR.match(color):
        raise UserError(f"Not a colour: {color!r}", "give a hex colour such as #f5d742")
    return color.lower()


def split_path(path: str) -> list[str]:
    """The names of a path; empty names (``a//b``, a lone ``/``) are refused."""
    parts = [p.strip() for p in str(path).strip().strip(SEPARATOR).split(SEPARATOR)]
    if not parts or any(not p for p in parts):
        raise UserError(f"Not a tag path: {path!r}", "write names separated by /, e.g. "
                        "Forced labour/Labour transfer")
    if any(len(p) > 256 for p in parts):
        raise UserError("A tag name is longer than 256 characters")
    return parts


def all_tags(session: Session) -> dict[int, Tag]:
    return {t.id: t for t in session.execute(select(Tag)).scalars()}


def path_map(session: Session, tags: dict[int, Tag] | None = None) -> dict[int, str]:
    """Every tag id -> its full path, computed once for the whole tree."""
    tags = tags if tags is not None else all_tags(session)
    return tag_paths({t.id: (t.name, t.parent_id) for t in tags.values()})


def child_named(session: Session, parent_id: int | None, name: str) -> Tag | None:
    q = select(Tag).where(Tag.name == name)
    q = q.where(Tag.parent_id.is_(None)) if parent_id is None else q.where(
        Tag.parent_id == parent_id)
    return session.execute(q).scalar_one_or_none()


def find_tag(session: Session, path: str) -> Tag | None:
    parent: Tag | None = None
    for name in split_path(path):
        parent = child_named(session, parent.id if parent else None, name)
        if parent is None:
            return None
    return parent


def get_tag(session: Session, ref: str | int) -> Tag:
    """A tag by id (an int, or ``#12``) or by path."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.startswith("#")
                                and ref[1:].isdigit()):
        key = row_id(str(ref).lstrip("#"))
        tag = session.get(Tag, key) if key is not None else None
    else:
        tag = find_tag(session, ref)
    if tag is None:
        raise NotFound(f"No tag {ref}", "see `workbench tag list`")
    return tag


def palette_color(used: Iterable[str], roots: int) -> str:
    """The first palette colour not in ``used``; once all are taken, they come round again in
    order (by ``roots``, the number of top-level tags), so the colours stay as spread out as
    the palette allows. Pure, so the GUI can preview a new tag's colour without a query."""
    taken = {c.lower() for c in used if c}
    free = [c for c in PALETTE if c not in taken]
    return free[0] if free else PALETTE[roots % len(PALETTE)]


def next_color(session: Session) -> str:
    """The colour ``palette_color`` picks for a new top-level tag in this library."""
    used = session.execute(select(Tag.color)).scalars()
    roots = session.execute(select(func.count()).select_from(Tag)
                            .where(Tag.parent_id.is_(None))).scalar_one()
    return palette_color([c for c in used if c], int(roots))


def planned_colors(existing: Mapping[str, str | None], paths: Iterable[str]) -> dict[str, str]:
    """The colours ``ensure_tag`` would give ``paths`` (created in order, without a colour)
    in a library whose tags are ``existing`` (every path -> its colour): an existing tag keeps
    its own, a new sub-tag takes its parent's, a new top-level tag the next palette colour.
    Pure: the highlight dialog previews typed tags with it. Unparseable paths are skipped."""
    known = dict(existing)
    roots = sum(1 for p in known if SEPARATOR not in p)
    out: dict[str, str] = {}
    for path in paths:
        try:
            names = split_path(path)
        except UserError:
            continue
        color: str | None = None  # as stored: a parent without a colour passes on none
        for i in range(len(names)):
            prefix = SEPARATOR.join(names[:i + 1])
            if prefix not in known:
                if i:
                    known[prefix] = color
                else:
                    known[prefix] = palette_color([c for c in known.values() if c], roots)
                    roots += 1
            color = known[prefix]
        out[path] = color or DEFAULT_COLOR
    return out


def ensure_tag(session: Session, path: str, color: str | None = None,
               description: str | None = None) -> tuple[Tag, list[Tag]]:
    """The tag at ``path``, creating it and any missing ancestors; returns (tag, created).
    A new tag without a colour takes its parent's, or the next free palette colour."""
    parent: Tag | None = None
    created: list[Tag] = []
    names = split_path(path)
    for i, name in enumerate(names):
        tag = child_named(session, parent.id if parent else None, name)
        if tag is None:
            last = i == len(names) - 1
            chosen = check_color(color) if last and color else None
            tag = Tag(name=name, parent_id=parent.id if parent else None,
                      color=chosen or (parent.color if parent else next_color(session)),
                      description=(description or "") if last else "")
            session.add(tag)
            session.flush()
            created.append(tag)
        parent = tag
    assert parent is not None
    return parent, created


def descendants(session: Session, tag_id: int) -> list[int]:
    """Ids of every tag below ``tag_id`` (not including it), breadth first."""
    children: dict[int | None, list[int]] = {}
    for tid, pid in session.execute(select(Tag.id, Tag.parent_id)).all():
        children.setdefault(pid, []).append(tid)
    out: list[int] = []
    todo = list(children.get(tag_id, []))
    while todo:
        tid = todo.pop(0)
        out.append(tid)
        todo.extend(children.get(tid, []))
    return out


def affected_documents(session: Session, tag_ids: list[int]) -> list[int]:
    """Documents whose searchable tags change when these tags change."""
    if not tag_ids:
        return []
    via_hl = select(Highlight.document_id).join(
        HighlightTag, HighlightTag.highlight_id == Highlight.id).where(
        HighlightTag.tag_id.in_(tag_ids))
    via_doc = select(DocumentTag.document_id).where(DocumentTag.tag_id.in_(tag_ids))
    ids = set(session.execute(via_hl).scalars()) | set(session.execute(via_doc).scalars())
    return sorted(ids)


def recolor(session: Session, tag: Tag, color: str) -> int:
    """Give ``tag`` a colour; sub-tags that still wore its old colour (they inherited it)
    follow, those given their own keep it. Returns how many sub-tags followed."""
    old, tag.color = tag.color, color
    below = descendants(session, tag.id)
    followed = 0
    for sub in session.execute(select(Tag).where(Tag.id.in_(below))).scalars() if below else []:
        if sub.color == old:
            sub.color = color
            followed += 1
    session.flush()
    return followed


def rename(session: Session, tag: Tag, new_name: str) -> None:
    names = split_path(new_name)
    if len(names) != 1:
        raise UserError("A new name cannot contain /", "use `tag move` to change the parent")
    other = child_named(session, tag.parent_id, names[0])
    if other is not None and other.id != tag.id:
        raise UserError(f"A tag named {names[0]!r} already exists there",
                        "use `tag merge` to combine the two tags")
    tag.name = names[0]
    session.flush()


def move(session: Session, tag: Tag, new_parent: Tag | None) -> None:
    if new_parent is not None and (new_parent.id == tag.id
                                   or new_parent.id in descendants(session, tag.id)):
        raise UserError("A tag cannot be moved under itself or one of its own descendants",
                        "move the descendant out first")
    other = child_named(session, new_parent.id if new_parent else None, tag.name)
    if other is not None and other.id != tag.id:
        raise UserError(f"A tag named {tag.name!r} already exists there",
                        "rename one of them first, or use `tag merge`")
    tag.parent_id = new_parent.id if new_parent else None
    session.flush()


def merge(session: Session, source: Tag, target: Tag) -> dict[str, int]:
    """Fold ``source`` into ``target``: its links, children and memo move over, then it goes.

    Children whose name already exists under ``target`` are merged recursively, so no link is
    lost. Returns how many links and children moved.
    """
    if source.id == target.id:
        raise UserError("Cannot merge a tag into itself")
    if target.id in descendants(session, source.id):
        raise UserError("Cannot merge a tag into one of its own descendants",
                        "move the descendant out first, or merge the other way round")
    stats = {"highlight_links": 0, "document_links": 0, "children": 0}
    _move_links(session, source.id, target.id, stats)
    # A code's memo is research work too: the merged tag keeps both.
    memo = (source.description or "").strip()
    if memo and memo not in (target.description or ""):
        target.description = "\n\n".join(
            p for p in ((target.description or "").strip(), f"{source.name}: {memo}") if p)
    for child in session.execute(select(Tag).where(Tag.parent_id == source.id)).scalars().all():
        twin = child_named(session, target.id, child.name)
        if twin is None:
            child.parent_id = target.id
            stats["children"] += 1
        else:
            sub = merge(session, child, twin)
            for k, v in sub.items():
                stats[k] += v
    session.flush()
    session.delete(source)
    session.flush()
    return stats


def _move_links(session: Session, src: int, dst: int, stats: dict[str, int]) -> None:
    have = set(session.execute(select(HighlightTag.highlight_id)
                               .where(HighlightTag.tag_id == dst)).scalars())
    for hid in session.execute(select(HighlightTag.highlight_id)
                               .where(HighlightTag.tag_id == src)).scalars().all():
        if hid not in have:
            session.add(HighlightTag(highlight_id=hid, tag_id=dst))
            stats["highlight_links"] += 1
    have_docs = set(session.execute(select(DocumentTag.document_id)
                                    .where(DocumentTag.tag_id == dst)).scalars())
    for did in session.execute(select(DocumentTag.document_id)
                               .where(DocumentTag.tag_id == src)).scalars().all():
        if did not in have_docs:
            session.add(DocumentTag(document_id=did, tag_id=dst))
            stats["document_links"] += 1
    session.flush()
    session.execute(delete(HighlightTag).where(HighlightTag.tag_id == src))
    session.execute(delete(DocumentTag).where(DocumentTag.tag_id == src))


def usage(session: Session, tag_ids: list[int]) -> dict[str, int]:
    if not tag_ids:
        return {"highlights": 0, "documents": 0}
    n_hl = session.execute(select(func.count()).select_from(HighlightTag)
                           .where(HighlightTag.tag_id.in_(tag_ids))).scalar_one()
    n_doc = session.execute(select(func.count()).select_from(DocumentTag)
                            .where(DocumentTag.tag_id.in_(tag_ids))).scalar_one()
    return {"highlights": int(n_hl), "documents": int(n_doc)}


def reach(session: Session, tag_ids: list[int]) -> dict[str, int]:
    """Distinct highlights and documents carrying any of ``tag_ids`` (``usage`` counts links,
    so a highlight with a tag and its sub-tag counts twice there, once here)."""
    if not tag_ids:
        return {"highlights": 0, "documents": 0}
    n_hl = session.execute(select(func.count(func.distinct(HighlightTag.highlight_id)))
                           .where(HighlightTag.tag_id.in_(tag_ids))).scalar_one()
    n_doc = session.execute(select(func.count(func.distinct(DocumentTag.document_id)))
                            .where(DocumentTag.tag_id.in_(tag_ids))).scalar_one()
    return {"highlights": int(n_hl), "documents": int(n_doc)}


def delete_tag(session: Session, tag: Tag, *, cascade: bool = False,
               reassign_to: Tag | None = None) -> dict[str, Any]:
    """Delete a tag. One with children or links needs ``cascade`` or ``reassign_to``.

    ``cascade`` removes the tag, its descendants and their links (the highlights and
    documents themselves stay). ``reassign_to`` merges the tag into another one first.
    """
    below = descendants(session, tag.id)
    used = usage(session, [tag.id, *below])
    if cascade and reassign_to is not None:
        raise UserError("Choose either cascade or reassign, not both")
    if reassign_to is not None:
        if reassign_to.id == tag.id or reassign_to.id in below:
            raise UserError("Cannot reassign a tag to itself or one of its descendants")
        stats = merge(session, tag, reassign_to)
        return {"mode": "reassign", "deleted_tags": 1, **stats}
    if (below or used["highlights"] or used["documents"]) and not cascade:
        raise UserError(
            f"The tag has {len(below)} sub-tag(s), {used['highlights']} highlight link(s) and "
            f"{used['documents']} document link(s)",
            "choose: --reassign-to PATH moves them to another tag, --cascade removes the tag "
            "with its sub-tags and links (highlights and documents stay)")
    ids = [tag.id, *below]
    session.execute(delete(HighlightTag).where(HighlightTag.tag_id.in_(ids)))
    session.execute(delete(DocumentTag).where(DocumentTag.tag_id.in_(ids)))
    # Children first: parent_id is ON DELETE RESTRICT.
    session.execute(update(Tag).where(Tag.id.in_(ids)).values(parent_id=None))
    session.execute(delete(Tag).where(Tag.id.in_(ids)))
    session.flush()
    return {"mode": "cascade" if cascade else "plain", "deleted_tags": len(ids),
            "highlight_links": used["highlights"], "document_links": used["documents"]}


def highlight_tag_paths(session: Session, highlight_ids: list[int],
                        paths: dict[int, str] | None = None) -> dict[int, list[str]]:
    """Highlight id -> sorted tag paths."""
    paths = paths if paths is not None else path_map(session)
    out: dict[int, list[str]] = {hid: [] for hid in highlight_ids}
    if not highlight_ids:
        return out
    rows = session.execute(select(HighlightTag.highlight_id, HighlightTag.tag_id)
                           .where(HighlightTag.highlight_id.in_(highlight_ids))).all()
    for hid, tid in rows:
        out[hid].append(paths[tid])
    for v in out.values():
        v.sort()
    return out
