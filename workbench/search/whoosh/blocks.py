"""Whoosh's posting blocks and field-length columns read in plain Python (private).

What both query evaluators read (``bulkquery.py`` with numpy, ``plain_eval.py`` without), the
Whoosh-phrase path (``phrase.py``) and the sidecar writer: kept free of numpy, so a search of
a small index never loads it (~0.1 s of a command's start-up).
"""

from __future__ import annotations

import io
import pickle
import re
import zlib
from bisect import bisect_left
from itertools import accumulate
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

# A posting block is the pickle of (ids, weights, values). For scoring and counting only the
# first two are needed, and unpickling the values (one bytes object per posting) was 90 % of
# the cost, so the ids and weights are cut out of the pickle by this pattern (ints: K/M/J;
# floats: G; tuples with MARK...t, TUPLE1-3 or EMPTY_TUPLE; a memo BINPUT between) and
# unpickled alone (a lone float is tried last: it is also how a tuple of floats begins).
# A block the pattern does not match is unpickled whole.
# Whoosh writes protocol 2; the bulk writer protocol 5 (a frame header, MEMOIZE for memos).
_PROTO = b"\x80\x02"
_INT = rb"(?:K.|M..|J....)"
_IDS_WEIGHTS = re.compile(
    rb"(?:\x80\x02|\x80\x05(?:\x95.{8})?)"
    rb"(\(" + _INT + rb"*t|" + _INT + rb"{1,3}[\x85-\x87]|\))(?:q.|r....|\x94)?"
    rb"(N|\((?:G.{8})*t|(?:G.{8}){1,3}[\x85-\x87]|G.{8}|\))", re.S)


def postings(leaf: Any, fieldname: str, btext: bytes, values: bool = False,
             only: list[int] | None = None) -> tuple[list[int], list[float], list[bytes]] | None:
    """One term's postings in one segment: ids, weights (term frequencies), values; deleted
    documents included (as in the segment's own counts).

    With ``only`` (sorted document numbers), blocks holding none of them are skipped unread:
    a phrase's position check needs the common words' values for a few candidates only.
    """
    if (fieldname, btext) not in leaf:
        return None
    m = leaf.postings(fieldname, btext)
    if isinstance(m, FilterMatcher):  # a segment with deletions: its postings still hold
        m = m.child                   # them, as do its counts (callers drop deleted docs)
    if not isinstance(m, W3LeafMatcher):  # inlined postings: not written by our codec args
        ids, ws, vs = [], [], []
        while m.is_active():
            ids.append(m.id())
            ws.append(m.weight())
            vs.append(m.value() if values else b"")
            m.next()
        return ids, ws, vs
    length = m._length[0] if isinstance(m._length, tuple) else m._length  # a 1-tuple in 2.7.5
    buf = m._postfile.get(m._startoffset, length)
    if buf[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("damaged posting list")
    f = io.BytesIO(buf)
    f.seek(4)
    unpickler = pickle.Unpickler(f)
    ids, ws, vs = [], [], []
    low = 0  # the first document number the next block can hold
    while True:
        n = int.from_bytes(f.read(4), "big", signed=True)
        start = f.tell()
        end = start + abs(n)
        count, maxid, _maxw, comp, _mn, _mx = unpickler.load()
        if only is not None:
            first = bisect_left(only, low)
            low = maxid + 1
            if first == len(only) or only[first] > maxid:
                f.seek(end)
                if n < 0:
                    return ids, ws, vs
                continue
        head = _IDS_WEIGHTS.match(buf, f.tell()) if not (values or comp) else None
        if head is not None:  # ids and weights only: the positions are never unpickled
            deltas = pickle.loads(_PROTO + head.group(1) + b".")
            w = pickle.loads(_PROTO + head.group(2) + b".")
            data = (deltas, w, None)
        elif comp:
            data = pickle.loads(zlib.decompress(buf[f.tell():end]))
        else:
            data = pickle.loads(buf[f.tell():end])  # a fresh memo: protocol 5 numbers memos
            # by count (MEMOIZE), so one unpickler's memo from earlier blocks would shift them
        f.seek(end)
        ids += accumulate(data[0])
        w = data[1]
        ws += [1.0] * count if w is None else [w] * count if isinstance(w, float) else w
        if values:
            vs += data[2] if data[2] else [b""] * count
        if n < 0:
            return ids, ws, vs


def length_bytes(leaf: Any, fieldname: str) -> bytes:
    """Every document's field-length byte in one segment (0: no length), read in one go."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

    count = leaf.doc_count_all()
    col = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if col is None:
        return bytes(count)
    inner = getattr(col, "_dbfile", None)
    if inner is not None and getattr(col, "_fixedlen", 0) == 1:
        raw = bytes(inner.get(col._basepos, min(col._count, count)))
        return raw + bytes(count - len(raw))
    return bytes(int(col[d]) for d in range(count))
