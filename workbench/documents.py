"""Documents as the facade exposes them: import, list, show, edit, delete, verify, audit.

``DocumentsMixin`` is one part of ``services.Workbench``; it holds no state of its own beyond
``self.library``. Every mutation is one transaction with its audit event. The
document queries other services share (find a document by reference, its latest text layer,
its summary) live below the facade, in ``document_queries``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select

from . import audit, found_inside, records
from .changes import Changes
from .document_queries import (
    SORT_KEYS,
    DocumentText,
    document_query,
    document_summary,
    iso,
    latest_layer,
    resolve_document,
)
from .errors import NotFound, UserError
from .library import Library
from .models import (
    AuditEvent,
    Collection,
    CollectionMember,
    CollectionRecord,
    Document,
    Page,
    TextLayer,
    utcnow,
)
from .shared.versions import versioned

if TYPE_CHECKING:  # the import pipeline loads when something is imported, not to list or show
    from .ingest import ImportOptions, ImportPlan, ImportReport
    from .ingest_prepared import PreparedWorkers
    from .progress import CancelToken, ProgressFn

EDITABLE_FIELDS = records.FIELDS
log = logging.getLogger(__name__)


class DocumentsMixin:
    library: Library
    _prepared: PreparedWorkers | None = None  # prepare_import's workers, made on first use

    # --- import ----------------------------------------------------------------------------

    def plan_import(self, paths: list[Any], progress: ProgressFn | None = None,
                    cancel: CancelToken | None = None, *,
                    follow_links: bool = False) -> ImportPlan:
        from .ingest import plan_import

        return plan_import(self.library, paths, progress, cancel, follow_links=follow_links)

    def prepare_import(self, options: ImportOptions | None = None,
                       files: int | None = None, preload: tuple[str, ...] | None = None
                       ) -> None:
        """Start the extraction workers before an import's files are known
        (``ingest_prepared``): the next ``run_import`` with the same workers and limits takes
        them; unused, they exit after two minutes. ``files``: how many files the import will
        read, when known (a single file starts one worker, not the pool's every one);
        ``preload``: the kinds of file whose extractors they load while they wait (None:
        ``ingest_prepared.PRELOAD``, PDFs). The language model opens meanwhile too."""
        from . import language
        from .ingest import ImportOptions
        from .ingest_prepared import PRELOAD

        self.library.require_writable()
        options = options or ImportOptions()
        self._prepared_workers().prepare(options.workers, options.limits, files,
                                         PRELOAD if preload is None else preload)
        language.preload()

    def _prepared_workers(self) -> PreparedWorkers:
        if self._prepared is None:
            from .ingest_prepared import PreparedWorkers, adopt_early

            self._prepared = adopt_early() or PreparedWorkers()
        return self._prepared

    def close_prepared_import(self) -> None:
        """The workers ``prepare_import`` started and no import took exit (at close)."""
        if self._prepared is not None:
            self._prepared.close()

    def run_import(self, plan: ImportPlan, options: ImportOptions | None = None,
                   progress: ProgressFn | None = None,
                   cancel: CancelToken | None = None) -> tuple[ImportReport, Changes]:
        from . import language
        from .copies.finder import find_copies_of
        from .ingest import ImportOptions, run_import

        options = options or ImportOptions()
        pool = self._prepared_workers().take(options.workers, options.limits)
        try:
            report = run_import(self.library, plan, options, progress, cancel, pool=pool)
        finally:
            if pool is not None:
                pool.close(wait=False)
        ids = [o.document_id for o in report.imported if o.document_id]
        # The workers shingled the texts they read: no text is read or shingled again here.
        presigned = {o.document_id: o.signing for o in report.imported
                     if o.document_id and o.signing}
        copies = find_copies_of(self.library, ids, presigned)
        language.release()  # the model's pages its texts mapped in: the window lives on
        return report, Changes(documents=bool(ids), collections=bool(ids), index=bool(ids),
                               copies=copies, document_ids=ids)

    def import_paths(self, paths: list[Any], options: ImportOptions | None = None,
                     progress: ProgressFn | None = None,
                     cancel: CancelToken | None = None) -> tuple[ImportReport, Changes]:
        # The workers start while the files are planned.
        from .ingest_prepared import workers_for

        self.prepare_import(options, *workers_for(Path(p) for p in paths))
        plan = self.plan_import(paths, progress, cancel,
                                follow_links=bool(options and options.follow_links))
        return self.run_import(plan, options, progress, cancel)

    # --- read ------------------------------------------------------------------------------

    def list_documents(self, *, collection: str | None = None, offset: int = 0,
                       limit: int | None = None, order_by: str | None = None,
                       descending: bool = False, contains: str | None = None,
                       failed_redactions: bool = False,
                       or_kinds: Sequence[str] = ()) -> list[dict[str, Any]]:
        """Summaries in ``order_by`` order (a key of ``SORT_KEYS``; id by default), optionally
        only those whose title, site, kind or file name contains ``contains`` (or whose kind
        is one of ``or_kinds``: ``document_query``), or (with ``failed_redactions``) where the
        import found a possible failed redaction. Sorting and filtering happen in the
        database, so a GUI can page through 100k documents lazily."""
        with self.library.read() as s:
            col = SORT_KEYS.get(order_by or "id", Document.id)
            q = document_query(collection, contains, failed_redactions=failed_redactions,
                               or_kinds=or_kinds).order_by(
                col.desc() if descending else col, Document.id)
            if offset:
                q = q.offset(offset)
            if limit:
                q = q.limit(limit)
            return [document_summary(d) for d in s.execute(q).scalars()]

    def count_documents(self, *, collection: str | None = None,
                        contains: str | None = None, failed_redactions: bool = False,
                        or_kinds: Sequence[str] = ()) -> int:
        with self.library.read() as s:
            q = document_query(collection, contains, failed_redactions=failed_redactions,
                               or_kinds=or_kinds).with_only_columns(func.count(Document.id))
            return int(s.execute(q).scalar_one())

    def resolve(self, ref: str | int) -> int:
        with self.library.read() as s:
            return resolve_document(s, ref).id

    def show_document(self, ref: str | int) -> dict[str, Any]:
        from .persist import layer_ocr  # here: persist loads the extractors' types

        with self.library.read() as s:
            doc = resolve_document(s, ref)
            rec = doc.collection_record
            layers = s.execute(select(TextLayer).where(TextLayer.document_id == doc.id)
                               .order_by(TextLayer.version)).scalars().all()
            cols = s.execute(select(Collection.name).join(CollectionMember)
                             .where(CollectionMember.document_id == doc.id)).scalars().all()
            out = document_summary(doc)
            out.update({
                "media_type": doc.media_type, "size": doc.size,
                "original_filename": doc.original_filename, "author": doc.author,
                "problems": list(doc.problems), "extra": doc.extra, "collections": list(cols),
                "record": records.record_of(doc, rec).to_json(),
                "collection_record": None if rec is None else {
                    "original_path": rec.original_path, "source_url": rec.source_url,
                    "final_url": rec.final_url, "captured_at": iso(rec.captured_at),
                    "imported_at": iso(rec.imported_at), "importer": rec.importer,
                    "importer_version": rec.importer_version, "os_user": rec.os_user,
                    "http_status": rec.http_status, "extra": rec.extra,
                },
                "text_layers": [{"id": ly.id, "version": ly.version, "extractor": ly.extractor,
                                 "extractor_version": ly.extractor_version,
                                 "method": ly.method, "languages": ly.languages,
                                 "ocr": layer_ocr(doc.extra, ly.version, ly.method),
                                 "created_at": iso(ly.created_at), "characters": len(ly.text)}
                                for ly in layers],
            })
            out.update(self._found_inside(s, doc))
            return out

    @staticmethod
    def _found_inside(s: Any, doc: Document) -> dict[str, Any]:
        """The file ``doc`` was found in and the first items found inside it
        (``found_inside``): an attachment's message, a message's attachments."""
        parent = s.get(Document, doc.parent_id) if doc.parent_id is not None else None
        children = s.execute(
            select(Document.id, Document.title, Document.kind, Document.original_filename)
            .where(Document.parent_id == doc.id).order_by(Document.id)
            .limit(found_inside.CHILDREN_SHOWN)).all()
        count = s.execute(select(func.count(Document.id))
                          .where(Document.parent_id == doc.id)).scalar_one()
        return {"parent": None if parent is None else found_inside.parent_entry(
                    parent.id, parent.title, parent.kind),
                "children": [found_inside.child_entry(*row) for row in children],
                "children_count": int(count)}

    def document_text(self, ref: str | int, layer_version: int | None = None) -> DocumentText:
        with self.library.read() as s:
            doc = resolve_document(s, ref)
            if layer_version is None:
                layer = latest_layer(s, doc.id)
            else:
                layer = s.execute(select(TextLayer).where(
                    TextLayer.document_id == doc.id, TextLayer.version == layer_version)
                ).scalar_one_or_none()
            if layer is None:
                raise NotFound(f"Document {doc.id} has no text layer"
                               + (f" version {layer_version}" if layer_version else ""))
            pages = s.execute(select(Page.number, Page.start, Page.end)
                              .where(Page.layer_id == layer.id).order_by(Page.number)).all()
            return DocumentText(doc.id, layer.id, layer.version, layer.text,
                                [(int(n), int(a), int(b)) for n, a, b in pages])

    def original_path(self, ref: str | int) -> str:
        """A path the original can be read at: the stored file, or in an encrypted library
        a decrypted copy in its private folder in memory (kept until the library closes)."""
        with self.library.read() as s:
            doc = resolve_document(s, ref)
            sha = doc.sha256
        originals = self.library.originals
        if not originals.encrypted:
            return str(originals.path_for(sha))
        copy = self.library.tmp_dir / "originals" / sha
        if not copy.is_file():
            copy.parent.mkdir(mode=0o700, exist_ok=True)
            part = copy.with_name(sha + ".part")
            originals.copy_to(sha, part)
            part.replace(copy)
        return str(copy)

    def export_original(self, ref: str | int, out: str | Path) -> dict[str, Any]:
        """Save the document's original bytes to ``out`` (outside an encrypted library's
        folder), checked against its SHA-256 and recorded as an export: document_id, path,
        sha256, bytes, recorded, pending (``original_export``)."""
        from .original_export import export_original

        return export_original(self.library, ref, out)

    # --- change ----------------------------------------------------------------------------

    def edit_document(self, ref: str | int, *, revert: Iterable[str] = (),
                      **fields: str | None) -> Changes:
        """Correct a document's record (see ``records``): ``fields`` set values (empty clears),
        ``revert`` puts fields back as captured. One transaction, one audit event listing each
        field's old and new value; an edit that changes nothing writes nothing."""
        with self.library.transaction() as s:
            doc = resolve_document(s, ref)
            changed = records.apply_edit(doc, doc.collection_record, fields, revert)
            doc_id = doc.id
            if changed:
                doc.modified_at = utcnow()
                audit.record(s, audit.MODIFICATION, "document", doc.id,
                             {"fields": [c.field for c in changed], "sha256": doc.sha256,
                              "changes": [c.to_json() for c in changed]})
        if not changed:
            return Changes()
        reindex = any(c.field in records.INDEXED for c in changed)
        if reindex:
            self.library.index.documents_changed([doc_id])
        return Changes(documents=True, records=True, index=reindex, document_ids=[doc_id])

    def document_record(self, ref: str | int) -> records.Record:
        """Each editable field's current and captured value."""
        with self.library.read() as s:
            return records.record_of(resolve_document(s, ref))

    def delete_document(self, ref: str | int) -> Changes:
        with self.library.transaction() as s:
            doc = resolve_document(s, ref)
            doc_id, sha = doc.id, doc.sha256
            audit.record(s, audit.DELETION, "document", doc_id,
                         {"sha256": sha, "filename": doc.original_filename})
            s.execute(delete(Document).where(Document.id == doc_id))
        self.library.originals.remove(sha)
        self.library.index.documents_removed([doc_id])
        return Changes(documents=True, highlights=True, dossiers=True, index=True,
                       document_ids=[doc_id])

    # A collection's edits take the ``version`` last seen (``expected_version``): one made
    # since by someone else refuses them unless ``force`` (workbench.shared.versions).

    @versioned("collection")
    def add_to_collection(self, refs: list[str | int], name: str, *,
                          expected_version: int | None = None, force: bool = False) -> Changes:
        from .persist import ensure_collection

        with self.library.transaction() as s:
            col = ensure_collection(s, name)
            ids = []
            for ref in refs:
                doc = resolve_document(s, ref)
                if s.get(CollectionMember, (col.id, doc.id)) is None:
                    s.add(CollectionMember(collection_id=col.id, document_id=doc.id))
                    ids.append(doc.id)
            audit.record(s, audit.MODIFICATION, "collection", col.id,
                         {"name": name, "added_documents": ids})
        self.library.index.documents_changed(ids)
        return Changes(collections=True, index=True, document_ids=ids)

    @versioned("collection")
    def remove_from_collection(self, refs: list[str | int], collection: str | int, *,
                               expected_version: int | None = None,
                               force: bool = False) -> Changes:
        """Take documents out of a collection (the documents stay in the library)."""
        from .chronology.queries import find_collection

        with self.library.transaction() as s:
            col = find_collection(s, collection)
            ids = []
            for ref in refs:
                doc = resolve_document(s, ref)
                member = s.get(CollectionMember, (col.id, doc.id))
                if member is not None:
                    s.delete(member)
                    ids.append(doc.id)
            audit.record(s, audit.MODIFICATION, "collection", col.id,
                         {"operation": "remove", "name": col.name, "removed_documents": ids})
        self.library.index.documents_changed(ids)
        return Changes(collections=True, index=True, document_ids=ids)

    @versioned("collection")
    def rename_collection(self, collection: str | int, new_name: str, *,
                          expected_version: int | None = None, force: bool = False) -> Changes:
        from .chronology.queries import find_collection

        name = new_name.strip()
        if not name:
            raise UserError("A collection's name cannot be empty")
        with self.library.transaction() as s:
            col = find_collection(s, collection)
            other = s.execute(select(Collection.id).where(Collection.name == name)).scalar()
            if other is not None and other != col.id:
                raise UserError(f"A collection named {name[:80]!r} already exists",
                                "choose another name, or add its documents to that one")
            old, col.name = col.name, name
            ids = sorted(s.execute(select(CollectionMember.document_id)
                                   .where(CollectionMember.collection_id == col.id)).scalars())
            audit.record(s, audit.MODIFICATION, "collection", col.id,
                         {"operation": "rename", "name": name, "old_name": old})
        # collection: searches read the name from the index
        self.library.index.documents_changed(ids)
        return Changes(collections=True, index=bool(ids), document_ids=ids)

    def list_collections(self) -> list[dict[str, Any]]:
        with self.library.read() as s:
            rows = s.execute(
                select(Collection.id, Collection.name, func.count(CollectionMember.document_id),
                       Collection.version)
                .outerjoin(CollectionMember).group_by(Collection.id).order_by(Collection.name)
            ).all()
            return [{"id": i, "name": n, "documents": c, "version": v}
                    for i, n, c, v in rows]

    # --- integrity ---------------------------------------------------------------------------

    def verify(self) -> dict[str, Any]:
        """Re-hash originals and text layers, walk the audit chain, compare the database with
        the audit head kept outside it, run its integrity check, list strays (integrity.py)."""
        from .integrity import verify

        return verify(self.library)

    def collect_strays(self, *, adopt: bool = False) -> dict[str, Any]:
        """Remove (or, with ``adopt``, import) originals no document names (gc.py)."""
        from .gc import collect

        return collect(self.library, adopt=adopt)

    def audit_events(self, *, object_type: str | None = None, object_id: str | None = None,
                     limit: int | None = None, author: str | None = None,
                     kind: str | None = None) -> list[dict[str, Any]]:
        """The audit events in order, of ``author`` and of ``kind`` (history.KINDS) if given."""
        from .history.query import kind_condition

        with self.library.read() as s:
            q = select(AuditEvent).order_by(AuditEvent.id)
            if author:
                q = q.where(AuditEvent.author == author)
            if kind:
                q = q.where(kind_condition(kind))
            if object_type:
                q = q.where(AuditEvent.object_type == object_type)
            if object_id is not None:
                q = q.where(AuditEvent.object_id == str(object_id))
            if limit:
                q = q.limit(limit)
            return [audit.event_dict(e) for e in s.execute(q).scalars()]

    def collection_record(self, ref: str | int) -> CollectionRecord | None:
        with self.library.read() as s:
            return resolve_document(s, ref).collection_record
