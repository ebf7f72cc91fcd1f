"""Writing a whole index segment from documents inverted in memory (private; used by rebuilds).

Whoosh's own ``SegmentWriter.add_document`` sends every posting through a sorting pool as a
pickled tuple, then back through ``FieldWriter.add_postings`` one call per posting, looking up
the document's field length each time: about 25 ms of pure Python per 8 KB document, which
capped a full build at ~65 documents/s on two cores. ``BulkSegmentWriter`` keeps the same
codec and files but inverts each document once (a dict of term -> positions), keeps
postings per term in compact arrays, and writes each term's blocks in one go at the end,
with the segment's sidecar (``sidecar.py``: the same postings as flat arrays) beside it.

**Positions are stored once, in the sidecar.** In ``body`` and ``title`` Whoosh's blocks
keep each posting's id and weight (what its scoring, statistics and term infos read) but no
value: a pickled position list per posting was two thirds of the index and three times what
the sidecar's flat array of the same positions takes. Every reader of positions goes through
the sidecar (``phrase.leaf_positions``); the segment is marked (``sidecar.mark_positionless``)
so that no merge folds it into a segment written by Whoosh and a lost sidecar is an error
that leads to a rebuild, never a phrase answered from empty values. Tests check that readers
see the same terms, ids, weights and statistics as Whoosh's own writer writes, and the
sidecar the same positions.
"""

from __future__ import annotations

import os
import re
from array import array
from hashlib import md5
from itertools import accumulate, chain, repeat
from pickle import dumps
from types import MethodType
from typing import TYPE_CHECKING, Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.filedb.filetables import _lengths as _HASH_LENGTHS
from whoosh.filedb.filetables import _pointer as _HASH_POINTER
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from ..analysis import DEFAULT_COMMON, STEM_MARK, gram, stem, tokens
from . import sidecar
from .schema import TITLE_GAP
from .sidecar import SidecarWriter

if TYPE_CHECKING:  # numpy is imported where it is used
    from numpy.typing import NDArray

_POSITION_FIELDS = ("body", "title")
_STEM_BYTE = STEM_MARK.encode()
_ASCII_WORD = re.compile(r"[a-z0-9]+")  # as ``analysis.tokens`` for ASCII text


def invert(value: str, common: frozenset[str] = DEFAULT_COMMON
           ) -> tuple[dict[str, list[int]], int]:
    """``term -> positions`` of one text value, exactly as ``WorkbenchTokenizer`` indexes it
    (exact terms, ``~stem`` at the same position, a gram for each pair of adjacent ``common``
    words, ``TITLE_GAP`` after each NUL), and the field length Whoosh records (every token
    counted, stems and grams included). One document through ``Inversion`` (for tests)."""
    import numpy as np

    inv = Inversion(common)
    length = inv.add(value, 0)
    out: dict[str, list[int]] = {}
    if not length:
        return out, 0
    tids, pos = np.frombuffer(inv.tids, np.int32), np.frombuffer(inv.pos, np.uint32)
    for t, p in zip(tids.tolist(), pos.tolist(), strict=True):
        out.setdefault(inv.strings[t], []).append(p)
    return {k: sorted(v) for k, v in out.items()}, length


