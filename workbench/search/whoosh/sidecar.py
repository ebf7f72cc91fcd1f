"""Each large segment's postings as flat arrays beside it (private): the query fast path.

Whoosh keeps a term's postings as pickled blocks of 128 (ids, weights, and one pickled
position list per posting). Reading them costs an unpickle per block and a Python object
per posting: at 100,000 documents a phrase of two frequent words spent 80 % of its time
unpickling positions, and a prefix's 64 expansions decoded ~600,000 postings one by one.

A sidecar (``MAIN_<segment>.wbx``, next to the segment's own files, so Whoosh deletes it
with the segment) holds the same postings as arrays that numpy maps straight from the file:

- per field, the sorted terms (NUL-terminated UTF-8 in one blob) with their offsets,
- ``pstart``: where each term's postings start; ``ids`` (segment document numbers) and
  ``weights`` (term frequencies) of all postings, term after term,
- for phrase fields, ``qstart`` and ``pos``: each posting's positions, in posting order,
  as many as its weight (stem terms keep none: phrases use exact words only).

In a segment the bulk writer wrote, the sidecar is where the positions are: Whoosh's own
blocks keep ids and weights only (``bulk.py``), so such a sidecar cannot be derived again
from its segment; when it is lost or damaged the index is rebuilt from the database.

The sidecar is derived and optional: a segment without one (small segments written by the
incremental writer) is read through Whoosh. A file whose size or document count disagrees
with its segment is ignored. In an encrypted library the file is sealed (``crypto/``): it
is written through a sealed writer and read through a sealed reader's ``pread``, which
decrypts only the chunks a query touches.
"""

from __future__ import annotations

import json
import logging
import os
import struct
import weakref
import zlib
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # numpy is imported where it is used: attaching the index never needs it
    from numpy.typing import NDArray

log = logging.getLogger(__name__)

EXT = ".wbx"
MAGIC = b"WBX1"
_HEAD = struct.Struct("<4sQ")
POSITION_FIELDS = ("body", "title")
MIN_DOCS = 2000  # smaller segments are cheap to read through Whoosh


def filename(segment: Any) -> str:
    return str(segment.make_filename(EXT))


# A segment whose phrase-field positions are in its sidecar only (``bulk.py``) carries this
# attribute; Whoosh pickles segments whole into its table of contents, so it stays with it.
_POSITIONLESS = "wb_positions_in_sidecar"


class PositionsLost(Exception):
    """A segment keeps its positions in its sidecar only, and the sidecar is missing or
    unusable: phrases cannot be answered from it (the writer's check rebuilds the index)."""


def mark_positionless(segment: Any) -> None:
    setattr(segment, _POSITIONLESS, True)


def positions_only_in_sidecar(segment: Any) -> bool:
    return bool(getattr(segment, _POSITIONLESS, False))


class _Field:
    __slots__ = ("arrays", "blob", "ids", "positions", "pstart", "qstart", "terms", "toff",
                 "weights")

    def __init__(self, positions: bool) -> None:
        self.arrays: dict[str, Any] | None = None  # a whole field given at once
        self.terms = bytearray()
        self.toff = array("Q", [0])
        self.pstart = array("Q", [0])
        self.ids = array("I")
        self.weights = array("f")
        self.positions: array[int] | None = array("I") if positions else None
        self.qstart: array[int] | None = array("Q", [0]) if positions else None


