"""Facet counts over every match (private): kind, language, year, collection, tag.

Each segment's ``meta`` column is decoded once into five lists indexed by document number
(values shared, so a column of 100,000 documents costs a few MB), and a searcher's lists are
those of its segments joined. Counting is then ``Counter(map(list.__getitem__, matches))``,
which runs in C: ~10 ms for 90,000 matches, where a Python loop over decoded values took
~130 ms.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain
from typing import Any

from .schema import decode_meta

FACET_VALUES = 30
Table = tuple[list[str], list[str], list[str], list[tuple[str, ...]], list[tuple[str, ...]]]


def leaf_table(col: Any) -> Table:
    """The five facet lists of one segment, from its ``meta`` column reader."""
    kinds: list[str] = []
    langs: list[str] = []
    years: list[str] = []
    cols: list[tuple[str, ...]] = []
    tags: list[tuple[str, ...]] = []
    shared: dict[Any, Any] = {}
    for raw in col:
        kind, lang, year, c, t = decode_meta(raw)
        kinds.append(shared.setdefault(kind or "unknown", kind or "unknown"))
        langs.append(shared.setdefault(lang, lang))
        years.append(shared.setdefault(year, year))
        cols.append(shared.setdefault(tuple(c), tuple(c)))
        tags.append(shared.setdefault(tuple(t), tuple(t)))
    return kinds, langs, years, cols, tags


def join(tables: list[Table]) -> Table:
    if len(tables) == 1:
        return tables[0]
    return (list(chain.from_iterable(t[0] for t in tables)),
            list(chain.from_iterable(t[1] for t in tables)),
            list(chain.from_iterable(t[2] for t in tables)),
            list(chain.from_iterable(t[3] for t in tables)),
            list(chain.from_iterable(t[4] for t in tables)))


def count(table: Table, docnums: Any) -> dict[str, list[tuple[str, int]]]:
    """The most frequent values of each facet among ``docnums``; ties ordered by value."""
    kinds, langs, years, cols, tags = table
    docs = list(docnums)
    counters: dict[str, Counter[str]] = {
        "collection": Counter(chain.from_iterable(map(cols.__getitem__, docs))),
        "tag": Counter(chain.from_iterable(map(tags.__getitem__, docs))),
        "kind": Counter(map(kinds.__getitem__, docs)),
        "year": Counter(map(years.__getitem__, docs)),
        "language": Counter(map(langs.__getitem__, docs)),
    }
    counters["year"].pop("", None)
    counters["language"].pop("", None)
    return {k: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_VALUES]
            for k, c in counters.items()}
