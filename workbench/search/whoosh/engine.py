"""The index on disk (private): generations, the pointer file, guarded Whoosh writes, searchers.

Layout of ``library/index/``::

    workbench-index.json   {"schema": N, "current": "g3", "complete": true}
    g3/                    the Whoosh index the pointer names

A rebuild writes a new generation beside the current one and swaps the pointer atomically
when it is complete, so searches keep using the old index meanwhile and a crash mid-build
leaves the old one in place. Whoosh-reloaded 2.7.5 bugs guarded here: a failed commit leaves
the write lock held (``commit_guarded`` always releases it), and a damaged TOC or segment
raises arbitrary exceptions (``TypeError``, ``struct.error``...), so any exception on open is
reported as ``IndexProblem`` and leads to a rebuild.

Every index file is opened through ``storage`` (and small files through ``read_small`` /
``write_small``): in an encrypted library they are sealed (``storage.py``).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Hashable
from functools import partial
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from whoosh import index as windex
from whoosh.codec.whoosh3 import W3Codec
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from ..analysis import DEFAULT_COMMON
from . import whoosh_pin
from .schema import SCHEMA_VERSION, build_schema

log = logging.getLogger(__name__)
POINTER = "workbench-index.json"
COMMON = "common.json"
# How many times a searcher is opened again when the index changed while it was opened.
OPEN_TRIES = 12


class IndexProblem(Exception):
    """The index cannot be used as it is; ``reason`` says why (for index_status)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class IndexBusy(IndexProblem):
    """The index kept changing while a searcher was being opened: nothing is wrong with it,
    a search a moment later works."""


def storage(folder: Path | str) -> Any:
    """The Whoosh storage of the index at ``folder`` (sealed in an encrypted library)."""
    from .storage import storage_for

    return storage_for(folder)


def open_index(folder: Path | str, schema: Any = None) -> windex.Index:
    return storage(folder).open_index(schema=schema)


def write_small(path: Path, data: bytes) -> None:
    """A small index file (sealed in an encrypted library)."""
    from ...crypto.registry import key_for
    from ...crypto.sealed import seal_bytes

    key = key_for(path)
    if key is None:
        path.write_bytes(data)
    else:
        seal_bytes(path, key, data)


def read_small(path: Path) -> bytes:
    from ...crypto.registry import key_for

    key = key_for(path)
    if key is None:  # a plain library: no cryptography to load
        return path.read_bytes()
    from ...crypto.sealed import open_bytes

    return open_bytes(path, key)


