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
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from ..analysis import DEFAULT_COMMON, GRAM_MARK, STEM_MARK, gram, stem, tokens
from . import sidecar
from .schema import TITLE_GAP
from .sidecar import SidecarWriter

_POSITION_FIELDS = ("body", "title")
_STEM_BYTE = STEM_MARK.encode()
_ASCII_WORD = re.compile(r"[a-z0-9]+")  # as ``analysis.tokens`` for ASCII text


def invert(value: str, common: frozenset[str] = DEFAULT_COMMON
           ) -> tuple[dict[str, list[int]], int]:
    """``term -> positions`` of one text value, exactly as ``WorkbenchTokenizer`` indexes it
    (exact terms, ``~stem`` at the same position, a gram for each pair of adjacent ``common``
    words, ``TITLE_GAP`` after each NUL), and the field length Whoosh records (every token
    counted, stems and grams included)."""
    post: dict[str, list[int]] = {}
    pos = 0
    for n, part in enumerate(value.split("\x00")):
        if n:
            pos += TITLE_GAP
        words = (_ASCII_WORD.findall(part.lower()) if part.isascii()
                 else [t for t, _s, _e in tokens(part)])
        get = post.get
        prev = None
        for term in words:
            lst = get(term)
            if lst is None:
                post[term] = [pos]
            else:
                lst.append(pos)
            if term in common:
                if prev is not None:
                    g = gram(prev, term)
                    lst = get(g)
                    if lst is None:
                        post[g] = [pos - 1]
                    else:
                        lst.append(pos - 1)
                prev = term
            else:
                prev = None
            pos += 1
    stems: dict[str, list[int]] = {}
    merged: set[str] = set()
    for term, lst in post.items():
        if term[0] == GRAM_MARK:
            continue
        s = stem(term)
        if s != term:
            key = STEM_MARK + s
            have = stems.get(key)
            if have is None:
                stems[key] = list(lst)
            else:
                have.extend(lst)
                merged.add(key)
    for key in merged:
        stems[key].sort()
    post.update(stems)
    return post, sum(map(len, post.values()))


class _Postings:
    """One term's postings in this segment: document numbers, weights, encoded values (none
    in the phrase fields, whose positions go to the sidecar)."""

    __slots__ = ("ids", "positions", "values", "weights")

    def __init__(self) -> None:
        self.ids = array("I")
        self.weights = array("f")
        self.values: list[bytes] = []
        self.positions = array("I")  # phrase fields, exact terms: for the sidecar


class BulkSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """A ``SegmentWriter`` without the posting pool: ``add_index_fields`` then ``segment()``.

    Made with ``_lk=False``: the caller owns the index write lock and commits the segments.
    """

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, _lk=False, **kwargs)
        # field -> term -> postings; text fields keyed by str (UTF-8 sorts as code points, so
        # encoding once per term at the end gives the same order), other fields by bytes
        self._terms: dict[str, dict[Any, _Postings]] = {}
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
                table = self._terms.setdefault(fieldname, {})
                if fieldname in _POSITION_FIELDS:
                    post, length = invert(value, self._common)
                    get = table.get
                    # Positions go to the sidecar only: Whoosh's blocks keep ids and
                    # weights (see the module doc), so no value is encoded per posting.
                    for term, poslist in post.items():
                        p = get(term)
                        if p is None:
                            p = table[term] = _Postings()
                        p.ids.append(docnum)
                        p.weights.append(len(poslist))
                        if term[0] != STEM_MARK:
                            p.positions.extend(poslist)
                else:
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
        blocklimit = self.codec._blocklimit
        side = SidecarWriter(self.docnum)
        for fieldname in sorted(self._terms):
            field = self.schema[fieldname]
            fw.start_field(fieldname, field)
            side.start_field(fieldname)
            with_pos = fieldname in _POSITION_FIELDS
            fixed = field.format.fixed_value_size()
            lengths = self._field_lengths(fieldname)
            prefix = pack_ushort(fw._fieldid)
            table = self._terms[fieldname]
            for key in sorted(table):
                p = table.pop(key)  # each term's arrays are freed once copied to the sidecar
                info = _write_term(fw._postfile, p, lengths, fixed, blocklimit)
                btext = key.encode("utf-8") if isinstance(key, str) else key
                fw._tindex.add(prefix + btext, info.to_bytes())
                side.add_term(btext, p.ids, p.weights,
                              p.positions if with_pos and btext[:1] != _STEM_BYTE else None)
            fw.finish_field()
            del self._terms[fieldname]
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