class Inversion:
    """One phrase field's occurrences in a segment, as arrays: per document the term ids and
    positions of its words, then of their ``~stem`` terms, then of its grams.

    The analysis stays ``analysis.tokens`` (ASCII text through the same regular expression
    it uses); what is new is that a word costs a dictionary lookup in C (``map``), and a
    word's stem, whether it is common, and a pair's gram are looked up once per distinct
    word or pair in the segment, then per occurrence as numpy indexing.
    """

    def __init__(self, common: frozenset[str]) -> None:
        import numpy as np

        self.vocab: dict[str, int] = {}
        self.strings: list[str] = []
        self._common = sorted(common)
        self._cindex = {w: i for i, w in enumerate(self._common)}
        k = max(1, len(self._common))
        self._gram_tid = np.full(k * k, -1, dtype=np.int32)
        self._k = k
        self._stem_tid = np.full(1024, -1, dtype=np.int32)  # term id -> its ~stem's, or -1
        self._cidx = np.full(1024, -1, dtype=np.int32)  # term id -> index in common, or -1
        # every document's occurrences, appended as raw int32 term ids / uint32 positions
        # (one buffer each: no per-document arrays to concatenate, half the peak memory)
        self.docnums: list[int] = []
        self.counts: list[int] = []
        self.tids = bytearray()
        self.pos = bytearray()

    def _new_id(self, term: str) -> int:
        import numpy as np

        i = len(self.strings)
        self.vocab[term] = i
        self.strings.append(term)
        if i >= len(self._stem_tid):
            grow = np.full(len(self._stem_tid), -1, dtype=np.int32)
            self._stem_tid = np.concatenate((self._stem_tid, grow))
            self._cidx = np.concatenate((self._cidx, grow))
        return i

    def _learn(self, words: set[str]) -> None:
        for w in sorted(words):
            i = self._new_id(w)
            self._cidx[i] = self._cindex.get(w, -1)
            s = stem(w)
            if s != w:
                key = STEM_MARK + s
                sid = self.vocab.get(key)
                self._stem_tid[i] = self._new_id(key) if sid is None else sid

    def add(self, value: str, docnum: int) -> int:
        """One document's value; its field length as Whoosh counts it (every token)."""
        import numpy as np

        parts = value.split("\x00")
        words: list[str] = []
        lens: list[int] = []
        for part in parts:
            ws = (_ASCII_WORD.findall(part.lower()) if part.isascii()
                  else [t for t, _s, _e in tokens(part)])
            words += ws
            lens.append(len(ws))
        n = len(words)
        if not n:
            return 0
        vocab = self.vocab
        t = np.fromiter(map(vocab.get, words, repeat(-1, n)), dtype=np.int32, count=n)
        if int(t.min()) < 0:  # words this segment has not seen yet
            miss = np.flatnonzero(t < 0).tolist()
            self._learn({words[i] for i in miss})
            t[miss] = [vocab[words[i]] for i in miss]
        pos = np.arange(n, dtype=np.uint32)
        part_of = None
        if len(parts) > 1:  # TITLE_GAP positions after each NUL
            part_of = np.repeat(np.arange(len(parts), dtype=np.uint32), lens)
            pos += part_of * TITLE_GAP
        st = self._stem_tid[t]
        has_stem = st >= 0
        c = self._cidx[t]
        pair = (c[:-1] >= 0) & (c[1:] >= 0)  # two adjacent common words, in one part
        if part_of is not None:
            pair &= part_of[:-1] == part_of[1:]
        keys = c[:-1][pair] * self._k + c[1:][pair]
        g = self._gram_tid[keys]
        if len(g) and int(g.min()) < 0:
            for key in np.unique(keys[g < 0]).tolist():
                a, b = divmod(key, self._k)
                self._gram_tid[key] = self._new_id(gram(self._common[a], self._common[b]))
            g = self._gram_tid[keys]
        tids = np.concatenate((t, st[has_stem], g))
        self.docnums.append(docnum)
        self.counts.append(len(tids))
        self.tids += tids.tobytes()
        self.pos += np.concatenate((pos, pos[has_stem], pos[:-1][pair])).tobytes()
        return len(tids)

    def ranks(self) -> tuple[NDArray[Any], list[int]]:
        """Each term id's rank in the sorted order of the terms (code points: UTF-8 order),
        and the term ids in that order."""
        import numpy as np

        order = sorted(range(len(self.strings)), key=self.strings.__getitem__)
        rank = np.empty(len(order), dtype=np.int32)
        rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int32)
        return rank, order


class _Postings:
    """One term's postings in a field other than the phrase fields (few terms per document):
    document numbers, weights, encoded values."""

    __slots__ = ("ids", "values", "weights")

    def __init__(self) -> None:
        self.ids = array("I")
        self.weights = array("f")
        self.values: list[bytes] = []


class BulkSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """A ``SegmentWriter`` without the posting pool: ``add_index_fields`` then ``segment()``.

    Made with ``_lk=False``: the caller owns the index write lock and commits the segments.
    """

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, _lk=False, **kwargs)
        # the phrase fields' occurrences as arrays; other fields: term (bytes) -> postings
        self._text: dict[str, Inversion] = {}
        self._terms: dict[str, dict[bytes, _Postings]] = {}
        self._lengths: dict[str, array[int]] = {}
        self._common = getattr(self.schema["body"].analyzer, "common", DEFAULT_COMMON)

    def add_index_fields(self, fields: dict[str, Any]) -> None:
        """One document, given as ``schema.to_fields`` makes it."""
        schema = self.schema
        docnum = self.docnum
        pdw = self.perdocwriter
        pdw.start_doc(docnum)
        for fieldname in sorted(fields):
            value = fields[fieldname]
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                if fieldname in _POSITION_FIELDS:
                    inv = self._text.get(fieldname)
                    if inv is None:
                        inv = self._text[fieldname] = Inversion(self._common)
                    length = inv.add(value, docnum)
                else:
                    table = self._terms.setdefault(fieldname, {})
                    for btext, freq, weight, vbytes in field.index(value):
                        if field.scorable:
                            length += freq
                        self._add(table, btext, docnum, weight, vbytes or b"")
                if field.scorable:
                    self._lengths.setdefault(fieldname, array("I")).append(length)
            pdw.add_field(fieldname, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                pdw.add_column_value(fieldname, column, field.to_column_value(value))
        pdw.finish_doc()
        self._added = True
        self.docnum += 1

    @staticmethod
    def _add(table: dict[bytes, _Postings], btext: bytes, docnum: int, weight: float,
             vbytes: bytes) -> None:
        p = table.get(btext)
        if p is None:
            p = table[btext] = _Postings()
        p.ids.append(docnum)
        p.weights.append(weight)
        p.values.append(vbytes)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fw = self.fieldwriter
        if type(fw._tindex) is OrderedHashWriter:
            fw._tindex._write_hashes = MethodType(_write_hashes, fw._tindex)
        blocklimit = self.codec._blocklimit
        side = SidecarWriter(self.docnum)
        for fieldname in sorted(set(self._terms) | set(self._text)):
            field = self.schema[fieldname]
            fw.start_field(fieldname, field)
            side.start_field(fieldname)
            prefix = pack_ushort(fw._fieldid)
            if fieldname in self._text:
                _write_text_field(fw, side, self._text.pop(fieldname), prefix,
                                  self._lengths.get(fieldname), blocklimit)
            else:
                fixed = field.format.fixed_value_size()
                lengths = self._field_lengths(fieldname)
                table = self._terms.pop(fieldname)
                for key in sorted(table):
                    p = table.pop(key)
                    info = _write_term(fw._postfile, p, lengths, fixed, blocklimit)
                    fw._tindex.add(prefix + key, info.to_bytes())
                    side.add_term(key, p.ids, p.weights, None)
            fw.finish_field()
        self.fieldwriter.close()
        side.write(os.path.join(self.storage.folder, sidecar.filename(self.newsegment)))

    def _field_lengths(self, fieldname: str) -> list[int] | None:
        """Each document's length as readers see it (quantised to a byte, 0 for none)."""
        raw = self._lengths.get(fieldname)
        if raw is None:
            return None
        return [byte_to_length(length_to_byte(n)) if n else 0 for n in raw]

    def segment(self) -> Any:
        """Finish the segment's files and return its ``Segment`` (for the caller's TOC)."""
        self._check_state()
        seg = self._finalize_segment()
        sidecar.mark_positionless(seg)
        self.is_closed = True
        return seg


_CHUNK = 1 << 18  # postings turned into Python numbers at a time (memory stays flat)


def _write_text_field(fw: Any, side: SidecarWriter, inv: Inversion, prefix: bytes,
                      raw_lengths: array[int] | None, blocklimit: int) -> None:
    """A phrase field's terms: Whoosh's posting blocks (ids and weights), its term infos,
    and the sidecar's arrays (with the positions), all from one sort of the occurrences.

    The bytes are those ``_write_term`` writes for one term at a time (a test rebuilds them
    from Whoosh's own segment): per block of ``blocklimit`` postings, the pickled block info
    and (id deltas, weights, no values); per term, the W3 term info. Statistics per block
    and per term are numpy reductions; what stays Python is one pickle per block and one
    term-info record per term.
    """
    import numpy as np

    if not inv.counts:
        side.add_arrays(b"", np.zeros(1, np.uint64), np.zeros(1, np.uint64),
                        np.zeros(0, np.uint32), np.zeros(0, np.float32),
                        np.zeros(0, np.uint32), np.zeros(1, np.uint64))
        return
    rank, order_strings = inv.ranks()
    counts = np.asarray(inv.counts, dtype=np.int64)
    r = rank[np.frombuffer(inv.tids, dtype=np.int32)]
    inv.tids = bytearray()
    # a segment's document numbers fit in 16 bits (rebuild.PART_DOCS): half the memory
    dtype = np.uint16 if inv.docnums[-1] < 1 << 16 else np.int32
    docs = np.repeat(np.asarray(inv.docnums, dtype=dtype), counts)
    order = np.argsort(r, kind="stable")  # by term; each term's by document then position
    r = r[order]
    docs = docs[order]
    pos = np.frombuffer(inv.pos, dtype=np.uint32)[order]
    inv.pos = bytearray()
    del order
    n = len(r)
    # postings: one per (term, document) run of occurrences
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(r[1:], r[:-1], out=new[1:])
    new[1:] |= docs[1:] != docs[:-1]
    pstart = np.flatnonzero(new)
    del new
    p_rank = r[pstart]
    ids = docs[pstart].astype(np.uint32)
    weights = np.diff(np.append(pstart, n)).astype(np.float32)
    firsts = np.flatnonzero(np.diff(p_rank)) + 1
    tstart = np.concatenate(([0], firsts, [len(ids)])).astype(np.int64)  # in postings
    t_rank = p_rank[tstart[:-1]]
    del p_rank
    strings = inv.strings
    terms = [strings[order_strings[k]].encode("utf-8") for k in t_rank.tolist()]
    # sidecar: every term's postings; positions for exact words and grams, not stems
    is_stem = np.fromiter(map(_STEM_BYTE.__eq__, [t[:1] for t in terms]), dtype=bool,
                          count=len(terms))
    entry_start = np.append(pstart[tstart[:-1]], n)  # each term's first occurrence
    per_term = np.diff(entry_start)
    keep = np.repeat(~is_stem, per_term)
    qstart = np.concatenate(([0], np.cumsum(np.where(is_stem, 0, per_term)))).astype(np.uint64)
    positions = pos[keep]
    del pos, keep, r, docs, pstart
    blob = b"\0".join(terms) + b"\0"
    toff = np.concatenate(([0], np.cumsum([len(t) + 1 for t in terms]))).astype(np.uint64)
    side.add_arrays(blob, toff, tstart.astype(np.uint64), ids, weights, positions, qstart)
    del positions
    _write_blocks(fw, prefix, terms, tstart, ids, weights, raw_lengths, blocklimit)


def _write_blocks(fw: Any, prefix: bytes, terms: list[bytes], tstart: NDArray[Any],
                  ids: NDArray[Any], weights: NDArray[Any], raw_lengths: array[int] | None,
                  blocklimit: int) -> None:
    import numpy as np

    df = np.diff(tstart)
    nblocks = -(-df // blocklimit)
    bterm = np.repeat(np.arange(len(df)), nblocks)
    first_block = np.cumsum(nblocks) - nblocks
    bstart = tstart[bterm] + (np.arange(len(bterm)) - first_block[bterm]) * blocklimit
    bend = np.minimum(bstart + blocklimit, tstart[bterm + 1])
    bmax = np.maximum.reduceat(weights, bstart).astype(np.float64)
    bmin = np.minimum.reduceat(weights, bstart).astype(np.float64)
    if raw_lengths is not None:  # each document's length byte; 0 for none
        lbyte = np.fromiter((length_to_byte(x) if x else 0 for x in raw_lengths),
                            dtype=np.int16, count=len(raw_lengths))
        pb = lbyte[ids]
        maxb = np.maximum.reduceat(pb, bstart)
        minb = np.minimum.reduceat(np.where(pb > 0, pb, 256), bstart)
        minb[minb == 256] = 0  # no length: None in the block, 0 as a byte
    else:
        maxb = minb = np.zeros(len(bstart), dtype=np.int16)
    # Whoosh's block ids are deltas from the previous posting, the first one absolute
    deltas = np.diff(ids.astype(np.int32), prepend=0)
    deltas[bstart] = ids[bstart]
    # per term: total weight, max weight (over blocks, from 0), min and max length
    t_weight = np.add.reduceat(weights, tstart[:-1], dtype=np.float64)
    t_maxw = np.maximum(0.0, np.maximum.reduceat(bmax, first_block))
    t_minb = np.minimum.reduceat(np.where(minb > 0, minb, 256), first_block)
    t_minb[t_minb == 256] = 0
    t_maxb = np.maximum.reduceat(maxb, first_block)
    pack = W3TermInfo._struct.pack
    postfile = fw._postfile
    off = postfile.tell()
    for c0 in range(0, len(terms), 4096):
        c1 = min(len(terms), c0 + 4096)
        b0, b1 = int(first_block[c0]), (int(first_block[c1]) if c1 < len(terms)
                                          else len(bstart))
        p0, p1 = int(tstart[c0]), int(tstart[c1])
        d_l = deltas[p0:p1].tolist()
        w_l = weights[p0:p1].tolist()
        id_l = ids[p0:p1].tolist()
        bs_l = (bstart[b0:b1] - p0).tolist()
        be_l = (bend[b0:b1] - p0).tolist()
        bmax_l = bmax[b0:b1].tolist()
        same_l = (bmin[b0:b1] == bmax[b0:b1]).tolist()
        minb_l = minb[b0:b1].tolist()
        maxb_l = maxb[b0:b1].tolist()
        nb_l = nblocks[c0:c1].tolist()
        tw_l = t_weight[c0:c1].tolist()
        tmw_l = t_maxw[c0:c1].tolist()
        tmin_l = t_minb[c0:c1].tolist()
        tmax_l = t_maxb[c0:c1].tolist()
        df_l = df[c0:c1].tolist()
        ts_l = (tstart[c0:c1 + 1] - p0).tolist()
        out: list[bytes] = []
        infos: list[bytes] = []
        k = 0
        for j in range(c1 - c0):
            start = off
            out.append(WHOOSH3_HEADER_MAGIC)
            off += 4
            last = k + nb_l[j] - 1
            while True:
                s, e = bs_l[k], be_l[k]
                mw = bmax_l[k]
                if same_l[k]:
                    wrep: Any = None if mw == 1.0 else mw
                else:
                    wrep = tuple(w_l[s:e])
                # Protocol 5, where Whoosh writes 2 (see _write_term)
                data = dumps((tuple(d_l[s:e]), wrep, ()), 5)
                info = dumps((e - s, id_l[e - 1], mw if mw > 0.0 else 0.0, 0, minb_l[k],
                              maxb_l[k]), 2)
                size = len(info) + len(data)
                out += (pack_int(-size if k == last else size), info, data)
                off += 4 + size
                if k == last:
                    break
                k += 1
            k += 1
            infos.append(pack(0, tw_l[j], df_l[j], tmin_l[j], tmax_l[j], tmw_l[j],
                              id_l[ts_l[j]], id_l[ts_l[j + 1] - 1])
                         + pack_long(start) + pack_int(off - start))
        postfile.write(b"".join(out))
        _add_terms(fw._tindex, [prefix + t for t in terms[c0:c1]], infos)
    assert postfile.tell() == off


def _add_terms(tindex: Any, keys: list[bytes], values: list[bytes]) -> None:
    """``OrderedHashWriter.add(key, value)`` for each pair, in one write: the same bytes,
    hashes and key index as Whoosh's own (keys must be sorted and after those added)."""
    if tindex.hashtype != 0 or not isinstance(tindex, OrderedHashWriter):
        for k, v in zip(keys, values, strict=True):
            tindex.add(k, v)
        return
    if not keys:
        return
    if keys[0] <= tindex.lastkey:
        raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{keys[0]!r}")
    dbfile = tindex.dbfile
    buckets = tindex.buckets
    sizes = [8 + len(k) + len(v) for k, v in zip(keys, values, strict=True)]
    starts = list(accumulate(sizes, initial=dbfile.tell()))
    starts.pop()
    # md5_hash: the digest's last four bytes, big-endian
    hashes = [int.from_bytes(md5(k, usedforsecurity=False).digest()[12:], "big")
              for k in keys]
    for h, pos in zip(hashes, starts, strict=True):
        buckets[h & 255].append((h, pos))
    heads = map(_HASH_LENGTHS.pack, map(len, keys), map(len, values))
    dbfile.write(b"".join(chain.from_iterable(zip(heads, keys, values, strict=True))))
    # the key index (a GrowableArray): widened as its append would, then extended at once
    index = tindex.index
    if isinstance(index.array, array) and starts[-1] >= _ARRAY_LIMIT.get(
            index.array.typecode, 1 << 63):
        index._retype(starts[-1])
    index.array.extend(starts)
    tindex.lastkey = keys[-1]


_ARRAY_LIMIT = {"B": 1 << 8, "H": 1 << 16, "i": 1 << 31, "I": 1 << 32}
_NO_SLOT = (0, 0)


def _write_hashes(self: Any) -> None:
    """``HashWriter._write_hashes`` with one write per bucket instead of one per slot: the
    same 256 tables (slot ``(hash >> 8) % (2 * entries)``, then the next free one)."""
    dbfile = self.dbfile
    pack = _HASH_POINTER.pack
    empty = pack(*_NO_SLOT)
    for entries in self.buckets:
        pos = dbfile.tell()
        numslots = 2 * len(entries)
        self.directory.append((pos, numslots))
        table: list[Any] = [None] * numslots
        for hashval, position in entries:
            slot = (hashval >> 8) % numslots
            while table[slot] is not None:
                slot = (slot + 1) % numslots
            table[slot] = (hashval, position)
        dbfile.write(b"".join([empty if e is None else pack(*e) for e in table]))


def _write_term(postfile: Any, p: _Postings, lengths: list[int] | None, fixed: int | None,
                blocklimit: int) -> W3TermInfo:
    """Write one term's posting blocks exactly as ``W3PostingsWriter`` does; its term info."""
    info = W3TermInfo()
    info.set_extent(postfile.tell(), 0)
    start = postfile.tell()
    postfile.write(WHOOSH3_HEADER_MAGIC)
    ids, weights, values = p.ids, p.weights, p.values
    n = len(ids)
    for b in range(0, n, blocklimit):
        e = min(n, b + blocklimit)
        bids = ids[b:e]
        bweights = weights[b:e]
        minlen, maxlen = None, 0
        if lengths is not None:
            for d in bids:
                ln = lengths[d]
                if ln:
                    if minlen is None or ln < minlen:
                        minlen = ln
                    if ln > maxlen:
                        maxlen = ln
        maxweight = max(0.0, max(bweights))
        info._weight += sum(bweights)
        info._df += e - b
        if minlen is not None:
            info._minlength = minlen if info._minlength is None else min(info._minlength,
                                                                            minlen)
        info._maxlength = max(info._maxlength, maxlen)
        info._maxweight = max(info._maxweight, maxweight)
        if info._minid is None:
            info._minid = bids[0]
        info._maxid = bids[-1]
        data = (_deltas(bids), _mini_weights(bweights), _mini_values(values[b:e], fixed))
        # Protocol 5, where Whoosh writes 2 (which pickles each bytes value through
        # codecs.encode): a 38 % smaller posting file and a 25 % faster build; readers
        # unpickle any protocol.
        databytes = dumps(data, 5)
        infobytes = dumps((e - b, bids[-1], maxweight, 0, length_to_byte(minlen),
                           length_to_byte(maxlen)), 2)
        size = len(infobytes) + len(databytes)
        postfile.write_int(-size if e == n else size)
        postfile.write(infobytes)
        postfile.write(databytes)
    info.set_extent(start, postfile.tell() - start)
    return info


def _deltas(ids: array[int]) -> tuple[int, ...]:
    base, out = 0, []
    for d in ids:
        out.append(d - base)
        base = d
    return tuple(out)


def _mini_weights(weights: array[float]) -> Any:
    first = weights[0]
    if first == 1.0 and all(w == 1.0 for w in weights):
        return None
    if all(w == first for w in weights):
        return first
    return tuple(weights)


def _mini_values(values: list[bytes], fixed: int | None) -> Any:
    if fixed == 0:
        return None
    if fixed is not None and fixed > 0:
        return b"".join(values)
    return tuple(v for v in values if v)  # Whoosh keeps only non-empty values
