"""One C heap for all of a process's threads (glibc's malloc arenas), set when a library opens.

glibc gives each thread that allocates while another holds the heap's lock an arena of its
own, up to eight per core, and memory freed in one arena serves only that arena. A library's
process runs several such threads (the index writer, the import's extraction readers and
persist pool, the window's worker), and each kept its own freed space: an import of 100 PDFs
peaked 5–6 MB lower with a single arena (102.6–104.7 → 97.7–98.4 MB, and the whole import's
tree 123–125 → 118–119 MB by PSS, issue 16's ≤ 120 MB), at no cost in throughput measured
(the threads' allocations are mostly made holding the GIL). Linux (glibc) only; a
``MALLOC_ARENA_MAX`` the user set is left as it is.
"""

from __future__ import annotations

import os
import sys

M_ARENA_MAX = -8  # glibc's malloc.h
ARENAS = 1
_done = False


def limit_arenas() -> bool:
    """Ask glibc for ``ARENAS`` arenas at most (once per process); whether it did."""
    global _done
    if _done or not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return False
    _done = True
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError):  # not glibc (musl has no arenas to limit)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, ARENAS))
