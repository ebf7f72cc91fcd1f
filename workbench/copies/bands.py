"""The library's signatures in LSH buckets, so a new document meets only its likely copies.

Each signature is cut into ``BANDS`` bands of ``ROWS`` values; two documents are candidates
when any band is equal. With 42 bands of 3 rows, a pair is a candidate with probability
0.996 at Jaccard 0.5, 0.93 at 0.4, 0.68 at 0.3, and 0.00004 at 0.01 (unrelated texts), so a
100k library yields a handful of false candidates per query, each checked against its stored
signature.

Why not ``datasketch.MinHashLSH``: we use its method (banding) but not its store. Filling it
from 100k stored signatures took 14 s here (3.7 million Python set inserts);
this keeps every band's keys in one sorted numpy array of 32-bit keys and their document ids
(8 bytes a document a band: 34 MB at 100k), built in about a second and searched with two
``searchsorted`` calls a document, so a process that imports a few files into a
large library does not pay for re-reading every signature into Python objects. New
signatures go to a small dict and are merged in now and then. Entries are never removed:
candidates are checked against the database, where a deleted document has no signature and a
re-signed one its new values.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from .signature import NUM_PERM

if TYPE_CHECKING:
    import numpy as np

BANDS = 42
ROWS = 3
MERGE_AFTER = 20_000  # documents added since the last merge
_M1, _M2 = 0x9E3779B1, 0x85EBCA77  # odd multipliers (golden ratio, murmur3): mix the rows
_KEY_BITS = 26  # and 6 bits for the band's number (BANDS < 64)


def band_keys(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``(n, NUM_PERM)`` uint32 signatures -> ``(n, BANDS)`` uint32 keys: each band's rows
    mixed into 26 bits, with the band's number in the top 6, so all bands share one sorted
    array and one lookup (a spurious 26-bit match is one more candidate to check, about one
    in 16 queries at 100k documents)."""
    import numpy as np

    v = values[:, :BANDS * ROWS].reshape(-1, BANDS, ROWS)
    with np.errstate(over="ignore"):  # the wrap-around is intended (mod 2^32)
        mixed = (v[:, :, 0] * np.uint32(_M1)) ^ (v[:, :, 1] * np.uint32(_M2)) ^ v[:, :, 2]
    band = np.arange(BANDS, dtype=np.uint32) << np.uint32(_KEY_BITS)
    return (mixed >> np.uint32(32 - _KEY_BITS)) | band


class Bands:
    def __init__(self) -> None:
        import numpy as np

        self._keys: np.ndarray[Any, Any] = np.empty(0, np.uint32)  # sorted
        self._ids: np.ndarray[Any, Any] = np.empty(0, np.int32)
        self._recent: defaultdict[int, list[int]] = defaultdict(list)
        self._recent_count = 0
        self._lock = threading.Lock()

    @classmethod
    def build(cls, ids: list[int], values: np.ndarray[Any, Any]) -> Bands:
        import numpy as np

        bands = cls()
        if ids:
            keys = band_keys(values).ravel()
            id_arr = np.repeat(np.asarray(ids, dtype=np.int32), BANDS)
            order = np.argsort(keys, kind="stable")
            bands._keys, bands._ids = keys[order], id_arr[order]
        return bands

    def add(self, doc_id: int, values: np.ndarray[Any, Any]) -> None:
        assert values.shape == (NUM_PERM,)
        keys = band_keys(values.reshape(1, -1))[0]
        with self._lock:
            for k in keys.tolist():
                self._recent[k].append(doc_id)
            self._recent_count += 1
            if self._recent_count >= MERGE_AFTER:
                self._merge()

    def candidates(self, values: np.ndarray[Any, Any]) -> set[int]:
        """The documents sharing a band with ``values`` (the document itself included)."""
        import numpy as np

        keys = band_keys(values.reshape(1, -1))[0]
        found: set[int] = set()
        with self._lock:
            lo = np.searchsorted(self._keys, keys, "left")
            hi = np.searchsorted(self._keys, keys, "right")
            for a, b in zip(lo[hi > lo].tolist(), hi[hi > lo].tolist(), strict=True):
                found.update(self._ids[a:b].tolist())
            for k in keys.tolist():
                found.update(self._recent.get(k, ()))
        return found

    def _merge(self) -> None:
        import numpy as np

        keys = [k for k, ids in self._recent.items() for _ in ids]
        ids = [i for ids_ in self._recent.values() for i in ids_]
        all_keys = np.concatenate([self._keys, np.asarray(keys, np.uint32)])
        all_ids = np.concatenate([self._ids, np.asarray(ids, np.int32)])
        order = np.argsort(all_keys, kind="stable")
        self._keys, self._ids = all_keys[order], all_ids[order]
        self._recent.clear()
        self._recent_count = 0