class SidecarWriter:
    """Collects one segment's terms in sorted order, field by field, then ``write``s them."""

    def __init__(self, doc_count: int) -> None:
        self.doc_count = doc_count
        self._fields: dict[str, _Field] = {}
        self._cur: _Field | None = None

    def start_field(self, fieldname: str) -> None:
        self._cur = self._fields[fieldname] = _Field(fieldname in POSITION_FIELDS)

    def add_term(self, btext: bytes, ids: Any, weights: Any, positions: Any = None) -> None:
        """One term: its postings' ids and weights, and (phrase fields) every posting's
        positions concatenated, or None to keep none for this term."""
        f = self._cur
        assert f is not None
        f.terms += btext
        f.terms.append(0)
        f.toff.append(len(f.terms))
        f.ids.extend(ids)
        f.weights.extend(weights)
        f.pstart.append(len(f.ids))
        if f.positions is not None and f.qstart is not None:
            if positions is not None:
                f.positions.extend(positions)
            f.qstart.append(len(f.positions))

    def add_arrays(self, terms: bytes, toff: NDArray[Any], pstart: NDArray[Any],
                   ids: NDArray[Any], weights: NDArray[Any], positions: NDArray[Any],
                   qstart: NDArray[Any]) -> None:
        """The whole current field at once, as the arrays ``add_term`` would have built
        (``terms``: every term NUL-terminated; ``toff``, ``pstart``, ``qstart``: uint64
        offsets; ``ids`` uint32, ``weights`` float32, ``positions`` uint32)."""
        f = self._cur
        assert f is not None and f.positions is not None and len(f.toff) == 1
        f.arrays = {"terms": terms, "toff": toff, "pstart": pstart, "ids": ids,
                    "weights": weights, "positions": positions, "qstart": qstart}

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the file (under a temporary name first, so a crash leaves no half file)."""
        import numpy as np

        sections: list[tuple[str, NDArray[Any]]] = []
        header: dict[str, Any] = {"doc_count": self.doc_count, "fields": {}}
        for name, f in self._fields.items():
            got = f.arrays or {
                "terms": bytes(f.terms),
                "toff": np.frombuffer(f.toff, dtype=np.uint64),
                "pstart": np.frombuffer(f.pstart, dtype=np.uint64),
                "ids": np.frombuffer(f.ids, dtype=np.uint32),
                "weights": np.frombuffer(f.weights, dtype=np.float32),
                "positions": (None if f.positions is None
                              else np.frombuffer(f.positions, dtype=np.uint32)),
                "qstart": None if f.qstart is None else np.frombuffer(f.qstart, np.uint64),
            }
            parts: dict[str, NDArray[Any]] = {
                "terms": np.frombuffer(got["terms"], dtype=np.uint8),
                "toff": got["toff"],
                "pstart": got["pstart"],
                "ids": _narrow(got["ids"], self.doc_count),
                "weights": _narrow_weights(got["weights"]),
            }
            if got["positions"] is not None and got["qstart"] is not None:
                pos = got["positions"]
                pos = _narrow(pos, int(pos.max()) + 1 if len(pos) else 0)
                parts["positions"] = pos
                parts["qstart"] = got["qstart"]
            header["fields"][name] = {k: len(sections) + i for i, k in enumerate(parts)}
            sections += list(parts.items())
        # offsets are filled in once the header's own size is known (two passes: it only grows
        # when a number gains a digit, and the padding absorbs that)
        table: list[list[Any]] = [[0, a.dtype.str, len(a), zlib.crc32(a.data)]
                                  for _n, a in sections]
        header["sections"] = table
        for _ in range(3):
            start = _align(_HEAD.size + len(json.dumps(header)) + 64)
            off = start
            for row, (_n, a) in zip(table, sections, strict=True):
                row[0] = off
                off = _align(off + a.nbytes)
            header["size"] = off
        raw = json.dumps(header).encode("utf-8")
        assert _HEAD.size + len(raw) <= start
        tmp = f"{os.fspath(path)}.tmp"
        with _create(tmp) as out:
            out.write(_HEAD.pack(MAGIC, len(raw)))
            out.write(raw)
            for row, (_n, a) in zip(table, sections, strict=True):
                out.write(b"\0" * (row[0] - out.tell()))
                out.write(a.data)
            out.write(b"\0" * (header["size"] - out.tell()))
        os.replace(tmp, path)


def _narrow(a: NDArray[Any], bound: int) -> NDArray[Any]:
    """``a`` as 16-bit numbers when all are below ``bound`` <= 65,536 (document numbers of a
    segment of at most 12,500 documents, positions): half the bytes. Readers take each
    section's type from the header."""
    import numpy as np

    return a.astype(np.uint16) if bound <= 65536 else a


def _narrow_weights(w: NDArray[Any]) -> NDArray[Any]:
    """Term frequencies as 16-bit numbers when they are whole and small (they always are in
    the text fields); other weights stay 32-bit floats."""
    import numpy as np

    if not len(w) or (float(w.min()) >= 0 and float(w.max()) < 65536
                      and bool(np.all(w == np.floor(w)))):
        return w.astype(np.uint16)
    return w


def _align(n: int) -> int:
    return (n + 15) // 16 * 16


