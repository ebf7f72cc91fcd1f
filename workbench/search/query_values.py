"""Values every search backend reads a parsed query's leaves by: date keys and edit distance.

A date field is kept as a ``YYYYMMDD`` key by every backend, so ``date:2022-08`` and
``date:[2021 TO 2022-06]`` mean the same days whichever engine answers; a fuzzy word matches
the same vocabulary terms because both backends ask the same ``within``.
"""

from __future__ import annotations

import re

from ..errors import UserError
from . import parse as p

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def date_bound(text: str, high: bool) -> str:
    """A date bound as a YYYYMMDD key: the first (``high`` False) or last day it covers."""
    if text in ("*", ""):
        return "99991299" if high else "00000000"
    m = _DATE.match(text)
    if not m:
        raise UserError(f"“{text}” is not a date", "write 2022, 2022-08 or 2022-08-31")
    y = m.group(1)
    mo = int(m.group(2)) if m.group(2) else (12 if high else 0)
    d = int(m.group(3)) if m.group(3) else (99 if high else 0)
    if mo > 12 or (m.group(3) and not 1 <= d <= 31) or (m.group(2) and mo == 0):
        raise UserError(f"“{text}” is not a date", "write 2022, 2022-08 or 2022-08-31")
    return f"{y}{mo:02d}{d:02d}"


def date_range(node: p.Node) -> tuple[str, str]:
    """``(lo, hi)`` as YYYYMMDD keys for a date value or a ``[from TO to]`` range."""
    if isinstance(node, p.Range):
        return date_bound(node.lo, False), date_bound(node.hi, True)
    if isinstance(node, (p.Word, p.Phrase)):
        return date_bound(node.text.strip(), False), date_bound(node.text.strip(), True)
    raise UserError("date: takes a year, a month, a day or a [from TO to] range")


def within(a: str, b: str, k: int) -> bool:
    """Whether ``a`` and ``b`` are at most ``k`` edits apart (insert, delete, substitute, swap
    two neighbours), stopping as soon as every path exceeds ``k``. Whoosh's ``terms_within``
    computed the full matrix for each candidate: 60 % of a fuzzy query's time."""
    if a == b:
        return True
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        ai = a[i - 1]
        for j in range(1, len(b) + 1):
            cost = 0 if ai == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
        if min(cur) > k:
            return False
        prev2, prev = prev, cur
    return prev[-1] <= k
