"""Whole-posting-list query evaluation (private): the fast path for the common query shapes.

Whoosh scores one document at a time through a tree of matcher objects: ~10-15 µs of Python
per matching document, so a word found in 90 % of a 100,000-document archive took 200 ms,
and counting the matches walked the postings a second time. Here each term's posting list
is read a block at a time (one unpickle per 128 postings), scored with BM25 in one list
comprehension, and the boolean operators become dict and set operations, which run in C.
The result is every matching document with its score, so the total and the facets come
from the same pass. Queries with other node types (proximity, ranges) raise ``Unsupported``
and take Whoosh's own path.

Scores follow Whoosh's BM25F (B=0.75, K1=1.2; a field without lengths scores its term
frequency), so both paths rank alike.
"""

from __future__ import annotations

import io
import pickle
import re
import time
import zlib
from bisect import bisect_left
from itertools import accumulate
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher
from whoosh.util.numeric import byte_to_length

from .analysis import gram
from .phrase import FastPhrase, decode_positions
from .termset import TermSet

B, K1 = 0.75, 1.2
BUDGET_S = 1.0  # phrase checking stops here (the result then says it may be incomplete)
_POS_CACHE: dict[bytes, frozenset[int]] = {}  # short values only: those recur across documents
_POS_CACHE_MAX = 100_000
_POS_CACHE_VALUE = 12  # bytes: a count and a pickled list of one or two small deltas

Scores = dict[int, float]

# A posting block is the pickle of (ids, weights, values). For scoring and counting only the
# first two are needed, and unpickling the values (one bytes object per posting) was 90 % of
# the cost, so the ids and weights are cut out of the pickle by this pattern (ints: K/M/J;
# floats: G; tuples with MARK...t, TUPLE1-3 or EMPTY_TUPLE; a memo BINPUT between) and
# unpickled alone. A block the pattern does not match is unpickled whole.
_PROTO = b"\x80\x02"
_INT = rb"(?:K.|M..|J....)"
_IDS_WEIGHTS = re.compile(
    _PROTO + rb"(\(" + _INT + rb"*t|" + _INT + rb"{1,3}[\x85-\x87]|\))(?:q.|r....)?"
    rb"(N|G.{8}|\((?:G.{8})*t|(?:G.{8}){1,3}[\x85-\x87]|\))", re.S)


class Unsupported(Exception):
    """The query has a node this evaluator does not handle."""


def postings(leaf: Any, fieldname: str, btext: bytes, values: bool = False,
             only: list[int] | None = None) -> tuple[list[int], list[float], list[bytes]] | None:
    """One term's postings in one segment: ids, weights (term frequencies), values.

    With ``only`` (sorted document numbers), blocks holding none of them are skipped unread:
    a phrase's position check needs the common words' values for a few candidates only.
    """
    if (fieldname, btext) not in leaf:
        return None
    m = leaf.postings(fieldname, btext)
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
            data = unpickler.load()
        f.seek(end)
        ids += accumulate(data[0])
        w = data[1]
        ws += [1.0] * count if w is None else [w] * count if isinstance(w, float) else w
        if values:
            vs += data[2] if data[2] else [b""] * count
        if n < 0:
            return ids, ws, vs


def _within(scores: Scores, only: set[int] | None) -> Scores:
    return scores if only is None else {d: s for d, s in scores.items() if d in only}


def _deleted(leaf: Any) -> set[int]:
    """Deleted document numbers of one segment (kept in its postings until a merge)."""
    return set(leaf.segment().deleted_docs()) if leaf.has_deletions() else set()


def positions(value: bytes) -> frozenset[int]:
    """The positions in one ``Positions`` posting value (cached: most values recur)."""
    got = _POS_CACHE.get(value)
    if got is None:
        got = frozenset(decode_positions(value))
        if len(value) <= _POS_CACHE_VALUE:
            if len(_POS_CACHE) >= _POS_CACHE_MAX:
                _POS_CACHE.clear()
            _POS_CACHE[value] = got
    return got


