"""Exact phrase matching without Whoosh's span objects (private).

Whoosh 2.7's ``Phrase`` builds a Python ``Span`` object for every position of every word in
every candidate document; on common words at 10,000 documents that measured 15-22 s per
query. ``FastPhrase`` finds the candidates with a plain intersection of the words' postings,
checks positions with integer sets, and then scores the survivors like the words' AND query.
``Near`` does the same for proximity. Both read positions through ``leaf_positions``: from
the segment's sidecar, where the bulk writer keeps them (and only there), else from
Whoosh's blocks (segments written by Whoosh's own writer).
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Iterator
from itertools import accumulate
from types import SimpleNamespace
from typing import Any

from whoosh import matching
from whoosh import query as wq
from whoosh.query import spans as wspans
from whoosh.system import _INT_SIZE as _COUNT

BUDGET_S = 1.0


class FastPhrase(wq.Phrase):  # type: ignore[misc]
    """The words at consecutive positions of ``fieldname`` (an exact phrase, no slop).

    ``incomplete`` becomes True when the check ran out of time (see ``phrase_docs``).
    """

    incomplete = False

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[fieldname]
        reader = searcher.reader()
        texts: list[bytes] = []
        for word in self.words:
            b = field.to_bytes(word)
            if (fieldname, b) not in reader:
                return matching.NullMatcher()
            texts.append(b)
        both = wq.And([wq.Term(fieldname, w) for w in self.words])
        ids, complete = phrase_docs(searcher, fieldname, texts, both)
        if not complete:
            self.incomplete = True
        if not ids:
            return matching.NullMatcher()
        return matching.FilterMatcher(both.matcher(searcher, context), ids,
                                      boost=getattr(self, "boost", 1.0))


def decode_positions(value: bytes) -> Iterator[int]:
    """The positions stored in one ``Positions`` posting, decoded at C speed.

    Whoosh 2.7's ``Positions`` format stores a 4-byte count and a pickled list of deltas
    (without the final STOP byte); its own decoder sums them in a Python loop.
    """
    if not value.endswith(b"."):
        value += b"."
    return accumulate(pickle.loads(value[_COUNT:]))  # Whoosh itself unpickles these


def positions(value: bytes, shift: int) -> set[int]:
    """The positions in one posting, minus ``shift``."""
    return set(map((-shift).__add__, decode_positions(value)))


def leaf_positions(leaf: Any, fieldname: str, btext: bytes, docs: list[int],
                   plain: bool = False) -> dict[int, list[int]]:
    """The positions of term ``btext`` in each of ``docs`` (sorted document numbers of
    segment reader ``leaf``) that holds it: from the segment's sidecar, else from Whoosh's
    blocks. A segment whose positions are in its sidecar only, without a usable sidecar,
    raises ``sidecar.PositionsLost``: an empty answer would be a wrong one. ``plain``: the
    index is small (``plain_eval.small``), its sidecar is read without numpy."""
    from . import sidecar
    from .blocks import postings

    side = sidecar.for_leaf(leaf)
    if plain and side is not None:
        pf = side.plain_fields.get(fieldname)
        if pf is not None:
            i = pf.find(btext)
            if i < 0:
                return {}
            if pf.has_positions(i):
                return pf.positions_in(i, docs)  # type: ignore[no-any-return]
    fp = side.fields.get(fieldname) if side is not None and not plain else None
    if fp is not None:
        import numpy as np  # a sidecar is read with numpy; a small index has none

        i = fp.find(btext)
        if i < 0:
            return {}
        if fp.has_positions(i):
            ids = fp.postings(i)[0].astype(np.int64)
            want = np.asarray(docs, dtype=np.int64)
            at = np.minimum(np.searchsorted(ids, want), max(0, len(ids) - 1))
            held = ids[at] == want if len(ids) else np.zeros(len(want), dtype=bool)
            counts, pos = fp.positions_of(i, at[held])
            ends = np.cumsum(counts).tolist()
            flat = pos.tolist()
            return {d: flat[e - n:e] for d, n, e in
                    zip(want[held].tolist(), counts.tolist(), ends, strict=True)}
    if sidecar.positions_only_in_sidecar(leaf.segment() if hasattr(leaf, "segment") else None):
        raise sidecar.PositionsLost("a search sidecar is missing or damaged")
    raw = postings(leaf, fieldname, btext, values=True, only=docs)
    if raw is None:
        return {}
    wanted = set(docs)
    return {d: list(decode_positions(v)) for d, v in zip(raw[0], raw[2], strict=True)
            if d in wanted}


def _parts(searcher: Any) -> list[tuple[Any, int]]:
    return [(searcher, 0)] if searcher.is_atomic() else list(searcher.subsearchers)


def phrase_docs(searcher: Any, fieldname: str, texts: list[bytes],
                both: wq.Query) -> tuple[set[int], bool]:
    """Document numbers (of this searcher) where the words occur one after another.

    Checking stops after ``BUDGET_S`` seconds (a phrase of very common words at 100,000
    documents has tens of thousands of candidates); the second value then is False and the
    result holds only the documents checked so far: never a false match, possibly not all.
    """
    from .plain_eval import small

    deadline = time.monotonic() + BUDGET_S
    plain = small(searcher)
    found: set[int] = set()
    for sub, offset in _parts(searcher):
        r = sub.reader()
        if any((fieldname, t) not in r for t in texts):
            continue
        alive = sorted(both.matcher(sub).all_ids())
        starts: dict[int, set[int]] = {}
        for i, t in enumerate(texts):
            if not alive:
                break
            if time.monotonic() > deadline:
                return found, False
            got = leaf_positions(r, fieldname, t, alive, plain)
            nxt: dict[int, set[int]] = {}
            for doc in alive:
                shifted = {p - i for p in got.get(doc, ())}
                if i:
                    shifted &= starts[doc]
                if shifted:
                    nxt[doc] = shifted
            starts = nxt
            alive = sorted(nxt)
        found.update(doc + offset for doc in alive)
    return found, True


class _Spans:
    """A word's positions in one document, shaped as the matchers ``SpanNear2`` reads."""

    __slots__ = ("_spans",)

    def __init__(self, positions: list[int]) -> None:
        self._spans = [wspans.Span(p) for p in sorted(positions)]

    def spans(self) -> list[Any]:
        return self._spans