def read_pointer(index_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((index_dir / POINTER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_pointer(index_dir: Path, data: dict[str, Any]) -> None:
    tmp = index_dir / (POINTER + ".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, index_dir / POINTER)


def open_current(index_dir: Path) -> tuple[windex.Index, str]:
    """The current generation's index, checked; raises ``IndexProblem`` with the reason, and
    ``SearchEngineMismatch`` (no rebuild can help) with another Whoosh than the verified."""
    whoosh_pin.check()
    ptr = read_pointer(index_dir)
    if ptr is None:
        raise IndexProblem("missing")
    if ptr.get("schema") != SCHEMA_VERSION:
        raise IndexProblem(f"schema version {ptr.get('schema')} (expected {SCHEMA_VERSION})")
    if not ptr.get("complete"):
        raise IndexProblem("an earlier build did not finish")
    gen = str(ptr.get("current", ""))
    if not gen or "/" in gen or not (index_dir / gen).is_dir():
        raise IndexProblem("missing")
    schema = build_schema(read_common(index_dir / gen))
    try:
        ix = open_index(index_dir / gen, schema=schema)
        with ix.searcher() as s:  # read the TOC and every segment's term index once
            s.doc_count()
            list(s.reader().column_reader("meta")[i] for i in range(min(1, s.doc_count_all())))
    except Exception as exc:  # any Whoosh failure on open means: rebuild
        raise IndexProblem(f"damaged ({type(exc).__name__}: {exc})") from exc
    return ix, gen


def new_generation(index_dir: Path, common: frozenset[str] = DEFAULT_COMMON
                   ) -> tuple[windex.Index, str]:
    """An empty index in a fresh generation folder (not yet current), whose analyzer makes
    grams of the ``common`` words (kept beside it in ``common.json``)."""
    whoosh_pin.check()  # the bulk writer writes Whoosh's files itself: only the verified format
    index_dir.mkdir(parents=True, exist_ok=True)
    used = [int(c.name[1:]) for c in index_dir.iterdir()
            if c.is_dir() and c.name[:1] == "g" and c.name[1:].isdigit()]
    n = max(used, default=0)
    gen = f"g{n + 1}"
    (index_dir / gen).mkdir()
    try:
        # the archive's own common words: sealed like the rest in an encrypted library
        write_small(index_dir / gen / COMMON, json.dumps(sorted(common)).encode("utf-8"))
        return storage(index_dir / gen).create().create_index(build_schema(common)), gen
    except BaseException:  # a full disk: no half-made generation stays behind
        shutil.rmtree(index_dir / gen, ignore_errors=True)
        raise


def read_common(folder: Path) -> frozenset[str]:
    """The common words a generation was built with (its analyzer must use the same)."""
    try:
        words = json.loads(read_small(folder / COMMON).decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexProblem("damaged (no common-word list)") from exc
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise IndexProblem("damaged (bad common-word list)")
    return frozenset(words)


def make_current(index_dir: Path, gen: str) -> None:
    """Point at ``gen`` and delete the other generations (open searchers keep their files)."""
    write_pointer(index_dir, {"schema": SCHEMA_VERSION, "current": gen, "complete": True})
    for child in index_dir.iterdir():
        if child.is_dir() and child.name != gen and child.name.startswith("g"):
            shutil.rmtree(child, ignore_errors=True)


def remove_stale_generations(index_dir: Path) -> list[str]:
    """Delete the generation folders the pointer does not name (a rebuild that crashed or
    ran out of space before it could clean up); the names removed. Only the writer may call
    this, before it starts a rebuild of its own."""
    ptr = read_pointer(index_dir)
    current = str(ptr.get("current")) if ptr else None
    removed = []
    if index_dir.is_dir():
        for child in index_dir.iterdir():
            if (child.is_dir() and child.name != current and child.name[:1] == "g"
                    and child.name[1:].isdigit()):
                shutil.rmtree(child, ignore_errors=True)
                removed.append(child.name)
    return removed


def writer_args() -> dict[str, Any]:
    """How every segment is written.

    No zlib on posting blocks: measured 15-30 % less CPU per document. No compound segment
    files: whoosh-reloaded 2.7.5 opens a compound segment by copying each sub-file into a
    BytesIO (``BufferFile``), so a searcher held the whole postings file in memory (1.4 GB
    RSS at 10,000 documents); separate files are read on demand.
    """
    return {"codec": W3Codec(compression=0), "compound": False}


def open_writer(ix: windex.Index, timeout: float = 10.0, **kwargs: Any) -> SegmentWriter:
    """``ix.writer(timeout=..., **kwargs)`` that never leaves the write lock held when the
    writer cannot be made: Whoosh's takes the lock, then creates its first files, and on a
    full disk fails with nobody to release it (every later write then waits and fails)."""
    from whoosh.util.filelock import try_for
    from whoosh.writing import LockError

    lock = ix.lock("WRITELOCK")
    if not try_for(lock.acquire, timeout=timeout, delay=0.1):
        raise LockError
    try:
        writer = SegmentWriter(ix, _lk=False, **kwargs)
    except BaseException:
        lock.release()
        raise
    writer.writelock = lock  # released by its commit or cancel
    return writer


def cancel_guarded(writer: SegmentWriter) -> None:
    """Cancel, and release the write lock even when cancelling fails too (closing the
    half-written segment on a full disk)."""
    try:
        writer.cancel()
    except Exception:
        log.debug("cancelling an index writer failed", exc_info=True)
    finally:
        _release_lock(writer)


def commit_guarded(writer: SegmentWriter, **kwargs: Any) -> None:
    """Commit, and on any failure cancel and make sure the write lock is released."""
    try:
        writer.commit(**kwargs)
    except BaseException:
        try:
            writer.cancel()
        except Exception:  # the writer may already be half-closed
            log.debug("cancel after a failed commit failed too", exc_info=True)
        raise
    finally:
        _release_lock(writer)


def _release_lock(writer: SegmentWriter) -> None:
    """Whoosh keeps its write lock when a writer fails half-way (a full disk): without this,
    every later write waits for it and fails."""
    lock = getattr(writer, "writelock", None)
    if lock is not None and getattr(lock, "locked", False):
        try:
            lock.release()
        except Exception:
            log.debug("releasing the index write lock failed", exc_info=True)


def merge_small(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """Whoosh's ``MERGE_SMALL`` over the segments without a sidecar only: a large segment
    keeps its sidecar (``sidecar.py``) and is never folded into an incremental merge."""
    from whoosh.writing import MERGE_SMALL

    from . import sidecar

    folder = Path(writer.storage.folder)
    kept: list[Any] = []
    rest: list[Any] = []
    for seg in segments:  # a positionless segment is never merged, even without its file
        big = sidecar.positions_only_in_sidecar(seg) or (folder / sidecar.filename(seg)).exists()
        (kept if big else rest).append(seg)
    return kept + list(MERGE_SMALL(writer, rest))


def sync_sidecars(ix: windex.Index, verify: bool = False) -> list[str]:
    """Give each segment of at least ``sidecar.MIN_DOCS`` documents without a sidecar one
    (segments the incremental writer merged), and with ``verify``, check every sidecar
    against its checksums and rewrite a damaged one from its segment. Only the table of
    contents is read unless a segment needs writing. Returns the problems found; raises
    ``sidecar.PositionsLost`` when the sidecar of a segment whose positions are there only
    (the bulk writer's) is missing or damaged: the caller rebuilds the index."""
    from whoosh.reading import SegmentReader

    from . import sidecar

    folder = Path(ix.storage.folder)
    toc = ix._read_toc()
    problems = []
    for seg in toc.segments:
        path = folder / sidecar.filename(seg)
        if path.exists():
            problem = sidecar.verify(path, seg.doc_count_all()) if verify else None
            if problem is None:
                continue
            problems.append(f"{path.name}: {problem}")
            if sidecar.positions_only_in_sidecar(seg):
                raise sidecar.PositionsLost(f"{path.name}: {problem}")
            log.warning("search sidecar %s is damaged (%s): rewriting it", path.name, problem)
        elif sidecar.positions_only_in_sidecar(seg):
            raise sidecar.PositionsLost(f"{path.name} is missing")
        elif seg.doc_count_all() < sidecar.MIN_DOCS:
            continue
        reader = SegmentReader(ix.storage, toc.schema, seg)
        try:
            sidecar.write_for_leaf(reader, path)
        finally:
            reader.close()
    return problems


def reopen(ix: windex.Index, old: Searcher | None = None) -> tuple[Searcher, int]:
    """A searcher on the latest commit, and that commit's generation (its TOC's number),
    reusing the unchanged segment readers of ``old``.

    Not Whoosh's ``Searcher.refresh``: in 2.7.5 it reuses a segment reader whose segment has
    gained deletions (deleted documents keep matching) and keeps readers of segments that a
    merge removed. Here a reader is reused only for the same segment with the same deletions.
    On failure (a segment's files deleted by a newer commit) ``old`` is left as it was.
    """
    from whoosh.reading import EmptyReader, MultiReader, SegmentReader

    toc = ix._read_toc()  # the same call Whoosh's own reader() makes
    leaves = [r for r, _base in old.reader().leaf_readers()] if old is not None else []
    reusable = {(r.segment().segment_id(), r.segment().deleted_count()): r
                for r in leaves if r.segment() is not None}
    readers, made = [], []
    try:
        for seg in toc.segments:
            r = reusable.pop((seg.segment_id(), seg.deleted_count()), None)
            if r is None:
                r = SegmentReader(ix.storage, toc.schema, seg, generation=toc.generation)
                made.append(r)
            readers.append(r)
    except BaseException:
        for r in made:
            r.close()
        raise
    for r in reusable.values():
        r.close()
    if not readers:
        return Searcher(EmptyReader(toc.schema), fromindex=ix), toc.generation
    reader = readers[0] if len(readers) == 1 else MultiReader(readers, generation=toc.generation)
    if len(readers) == 1:
        reader._gen = toc.generation  # as a MultiReader keeps it (Whoosh's up_to_date())
    return Searcher(reader, fromindex=ix), toc.generation


_PER_LEAF: WeakKeyDictionary[Any, dict[Hashable, Any]] = WeakKeyDictionary()
_PER_LEAF_LOCK = threading.Lock()


def per_leaf(leaf: Any, key: Hashable, make: Callable[[], Any],
             valid: Callable[[Any], bool] | None = None) -> Any:
    """A value derived from one segment reader (a column reader, a word list...), made once
    and kept while that reader lives: a searcher reopened after a commit keeps the readers of
    unchanged segments, so only a new segment's values are made again. A kept value that
    ``valid`` rejects is made again."""
    with _PER_LEAF_LOCK:
        cache = _PER_LEAF.get(leaf)
        if cache is None:
            cache = _PER_LEAF[leaf] = {}
    if key not in cache or (valid is not None and not valid(cache[key])):
        cache[key] = make()
    return cache[key]


def leaf_column(leaf: Any, fieldname: str) -> Any:
    """Segment reader ``leaf``'s column reader for ``fieldname``, kept while the reader lives
    (Whoosh builds a new one per call, reading a variable-length column's whole offset
    table)."""
    return per_leaf(leaf, ("column", fieldname), partial(leaf.column_reader, fieldname))


def pin(leaf: Any, schema: Any) -> None:
    """Open now every file of segment reader ``leaf`` that a search reads and Whoosh would
    open on first use: the columns and the field lengths. An open file still reads once a
    later commit deletes it (a reader of a missing column gets defaults, silently)."""
    from .blocks import length_bytes

    if leaf.segment() is None:  # an empty index
        return
    for name in ("stamp", "meta"):
        leaf_column(leaf, name)
    for name in schema.scorable_names():
        per_leaf(leaf, ("lengths", name), partial(length_bytes, leaf, name))


class SearcherHolder:
    """One long-lived searcher, refreshed when the index changes (opening one costs ~200 ms).

    Whoosh searchers share file handles, so searches run one at a time under ``lock``.
    """

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.lock = threading.RLock()
        self._ix: windex.Index | None = None
        self._gen: str | None = None
        self._searcher: Searcher | None = None
        self._toc_gen: int | None = None  # the commit ``_searcher`` reads
        # the per-segment facet parts last joined, and the joined table
        self._joined: tuple[list[Any], Any] | None = None

    def column(self, searcher: Searcher, fieldname: str) -> Any:
        """A column reader for ``fieldname`` over ``searcher`` (call with ``lock`` held).

        Whoosh builds a new column reader per call, and a variable-length column reads its
        whole offset table (every document) to do so: ~5 ms per segment per search at 10,000
        documents. Readers are kept per segment reader, so after a commit only the new
        segment's column is read.
        """
        from whoosh.columns import MultiColumnReader

        leaves = searcher.reader().leaf_readers()
        parts = [leaf_column(leaf, fieldname) for leaf, _base in leaves]
        if len(parts) == 1:
            return parts[0]
        return MultiColumnReader(parts, [base for _leaf, base in leaves])

    def lengths(self, leaf: Any, fieldname: str) -> bytes:
        """Each document's length byte for ``fieldname`` in segment reader ``leaf``."""
        from .blocks import length_bytes

        return per_leaf(leaf, ("lengths", fieldname),  # type: ignore[no-any-return]
                        partial(length_bytes, leaf, fieldname))

    def facet_table(self, searcher: Searcher) -> Any:
        """The facet lists (``facets.Table``) over every document of ``searcher`` (call with
        ``lock`` held); each segment's part is decoded once, while its reader lives."""
        from . import facets

        parts = [per_leaf(leaf, "facets", partial(facets.leaf_table, leaf_column(leaf, "meta")))
                 for leaf, _base in searcher.reader().leaf_readers()]
        joined = self._joined
        if joined is None or len(joined[0]) != len(parts) or any(
                a is not b for a, b in zip(joined[0], parts, strict=True)):
            joined = self._joined = (parts, facets.join(parts))
        return joined[1]

    def get(self) -> Searcher:
        """The current searcher (call with ``lock`` held); raises ``IndexProblem``.

        Opening one races the writer. A commit writes its table of contents, then deletes
        the files of the segments it merged away; a rebuild points at a new generation, then
        deletes the old folder. Whoosh opens a segment's terms and postings with its reader
        but its columns (``stamp``: which document a match is) and field lengths on first
        use, and finding them gone it reads defaults: a searcher opened on a commit that was
        replaced meanwhile dropped matches without a word (a total of 1, no hit), or failed
        as "damaged" when the next segment's files were gone. So those files are opened now
        (``pin``, then they read even once deleted), and a searcher is kept only if its
        commit is still the latest after that; otherwise it is opened again on the newer one.
        """
        for attempt in range(OPEN_TRIES):
            seen = self._latest()
            if self._searcher is not None and seen == (self._gen, self._toc_gen):
                return self._searcher
            try:
                self._open(seen[0])
            except IndexProblem:
                if self._latest() != seen:  # the writer moved on while we opened: again
                    continue
                self.close()
                raise
            if self._latest() == (self._gen, self._toc_gen):
                assert self._searcher is not None
                return self._searcher
            if attempt:
                time.sleep(0.01 * attempt)  # a stream of commits: let one of them finish
        self.close()
        raise IndexBusy("it changed while it was being opened")

    def _latest(self) -> tuple[str | None, int | None]:
        """The generation folder the pointer names, and its latest commit."""
        ptr = read_pointer(self.index_dir)
        gen = str(ptr.get("current")) if ptr else None
        if not gen or "/" in gen:
            return gen, None
        if gen == self._gen and self._ix is not None:
            return gen, int(self._ix.latest_generation())
        return gen, int(windex.TOC._latest_generation(storage(self.index_dir / gen), "MAIN"))

    def _open(self, gen: str | None) -> None:
        """A searcher on generation ``gen``'s latest commit, its lazily read files pinned."""
        if self._searcher is None or gen != self._gen:
            self.close()
            self._ix, self._gen = open_current(self.index_dir)
        assert self._ix is not None
        try:
            self._searcher, self._toc_gen = reopen(self._ix, self._searcher)
            for leaf, _base in self._searcher.reader().leaf_readers():
                pin(leaf, self._searcher.schema)
        except Exception as exc:
            raise IndexProblem(f"damaged ({type(exc).__name__})") from exc

    def close(self) -> None:
        with self.lock:
            if self._searcher is not None:
                try:
                    self._searcher.close()
                except Exception:
                    log.debug("closing a searcher failed", exc_info=True)
            self._searcher = None
            self._toc_gen = None
            self._joined = None
            if self._ix is not None:
                self._ix.close()
            self._ix = None
            self._gen = None