def _create(path: str) -> Any:
    from ...crypto.registry import key_for

    key = key_for(path)
    if key is None:  # a plain library: no cryptography to load (~11 MB, issue 16)
        return open(path, "wb")
    from ...crypto.sealed import SealedWriter

    return SealedWriter(path, key, sync=False)


class _PlainFile:
    """An open sidecar file read with ``os.pread`` (the sealed reader has the same shape)."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        self.size = os.fstat(self._fd).st_size

    def pread(self, size: int, offset: int) -> bytes:
        return os.pread(self._fd, size, offset)

    def close(self) -> None:
        os.close(self._fd)


def _open_read(path: Path) -> Any:
    from ...crypto.registry import key_for

    key = key_for(path)
    if key is None:  # a plain library: no cryptography to load
        return _PlainFile(path)
    from ...crypto.sealed import SealedReader

    return SealedReader(path, key)


class _Section(NamedTuple):
    offset: int
    dtype: str  # numpy's name of the elements' type, as written ("<u2", "<f4", "|u1"...)
    size: int  # elements
    itemsize: int  # bytes an element


def _itemsize(dtype: str) -> int:
    """The bytes of one element of numpy type ``dtype`` ("<u4": 4), read without numpy (a
    small index's sidecar is read in plain Python, ``sidecar_plain.py``)."""
    if len(dtype) < 3 or dtype[0] not in "<>|=" or dtype[1] not in "uif" \
            or not dtype[2:].isdigit():
        raise ValueError(f"unknown section type {dtype!r}")
    return int(dtype[2:])


class TermDictionary:
    """One field's sorted terms in one sidecar, looked up in plain Python (what both readers
    of a field, ``FieldPostings`` and ``sidecar_plain.PlainFieldPostings``, share).

    The sorted terms and their offsets are read into memory (the binary search touches ~20
    of them per lookup); postings and positions are read with ``os.pread`` when a query asks
    for them, so they live in the system's file cache, not in the process (a mapped file's
    touched pages count as the process's own memory: 840 MB at 100,000 documents).
    """

    _blob_bytes: bytes
    _toff: Any  # each term's offset in the blob (indexable, plain ints)
    nterms: int
    has_phrase_positions: bool

    def term(self, i: int) -> bytes:
        return self._blob_bytes[self._toff[i]:self._toff[i + 1] - 1]

    def term_bytes(self, lo: int, hi: int) -> bytes:
        """Terms ``lo`` to ``hi - 1``, each followed by a NUL, as stored."""
        return self._blob_bytes[self._toff[lo]:self._toff[hi]]

    def _lower(self, key: bytes) -> int:
        """The first term number whose term is >= ``key``."""
        lo, hi = 0, self.nterms
        blob, toff = self._blob_bytes, self._toff
        while lo < hi:
            mid = (lo + hi) // 2
            if blob[toff[mid]:toff[mid + 1] - 1] < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def find(self, btext: bytes) -> int:
        """The term's number, or -1."""
        i = self._lower(btext)
        return i if i < self.nterms and self.term(i) == btext else -1

    def prefix_range(self, prefix: bytes) -> tuple[int, int]:
        """Term numbers [lo, hi) of the terms starting with ``prefix``."""
        return self._lower(prefix), self._lower(prefix + b"\xff")  # 0xff is never in UTF-8


class FieldPostings(TermDictionary):
    """One field's terms and postings in one sidecar, read as numpy arrays (the bulk
    evaluator's; ``sidecar_plain.PlainFieldPostings`` reads a small index's without numpy)."""

    def __init__(self, fd: Any, sections: dict[str, _Section]) -> None:
        import numpy as np

        self._fd = fd  # a _PlainFile or a sealed reader
        self._sec = sections
        self._blob_bytes = self._read("terms", 0, sections["terms"].size).tobytes()
        toff = self._read("toff", 0, sections["toff"].size)
        if len(self._blob_bytes) < 2**32:  # half the memory; plain ints when indexed
            self._toff = memoryview(toff.astype(np.uint32).tobytes()).cast("I")
        else:
            self._toff = memoryview(toff.astype(np.uint64).tobytes()).cast("Q")
        self.nterms = sections["toff"].size - 1
        self.has_phrase_positions = "positions" in sections

    def _read(self, name: str, start: int, count: int) -> NDArray[Any]:
        """Elements [start, start + count) of one section."""
        import numpy as np

        sec = self._sec[name]
        size = sec.itemsize
        raw = self._fd.pread(count * size, sec.offset + start * size)
        if len(raw) != count * size:
            raise OSError("search sidecar is shorter than its header says")
        return np.frombuffer(raw, dtype=np.dtype(sec.dtype))

    def doc_frequencies(self, lo: int, hi: int) -> NDArray[Any]:
        import numpy as np

        if lo >= hi:
            return np.zeros(0, dtype=np.int64)
        return np.diff(self._read("pstart", lo, hi - lo + 1).astype(np.int64))

    def doc_frequency_of(self, terms: list[bytes]) -> list[int]:
        """How many documents hold each of ``terms`` (0 for a term not in the field)."""
        import numpy as np

        out = []
        for t in terms:
            i = self.find(t)
            out.append(0 if i < 0 else int(np.diff(self._read("pstart", i, 2))[0]))
        return out

    def postings(self, i: int) -> tuple[NDArray[Any], NDArray[Any]]:
        """Term ``i``'s document numbers and weights (term frequencies)."""
        a, b = self._read("pstart", i, 2).tolist()
        return self._read("ids", a, b - a), self._read("weights", a, b - a)

    def has_positions(self, i: int) -> bool:
        """Whether term ``i``'s positions are kept (not for stems, nor in non-phrase fields)."""
        if not self.has_phrase_positions:
            return False
        q0, q1 = self._read("qstart", i, 2).tolist()
        return bool(q1 > q0)

    def positions_of(self, i: int, sel: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any]]:
        """For the postings ``sel`` (indexes into term ``i``'s list): each one's position
        count, and all their positions concatenated in that order."""
        import numpy as np

        a, b = self._read("pstart", i, 2).tolist()
        q0, q1 = self._read("qstart", i, 2).tolist()
        counts = self._read("weights", a, b - a).astype(np.int64)
        block = self._read("positions", q0, q1 - q0)
        ends = np.cumsum(counts)
        n = counts[sel]
        return n, block[_ranges(ends[sel] - n, n)]


