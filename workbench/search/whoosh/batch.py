"""The index writer's own commits written the bulk way, and its merge of small segments
(private; ``writer.IndexWorker`` calls ``write_batch``).

An import batch, an edit or a deletion is one commit. Whoosh's ``SegmentWriter`` sends every
word through its posting pool in Python (about 1.4 CPU-s of a 1,000-page import's critical
path); here the new and changed documents are written by ``BulkSegmentWriter`` instead (numpy
inversion, positions in the sidecar only), as a rebuild writes them.

Such segments cannot go through Whoosh's merge (it copies postings and would lose the
positions the sidecar holds), so small segments are merged the bulk way: ``merge_small``
chooses them, and their LIVE documents are read again from the database (the truth, as a
rebuild reads it) and written into the batch's own segment, which replaces them in the same
table of contents. The commit is one new TOC under the index's write lock, so readers, in
this process or another, see either the old segments or the new one (their open segment
files stay readable: ``engine.SearcherHolder``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from whoosh import index as windex

from ..backend import IndexDoc
from .bulk import BulkSegmentWriter
from .engine import writer_args
from .schema import decode_stamp, to_fields

log = logging.getLogger(__name__)

# A segment with fewer live documents than this may be merged; larger ones (a rebuild's
# parts) stay as they are. Small segments are grouped in tiers of MERGE_FACTOR ** n live
# documents; a tier holding MERGE_FACTOR of them is merged into one (of the next tier), so a
# document is written again about log(N) / log(MERGE_FACTOR) times, and at most
# MERGE_FACTOR - 1 segments stay per tier.
SMALL_DOCS = 2000
MERGE_FACTOR = 4
BATCH = 200

Loader = Callable[[list[int]], list[IndexDoc]]
MergePolicy = Callable[[Any, list[Any]], list[Any]]


class BatchWriter(BulkSegmentWriter):
    """A bulk segment for one incremental commit: deletions in the existing segments, the
    new and changed documents, and the live documents of the segments a merge policy hands
    to ``add_reader`` (their ids only: the documents are read again from the database)."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.merged: set[int] = set()

    def delete_ids(self, ids: Iterable[int]) -> None:
        for doc_id in ids:
            self.delete_by_term("id", str(doc_id))

    def add_reader(self, reader: Any) -> None:
        """Whoosh's merge policies call this for each segment they merge: remember the ids
        of its live documents (from the ``stamp`` column)."""
        if not reader.doc_count():
            return
        column = reader.column_reader("stamp")
        for docnum in reader.all_doc_ids():  # live documents only
            stamp = decode_stamp(column[docnum])
            if stamp is None:  # unreadable: the drift check adds it back from the database
                log.warning("a merged search segment's document has no stamp: left out")
                continue
            self.merged.add(stamp[0])


def merge_small(writer: Any, segments: list[Any]) -> list[Any]:
    """The segments that stay; those merged are handed to ``writer.add_reader``. A segment
    whose documents are all deleted is dropped."""
    from whoosh.reading import SegmentReader

    kept: list[Any] = []
    tiers: dict[int, list[Any]] = {}
    for seg in segments:
        live = seg.doc_count()
        if live == 0:
            continue
        if live >= SMALL_DOCS:
            kept.append(seg)
            continue
        tier = 0
        while live >= MERGE_FACTOR:
            live //= MERGE_FACTOR
            tier += 1
        tiers.setdefault(tier, []).append(seg)
    for group in tiers.values():
        if len(group) < MERGE_FACTOR:
            kept += group
            continue
        for seg in group:
            reader = SegmentReader(writer.storage, writer.schema, seg)
            try:
                writer.add_reader(reader)
            finally:
                reader.close()
    order = {id(s): i for i, s in enumerate(segments)}
    return sorted(kept, key=lambda s: order[id(s)])


def open_batch(ix: windex.Index, timeout: float = 10.0) -> BatchWriter:
    """A ``BatchWriter`` holding the index's write lock (released by ``write_batch``)."""
    from whoosh.util.filelock import try_for
    from whoosh.writing import LockError

    lock = ix.lock("WRITELOCK")
    if not try_for(lock.acquire, timeout=timeout, delay=0.1):
        raise LockError
    try:
        writer = BatchWriter(ix, **writer_args())
    except BaseException:
        lock.release()
        raise
    writer.writelock = lock  # released by _finish, or by engine.cancel_guarded
    return writer


def write_batch(ix: windex.Index, changed: set[int], removed: set[int], load: Loader,
                progress: Callable[[int], None], mergetype: MergePolicy = merge_small) -> None:
    """Commit ``changed`` (written again from ``load``; those it no longer finds are
    deleted) and ``removed`` (deleted), with the small segments ``mergetype`` picks merged
    into the same new segment, in one TOC."""
    from .engine import cancel_guarded

    writer = open_batch(ix)
    try:
        writer.delete_ids(sorted(changed | removed))
        final = list(mergetype(writer, list(writer.segments)))
        # in id order, as a rebuild writes them (equal scores come in the same order)
        ids = sorted(changed | (writer.merged - removed))
        for i in range(0, len(ids), BATCH):
            chunk = ids[i:i + BATCH]
            for doc in load(chunk):
                writer.add_index_fields(to_fields(doc))
            progress(sum(1 for x in chunk if x in changed))
        if writer._added:
            final.append(writer.segment())
        else:
            writer._close_segment()
        writer._commit_toc(final)
    except BaseException:
        cancel_guarded(writer)
        raise
    writer._finish()  # releases the write lock
