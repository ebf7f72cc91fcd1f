"""The neutral parsed query (``backend.Node``) as SQL over the server's index tables.

Every node becomes a set of document ids (``SELECT doc_id ...``): a word, phrase or expansion
of the body is a ``tsquery`` over each document's row of lexemes without positions
(``wbsearch.words``, index format 3), and, when positions matter (a phrase of three words
and more, a ``near``), also over the windows of the documents that row lets through;
before format 3, over the windows alone. ``AND`` is ``INTERSECT``, ``OR`` is
``UNION``, ``NOT`` is ``EXCEPT``. Evaluating the boolean operators on documents, not on rows,
keeps a document whose words fall in different windows a match. Alternatives of one field
(``OR``, alias groups, expansions) are merged into one ``tsquery``.

What a query means follows ``whoosh/query.py`` term for term: a plain word is its stem or
``~stem``; a quoted phrase of two words their pair (one lexeme, ``lexemes.pair``), of more its
pairs, then its words at consecutive positions in the windows (format 2: its pairs at
consecutive positions in the windows; format 1: its words'); ``"a b"~N`` the
two within N words in either order (``<1>`` ... ``<N>`` both ways); a prefix ``:*``; wildcards
and fuzzy words are expanded against the vocabulary table (at most ``MAX_EXPANSION`` terms, the
most frequent); fields and dates are columns. The compiled query also yields the ``Plan`` of
what to mark, exactly as the Whoosh backend's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from sqlalchemy.orm import Session

from ...errors import UserError
from .. import parse as p
from ..analysis import STEM_MARK, fold, is_cjk, keyword, stem, terms
from ..backend import Filters, Marks
from ..query_values import date_range
from .lexemes import OVERLAP, pair, quote
from .vocab import Vocabulary

TEXT_FIELDS = {"body", "title"}
MAX_NEAR = OVERLAP  # a near wider than a window's overlap may miss a pair across windows

DOCS = "SELECT doc_id FROM wbsearch.docs"
NONE = f"{DOCS} WHERE false"


@dataclass
class Plan:
    """What to mark in the text: exact terms, stems of plain words, and exact phrases."""

    exact: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    phrases: list[list[str]] = field(default_factory=list)

    def marks(self) -> Marks:
        return Marks(frozenset(self.exact), frozenset(self.stems),
                     tuple(tuple(ph) for ph in self.phrases))


@dataclass(frozen=True)
class Ts:
    """A ``tsquery`` over one text field: not yet a set, so alternatives can merge.

    ``query`` is over the title or the body's windows (with positions; what ranks);
    ``words``, when not None, is over the counting row instead of ``query`` (a phrase's
    pairs, its words); ``exact``: the counting row alone decides (else the windows of the
    documents it lets through are checked with ``query``)."""

    fname: str
    query: str
    words: str | None = None
    exact: bool = True

    @property
    def counted(self) -> str:
        return self.query if self.words is None else self.words


class Sql:
    """A set of document ids, as SQL."""

    def __init__(self, sql: str) -> None:
        self.sql = sql


Q = Ts | Sql


class Compiler:
    def __init__(self, session: Session, vocab: Vocabulary,
                 aliases: Mapping[str, Sequence[str]], *, fmt: int = 1) -> None:
        self.fmt = fmt  # what the rows hold (lexemes.FORMAT)
        self.pairs = fmt == 2  # the windows hold every pair of neighbouring words
        self.counting = fmt >= 3  # a row of lexemes per document, pairs too
        self.vocab = vocab
        self.session = session
        self.aliases = aliases
        self.plan = Plan()
        self.params: dict[str, Any] = {}
        self.rank: list[str] = []  # positive body tsqueries: what the score ranks by
        self.root: Q | None = None

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def compile(self, node: p.Node) -> str:
        q = self.node(node, "body", True)
        self.root = q
        return NONE if q is None else self.sql(q)

    def body_only(self) -> str | None:
        """The ``tsquery`` when the whole query is one over the body (a word, a phrase, an
        expansion, alternatives of them) and the index has no counting row: its windows are
        counted per document then."""
        q = self.root
        if self.counting:
            return None
        return q.query if isinstance(q, Ts) and q.fname == "body" else None

    def sql(self, q: Q) -> str:
        if isinstance(q, Sql):
            return q.sql
        if q.fname == "body" and self.counting:
            counted = (f"SELECT doc_id FROM wbsearch.words WHERE words @@ "
                       f"CAST({self.param(q.counted)} AS tsquery)")
            if q.exact:
                return counted
            # positions checked in the windows of the documents holding every pair (or
            # word) only, each document's until one holds the phrase (LIMIT 1: a frequent
            # phrase is in its first windows; all of them were tested)
            return (f"SELECT w.doc_id FROM wbsearch.words w, LATERAL (SELECT 1 FROM "
                    f"wbsearch.body b WHERE b.doc_id = w.doc_id AND b.body @@ "
                    f"CAST({self.param(q.query)} AS tsquery) LIMIT 1) x "
                    f"WHERE w.words @@ CAST({self.param(q.counted)} AS tsquery)")
        if q.fname == "body":
            # a document matches in several windows: it is one match
            return (f"SELECT DISTINCT doc_id FROM wbsearch.body WHERE body @@ "
                    f"CAST({self.param(q.query)} AS tsquery)")
        return f"{DOCS} WHERE title @@ CAST({self.param(q.query)} AS tsquery)"

    def ts(self, fname: str, query: str, positive: bool, words: str | None = None,
           exact: bool = True) -> Ts:
        if positive and fname == "body":
            self.rank.append(query)
        if fname != "body" or not self.counting:
            return Ts(fname, query)
        return Ts(fname, query, words, exact)

    # --- tree ---------------------------------------------------------------------------------

    def both(self, parts: list[Q]) -> Q:
        if len(parts) == 1:
            return parts[0]
        return Sql(" INTERSECT ".join(f"({self.sql(x)})" for x in parts))

    def either(self, parts: list[Q]) -> Q:
        if len(parts) == 1:
            return parts[0]
        merged: dict[str, list[Ts]] = {}
        rest: list[Q] = []
        for x in parts:
            if isinstance(x, Ts):
                merged.setdefault(x.fname, []).append(x)
            else:
                rest.append(x)
        out: list[Q] = [_merged(f, ts) for f, ts in merged.items()]
        out += rest
        if len(out) == 1:
            return out[0]
        return Sql(" UNION ".join(f"({self.sql(x)})" for x in out))

    def but_not(self, base: Q | None, neg: Q) -> Sql:
        left = DOCS if base is None else self.sql(base)
        return Sql(f"({left}) EXCEPT ({self.sql(neg)})")

    def node(self, node: p.Node, fname: str, positive: bool) -> Q | None:
        if isinstance(node, p.And):
            pos = [q for c in node.children if not isinstance(c, p.Not)
                   if (q := self.node(c, fname, positive)) is not None]
            neg = [q for c in node.children if isinstance(c, p.Not)
                   if (q := self.node(c.child, fname, not positive)) is not None]
            if not pos and not neg:
                return None
            base = self.both(pos) if pos else None
            if not neg:
                assert base is not None
                return base
            return self.but_not(base, self.either(neg))
        if isinstance(node, p.Or):
            parts = [q for c in node.children if (q := self.node(c, fname, positive)) is not None]
            return self.either(parts) if parts else None
        if isinstance(node, p.Not):
            inner = self.node(node.child, fname, not positive)
            return None if inner is None else self.but_not(None, inner)
        if isinstance(node, p.Field):
            return self.field(node, positive)
        if isinstance(node, p.Range):
            raise UserError("A [from TO to] range needs a field", "write date:[2022-01 TO 2022-06]")
        return self.value(node, fname, positive)

    def field(self, node: p.Field, positive: bool) -> Q | None:
        name = node.name
        if name in TEXT_FIELDS:
            return self.node(node.child, name, positive)
        if name == "date":
            lo, hi = date_range(node.child)
            return Sql(f"{DOCS} WHERE date BETWEEN {self.param(lo)} AND {self.param(hi)}")
        return self.keyword(name, node.child)

    # --- values in text fields -------------------------------------------------------------

    def value(self, node: p.Node, fname: str, positive: bool) -> Q | None:
        plan = self.plan if positive and fname == "body" else Plan()
        if isinstance(node, p.Wild):
            return self.wild(node.pattern, fname, plan, positive)
        if isinstance(node, p.Phrase):
            if node.slop is None and fname in TEXT_FIELDS:
                alt = self.alias(node.text, fname, plan, positive)
                if alt is not None:
                    return alt
            return self.phrase(terms(node.text), fname, node.slop, plan, positive)
        assert isinstance(node, p.Word)
        if node.fuzzy is not None:
            return self.fuzzy(node.text, node.fuzzy, fname, plan, positive)
        alt = self.alias(node.text, fname, plan, positive) if fname in TEXT_FIELDS else None
        return alt if alt is not None else self.word(terms(node.text), fname, plan, positive)

    def alias(self, text: str, fname: str, plan: Plan, positive: bool) -> Q | None:
        group = self.aliases.get(" ".join(terms(text)))
        if not group:
            return None
        parts = [q for t in group if (q := self.word(terms(t), fname, plan, positive))
                 is not None]
        return self.either(parts) if parts else None

    def word(self, ts: list[str], fname: str, plan: Plan, positive: bool) -> Q | None:
        if not ts:
            return None
        if len(ts) > 1:  # "covid-19", a CJK run: the pieces, next to each other
            return self.phrase(ts, fname, None, plan, positive)
        t = ts[0]
        if len(t) == 1 and is_cjk(t):  # one Han character: every bigram starting with it
            plan.exact.update(self.vocab.prefix(self.session, fname, t) | {t})
            return self.ts(fname, f"{quote(t)}:*", positive)
        s = stem(t)
        plan.stems.add(s)
        if s == t and not (t.isascii() and t.isalpha() and len(t) >= 4):
            return self.ts(fname, quote(t), positive)
        return self.ts(fname, f"{quote(s)} | {quote(STEM_MARK + s)}", positive)

    def phrase(self, ts: list[str], fname: str, slop: int | None, plan: Plan,
               positive: bool) -> Q | None:
        if not ts:
            return None
        if len(ts) == 1:
            plan.exact.add(ts[0])
            return self.ts(fname, quote(ts[0]), positive)
        every = " & ".join(quote(t) for t in ts)  # what the counting row must hold at least
        if slop is None:
            plan.phrases.append(ts)
            words = " <-> ".join(quote(t) for t in ts)
            if self.counting and fname == "body":
                grams = [pair(a, b) for a, b in pairwise(ts)]
                if None in grams:  # a pair too long to be a lexeme: the words, then checked
                    return self.ts(fname, words, positive, every, exact=False)
                # two words: their pair decides; more: the documents holding all the pairs,
                # then checked for the words in a row
                return self.ts(fname, words, positive, " & ".join(quote(g) for g in grams
                                                                  if g), exact=len(ts) == 2)
            grams = [pair(a, b) for a, b in pairwise(ts)] if self.pairs else [None]
            if None in grams:  # an index without pairs, or a pair too long to be a lexeme
                return self.ts(fname, words, positive)
            # "a b c" is the pair "a b" followed by the pair "b c": the GIN index gives the
            # windows holding both pairs, not every window holding the three words
            return self.ts(fname, " <-> ".join(quote(g) for g in grams if g), positive)
        plan.exact.update(ts)
        n = min(max(1, slop), MAX_NEAR)
        # Each neighbouring pair within n words, in either order (two words: exactly "near").
        pairs = []
        for a, b in pairwise(ts):
            qa, qb = quote(a), quote(b)
            pairs.append("( " + " | ".join(f"{x} <{k}> {y}" for k in range(1, n + 1)
                                           for x, y in ((qa, qb), (qb, qa))) + " )")
        return self.ts(fname, " & ".join(pairs), positive, every, exact=False)

    def expansion(self, fname: str, found: set[str], positive: bool) -> Q:
        if not found:
            return Sql(NONE)
        return self.ts(fname, " | ".join(quote(t) for t in sorted(found)), positive)

    def fuzzy(self, text: str, dist: int, fname: str, plan: Plan, positive: bool) -> Q | None:
        ts = terms(text)
        if len(ts) != 1:
            return self.word(ts, fname, plan, positive)
        t = ts[0]
        if dist < 0:
            dist = 0 if len(t) <= 2 else 1 if len(t) <= 5 else 2
        found = {t} | self.vocab.near(self.session, fname, t, min(dist, 2))
        plan.exact.update(found)
        return self.expansion(fname, found, positive)

    def wild(self, pattern: str, fname: str, plan: Plan, positive: bool) -> Q | None:
        literal = wild_pieces(pattern, lambda s: "".join(terms(s)))
        if pattern.endswith("*") and pattern.count("*") == 1 and "?" not in pattern:
            prefix = literal[0]
            # every term with the prefix matches; the most frequent are marked
            plan.exact.update(self.vocab.prefix(self.session, fname, prefix))
            return self.ts(fname, f"{quote(prefix)}:*", positive)
        found = self.vocab.like(self.session, fname, like_pattern(literal))
        plan.exact.update(found)
        return self.expansion(fname, found, positive)

    # --- tag, collection, kind, lang, source ------------------------------------------------

    def keyword(self, name: str, node: p.Node) -> Q | None:
        if isinstance(node, (p.And, p.Or)):
            parts = [q for c in node.children if (q := self.keyword(name, c)) is not None]
            if not parts:
                return None
            return self.both(parts) if isinstance(node, p.And) else self.either(parts)
        if isinstance(node, p.Not):
            inner = self.keyword(name, node.child)
            return None if inner is None else self.but_not(None, inner)
        if isinstance(node, p.Range):
            raise UserError(f"{name}: takes a value, not a range")
        raw = node.pattern if isinstance(node, p.Wild) else getattr(node, "text", "")
        norm = keyword if name in ("tag", "collection") else fold
        column = {"tag": "tags", "collection": "collections", "source": "sources",
                  "kind": "kind", "lang": "lang"}[name]
        scalar = column in ("kind", "lang")
        if isinstance(node, p.Wild):
            like = self.param(like_pattern(wild_pieces(raw, norm)))
            if scalar:
                return Sql(f"{DOCS} WHERE {column} LIKE {like}")
            return Sql(f"{DOCS} WHERE EXISTS (SELECT 1 FROM unnest({column}) k "
                       f"WHERE k LIKE {like})")
        value = norm(raw)
        if not value:
            return None
        values = [value]
        if name == "source" and "." in raw and " " not in raw.strip():
            values = sorted({raw.strip().lower(), value})
        if scalar:
            return Sql(f"{DOCS} WHERE {column} = {self.param(value)}")
        return Sql(f"{DOCS} WHERE {column} && CAST({self.param(values)} AS text[])")


def _merged(fname: str, ts: list[Ts]) -> Ts:
    """Alternatives of one field as one ``tsquery``: a document matches one of them in a
    window iff it matches their union there; the counting row lets through the union of
    what it lets through, and decides alone when it decides for each."""
    if len(ts) == 1:
        return ts[0]
    query = " | ".join(f"( {x.query} )" for x in ts)
    if all(x.words is None for x in ts):
        return Ts(fname, query, None, all(x.exact for x in ts))
    return Ts(fname, query, " | ".join(f"( {x.counted} )" for x in ts),
              all(x.exact for x in ts))


def filter_sql(filters: Filters, c: Compiler) -> str | None:
    """The set of documents ``filters`` allows (None: no filter)."""
    if filters.empty:
        return None
    where: list[str] = []
    for column, values in (("collections", filters.collections), ("tags", filters.tags)):
        if values:
            keys = [keyword(v) for v in values]
            where.append(f"{column} && CAST({c.param(keys)} AS text[])")
    for column, values in (("kind", filters.kinds), ("lang", filters.languages)):
        if values:
            where.append(f"{column} = ANY(CAST({c.param([fold(v) for v in values])} "
                         "AS text[]))")
    if filters.years:
        where.append(f"year = ANY(CAST({c.param(list(filters.years))} AS integer[]))")
    return f"{DOCS} WHERE " + " AND ".join(where)


def wild_pieces(pattern: str, norm: Any) -> list[str]:
    """The pattern's literal runs (normalised) and its ``*`` and ``?``; refuses a pattern
    that would match almost everything, as the Whoosh backend does."""
    pieces = re.split(r"([*?])", pattern)
    literal = [norm(x) if x not in "*?" else x for x in pieces]
    if sum(len(x) for x in literal if x not in ("*", "?")) < (1 if is_cjk(pattern) else 2):
        raise UserError(f"“{pattern}” would match almost everything",
                        "type at least two letters with * or ?")
    return [x for x in literal if x != ""]


def like_pattern(literal: list[str]) -> str:
    """A LIKE pattern: ``*`` any run, ``?`` one character, everything else literally."""
    out = []
    for x in literal:
        if x == "*":
            out.append("%")
        elif x == "?":
            out.append("_")
        else:
            out.append(x.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"))
    return "".join(out)