class Near(wspans.SpanNear2):  # type: ignore[misc]
    """``"a b"~N``: Whoosh's ``SpanNear2`` (the same span rule, by Whoosh's own code), with
    each word's positions read through ``leaf_positions`` instead of Whoosh's posting values
    (which a segment written by the bulk writer does not keep). Scored as the words' AND."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        words = [q for q in self.qs if isinstance(q, wq.Term)]
        if len(words) != len(self.qs) or len({q.fieldname for q in words}) != 1:
            return super().matcher(searcher, context)
        fieldname = words[0].fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[fieldname]
        texts = [field.to_bytes(q.text) for q in words]
        both = wq.And(list(words))
        rule = wspans.SpanNear2.SpanNear2Matcher._get_spans
        from .plain_eval import small

        plain = small(searcher)
        ids: set[int] = set()
        for sub, offset in _parts(searcher):
            r = sub.reader()
            if any((fieldname, t) not in r for t in texts):
                continue
            cands = sorted(both.matcher(sub).all_ids())
            if not cands:
                continue
            got = [leaf_positions(r, fieldname, t, cands, plain) for t in texts]
            for doc in cands:
                probe = SimpleNamespace(slop=self.slop, mindist=self.mindist,
                                        ordered=self.ordered,
                                        ms=[_Spans(g.get(doc, [])) for g in got])
                if rule(probe):
                    ids.add(doc + offset)
        if not ids:
            return matching.NullMatcher()
        return matching.FilterMatcher(both.matcher(searcher, context), ids,
                                      boost=getattr(self, "boost", 1.0))
