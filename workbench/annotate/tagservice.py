"""Tags as the facade exposes them: the tree with counts, and every change to it.

``TagsMixin`` is part of ``AnnotationsMixin``. Each change is one transaction with its audit
event (ids only: tag names are the user's own words and stay out of the log), and tells the
search index which documents' tags changed (the index reads tags from the database). An
edit given the ``version`` last seen (``expected_version``) is refused when someone changed
the tag since, unless ``force`` (``workbench.shared.versions``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench import audit
from workbench.annotate import tags as T
from workbench.changes import Changes
from workbench.document_queries import resolve_document
from workbench.errors import UserError
from workbench.library import Library
from workbench.models import DocumentTag, Highlight, HighlightTag, Tag
from workbench.shared import versions
from workbench.shared.versions import versioned


class TagsMixin:
    library: Library

    def _tags_changed(self, doc_ids: list[int]) -> Changes:
        if doc_ids:
            self.library.index.documents_changed(sorted(set(doc_ids)))
        return Changes(tags=True, highlights=True, index=bool(doc_ids),
                       document_ids=sorted(set(doc_ids)))

    # --- read --------------------------------------------------------------------------------

    def list_tags(self, *, tree: bool = False) -> list[dict[str, Any]]:
        """Every tag in path order: id, path, name, parent_id, depth, color, description,
        ``highlights`` / ``documents`` (direct links) and ``highlights_total`` (with the
        sub-tags'). With ``tree=True``, the roots, each with ``children``."""
        with self.library.read() as s:
            rows = _tag_rows(s)
        if not tree:
            return rows
        by_id = {r["id"]: {**r, "children": []} for r in rows}
        roots: list[dict[str, Any]] = []
        for r in rows:
            node = by_id[r["id"]]
            (by_id[r["parent_id"]]["children"] if r["parent_id"] else roots).append(node)
        return roots

    def get_tag(self, ref: str | int) -> dict[str, Any]:
        with self.library.read() as s:
            tag_id = T.get_tag(s, ref).id
            return next(r for r in _tag_rows(s) if r["id"] == tag_id)

    def tag_usage(self, ref: str | int) -> dict[str, Any]:
        """What deleting the tag touches: ``highlights`` and ``documents`` that carry it or
        one of its sub-tags (each counted once), and the ``sub_tags`` that go with it."""
        with self.library.read() as s:
            tag = T.get_tag(s, ref)
            return {"id": tag.id, "path": T.path_map(s)[tag.id],
                    **T.reach(s, [tag.id, *T.descendants(s, tag.id)]),
                    "sub_tags": len(T.descendants(s, tag.id))}

    def document_tags(self, doc_ref: str | int) -> list[str]:
        with self.library.read() as s:
            doc = resolve_document(s, doc_ref)
            paths = T.path_map(s)
            ids = s.execute(select(DocumentTag.tag_id)
                            .where(DocumentTag.document_id == doc.id)).scalars()
            return sorted(paths[i] for i in ids)

    def passage_tags(self, doc_ids: list[int]) -> dict[int, dict[str, int]]:
        """For each of ``doc_ids`` with tagged highlights: each tag path and how many of the
        document's highlights carry it (the list's Tags column shows them beside the
        document's own tags)."""
        from workbench.tag_tree import passage_counts

        if not doc_ids:
            return {}
        with self.library.read() as s:
            rows = s.execute(
                select(Highlight.document_id, HighlightTag.tag_id, func.count())
                .join(HighlightTag, HighlightTag.highlight_id == Highlight.id)
                .where(Highlight.document_id.in_(doc_ids))
                .group_by(Highlight.document_id, HighlightTag.tag_id)).all()
            paths = T.path_map(s) if rows else {}
        return passage_counts(rows, paths)

    # --- change ------------------------------------------------------------------------------

    def add_tag(self, path: str, color: str | None = None,
                description: str | None = None) -> Changes:
        """Create a tag (and missing parents). An existing path is an error."""
        with self.library.transaction() as s:
            if T.find_tag(s, path) is not None:
                raise UserError(f"The tag {path!r} already exists",
                                "use `tag edit` to change its colour or description")
            _, created = T.ensure_tag(s, path, T.check_color(color), description)
            for t in created:
                audit.record(s, audit.CREATION, "tag", t.id, {"parent_id": t.parent_id})
        return Changes(tags=True)

    @versioned("tag")
    def edit_tag(self, ref: str | int, *, color: str | None = None,
                 description: str | None = None, expected_version: int | None = None,
                 force: bool = False) -> Changes:
        with self.library.transaction() as s:
            tag = T.get_tag(s, ref)
            fields: list[str] = []
            details: dict[str, Any] = {}
            if color is not None:
                details["sub_tags_recoloured"] = T.recolor(
                    s, tag, T.check_color(color) or tag.color)
                fields.append("color")
            if description is not None:
                tag.description = description
                fields.append("description")
            audit.record(s, audit.MODIFICATION, "tag", tag.id, {"fields": fields, **details})
        # Highlights are painted in their tags' colours: a new colour redraws them too.
        return Changes(tags=True, highlights=color is not None)

    @versioned("tag")
    def rename_tag(self, ref: str | int, new_name: str, *,
                   expected_version: int | None = None, force: bool = False) -> Changes:
        with self.library.transaction() as s:
            tag = T.get_tag(s, ref)
            T.rename(s, tag, new_name)
            audit.record(s, audit.MODIFICATION, "tag", tag.id, {"operation": "rename"})
            docs = T.affected_documents(s, [tag.id, *T.descendants(s, tag.id)])
        return self._tags_changed(docs)

    @versioned("tag")
    def move_tag(self, ref: str | int, new_parent: str | int | None, *,
                 expected_version: int | None = None, force: bool = False) -> Changes:
        """Put a tag (with its sub-tags and links) under ``new_parent``; None = top level."""
        with self.library.transaction() as s:
            tag = T.get_tag(s, ref)
            parent = None if new_parent in (None, "", "/") else T.get_tag(s, new_parent)
            old_parent = tag.parent_id
            T.move(s, tag, parent)
            audit.record(s, audit.MODIFICATION, "tag", tag.id, {
                "operation": "move", "from_parent_id": old_parent,
                "to_parent_id": tag.parent_id})
            docs = T.affected_documents(s, [tag.id, *T.descendants(s, tag.id)])
        return self._tags_changed(docs)

    @versioned("tag")
    def merge_tags(self, source: str | int, target: str | int, *,
                   expected_version: int | None = None, force: bool = False) -> Changes:
        """Fold ``source`` into ``target``: every link and sub-tag moves over.
        ``expected_version`` is the source's, the tag the person chose to merge away."""
        with self.library.transaction() as s:
            src, dst = T.get_tag(s, source), T.get_tag(s, target)
            src_id = src.id
            overwrote = versions.check(s, "tag", src_id)
            merged = [src_id, *T.descendants(s, src_id)]
            docs = T.affected_documents(s, merged)
            # Which highlights wore the merged tags: with the event, each highlight's coding
            # history reads on past the merge (the log holds ids only, never names).
            moved = sorted(set(s.execute(select(HighlightTag.highlight_id)
                                         .where(HighlightTag.tag_id.in_(merged))).scalars()))
            stats = T.merge(s, src, dst)
            audit.record(s, audit.MODIFICATION, "tag", dst.id,
                         {"operation": "merge", "merged_tag_id": src_id,
                          "merged_tag_ids": merged, "highlight_ids": moved, **stats,
                          **({"overwrote": overwrote} if overwrote else {})})
        return self._tags_changed(docs)

    def delete_tag(self, ref: str | int, *, cascade: bool = False,
                   reassign_to: str | int | None = None) -> Changes:
        """Delete a tag. With sub-tags or links, say what happens to them: ``reassign_to``
        another tag, or ``cascade`` (drops the sub-tags and the links, never highlights)."""
        with self.library.transaction() as s:
            tag = T.get_tag(s, ref)
            tag_id = tag.id
            target = None if reassign_to is None else T.get_tag(s, reassign_to)
            docs = T.affected_documents(s, [tag_id, *T.descendants(s, tag_id)])
            result = T.delete_tag(s, tag, cascade=cascade, reassign_to=target)
            # The documents that carried it, by id: a desktop's own index of a shared case
            # drops the tag from them when it hears the event (workbench/shared/follow.py).
            audit.record(s, audit.DELETION, "tag", tag_id, {
                **result, "reassigned_to": target.id if target else None,
                "document_ids": docs})
        return self._tags_changed(docs)

    def tag_document(self, doc_ref: str | int, path: str) -> Changes:
        with self.library.transaction() as s:
            doc = resolve_document(s, doc_ref)
            tag, created = T.ensure_tag(s, path)
            for t in created:
                audit.record(s, audit.CREATION, "tag", t.id, {"parent_id": t.parent_id})
            if s.get(DocumentTag, (doc.id, tag.id)) is None:
                s.add(DocumentTag(document_id=doc.id, tag_id=tag.id))
                audit.record(s, audit.MODIFICATION, "document", doc.id,
                             {"operation": "tag", "tag_id": tag.id, "sha256": doc.sha256})
            doc_id = doc.id
        return self._tags_changed([doc_id])

    def untag_document(self, doc_ref: str | int, path: str) -> Changes:
        with self.library.transaction() as s:
            doc = resolve_document(s, doc_ref)
            tag = T.get_tag(s, path)
            link = s.get(DocumentTag, (doc.id, tag.id))
            if link is None:
                raise UserError(f"Document {doc.id} does not carry the tag {path!r}")
            s.delete(link)
            audit.record(s, audit.MODIFICATION, "document", doc.id,
                         {"operation": "untag", "tag_id": tag.id, "sha256": doc.sha256})
            doc_id = doc.id
        return self._tags_changed([doc_id])


def _tag_rows(s: Session) -> list[dict[str, Any]]:
    tags = T.all_tags(s)
    paths = T.path_map(s, tags)
    n_hl = dict(s.execute(select(HighlightTag.tag_id, func.count())
                          .group_by(HighlightTag.tag_id)).all())
    n_doc = dict(s.execute(select(DocumentTag.tag_id, func.count())
                           .group_by(DocumentTag.tag_id)).all())
    rows: list[dict[str, Any]] = []
    for tid in sorted(tags, key=lambda i: paths[i].casefold()):
        t: Tag = tags[tid]
        rows.append({"id": t.id, "path": paths[tid], "name": t.name, "parent_id": t.parent_id,
                     "depth": paths[tid].count(T.SEPARATOR), "color": t.color,
                     "description": t.description, "version": t.version,
                     "highlights": int(n_hl.get(tid, 0)),
                     "documents": int(n_doc.get(tid, 0))})
    totals = {r["id"]: r["highlights"] for r in rows}
    for r in sorted(rows, key=lambda r: -r["depth"]):
        if r["parent_id"] is not None:
            totals[r["parent_id"]] += totals[r["id"]]
    for r in rows:
        r["highlights_total"] = totals[r["id"]]
    return rows
