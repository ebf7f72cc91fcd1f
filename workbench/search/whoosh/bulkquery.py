"""Whole-posting-list query evaluation (private): the fast path for the common query shapes.

Whoosh scores one document at a time through a tree of matcher objects: ~10-15 µs of Python
per matching document, so a word found in 90 % of a 100,000-document archive took 200 ms,
and counting the matches walked the postings a second time. Here a query becomes two arrays
over every document of the searcher (matches, scores): each term's whole posting list is
scored with BM25 by numpy, AND / OR / NOT are element-wise operations, and a phrase checks
positions as one sorted intersection of (document, start) keys per word. Postings come from
the segment's sidecar (``sidecar.py``: flat arrays mapped from disk) or, for a segment
without one, from Whoosh's blocks (one unpickle per 128 postings, positions left packed;
a segment the bulk writer wrote keeps its positions in its sidecar only).
The total and the facets come from the same pass. Queries with other node types
(proximity, ranges) raise ``Unsupported`` and take Whoosh's own path.

Scores follow Whoosh's BM25F (B=0.75, K1=1.2; a field without lengths scores its term
frequency), so both paths rank alike. A small index without sidecars is evaluated by
``plain_eval.py`` instead, the same steps without numpy (whose import a short command pays).
"""

from __future__ import annotations

import logging
import time
from itertools import chain
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray
from whoosh import query as wq

from . import sidecar
from .blocks import _IDS_WEIGHTS, _PROTO, length_bytes, postings  # noqa: F401 (tests read them here)
from .phrase import FastPhrase, decode_positions
from .plain_eval import BUDGET_S, K1, EvalBase, Unsupported, phrase_items
from .termset import TermSet

logger = logging.getLogger(__name__)


class Found(NamedTuple):
    """One term's postings in one segment: sorted document numbers and weights, and where
    the term sits in the segment's sidecar (-1: read through Whoosh)."""

    ids: NDArray[np.int64]
    weights: NDArray[np.float64]
    at: int


class Matches(NamedTuple):
    """Every document of the searcher (by its number): whether it matches, and its score."""

    mask: NDArray[np.bool_]
    score: NDArray[np.float64]


