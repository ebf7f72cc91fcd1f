"""Query evaluation in plain Python for a small index (private): no numpy to load.

``bulkquery.BulkEval`` scores whole posting lists with numpy, which costs ~0.1 s of CPU to
import: half of what a ``workbench search`` of a small library may take (the target is
0.2 s, docs/PERFORMANCE.md, "Fixed cost of a command"). An index of at most ``SMALL_DOCS``
documents is evaluated here instead (postings from Whoosh's blocks; the positions of a
segment the bulk writer wrote from its sidecar, read by ``sidecar_plain.py``): the same
query shapes, the same steps in the same order, with a dict of document number -> score
where ``BulkEval`` has two arrays over every document. Each score is the same sequence of
float operations (BM25F from the same norm table, sums in the same order), so both answer
the same documents with the same floats: ``tests/core/test_fast_search.py`` checks it on
every query it runs. Other shapes raise ``Unsupported`` and go to Whoosh's collector, as
from ``BulkEval``.
"""

from __future__ import annotations

import heapq
import logging
import time
from math import log
from typing import Any

from whoosh import query as wq
from whoosh.util.numeric import byte_to_length

from ..analysis import gram
from . import sidecar
from .blocks import postings
from .phrase import FastPhrase, decode_positions
from .termset import TermSet

B, K1 = 0.75, 1.2
BUDGET_S = 1.0  # phrase checking stops here (the result then says it may be incomplete)
# Without sidecars both evaluators spend their time reading Whoosh's blocks: measured at
# 1,000 and 2,000 documents, this one took 0.8-1.2x BulkEval's time (within 0.6 ms on every
# query shape), against ~80 ms of CPU to import numpy (docs/PERFORMANCE.md). Larger indexes
# have sidecars (segments of sidecar.MIN_DOCS or more), which are read with numpy; a small
# index's sidecars (a rebuild writes one for every segment) are read in plain Python.
SMALL_DOCS = 5000

logger = logging.getLogger(__name__)

Scored = dict[int, float]  # the documents matched (by number) and their scores


class Unsupported(Exception):
    """The query has a node this evaluator does not handle."""


def small(searcher: Any) -> bool:
    """Whether the index ``searcher`` (or one of its segments' searchers) reads is small
    enough to be read without numpy, its sidecars included."""
    top = searcher
    while top.has_parent():
        top = top.get_parent()
    return int(top.reader().doc_count_all()) <= SMALL_DOCS


def fits(searcher: Any) -> bool:
    """Whether ``searcher``'s index is small: this module serves it."""
    return int(searcher.reader().doc_count_all()) <= SMALL_DOCS


class EvalBase:
    """What ``PlainEval`` and ``BulkEval`` (numpy) compute alike: which part of a query is
    the rarest, Whoosh's idf, BM25's length factors and a term's bytes. A subclass gives
    ``searcher``, ``size`` (documents, deleted ones included) and ``df``."""

    searcher: Any
    size: int

    def df(self, fieldname: str, text: Any) -> int:
        raise NotImplementedError

    def estimate(self, q: wq.Query) -> int:
        """Roughly how many documents ``q`` matches (to evaluate the rarest part first)."""
        if isinstance(q, FastPhrase):
            return min((self.df(q.fieldname, w) for w in q.words), default=0)
        if isinstance(q, TermSet):
            return sum(self.df(q.fieldname, w) for w in q.words[:8])
        if isinstance(q, wq.Term):
            return self.df(q.fieldname, q.text)
        if isinstance(q, wq.AndNot):
            return self.estimate(q.a)
        if isinstance(q, wq.And):
            return min((self.estimate(c) for c in q.subqueries), default=0)
        if isinstance(q, wq.Or):
            return sum(self.estimate(c) for c in q.subqueries)
        return self.size

    def idf(self, fieldname: str, text: Any) -> float:
        """Whoosh's idf (``WeightingModel.idf``), with ``df`` for the frequency."""
        return log(self.size / (self.df(fieldname, text) + 1)) + 1

    def norm_factors(self, fieldname: str) -> list[float]:
        """BM25's length factor for each of the 256 length bytes, for this index's average."""
        avgfl = self.searcher.avg_field_length(fieldname) or 1
        return [K1 * ((1 - B) + B * (byte_to_length(b) if b else 1) / avgfl)
                for b in range(256)]

    def _btext(self, fieldname: str, text: Any) -> bytes | None:
        schema = self.searcher.schema
        if fieldname not in schema:
            return None
        return bytes(schema[fieldname].to_bytes(text))


