"""The query language, parsed into a small tree (no Whoosh here): our own parser, not Whoosh's.

Why our own: Whoosh's parser takes quadratic time on one long token, lets a lone ``*`` match
everything, drops one-letter words, and raises on odd input. This one is linear, bounded, and
on a syntax error the caller falls back to plain words and says so.

Grammar (Lucene/Datashare style)::

    query   := or
    or      := and (("OR" | "||") and)*
    and     := unary (("AND" | "&&")? unary)*          words are ANDed by default
    unary   := ("NOT" | "-") unary | "+"? primary
    primary := "(" or ")" | FIELD ":" (value | "(" or ")") | value
    value   := '"' phrase '"' ("~" N)? | WORD ("~" N?)? | "[" lo "TO" hi "]"
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import UserError
from .analysis import clean

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64
FIELDS = {"title", "tag", "collection", "kind", "lang", "language", "source", "site", "host",
          "date", "text", "body"}
FIELD_ALIASES = {"language": "lang", "site": "source", "host": "source", "text": "body"}


class QuerySyntaxError(Exception):
    """Internal: the parser gives up; the caller falls back to plain words."""


@dataclass
class Node:
    pass


@dataclass
class Word(Node):
    text: str
    fuzzy: int | None = None  # edit distance; -1 means automatic


@dataclass
class Wild(Node):
    pattern: str  # with * and ?


@dataclass
class Phrase(Node):
    text: str
    slop: int | None = None  # None: exact phrase; N: within N words, any order


@dataclass
class Range(Node):
    lo: str
    hi: str


@dataclass
class Field(Node):
    name: str
    child: Node


@dataclass
class Not(Node):
    child: Node


@dataclass
class And(Node):
    children: list[Node] = field(default_factory=list)


@dataclass
class Or(Node):
    children: list[Node] = field(default_factory=list)


# A sign before a field, a phrase or a group; before a word it stays the word's (``-x``).
_SIGNED = "|".join(sorted(FIELDS))
_LEX = re.compile(r"""
    (?P<ws>\s+)
  | (?P<lp>\()
  | (?P<rp>\))
  | (?P<phrase>"(?P<ptext>[^"]*)"(?:~(?P<pslop>\d{1,3}))?)
  | (?P<quote>")
  | (?P<range>\[(?P<rlo>[^\]\s]*)\s+TO\s+(?P<rhi>[^\]\s]*)\])
  | (?P<field>(?P<fname>[A-Za-z]+):(?=\S))
  | (?P<sign>(?<![^\s(])[-+](?=(?i:SIGNED):\S|"|\())
  | (?P<word>[^\s()"]+)
""".replace("SIGNED", _SIGNED), re.VERBOSE)


def prepare(raw: str) -> str:
    """Length cap, NFKC, no bidi or control characters: the same cleaning as documents get."""
    if len(raw) > MAX_QUERY_CHARS:
        raise UserError(f"The query is too long ({len(raw):,} characters)",
                        f"keep it under {MAX_QUERY_CHARS:,} characters")
    text = clean(raw)
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text).strip()


def lex(text: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for m in _LEX.finditer(text):
        kind = m.lastgroup
        if kind == "ws":
            continue
        if kind == "quote":
            raise QuerySyntaxError("a quotation mark is not closed")
        if kind == "phrase":
            slop = m.group("pslop")
            out.append(("phrase", Phrase(m.group("ptext"), int(slop) if slop else None)))
        elif kind == "range":
            out.append(("range", Range(m.group("rlo"), m.group("rhi"))))
        elif kind == "field":
            name = m.group("fname").lower()
            if name in FIELDS:
                out.append(("field", FIELD_ALIASES.get(name, name)))
            else:  # "foo:bar" that is no field: just words
                out.append(("word", m.group()))
        elif kind in ("lp", "rp"):
            out.append((kind, None))
        elif kind == "sign":  # before a field, a phrase or a group (a word keeps its own)
            out.append(("sign", m.group()))
        else:
            out.append(("word", m.group()))
    return out


class Parser:
    def __init__(self, toks: list[tuple[str, object]]) -> None:
        self.toks = toks
        self.i = 0
        self.clauses = 0

    def peek(self) -> tuple[str, object] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def is_op(self, *names: str) -> bool:
        t = self.peek()
        return t is not None and t[0] == "word" and t[1] in names

    def parse(self) -> Node:
        if not self.toks:
            raise UserError("Nothing to search for", "type a word or a phrase")
        node = self.parse_or()
        if self.peek() is not None:
            raise QuerySyntaxError("a closing parenthesis has no opening one")
        return node

    def parse_or(self) -> Node:
        parts = [self.parse_and()]
        while self.is_op("OR", "||"):
            self.i += 1
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else Or(parts)

    def parse_and(self) -> Node:
        parts = [self.parse_unary()]
        while True:
            t = self.peek()
            if t is None or t[0] == "rp" or self.is_op("OR", "||"):
                break
            if self.is_op("AND", "&&"):
                self.i += 1
            parts.append(self.parse_unary())
        return parts[0] if len(parts) == 1 else And(parts)

    def parse_unary(self) -> Node:
        t = self.peek()
        if t is None:
            raise QuerySyntaxError("an operator has nothing after it")
        if self.is_op("NOT", "!"):
            self.i += 1
            return Not(self.parse_unary())
        if t[0] == "sign":
            self.i += 1
            if self.peek() is None:
                raise QuerySyntaxError("a sign has nothing after it")
            inner = self.parse_unary()
            return Not(inner) if t[1] == "-" else inner
        if t[0] == "word" and isinstance(t[1], str) and t[1][:1] in "-+" and len(t[1]) > 1:
            self.i += 1
            sign, rest = t[1][0], t[1][1:]
            self.toks.insert(self.i, ("word", rest))
            inner = self.parse_unary()
            return Not(inner) if sign == "-" else inner
        return self.parse_primary()

    def parse_primary(self) -> Node:
        kind, value = self.toks[self.i]
        self.i += 1
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise UserError(f"The query has more than {MAX_CLAUSES} parts",
                            "split it into several searches")
        if kind == "lp":
            node = self.parse_or()
            end = self.peek()
            if end is None or end[0] != "rp":
                raise QuerySyntaxError("a parenthesis is not closed")
            self.i += 1
            return node
        if kind == "rp":
            raise QuerySyntaxError("a closing parenthesis has no opening one")
        if kind == "field":
            nxt = self.peek()
            if nxt is None or nxt[0] == "rp":
                raise QuerySyntaxError(f"{value}: has no value")
            if nxt[0] == "lp":
                return Field(str(value), self.parse_primary())
            return Field(str(value), self.parse_value())
        self.i -= 1
        return self.parse_value()

    def parse_value(self) -> Node:
        kind, value = self.toks[self.i]
        self.i += 1
        if kind in ("phrase", "range"):
            return value  # type: ignore[return-value]
        if kind != "word":
            raise QuerySyntaxError("a value is missing")
        text = str(value)
        if text in ("AND", "OR", "NOT", "&&", "||", "!"):
            raise QuerySyntaxError(f"{text} needs a word on each side")
        m = re.fullmatch(r"(.+?)~(\d?)", text)
        if m and not any(c in m.group(1) for c in "*?"):
            return Word(m.group(1), int(m.group(2)) if m.group(2) else -1)
        if "*" in text or "?" in text:
            return Wild(text)
        return Word(text)


def parse(raw: str) -> tuple[Node, str | None]:
    """The query tree and, when the syntax was broken, the note that it was read as words."""
    text = prepare(raw)
    try:
        return Parser(lex(text)).parse(), None
    except QuerySyntaxError as exc:
        words = re.sub(r'[()"\[\]]|\b(?:AND|OR|NOT)\b|&&|\|\||(?<!\S)[-+!~]', " ", text).split()
        words = [w.rstrip("~:") for w in words if w.strip("*?~:")]
        if not words:
            raise UserError(f"The query cannot be read: {exc}", "type a word or a phrase") \
                from exc
        if len(words) > MAX_CLAUSES:
            raise UserError(f"The query has more than {MAX_CLAUSES} words",
                            "split it into several searches") from exc
        return And([Word(w.replace(":", " ")) if not any(c in w for c in "*?")
                    else Wild(w) for w in words]), f"Read as plain words: {exc}."