class BulkEval(EvalBase):
    """Evaluates a compiled query over every segment of ``searcher``; see the module doc."""

    def __init__(self, searcher: Any, lengths: Any) -> None:
        self.searcher = searcher
        reader = searcher.reader()
        self.leaves = reader.leaf_readers()
        self.size = int(reader.doc_count_all())
        self.lengths = lengths  # (leaf, fieldname) -> each document's length byte
        self.incomplete = False
        self.deadline = time.monotonic() + BUDGET_S
        self.sidecars = [sidecar.for_leaf(leaf) for leaf, _base in self.leaves]
        self.counts = [int(leaf.doc_count_all()) for leaf, _base in self.leaves]
        self.live = np.ones(self.size, dtype=bool)
        for leaf, base in self.leaves:
            if leaf.has_deletions():
                dead = np.fromiter(leaf.segment().deleted_docs(), dtype=np.int64)
                self.live[base + dead[dead < leaf.doc_count_all()]] = False

    def matches(self, q: wq.Query) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """The live documents ``q`` matches (ascending numbers) and their scores."""
        try:
            m = self._eval(q)
        except (IndexError, ValueError, OSError) as exc:
            if not any(s is not None for s in self.sidecars):
                raise
            # a damaged sidecar (the writer's check rewrites it): answer from Whoosh's blocks
            logger.warning("search sidecar unusable (%s): reading the segments instead", exc)
            self.sidecars = [None] * len(self.sidecars)
            m = self._eval(q)
        docs = np.flatnonzero(m.mask & self.live)
        return docs, m.score[docs]

    def run(self, q: wq.Query) -> dict[int, float]:
        """``matches`` as a dict (for tests and small callers)."""
        docs, scores = self.matches(q)
        return dict(zip(docs.tolist(), scores.tolist(), strict=True))

    def _empty(self) -> Matches:
        return Matches(np.zeros(self.size, dtype=bool), np.zeros(self.size))

    def _eval(self, q: wq.Query) -> Matches:
        if isinstance(q, TermSet):
            hit = self._termset_mask(q.fieldname, q.words)
            return Matches(hit, np.where(hit, float(q.boost), 0.0))
        if isinstance(q, FastPhrase):
            return self.phrase(q)
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text, q.boost)
        if isinstance(q, wq.AndNot):
            pos = self._eval(q.a)
            if not pos.mask.any():
                return pos
            keep = pos.mask & ~self.docs(q.b)
            return Matches(keep, np.where(keep, pos.score, 0.0))
        if isinstance(q, wq.And):
            mask: NDArray[np.bool_] | None = None
            score = np.zeros(self.size)
            for c in sorted(q.subqueries, key=self.estimate):  # the rarest part first
                part = self._eval(c)
                mask = part.mask if mask is None else mask & part.mask
                score += part.score
                if not mask.any():
                    return self._empty()
            if mask is None:
                return self._empty()
            return Matches(mask, np.where(mask, score, 0.0))
        if isinstance(q, wq.Or) and type(q) in (wq.Or, wq.DisjunctionMax):
            out = self._empty()
            for c in q.subqueries:
                part = self._eval(c)
                out.mask[part.mask] = True
                out.score[:] += part.score
            return out
        if isinstance(q, wq.Every):
            return Matches(self.live.copy(), self.live.astype(np.float64))
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return self._empty()
        raise Unsupported(type(q).__name__)

    def docs(self, q: wq.Query) -> NDArray[np.bool_]:
        """The documents ``q`` matches, unscored (the excluded side of NOT)."""
        if isinstance(q, wq.Term) and not isinstance(q, FastPhrase):
            return self._termset_mask(q.fieldname, [q.text])
        if isinstance(q, wq.Or) and type(q) in (wq.Or, wq.DisjunctionMax):
            out = np.zeros(self.size, dtype=bool)
            for c in q.subqueries:
                out |= self.docs(c)
            return out
        return self._eval(q).mask

    # --- postings -----------------------------------------------------------------------------

    def df(self, fieldname: str, text: Any) -> int:
        """How many documents hold the term (deleted ones included, as Whoosh counts), from
        the sidecars where there are some: Whoosh's term-info lookups are Python and a
        random read each."""
        btext = self._btext(fieldname, text)
        if btext is None:
            return 0
        total = 0
        for n, (leaf, _base) in enumerate(self.leaves):
            side = self.sidecars[n]
            if side is None:
                total += int(leaf.doc_frequency(fieldname, text))
            elif (fp := side.fields.get(fieldname)) is not None:
                total += fp.doc_frequency_of([btext])[0]
        return total

    def find(self, n: int, fieldname: str, btext: bytes) -> Found | None:
        """Term ``btext``'s postings in leaf number ``n``: from its sidecar, else via Whoosh."""
        side = self.sidecars[n]
        if side is not None:
            fp = side.fields.get(fieldname)
            i = fp.find(btext) if fp is not None else -1
            if i < 0:
                return None
            ids, ws = fp.postings(i)  # type: ignore[union-attr]
            if len(ids) and (int(ids.max()) >= self.counts[n] or len(ws) != len(ids)):
                raise ValueError(f"postings out of range in {side.path.name}")
            return Found(ids.astype(np.int64), ws.astype(np.float64), i)
        got = postings(self.leaves[n][0], fieldname, btext)
        if got is None:
            return None
        return Found(np.array(got[0], dtype=np.int64), np.array(got[1], dtype=np.float64), -1)

    def _termset_mask(self, fieldname: str, words: Any) -> NDArray[np.bool_]:
        out = np.zeros(self.size, dtype=bool)
        texts = [b for w in words if (b := self._btext(fieldname, w)) is not None]
        for n, (_leaf, base) in enumerate(self.leaves):
            for btext in texts:
                got = self.find(n, fieldname, btext)
                if got is not None:
                    out[base + got.ids] = True
        return out

    def norm_table(self, fieldname: str) -> NDArray[np.float64]:
        """BM25's length factor for each of the 256 length bytes, for this index's average."""
        return np.array(self.norm_factors(fieldname))
    def _norms(self, leaf: Any, fieldname: str, table: NDArray[np.float64]
               ) -> NDArray[np.float64]:
        """``table`` applied to every document's length byte in ``leaf``."""
        lens = np.frombuffer(self.lengths(leaf, fieldname), dtype=np.uint8)
        return table[lens]

    def term(self, fieldname: str, text: Any, boost: float = 1.0) -> Matches:
        out = self._empty()
        btext = self._btext(fieldname, text)
        if btext is None:
            return out
        field = self.searcher.schema[fieldname]
        idf = self.idf(fieldname, text) * boost
        table = self.norm_table(fieldname) if field.scorable else None
        for n, (leaf, base) in enumerate(self.leaves):
            got = self.find(n, fieldname, btext)
            if got is None:
                continue
            w = got.weights
            if table is not None:
                norms = self._norms(leaf, fieldname, table)[got.ids]
                scores = idf * (w * (K1 + 1)) / (w + norms)
            else:
                scores = w * boost
            out.mask[base + got.ids] = True
            out.score[base + got.ids] = scores
        return out

    def phrase(self, q: FastPhrase) -> Matches:
        """Documents with the words at consecutive positions, scored as the AND of the terms
        checked. Two adjacent common words are looked up as their gram (one short posting
        list instead of two long ones); a phrase that is one gram needs no position check."""
        out = self._empty()
        fieldname, words = q.fieldname, list(q.words)
        if fieldname not in self.searcher.schema:
            return out
        field = self.searcher.schema[fieldname]
        items = phrase_items(words, getattr(field.analyzer, "common", frozenset()))
        idfs = [self.idf(fieldname, t) for t, _off in items]
        texts = [bytes(field.to_bytes(t)) for t, _off in items]
        offsets = [off for _t, off in items]
        table = self.norm_table(fieldname)
        for n, (leaf, base) in enumerate(self.leaves):
            lists = []
            for btext in texts:
                got = self.find(n, fieldname, btext)
                if got is None:
                    break
                lists.append(got)
            else:
                order = sorted(range(len(lists)), key=lambda i: len(lists[i].ids))
                found = lists[order[0]].ids
                for i in order[1:]:
                    found = np.intersect1d(found, lists[i].ids, assume_unique=True)
                if len(found) and len(lists) > 1:
                    found = self._check_positions(n, fieldname, found, texts, offsets, order,
                                                  lists)
                if not len(found):
                    continue
                norms = self._norms(leaf, fieldname, table)[found]
                score = np.zeros(len(found))
                for idf, got in zip(idfs, lists, strict=True):
                    w = got.weights[np.searchsorted(got.ids, found)]
                    score += idf * (w * (K1 + 1)) / (w + norms)
                out.mask[base + found] = True
                out.score[base + found] = score
        if self.incomplete:
            q.incomplete = True
        return out

    def _check_positions(self, n: int, fieldname: str, cands: NDArray[np.int64],
                         texts: list[bytes], offsets: list[int], order: list[int],
                         lists: list[Found]) -> NDArray[np.int64]:
        """The candidates where every term sits at (start + its offset) for some start.

        Each (document, start) pair is one 64-bit key, so checking a term is one sorted
        intersection over all candidates at once. Terms are taken rarest first; each one's
        positions are read only for the documents still in the running.
        """
        keys: NDArray[np.int64] | None = None
        alive = cands
        for i in order:
            if time.monotonic() > self.deadline:  # unchecked candidates are not matches
                self.incomplete = True
                return np.zeros(0, dtype=np.int64)
            got = lists[i]
            counts, pos = self._positions(n, fieldname, texts[i], got,
                                          np.searchsorted(got.ids, alive))
            start = pos.astype(np.int64) - offsets[i]
            docs = np.repeat(alive, counts)
            ok = start >= 0
            k = (docs[ok] << 32) | start[ok]  # ascending: documents, then positions, ascend
            keys = k if keys is None else np.intersect1d(keys, k, assume_unique=True)
            if not len(keys):
                return keys
            alive = np.unique(keys >> 32)
        return alive

    def _positions(self, n: int, fieldname: str, btext: bytes, got: Found,
                   sel: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[Any]]:
        """Position counts and positions (concatenated) of postings ``sel`` of a term."""
        side = self.sidecars[n]
        if side is not None and got.at >= 0:
            fp = side.fields[fieldname]
            if fp.has_positions(got.at):
                return fp.positions_of(got.at, sel)
        leaf = self.leaves[n][0]
        if sidecar.positions_only_in_sidecar(leaf.segment()):  # Whoosh's blocks hold none
            raise sidecar.PositionsLost("a search sidecar is missing or damaged")
        wanted = got.ids[sel].tolist()
        raw = postings(leaf, fieldname, btext, values=True, only=wanted)
        vmap = dict(zip(raw[0], raw[2], strict=True)) if raw is not None else {}
        lists = [list(decode_positions(vmap[d])) for d in wanted]  # ascending
        counts = np.array([len(x) for x in lists], dtype=np.int64)
        flat = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
        return counts, flat


def best(docs: NDArray[np.int64], scores: NDArray[np.float64], k: int
         ) -> list[tuple[float, int]]:
    """The ``k`` best (score, docnum): highest score first, then the lower number (as
    Whoosh orders them)."""
    if len(docs) > k:
        cut = np.partition(scores, len(scores) - k)[len(scores) - k]  # the k-th best score
        keep = np.flatnonzero(scores >= cut)
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[:k]
    return list(zip(scores[order].tolist(), docs[order].tolist(), strict=True))
