"""Encryption at rest of a whole library, under one passphrase.

The public API (the desktop app and the command line call exactly these)::

    Library.create(path, passphrase="…")            # a new encrypted library
    Library.open(path, passphrase="…")              # PassphraseRequired / WrongPassphrase
    Workbench.open(path, passphrase="…")
    workbench.crypto.is_encrypted(path) -> bool     # ask for a passphrase before opening?
    workbench.crypto.change_passphrase(path, old, new)

What is encrypted, and how:

- the database, its WAL and its backups: SQLCipher (AES-256, per page), keyed with a raw key
  derived from the data key (``store.py``);
- originals, search-index files and sidecars: the sealed-file format (``sealed.py``,
  AES-256-GCM in 64 KiB chunks, random access); originals are stored under a keyed name
  (an HMAC of their SHA-256), so their names do not tell which known file the library holds;
- temporary files: a private folder in memory (``scratch.py``), deleted on close.

The data key is random and lives in ``keys.json`` wrapped by a key derived from the
passphrase with Argon2id (``keys.py``). The marker ``workbench-library.json`` says
``"encrypted": true``. Not encrypted: the marker, the key file (wrapped), the audit head
(sequence number and hash only), the lock file, and the number and sizes of the files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LibraryError, PassphraseRequired, WrongPassphrase

if TYPE_CHECKING:
    from .keys import LibraryKey, unlock

MARKER = "workbench-library.json"
# keys.py's file name, here too: asking whether a library is encrypted must not load the
# cryptography package (every command asks; only an encrypted library needs it).
KEY_FILE = "keys.json"
# The shortest passphrase accepted; here, not in keys.py, so that the window's passphrase dialog
# can say it without importing cryptography (issue 16: idle memory).
MIN_PASSPHRASE = 8


def __getattr__(name: str) -> Any:  # LibraryKey, unlock: loaded when first asked for
    if name in ("LibraryKey", "unlock"):
        from . import keys

        return getattr(keys, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["KEY_FILE", "LibraryKey", "PassphraseRequired", "WrongPassphrase",
           "change_passphrase", "is_encrypted", "unlock"]


def is_encrypted(path: str | Path) -> bool:
    """Whether the library at ``path`` is encrypted (so a passphrase must be asked for).
    False for a folder that holds no library."""
    folder = Path(path)
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return (folder / KEY_FILE).is_file()
    return bool(isinstance(marker, dict) and marker.get("encrypted")) or (
        folder / KEY_FILE).is_file()


def change_passphrase(path: str | Path, old: str, new: str) -> None:
    """Replace the passphrase of the encrypted library at ``path``.

    Only the key file is rewritten (the data key is wrapped again), never the database or an
    original; the library may be open meanwhile. ``WrongPassphrase`` when ``old`` is wrong.
    """
    folder = Path(path).absolute()
    if not is_encrypted(folder):
        raise LibraryError(f"The library at {folder} is not encrypted",
                           "only an encrypted library has a passphrase to change")
    from . import keys

    keys.rewrap(folder, old, new)