def _ranges(starts: NDArray[Any], lengths: NDArray[Any]) -> NDArray[Any]:
    """The concatenation of ``arange(s, s + n)`` for each pair, without a Python loop."""
    import numpy as np

    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    steps = np.ones(total, dtype=np.int64)
    heads = np.cumsum(lengths) - lengths  # where each run begins in the output
    keep = lengths > 0
    first = starts[keep].astype(np.int64)
    steps[heads[keep]] = first - np.concatenate(([0], (first + lengths[keep] - 1)[:-1]))
    return np.cumsum(steps)


class Sidecar:
    """An open sidecar file; ``fields`` holds each field's ``FieldPostings`` (numpy),
    ``plain_fields`` each field's ``sidecar_plain.PlainFieldPostings`` (plain Python, for a
    small index: no numpy to import). Each is read when first asked for."""

    def __init__(self, path: Path, doc_count: int) -> None:
        st = os.stat(path)
        fd = _open_read(path)
        self._closer = weakref.finalize(self, fd.close)
        self.path = path
        self._identity = (st.st_ino, st.st_mtime_ns, st.st_size)
        try:
            head = fd.pread(_HEAD.size, 0)
            magic, hlen = _HEAD.unpack(head)
            if magic != MAGIC:
                raise ValueError("not a sidecar")
            header = json.loads(fd.pread(hlen, _HEAD.size))
            if header["doc_count"] != doc_count or header["size"] != fd.size:
                raise ValueError("sidecar does not match its segment")
            secs = [_Section(int(off), str(dt), int(n), _itemsize(str(dt)))
                    for off, dt, n, _crc in header["sections"]]
            for sec in secs:  # the readers below read within these bounds only
                if sec.offset < 0 or sec.size < 0 \
                        or sec.offset + sec.size * sec.itemsize > fd.size:
                    raise OSError("search sidecar is shorter than its header says")
            self.doc_count = doc_count
            self._fd = fd
            self._parts = {name: {k: secs[i] for k, i in parts.items()}
                           for name, parts in header["fields"].items()}
        except BaseException:
            self._closer()
            raise
        self._fields: dict[str, FieldPostings] | None = None
        self._plain: dict[str, TermDictionary] | None = None

    @property
    def fields(self) -> dict[str, FieldPostings]:
        if self._fields is None:
            self._fields = {name: FieldPostings(self._fd, parts)
                            for name, parts in self._parts.items()}
        return self._fields

    @property
    def plain_fields(self) -> dict[str, Any]:
        """Each field's ``sidecar_plain.PlainFieldPostings``."""
        if self._plain is None:
            from .sidecar_plain import PlainFieldPostings

            self._plain = {name: PlainFieldPostings(self._fd, parts)
                           for name, parts in self._parts.items()}
        return self._plain


    def is_current(self) -> bool:
        """Whether the file at ``path`` is still the one opened (not rewritten or removed)."""
        try:
            st = os.stat(self.path)
        except OSError:
            return False
        return (st.st_ino, st.st_mtime_ns, st.st_size) == self._identity


