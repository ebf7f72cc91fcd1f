"""Which folders hold sealed files, and their key: the index code finds its key here.

An encrypted library registers its index folder's file key when it opens and removes it when
it closes; ``key_for`` answers for any path under a registered folder (None: a plain
library's). The index rebuild's worker processes are handed the key when they start and
register it themselves. Keys stay in this process's memory only.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_keys: dict[str, bytes] = {}
_users: dict[str, int] = {}  # the same library may be open twice (a reader beside the GUI)
_lock = threading.Lock()


def register(folder: Path | str, file_key: bytes) -> None:
    """Files under ``folder`` are sealed with ``file_key`` until as many ``unregister``."""
    p = os.path.abspath(folder)
    with _lock:
        _keys[p] = file_key
        _users[p] = _users.get(p, 0) + 1


def unregister(folder: Path | str) -> None:
    p = os.path.abspath(folder)
    with _lock:
        _users[p] = _users.get(p, 1) - 1
        if _users[p] <= 0:
            _users.pop(p, None)
            _keys.pop(p, None)


def key_for(path: str | os.PathLike[str]) -> bytes | None:
    """The key of the registered folder ``path`` lies in, or None (a plain library's)."""
    p = os.path.abspath(path)
    with _lock:
        if not _keys:
            return None
        while True:
            if p in _keys:
                return _keys[p]
            parent = os.path.dirname(p)
            if parent == p:
                return None
            p = parent


def any_open() -> bool:
    """Whether an encrypted library is open in this process (logs must then hold nothing
    about it: no tracebacks are written to disk)."""
    with _lock:
        return bool(_keys)