class PlainEval(EvalBase):
    """``BulkEval`` over dicts: evaluates a compiled query over every segment of ``searcher``
    (which ``fits``)."""

    def __init__(self, searcher: Any, lengths: Any) -> None:
        self.searcher = searcher
        reader = searcher.reader()
        self.leaves = reader.leaf_readers()
        self.size = int(reader.doc_count_all())
        self.lengths = lengths  # (leaf, fieldname) -> each document's length byte
        self.incomplete = False
        self.deadline = time.monotonic() + BUDGET_S
        self.dead: set[int] = set()
        self.use_sidecars = True
        for leaf, base in self.leaves:
            if leaf.has_deletions():
                count = leaf.doc_count_all()
                self.dead.update(base + d for d in leaf.segment().deleted_docs() if d < count)

    def matches(self, q: wq.Query) -> tuple[list[int], list[float]]:
        """The live documents ``q`` matches (ascending numbers) and their scores."""
        try:
            got = self._eval(q)
        except (IndexError, ValueError, OSError) as exc:
            if not any(sidecar.for_leaf(leaf) is not None for leaf, _base in self.leaves):
                raise
            # as BulkEval: a damaged sidecar (the writer's check rewrites it) is not read;
            # the postings come from Whoosh's blocks
            logger.warning("search sidecar unusable (%s): reading the segments instead", exc)
            self.use_sidecars = False
            got = self._eval(q)
        docs = sorted(d for d in got if d not in self.dead)
        return docs, [got[d] for d in docs]

    def _eval(self, q: wq.Query) -> Scored:
        # the same node order as BulkEval._eval (TermSet is an Or, FastPhrase a Term)
        if isinstance(q, TermSet):
            boost = float(q.boost)
            return dict.fromkeys(self._termset(q.fieldname, q.words), boost)
        if isinstance(q, FastPhrase):
            return self.phrase(q)
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text, q.boost)
        if isinstance(q, wq.AndNot):
            pos = self._eval(q.a)
            if not pos:
                return pos
            drop = self.docs(q.b)
            return {d: s for d, s in pos.items() if d not in drop}
        if isinstance(q, wq.And):
            out: Scored | None = None
            for c in sorted(q.subqueries, key=self.estimate):  # the rarest part first
                part = self._eval(c)
                # BulkEval adds each part's scores to zeros, in this order
                out = ({d: 0.0 + s for d, s in part.items()} if out is None else
                       {d: s + part[d] for d, s in out.items() if d in part})
                if not out:
                    return {}
            return out or {}
        if isinstance(q, wq.Or) and type(q) in (wq.Or, wq.DisjunctionMax):
            union: Scored = {}
            for c in q.subqueries:
                for d, s in self._eval(c).items():
                    union[d] = union.get(d, 0.0) + s
            return union
        if isinstance(q, wq.Every):
            return {d: 1.0 for d in range(self.size) if d not in self.dead}
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return {}
        raise Unsupported(type(q).__name__)

    def docs(self, q: wq.Query) -> set[int]:
        """The documents ``q`` matches, unscored (the excluded side of NOT)."""
        if isinstance(q, wq.Term) and not isinstance(q, FastPhrase):
            return self._termset(q.fieldname, [q.text])
        if isinstance(q, wq.Or) and type(q) in (wq.Or, wq.DisjunctionMax):
            out: set[int] = set()
            for c in q.subqueries:
                out |= self.docs(c)
            return out
        return set(self._eval(q))

    # --- postings -----------------------------------------------------------------------------

    def df(self, fieldname: str, text: Any) -> int:
        """How many documents hold the term (deleted ones included, as Whoosh counts)."""
        if self._btext(fieldname, text) is None:
            return 0
        return sum(int(leaf.doc_frequency(fieldname, text)) for leaf, _base in self.leaves)

    def _termset(self, fieldname: str, words: Any) -> set[int]:
        out: set[int] = set()
        texts = [b for w in words if (b := self._btext(fieldname, w)) is not None]
        for leaf, base in self.leaves:
            for btext in texts:
                got = self._find(leaf, fieldname, btext)
                if got is not None:
                    out.update(base + d for d in got[0])
        return out

    def _find(self, leaf: Any, fieldname: str, btext: bytes
              ) -> tuple[list[int], list[float]] | None:
        """Term ``btext``'s postings (ids, weights) in one segment: from its sidecar, else
        from Whoosh's blocks (as ``BulkEval.find``, so the same weights: a sidecar keeps
        them as 16-bit or 32-bit numbers)."""
        side = sidecar.for_leaf(leaf) if self.use_sidecars else None
        if side is None:
            got = postings(leaf, fieldname, btext)
            return None if got is None else (got[0], got[1])
        pf = side.plain_fields.get(fieldname)
        i = pf.find(btext) if pf is not None else -1
        if pf is None or i < 0:
            return None
        ids, ws = pf.postings(i)
        if ids and (max(ids) >= leaf.doc_count_all() or len(ws) != len(ids)):
            raise ValueError(f"postings out of range in {side.path.name}")
        return ids, ws

    def term(self, fieldname: str, text: Any, boost: float = 1.0) -> Scored:
        out: Scored = {}
        btext = self._btext(fieldname, text)
        if btext is None:
            return out
        field = self.searcher.schema[fieldname]
        idf = self.idf(fieldname, text) * boost
        table = self.norm_factors(fieldname) if field.scorable else None
        k1 = K1 + 1
        for leaf, base in self.leaves:
            got = self._find(leaf, fieldname, btext)
            if got is None:
                continue
            if table is not None:
                lens = self.lengths(leaf, fieldname)
                for d, w in zip(got[0], map(float, got[1]), strict=True):
                    out[base + d] = idf * (w * k1) / (w + table[lens[d]])
            else:
                for d, w in zip(got[0], map(float, got[1]), strict=True):
                    out[base + d] = w * boost
        return out

    def phrase(self, q: FastPhrase) -> Scored:
        """Documents with the words at consecutive positions, scored as the AND of the terms
        checked (``BulkEval.phrase``, whose gram look-ups this follows)."""
        out: Scored = {}
        fieldname, words = q.fieldname, list(q.words)
        if fieldname not in self.searcher.schema:
            return out
        field = self.searcher.schema[fieldname]
        items = phrase_items(words, getattr(field.analyzer, "common", frozenset()))
        idfs = [self.idf(fieldname, t) for t, _off in items]
        texts = [bytes(field.to_bytes(t)) for t, _off in items]
        offsets = [off for _t, off in items]
        table = self.norm_factors(fieldname)
        k1 = K1 + 1
        for n, (leaf, base) in enumerate(self.leaves):
            lists: list[dict[int, float]] = []  # each term's document -> weight
            for btext in texts:
                got = self._find(leaf, fieldname, btext)
                if got is None:
                    break
                lists.append(dict(zip(got[0], map(float, got[1]), strict=True)))
            else:
                order = sorted(range(len(lists)), key=lambda i: len(lists[i]))
                found = sorted(set(lists[order[0]]).intersection(*(lists[i] for i in order[1:])))
                if found and len(lists) > 1:
                    found = self._check_positions(n, fieldname, found, texts, offsets, order)
                if not found:
                    continue
                lens = self.lengths(leaf, fieldname)
                for d in found:
                    norm = table[lens[d]]
                    score = 0.0
                    for idf, weights in zip(idfs, lists, strict=True):
                        w = weights[d]
                        score += idf * (w * k1) / (w + norm)
                    out[base + d] = score
        if self.incomplete:
            q.incomplete = True
        return out

    def _check_positions(self, n: int, fieldname: str, cands: list[int], texts: list[bytes],
                         offsets: list[int], order: list[int]) -> list[int]:
        """The candidates where every term sits at (start + its offset) for some start: the
        (document, start) pairs of each term, rarest first, intersected."""
        keys: set[tuple[int, int]] | None = None
        alive = cands
        for i in order:
            if time.monotonic() > self.deadline:  # unchecked candidates are not matches
                self.incomplete = True
                return []
            off = offsets[i]
            got = {(d, p - off) for d, ps in zip(alive, self._positions(n, fieldname, texts[i],
                                                                          alive), strict=True)
                   for p in ps if p >= off}
            keys = got if keys is None else keys & got
            if not keys:
                return []
            alive = sorted({d for d, _start in keys})
        return alive

    def _positions(self, n: int, fieldname: str, btext: bytes,
                   wanted: list[int]) -> list[list[int]]:
        """The positions of term ``btext`` in each of ``wanted`` (documents holding it)."""
        leaf = self.leaves[n][0]
        side = sidecar.for_leaf(leaf) if self.use_sidecars else None
        pf = side.plain_fields.get(fieldname) if side is not None else None
        if pf is not None and (i := pf.find(btext)) >= 0 and pf.has_positions(i):
            got = pf.positions_in(i, wanted)
            return [got.get(d, []) for d in wanted]
        if sidecar.positions_only_in_sidecar(leaf.segment()):  # Whoosh's blocks hold none
            raise sidecar.PositionsLost("a search sidecar is missing or damaged")
        raw = postings(leaf, fieldname, btext, values=True, only=wanted)
        vmap = dict(zip(raw[0], raw[2], strict=True)) if raw is not None else {}
        return [list(decode_positions(vmap[d])) for d in wanted]


def best(docs: list[int], scores: list[float], k: int) -> list[tuple[float, int]]:
    """The ``k`` best (score, docnum): highest score first, then the lower number (as
    Whoosh orders them, and ``bulkquery.best``)."""
    top = heapq.nsmallest(k, zip([-s for s in scores], docs, strict=True))
    return [(-neg, d) for neg, d in top]


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