def verify(path: Path, doc_count: int) -> str | None:
    """What is wrong with the sidecar at ``path`` (every section's checksum is compared),
    or None when it is sound. Plain Python: every open's index check calls it, and the
    window need not hold numpy for it (issue 16: idle memory)."""
    try:
        fh = _open_read(path)
        try:
            magic, hlen = _HEAD.unpack(fh.pread(_HEAD.size, 0))
            if magic != MAGIC:
                return "not a sidecar"
            header = json.loads(fh.pread(hlen, _HEAD.size))
            if header["doc_count"] != doc_count:
                return "document count differs from its segment"
            if header["size"] != fh.size:
                return "size differs from its header"
            for off, dt, n, crc in header["sections"]:
                left, got, at = n * _itemsize(dt), 0, off
                while left:
                    chunk = fh.pread(min(left, 1 << 22), at)
                    if not chunk:
                        return "truncated"
                    at += len(chunk)
                    got = zlib.crc32(chunk, got)
                    left -= len(chunk)
                if got != crc:
                    return f"checksum mismatch at offset {off}"
        finally:
            fh.close()
    except (OSError, ValueError, KeyError, TypeError, struct.error) as exc:
        return f"unreadable ({type(exc).__name__})"
    return None


def for_leaf(leaf: Any) -> Sidecar | None:
    """``open_for``, kept while the segment reader lives and the file is the same one (a
    missing one is looked for again: the writer adds sidecars to merged segments after their
    commit, and rewrites a damaged one)."""
    from .engine import per_leaf

    return per_leaf(leaf, "sidecar", lambda: open_for(leaf),  # type: ignore[no-any-return]
                    valid=lambda got: got is not None and got.is_current())


def open_for(leaf: Any) -> Sidecar | None:
    """The sidecar of segment reader ``leaf``, or None (none written, or not matching)."""
    seg = leaf.segment() if hasattr(leaf, "segment") else None
    folder = getattr(getattr(leaf, "_storage", None), "folder", None)
    if seg is None or folder is None:
        return None
    path = Path(folder) / filename(seg)
    if not path.exists():
        return None
    try:
        return Sidecar(path, leaf.doc_count_all())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring search sidecar %s: %s", path.name, exc)
        return None


def write_for_leaf(leaf: Any, path: str | os.PathLike[str]) -> None:
    """Write a sidecar for an existing segment, reading its postings through Whoosh (for
    segments the incremental writer merged; the bulk writer writes its own from memory).
    Raises ``PositionsLost`` for a segment whose positions are nowhere else."""
    from ..analysis import STEM_MARK
    from .bulkquery import postings
    from .phrase import decode_positions

    if positions_only_in_sidecar(leaf.segment()):
        raise PositionsLost(f"{Path(path).name}: the segment's positions were only there")
    out = SidecarWriter(leaf.doc_count_all())
    current = None
    for fieldname, btext in leaf.all_terms():
        if fieldname != current:
            current = fieldname
            out.start_field(fieldname)
        with_pos = fieldname in POSITION_FIELDS and not btext.startswith(STEM_MARK.encode())
        got = postings(leaf, fieldname, btext, values=with_pos)
        if got is None:
            continue
        ids, ws, vs = got
        pos: list[int] = []
        if with_pos:
            for v in vs:
                pos.extend(decode_positions(v))
        out.add_term(btext, ids, ws, pos if with_pos else None)
    out.write(path)
