"""A small index's sidecar read in plain Python (private): no numpy to import.

A segment the bulk writer wrote (every rebuild: on open, a repair, an upgrade) keeps its
positions in its sidecar only (``sidecar.py``), and ``sidecar.FieldPostings`` reads them as
numpy arrays: ~80 ms of CPU to import numpy, close to half of what ``workbench search`` of a
small library may take (target 0.2 s, docs/PERFORMANCE.md, "Fixed cost of a command"). For an
index of at most ``plain_eval.SMALL_DOCS`` documents, ``PlainFieldPostings`` reads the same
sections into ``array.array``s: the same file, the same numbers, so the same ids, term
frequencies and positions (``tests/core/test_sidecar_plain.py`` compares both readers term by
term). The numpy reader stays the large index's.
"""

from __future__ import annotations

import sys
from array import array
from itertools import accumulate, pairwise
from typing import Any

from .sidecar import TermDictionary, _Section

# numpy's element types as written in a sidecar's header -> array's type codes
_CODES = {"u1": "B", "u2": "H", "u4": "I", "u8": "Q", "i8": "q", "f4": "f", "f8": "d"}


def _code(dtype: str) -> str:
    code = _CODES.get(dtype[1:])
    if code is None or array(code).itemsize != int(dtype[2:]):
        raise ValueError(f"unsupported section type {dtype!r}")
    return code


class PlainFieldPostings(TermDictionary):
    """``sidecar.FieldPostings`` without numpy: the same look-ups, answering lists."""

    def __init__(self, fd: Any, sections: dict[str, _Section]) -> None:
        self._fd = fd  # a _PlainFile or a sealed reader
        self._sec = sections
        self._blob_bytes = self._read("terms", 0, sections["terms"].size).tobytes()
        self._toff = self._read("toff", 0, sections["toff"].size)
        self.nterms = sections["toff"].size - 1
        self.has_phrase_positions = "positions" in sections

    def _read(self, name: str, start: int, count: int) -> array[Any]:
        """Elements [start, start + count) of one section."""
        sec = self._sec[name]
        size = sec.itemsize
        raw = self._fd.pread(count * size, sec.offset + start * size)
        if len(raw) != count * size:
            raise OSError("search sidecar is shorter than its header says")
        out = array(_code(sec.dtype))
        out.frombytes(raw)
        big = sec.dtype[0] == ">" or (sec.dtype[0] == "=" and sys.byteorder == "big")
        if size > 1 and big != (sys.byteorder == "big"):
            out.byteswap()
        return out

    def doc_frequencies(self, lo: int, hi: int) -> list[int]:
        if lo >= hi:
            return []
        starts = self._read("pstart", lo, hi - lo + 1)
        return [b - a for a, b in pairwise(starts)]

    def doc_frequency_of(self, terms: list[bytes]) -> list[int]:
        """How many documents hold each of ``terms`` (0 for a term not in the field)."""
        out = []
        for t in terms:
            i = self.find(t)
            if i < 0:
                out.append(0)
            else:
                a, b = self._read("pstart", i, 2)
                out.append(int(b - a))
        return out

    def postings(self, i: int) -> tuple[list[int], list[float]]:
        """Term ``i``'s document numbers and weights (term frequencies)."""
        a, b = self._read("pstart", i, 2)
        return (self._read("ids", a, b - a).tolist(),
                [float(w) for w in self._read("weights", a, b - a)])

    def has_positions(self, i: int) -> bool:
        """Whether term ``i``'s positions are kept (not for stems, nor in non-phrase fields)."""
        if not self.has_phrase_positions:
            return False
        q0, q1 = self._read("qstart", i, 2)
        return bool(q1 > q0)

    def positions_in(self, i: int, docs: list[int]) -> dict[int, list[int]]:
        """The positions of term ``i`` in each of ``docs`` (sorted segment document numbers)
        that holds it; a term without positions kept (a stem) answers {}."""
        if not self.has_positions(i):
            return {}
        a, b = self._read("pstart", i, 2)
        q0, q1 = self._read("qstart", i, 2)
        ids = self._read("ids", a, b - a)
        counts = [int(w) for w in self._read("weights", a, b - a)]
        block = self._read("positions", q0, q1 - q0)
        ends = list(accumulate(counts))
        at = {d: j for j, d in enumerate(ids)}
        out: dict[int, list[int]] = {}
        for d in docs:
            j = at.get(d)
            if j is not None:
                out[d] = block[ends[j] - counts[j]:ends[j]].tolist()
        return out