class BulkEval:
    """Evaluates a compiled query over every segment of ``searcher``; see the module doc."""

    def __init__(self, searcher: Any, lengths: Any) -> None:
        self.searcher = searcher
        self.leaves = searcher.reader().leaf_readers()
        self.lengths = lengths  # (leaf, fieldname) -> each document's length byte
        self.incomplete = False
        self.deadline = time.monotonic() + BUDGET_S

    def run(self, q: wq.Query, only: set[int] | None = None) -> Scores:
        """Every document ``q`` matches, with its score; with ``only``, just those of them
        (an AND passes the matches of its rarest part down, so the others score only
        documents that can still match)."""
        if isinstance(q, TermSet):
            return _within(self.termset(q), only)
        if isinstance(q, FastPhrase):
            return _within(self.phrase(q), only)
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text, q.boost, only)
        if isinstance(q, wq.AndNot):
            pos = self.run(q.a, only)
            neg = self.docs(q.b) if pos else set()
            return {d: s for d, s in pos.items() if d not in neg} if neg else pos
        if isinstance(q, wq.And):
            out: Scores | None = None
            for c in sorted(q.subqueries, key=self.estimate):
                part = self.run(c, only if out is None else set(out))
                out = part if out is None else {d: s + part[d] for d, s in out.items()
                                                 if d in part}
                if not out:
                    return {}
            return out or {}
        if isinstance(q, wq.Or) and type(q) in (wq.Or, wq.DisjunctionMax):
            merged: Scores = {}
            for part in (self.run(c, only) for c in q.subqueries):
                if not merged:
                    merged = dict(part)
                    continue
                get = merged.get
                for d, s in part.items():
                    merged[d] = get(d, 0.0) + s
            return merged
        if isinstance(q, wq.Every):
            return _within(dict.fromkeys(self.live_docs(), 1.0), only)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return {}
        raise Unsupported(type(q).__name__)

    def estimate(self, q: wq.Query) -> int:
        """Roughly how many documents ``q`` matches (to evaluate the rarest part first)."""
        reader = self.searcher.reader()
        if isinstance(q, FastPhrase):
            return min((reader.doc_frequency(q.fieldname, w) for w in q.words), default=0)
        if isinstance(q, TermSet):
            return sum(reader.doc_frequency(q.fieldname, w) for w in q.words[:8])
        if isinstance(q, wq.Term):
            return int(reader.doc_frequency(q.fieldname, q.text))
        if isinstance(q, wq.AndNot):
            return self.estimate(q.a)
        if isinstance(q, wq.And):
            return min((self.estimate(c) for c in q.subqueries), default=0)
        if isinstance(q, wq.Or):
            return sum(self.estimate(c) for c in q.subqueries)
        return int(reader.doc_count_all())

    def docs(self, q: wq.Query) -> set[int]:
        """The documents ``q`` matches, unscored (the excluded side of NOT)."""
        if isinstance(q, wq.Term) and not isinstance(q, FastPhrase):
            btext = self._btext(q.fieldname, q.text)
            out: set[int] = set()
            for leaf, base in self.leaves:
                got = postings(leaf, q.fieldname, btext) if btext is not None else None
                if got is not None:
                    out.update(got[0] if not base else (d + base for d in got[0]))
            return out
        if isinstance(q, wq.Or) and type(q) in (wq.Or, wq.DisjunctionMax):
            out = set()
            for c in q.subqueries:
                out |= self.docs(c)
            return out
        return set(self.run(q))  # deletions are already dropped by run's leaves

    # --- leaves -------------------------------------------------------------------------------

    def live_docs(self) -> list[int]:
        out: list[int] = []
        for leaf, base in self.leaves:
            n = leaf.doc_count_all()
            if leaf.has_deletions():
                dead = set(_deleted(leaf))
                out += [base + d for d in range(n) if d not in dead]
            else:
                out += range(base, base + n)
        return out

    def norm_table(self, fieldname: str) -> list[float]:
        """BM25's length factor for each of the 256 length bytes, for this index's average."""
        avgfl = self.searcher.avg_field_length(fieldname) or 1
        return [K1 * ((1 - B) + B * (byte_to_length(b) if b else 1) / avgfl)
                for b in range(256)]

    def _btext(self, fieldname: str, text: Any) -> bytes | None:
        schema = self.searcher.schema
        if fieldname not in schema:
            return None
        return bytes(schema[fieldname].to_bytes(text))

    def term(self, fieldname: str, text: Any, boost: float = 1.0,
             only: set[int] | None = None) -> Scores:
        btext = self._btext(fieldname, text)
        if btext is None:
            return {}
        field = self.searcher.schema[fieldname]
        idf = self.searcher.idf(fieldname, text) * boost
        out: Scores = {}
        for leaf, base in self.leaves:
            got = postings(leaf, fieldname, btext)
            if got is None:
                continue
            ids, ws, _vs = got
            if only is not None and 2 * len(only) < len(ids):
                # score only documents that can still match (the AND intersects later)
                pairs = [(d, w) for d, w in zip(ids, ws, strict=True) if d + base in only]
                ids, ws = [d for d, _w in pairs], [w for _d, w in pairs]
            if field.scorable:
                lens, table = self.lengths(leaf, fieldname), self.norm_table(fieldname)
                k = K1 + 1
                scores = [idf * (w * k) / (w + table[lens[d]])
                          for d, w in zip(ids, ws, strict=True)]
            else:
                scores = [w * boost for w in ws]
            self._merge(out, leaf, base, ids, scores)
        return out

    def _merge(self, out: Scores, leaf: Any, base: int, ids: list[int],
               scores: list[float]) -> None:
        if base:
            ids = [d + base for d in ids]
        part = dict(zip(ids, scores, strict=True))
        if leaf.has_deletions():
            for d in _deleted(leaf):
                part.pop(d + base, None)
        out.update(part)

    def termset(self, q: TermSet) -> Scores:
        out: set[int] = set()
        for leaf, base in self.leaves:
            found: set[int] = set()
            for word in q.words:
                btext = self._btext(q.fieldname, word)
                got = postings(leaf, q.fieldname, btext) if btext is not None else None
                if got is not None:
                    found.update(got[0])
            if leaf.has_deletions():
                found.difference_update(_deleted(leaf))
            out.update((d + base for d in found) if base else found)
        return dict.fromkeys(out, float(q.boost))

    def phrase(self, q: FastPhrase) -> Scores:
        """Documents with the words at consecutive positions, scored as the AND of the terms
        checked. Two adjacent common words are looked up as their gram (one short posting
        list instead of two long ones); a phrase that is one gram needs no position check."""
        fieldname, words = q.fieldname, list(q.words)
        if fieldname not in self.searcher.schema:
            return {}
        field = self.searcher.schema[fieldname]
        items = phrase_items(words, getattr(field.analyzer, "common", frozenset()))
        idfs = [self.searcher.idf(fieldname, t) for t, _off in items]
        out: Scores = {}
        texts = [bytes(field.to_bytes(t)) for t, _off in items]
        offsets = [off for _t, off in items]
        for leaf, base in self.leaves:
            lists = []
            for btext in texts:
                got = postings(leaf, fieldname, btext)
                if got is None:
                    break
                lists.append(got)
            else:
                self._phrase_leaf(out, leaf, base, lists, offsets, idfs, fieldname, texts)
        if self.incomplete:
            q.incomplete = True
        return out

    def _phrase_leaf(self, out: Scores, leaf: Any, base: int, lists: list[Any],
                     offsets: list[int], idfs: list[float], fieldname: str,
                     texts: list[bytes]) -> None:
        order = sorted(range(len(lists)), key=lambda i: len(lists[i][0]))
        cands = set(lists[order[0]][0])
        for i in order[1:]:
            cands.intersection_update(lists[i][0])
        cands.difference_update(_deleted(leaf))
        if not cands:
            return
        if len(lists) == 1:  # one gram: every posting is a match
            found = sorted(cands)
        else:
            found = self._check_positions(leaf, fieldname, cands, texts, offsets, order)
        if not found:
            return
        lens, table = self.lengths(leaf, fieldname), self.norm_table(fieldname)
        k = K1 + 1
        weights = [dict(zip(ids, ws, strict=True)) for ids, ws, _vs in lists]
        for d in found:
            out[d + base] = sum(idf * (wm[d] * k) / (wm[d] + table[lens[d]])
                                for idf, wm in zip(idfs, weights, strict=True))

    def _check_positions(self, leaf: Any, fieldname: str, cands: set[int],
                         texts: list[bytes], offsets: list[int],
                         order: list[int]) -> list[int]:
        """The candidates where every term sits at (start + its offset) for some start.

        Terms are taken rarest first, and each term's positions are read only from the
        posting blocks that hold a document still in the running, so after the first two
        terms usually only a few blocks of the remaining ones are decoded.
        """
        starts: dict[int, frozenset[int]] | None = None
        for rank, i in enumerate(order):
            alive = sorted(cands if starts is None else starts)
            got = postings(leaf, fieldname, texts[i], values=True, only=alive)
            if got is None:
                return []
            vmap = dict(zip(got[0], got[2], strict=True))
            shift = (-offsets[i]).__add__  # term i at p + offset_i: shift by -offset_i (in C)
            nxt: dict[int, frozenset[int]] = {}
            for n, d in enumerate(alive):
                if n % 1024 == 1023 and time.monotonic() > self.deadline:
                    self.incomplete = True
                    alive = alive[:n]
                    break
                here = frozenset(map(shift, positions(vmap[d])))
                if starts is not None:
                    here = starts[d].intersection(here)
                if here:
                    nxt[d] = here
            starts = nxt
            if not starts or (self.incomplete and rank == len(order) - 1):
                break
        return sorted(starts or ())


def phrase_items(words: list[str], common: frozenset[str]) -> list[tuple[str, int]]:
    """The terms to look up for a phrase, each with its offset from the phrase's start: a
    gram for each adjacent pair of common words, and every word no gram covers."""
    items: list[tuple[str, int]] = []
    covered: set[int] = set()
    for i in range(len(words) - 1):
        if words[i] in common and words[i + 1] in common:
            items.append((gram(words[i], words[i + 1]), i))
            covered.update((i, i + 1))
    items += [(w, i) for i, w in enumerate(words) if i not in covered]
    return items


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
