"""Turning the neutral parsed query (``backend.Node``) into a Whoosh query, with bounded
expansion and alias groups.

Prefix, wildcard and fuzzy terms are expanded here against the index's term list, never by
Whoosh: at most ``MAX_EXPANSION`` terms each (the most frequent win) after scanning at most
``MAX_SCAN`` terms, so ``a*`` on a large archive costs the same as ``abc*``; the expansion
matches as a constant-score ``TermSet``, and exact phrases as ``FastPhrase``. The compiled
query also yields a ``Plan``: which words and phrases a snippet should mark.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from whoosh import query as wq
from whoosh.reading import IndexReader

from ...errors import UserError
from .. import parse as p
from ..analysis import GRAM_MARK, STEM_MARK, fold, is_cjk, keyword, stem, terms
from ..backend import Marks
from ..query_values import date_range, within
from . import plain_eval, sidecar
from .engine import per_leaf
from .phrase import FastPhrase, Near
from .sidecar import TermDictionary
from .termset import TermSet

MAX_EXPANSION = 64
MAX_SCAN = 5_000
TEXT_FIELDS = {"body", "title"}
MARKS = (STEM_MARK, GRAM_MARK)  # index-only terms: never offered as expansions


@dataclass
class Plan:
    """What to mark in the text: exact terms, stems of plain words, and exact phrases."""

    exact: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    phrases: list[list[str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.exact or self.stems or self.phrases)

    def marks(self) -> Marks:
        """The plan as the backend protocol hands it to the snippet code."""
        return Marks(frozenset(self.exact), frozenset(self.stems),
                     tuple(tuple(ph) for ph in self.phrases))


class Compiler:
    def __init__(self, reader: IndexReader, aliases: Mapping[str, Sequence[str]]) -> None:
        self.reader = reader
        self.aliases = aliases
        self.plan = Plan()
        # a small index's sidecars are read without numpy (whoosh/sidecar_plain.py)
        self.plain = int(reader.doc_count_all()) <= plain_eval.SMALL_DOCS

    def compile(self, node: p.Node) -> wq.Query:
        q = self.node(node, "body", True)
        return q if q is not None else wq.NullQuery

    # --- tree ---------------------------------------------------------------------------------

    def node(self, node: p.Node, fname: str, positive: bool) -> wq.Query | None:
        if isinstance(node, p.And):
            pos = [q for c in node.children if not isinstance(c, p.Not)
                   if (q := self.node(c, fname, positive)) is not None]
            neg = [q for c in node.children if isinstance(c, p.Not)
                   if (q := self.node(c.child, fname, not positive)) is not None]
            if not pos and not neg:
                return None
            base = wq.And(pos) if len(pos) > 1 else (pos[0] if pos else wq.Every())
            return wq.AndNot(base, wq.Or(neg)) if neg else base
        if isinstance(node, p.Or):
            parts = [q for c in node.children if (q := self.node(c, fname, positive)) is not None]
            return wq.Or(parts) if parts else None
        if isinstance(node, p.Not):
            inner = self.node(node.child, fname, not positive)
            return None if inner is None else wq.AndNot(wq.Every(), inner)
        if isinstance(node, p.Field):
            return self.field(node, positive)
        if isinstance(node, p.Range):
            raise UserError("A [from TO to] range needs a field", "write date:[2022-01 TO 2022-06]")
        return self.value(node, fname, positive)

    def field(self, node: p.Field, positive: bool) -> wq.Query | None:
        name = node.name
        if name in TEXT_FIELDS:
            return self.node(node.child, name, positive)
        if name == "date":
            lo, hi = date_range(node.child)
            if lo.endswith("0000") and hi.endswith("1299") and lo[:4].isdigit() \
                    and hi[:4].isdigit() and int(hi[:4]) - int(lo[:4]) < 200:
                years = [f"{y:04d}" for y in range(int(lo[:4]), int(hi[:4]) + 1)]
                return wq.Term("year", years[0]) if len(years) == 1 else TermSet("year", years)
            n = 0
            while n < len(lo) and lo[n] == hi[n]:
                n += 1
            common = lo[:n]
            found = [t for t in self.expand("date", common, None, bound=False) if lo <= t <= hi]
            return TermSet("date", sorted(found)) if found else wq.NullQuery
        return self.keyword(name, node.child)

    # --- values in text fields -------------------------------------------------------------

    def value(self, node: p.Node, fname: str, positive: bool) -> wq.Query | None:
        plan = self.plan if positive and fname == "body" else Plan()
        if isinstance(node, p.Wild):
            return self.wild(node.pattern, fname, plan)
        if isinstance(node, p.Phrase):
            if node.slop is None and fname in ("body", "title"):
                alt = self.alias(node.text, fname, plan)
                if alt is not None:
                    return alt
            return self.phrase(terms(node.text), fname, node.slop, plan)
        assert isinstance(node, p.Word)
        if node.fuzzy is not None:
            return self.fuzzy(node.text, node.fuzzy, fname, plan)
        alt = self.alias(node.text, fname, plan) if fname in ("body", "title") else None
        return alt if alt is not None else self.word(terms(node.text), fname, plan)

    def alias(self, text: str, fname: str, plan: Plan) -> wq.Query | None:
        group = self.aliases.get(" ".join(terms(text)))
        if not group:
            return None
        parts = [q for t in group if (q := self.word(terms(t), fname, plan)) is not None]
        return wq.Or(parts) if parts else None

    def word(self, ts: list[str], fname: str, plan: Plan) -> wq.Query | None:
        if not ts:
            return None
        if len(ts) > 1:  # "covid-19", a CJK run: the pieces, next to each other
            return self.phrase(ts, fname, None, plan)
        t = ts[0]
        if len(t) == 1 and is_cjk(t):  # one Han character: every bigram starting with it
            found = self.expand(fname, t, None) | {t}
            plan.exact.update(found)
            return TermSet(fname, sorted(found))
        s = stem(t)
        plan.stems.add(s)
        if s == t and not (t.isascii() and t.isalpha() and len(t) >= 4):
            return wq.Term(fname, t)
        return wq.Or([wq.Term(fname, s), wq.Term(fname, STEM_MARK + s)])

    def phrase(self, ts: list[str], fname: str, slop: int | None, plan: Plan) -> wq.Query | None:
        if not ts:
            return None
        if len(ts) == 1:
            plan.exact.add(ts[0])
            return wq.Term(fname, ts[0])
        if slop is None:
            plan.phrases.append(ts)
            return FastPhrase(fname, ts)
        plan.exact.update(ts)
        return Near([wq.Term(fname, t) for t in ts], slop=max(1, slop), ordered=False)

    def fuzzy(self, text: str, dist: int, fname: str, plan: Plan) -> wq.Query | None:
        ts = terms(text)
        if len(ts) != 1:
            return self.word(ts, fname, plan)
        t = ts[0]
        if dist < 0:
            dist = 0 if len(t) <= 2 else 1 if len(t) <= 5 else 2
        dist = min(dist, 2)
        found = {t}
        if dist:
            keep = 1 if len(t) < 5 else 2  # letters that must match: bounds the scan
            cands: set[str] = set()
            seen: set[str] = set()
            # Each segment's dictionary on its own: Whoosh's merged view of all of them costs a
            # heap operation per word per segment, and a word is checked once.
            for leaf, _base in self.reader.leaf_readers():
                side = side_terms(leaf, fname, t[:keep], self.plain)
                source = side if side is not None else (
                    raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
                    for raw in islice(leaf.expand_prefix(fname, t[:keep]), MAX_SCAN))
                lo, hi = len(t) - dist, len(t) + dist
                for c in source:
                    if c in seen or not lo <= len(c) <= hi:
                        continue
                    seen.add(c)
                    if within(t, c, dist):
                        cands.add(c)
            found |= self.top(cands, fname)
        plan.exact.update(found)
        return TermSet(fname, sorted(found))

    def wild(self, pattern: str, fname: str, plan: Plan) -> wq.Query | None:
        found = self.wild_terms(pattern, fname, lambda s: "".join(terms(s)))
        plan.exact.update(found)
        return TermSet(fname, sorted(found)) if found else wq.NullQuery

    def wild_terms(self, pattern: str, fname: str, norm: Any) -> set[str]:
        pieces = re.split(r"([*?])", pattern)
        literal = [norm(x) if x not in "*?" else x for x in pieces]
        if sum(len(x) for x in literal if x not in ("*", "?")) < (1 if is_cjk(pattern) else 2):
            raise UserError(f"“{pattern}” would match almost everything",
                            "type at least two letters with * or ?")
        prefix = literal[0] if literal[0] not in ("*", "?") else ""
        if pattern.endswith("*") and pattern.count("*") == 1 and "?" not in pattern:
            return self.expand(fname, prefix, None)
        body = "".join("[^\n]*" if x == "*" else "[^\n]" if x == "?" else re.escape(x)
                       for x in literal)
        pat = Pattern(re.compile(body + r"\Z"), re.compile(f"^{body}$", re.M),
                      max((x for x in literal if x not in ("*", "?")), key=len, default=""))
        if not prefix:  # a leading wildcard: every word of the dictionary is a candidate
            return self.expand_anywhere(fname, pat)
        return self.expand(fname, prefix, pat)

    def expand_anywhere(self, fname: str, pat: Pattern) -> set[str]:
        """Terms matching ``pat`` anywhere in the dictionary (``*stan``), found in each
        segment's whole word list (kept per segment reader): scanning the dictionary term by
        term stopped after the first MAX_SCAN words in alphabetical order, so ``*stan``
        missed Kazakhstan. As ``expand``, the largest segment answers alone when it offers
        many candidates."""
        leaves = [leaf for leaf, _base in self.reader.leaf_readers()]
        big = max(leaves, key=lambda r: r.doc_count_all())
        cands = pat.find_in(word_list(big, fname, self.plain))
        if len(cands) < 4 * MAX_EXPANSION and len(leaves) > 1:
            for leaf in leaves:
                if leaf is not big:
                    cands |= pat.find_in(word_list(leaf, fname, self.plain))
            big = None
        if len(cands) <= MAX_EXPANSION:
            return cands
        counted = side_counts([big] if big is not None else leaves, fname, cands,
                              self.plain)
        if counted is not None:
            return most_frequent(counted)
        return self.top(cands, fname, big)

    def expand(self, fname: str, prefix: str, rx: Pattern | None,
               bound: bool = True) -> set[str]:
        """At most MAX_EXPANSION indexed terms starting with ``prefix`` (and matching ``rx``).

        A bounded expansion first looks in the largest segment only: enumerating a prefix's
        terms across every segment (their dictionaries merged in Python) was half of a
        prefix query at 100,000 documents. When that segment alone offers many more
        candidates than are kept, the most frequent ones are taken from it (a term frequent
        in the archive is in every large segment); otherwise every segment is read.
        """
        leaves = [leaf for leaf, _base in self.reader.leaf_readers()]
        if bound and len(leaves) > 1:
            big = max(leaves, key=lambda r: r.doc_count_all())
            counted = side_scan(big, fname, prefix, rx, self.plain)
            if counted is not None:
                if len(counted) >= 4 * MAX_EXPANSION:
                    return most_frequent(counted)
            else:
                cands = self._scan(big, fname, prefix, rx)
                if len(cands) >= 4 * MAX_EXPANSION:
                    return self.top(cands, fname, big)
        totals: dict[str, int] = {}
        unknown: set[str] = set()
        for leaf in leaves:  # each dictionary on its own (Whoosh's merged view is slower)
            counted = side_scan(leaf, fname, prefix, rx, self.plain)
            if counted is None:
                unknown |= self._scan(leaf, fname, prefix, rx)
                continue
            for term, n in counted.items():
                totals[term] = totals.get(term, 0) + n
        if not bound:
            return set(totals) | unknown
        return most_frequent(totals) if not unknown else self.top(set(totals) | unknown, fname)

    def _scan(self, reader: IndexReader, fname: str, prefix: str,
              rx: Pattern | None) -> set[str]:
        source = reader.expand_prefix(fname, prefix) if prefix else reader.lexicon(fname)
        cands = set()
        for raw in islice(source, MAX_SCAN):
            term = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
            if term.startswith(MARKS) or (rx is not None and not rx.term.match(term)):
                continue
            cands.add(term)
        return cands

    def top(self, cands: set[str], fname: str, reader: IndexReader | None = None) -> set[str]:
        """The most frequent MAX_EXPANSION candidates (by ``reader``'s counts); from many,
        the shortest (a frequency lookup each measured ~0.2 ms: 1 s p95 for 3-letter
        prefixes at 10,000 documents)."""
        if len(cands) <= MAX_EXPANSION:
            return cands
        if len(cands) > 4 * MAX_EXPANSION:
            cands = set(sorted(cands, key=lambda t: (len(t), t))[:4 * MAX_EXPANSION])
        freq = (reader or self.reader).doc_frequency
        return set(sorted(cands, key=lambda t: (-freq(fname, t), t))[:MAX_EXPANSION])

    # --- tag, collection, kind, lang -------------------------------------------------------

    def keyword(self, name: str, node: p.Node) -> wq.Query | None:
        if isinstance(node, (p.And, p.Or)):
            parts = [q for c in node.children if (q := self.keyword(name, c)) is not None]
            if not parts:
                return None
            return wq.And(parts) if isinstance(node, p.And) else wq.Or(parts)
        if isinstance(node, p.Not):
            inner = self.keyword(name, node.child)
            return None if inner is None else wq.AndNot(wq.Every(), inner)
        if isinstance(node, p.Range):
            raise UserError(f"{name}: takes a value, not a range")
        raw = node.pattern if isinstance(node, p.Wild) else getattr(node, "text", "")
        norm = keyword if name in ("tag", "collection") else fold
        if isinstance(node, p.Wild):
            found = self.wild_terms(raw, name, norm)
            return TermSet(name, sorted(found)) if found else wq.NullQuery
        value = norm(raw)
        if name == "source" and "." in raw and " " not in raw.strip():
            return wq.Or([wq.Term(name, raw.strip().lower()), wq.Term(name, value)])
        return wq.Term(name, value) if value else None


def _side_field(side: sidecar.Sidecar, fname: str, plain: bool) -> Any:
    """A sidecar's reader of ``fname`` (None: not in it): plain Python for a small index
    (``plain``), numpy's otherwise; both answer the same."""
    return (side.plain_fields if plain else side.fields).get(fname)


def _range_terms(fp: TermDictionary, lo: int, hi: int) -> list[str]:
    if lo >= hi:
        return []
    raw = fp.term_bytes(lo, hi)
    return raw.decode("utf-8", "replace").split("\0")[:-1]


def side_terms(leaf: Any, fname: str, prefix: str, plain: bool = False) -> list[str] | None:
    """Every term of ``fname`` starting with ``prefix`` in the segment's sidecar (None: the
    segment has no sidecar). Index-only terms are left out."""
    side = sidecar.for_leaf(leaf)
    if side is None:
        return None
    fp = _side_field(side, fname, plain)
    if fp is None:
        return []
    lo, hi = fp.prefix_range(prefix.encode("utf-8"))
    return [t for t in _range_terms(fp, lo, hi) if not t.startswith(MARKS)]


def side_scan(leaf: Any, fname: str, prefix: str, rx: Pattern | None, plain: bool = False
              ) -> dict[str, int] | None:
    """``term -> documents`` for the terms of ``fname`` starting with ``prefix`` (and
    matching ``rx``) in the segment's sidecar; None when the segment has none."""
    side = sidecar.for_leaf(leaf)
    if side is None:
        return None
    fp = _side_field(side, fname, plain)
    if fp is None:
        return {}
    lo, hi = fp.prefix_range(prefix.encode("utf-8"))
    if rx is not None:  # one regular expression over the range, then count the few found
        text = fp.term_bytes(lo, hi).decode("utf-8", "replace").replace("\0", "\n")
        found = [t for t in set(rx.lines.findall(text)) if not t.startswith(MARKS)]
        return dict(zip(found, fp.doc_frequency_of([t.encode("utf-8") for t in found]),
                        strict=True))
    dfs = fp.doc_frequencies(lo, hi)
    dfs = dfs if plain else dfs.tolist()
    return {t: n for t, n in zip(_range_terms(fp, lo, hi), dfs, strict=True)
            if not t.startswith(MARKS)}


def side_counts(leaves: list[Any], fname: str, words: set[str],
                plain: bool = False) -> dict[str, int] | None:
    """How many documents of ``leaves`` hold each of ``words`` (None: a leaf has no sidecar)."""
    out = dict.fromkeys(words, 0)
    keys = sorted(words)
    raw = [t.encode("utf-8") for t in keys]
    for leaf in leaves:
        side = sidecar.for_leaf(leaf)
        if side is None:
            return None
        fp = _side_field(side, fname, plain)
        if fp is not None:
            for t, n in zip(keys, fp.doc_frequency_of(raw), strict=True):
                out[t] += n
    return out


@dataclass(frozen=True)
class Pattern:
    """A wildcard as regular expressions: for one term, and for a word list (one word per
    line); ``literal`` is its longest run of plain letters."""

    term: re.Pattern[str]
    lines: re.Pattern[str]
    literal: str

    def find_in(self, words: str) -> set[str]:
        """The lines of ``words`` the pattern matches. With a literal of three or more
        letters, only the lines holding it are tried (a plain search over the whole list is
        several times faster than the pattern's)."""
        if len(self.literal) < 3:
            return set(self.lines.findall(words))
        out: set[str] = set()
        find, rfind = words.find, words.rfind
        at = find(self.literal)
        while at >= 0:
            start = rfind("\n", 0, at) + 1
            end = find("\n", at)
            end = len(words) if end < 0 else end
            out.add(words[start:end])
            at = find(self.literal, end)
        return {w for w in out if self.term.match(w)}


def most_frequent(counted: dict[str, int]) -> set[str]:
    """The MAX_EXPANSION terms in the most documents (ties: alphabetical)."""
    if len(counted) <= MAX_EXPANSION:
        return set(counted)
    return set(sorted(counted, key=lambda t: (-counted[t], t))[:MAX_EXPANSION])


def word_list(leaf: Any, fname: str, plain: bool = False) -> str:
    """Every word of one segment's ``fname`` dictionary, one per line (index-only terms left
    out), kept while the segment reader lives."""
    def make() -> str:
        side = sidecar.for_leaf(leaf)
        if side is not None:  # the sidecar's sorted blob: index-only terms are two runs
            fp = _side_field(side, fname, plain)
            if fp is None:
                return ""
            runs = sorted(fp.prefix_range(m.encode("utf-8")) for m in MARKS)
            keep = [(0, runs[0][0]), (runs[0][1], runs[1][0]), (runs[1][1], fp.nterms)]
            raw = b"".join(fp.term_bytes(lo, hi) for lo, hi in keep if lo < hi)
            return raw.decode("utf-8", "replace").replace("\0", "\n")
        words = (raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
                 for raw in leaf.lexicon(fname))
        return "\n".join(w for w in words if not w.startswith(MARKS) and "\n" not in w)

    return per_leaf(leaf, ("words", fname), make)  # type: ignore[no-any-return]


def compile_query(node: p.Node, reader: IndexReader,
                  aliases: Mapping[str, Sequence[str]]) -> tuple[wq.Query, Plan]:
    c = Compiler(reader, aliases)
    return c.compile(node), c.plan
