"""The library's key file (``keys.json``): one random data key, wrapped by the passphrase.

::

    {"format": 1,
     "kdf": {"name": "argon2id", "memory_kib": 65536, "iterations": 3, "lanes": 4,
             "salt": "<base64, 16 bytes>"},
     "wrap": {"cipher": "aes-256-gcm", "nonce": "<base64, 12 bytes>",
              "key": "<base64: the sealed data key and its tag>"},
     "key_id": "<hex: names the data key, not secret>"}

The passphrase (Unicode NFC, UTF-8) goes through Argon2id, a memory-hard function, with the
parameters stored here, to a key-encryption key; that key unwraps the 256-bit data key with
AES-256-GCM, whose tag is the check that the passphrase was right. Changing the passphrase
re-wraps the same data key (new salt, new nonce): nothing else in the library is rewritten.
So a copy of the old ``keys.json`` with the old passphrase still opens the library — and
every backup carries the key file that was current when it was taken.

The data key is never used directly: HKDF derives one key per use (the database's SQLCipher
key, the sealed files' key, the key that names stored originals), so no two uses share one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import unicodedata
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..atomic import write_json
from ..errors import LibraryError, PassphraseRequired, WrongPassphrase
from . import KEY_FILE, MIN_PASSPHRASE  # beside is_encrypted, which must not import this

FORMAT = 1
# Argon2id as RFC 9106's second recommendation (64 MiB, t=3, 4 lanes): ~0.15 s here.
KDF_PARAMS: dict[str, int] = {"memory_kib": 64 * 1024, "iterations": 3, "lanes": 4}
_WRAP_AAD = b"workbench data key v1"


class LibraryKey:
    """The unwrapped data key of one library and the keys derived from it.

    Held in memory while the library is open; ``repr`` never shows it.
    """

    def __init__(self, data_key: bytes) -> None:
        if len(data_key) != 32:
            raise ValueError("a data key is 32 bytes")
        self._data = data_key
        self.db_key = self._derive(b"workbench sqlcipher")
        self.file_key = self._derive(b"workbench sealed files")
        self.name_key = self._derive(b"workbench original names")

    def _derive(self, info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
            self._data)

    @property
    def db_key_hex(self) -> str:
        """The database key as SQLCipher's raw-key literal (``x'…'``: its own KDF skipped)."""
        return f"x'{self.db_key.hex()}'"

    @property
    def key_id(self) -> str:
        return hmac.new(self._data, b"workbench key id", hashlib.sha256).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"LibraryKey(id={self.key_id})"


def normalize(passphrase: str) -> bytes:
    """The bytes a passphrase stands for: the same on every keyboard and system (NFC)."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _kek(passphrase: str, kdf: dict[str, Any]) -> bytes:
    if kdf.get("name") != "argon2id":
        raise LibraryError(f"The key file uses an unknown key derivation ({kdf.get('name')})",
                           "update Workbench to open this library")
    return Argon2id(salt=base64.b64decode(kdf["salt"]), length=32,
                    iterations=int(kdf["iterations"]), lanes=int(kdf["lanes"]),
                    memory_cost=int(kdf["memory_kib"])).derive(normalize(passphrase))


def _wrap(data_key: bytes, passphrase: str) -> dict[str, Any]:
    kdf = {"name": "argon2id", **KDF_PARAMS, "salt": base64.b64encode(os.urandom(16)).decode()}
    nonce = os.urandom(12)
    sealed = AESGCM(_kek(passphrase, kdf)).encrypt(nonce, data_key, _WRAP_AAD)
    return {"format": FORMAT, "kdf": kdf,
            "wrap": {"cipher": "aes-256-gcm", "nonce": base64.b64encode(nonce).decode(),
                     "key": base64.b64encode(sealed).decode()},
            "key_id": LibraryKey(data_key).key_id}


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise LibraryError(f"The passphrase is too short (at least {MIN_PASSPHRASE} characters)",
                           "choose a longer one: several words are easy to remember")


def create(folder: Path, passphrase: str) -> LibraryKey:
    """Write a new key file in ``folder`` with a fresh random data key."""
    check_new_passphrase(passphrase)
    data_key = os.urandom(32)
    _write(folder, _wrap(data_key, passphrase))
    return LibraryKey(data_key)


def _read(folder: Path) -> dict[str, Any]:
    path = folder / KEY_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LibraryError(
            f"The library at {folder} is encrypted but its key file {KEY_FILE} is missing",
            "restore the key file from a backup of the library: without it the library "
            "cannot be opened") from None
    except (OSError, ValueError) as exc:
        raise LibraryError(f"The key file {path} cannot be read: {exc}",
                           "restore it from a backup of the library") from exc
    if not isinstance(data, dict) or data.get("format", 0) > FORMAT:
        raise LibraryError(f"The key file {path} is of an unknown format",
                           "update Workbench to open this library")
    return data


def unlock(folder: Path, passphrase: str | None) -> LibraryKey:
    """The library's key, unwrapped with ``passphrase``; ``PassphraseRequired`` when None,
    ``WrongPassphrase`` when it does not open the key file."""
    if passphrase is None:
        raise PassphraseRequired(
            f"The library at {folder} is encrypted: its passphrase is needed to open it",
            "enter the passphrase (command line: at the prompt, or with --passphrase-fd N)")
    data = _read(folder)
    try:
        wrap = data["wrap"]
        kek = _kek(passphrase, data["kdf"])
        nonce, sealed = base64.b64decode(wrap["nonce"]), base64.b64decode(wrap["key"])
    except (KeyError, TypeError, ValueError) as exc:
        raise LibraryError(f"The key file {folder / KEY_FILE} is damaged",
                           "restore it from a backup of the library") from exc
    try:
        data_key = AESGCM(kek).decrypt(nonce, sealed, _WRAP_AAD)
    except InvalidTag:
        raise WrongPassphrase(
            "The passphrase is wrong: it does not open this library's key",
            "check the keyboard layout and Caps Lock, and try again") from None
    return LibraryKey(data_key)


def rewrap(folder: Path, old: str, new: str) -> LibraryKey:
    """Wrap the data key with ``new`` instead of ``old`` (``WrongPassphrase`` if ``old`` is
    wrong); the key file is replaced atomically, the data key stays the same."""
    check_new_passphrase(new)
    key = unlock(folder, old)
    _write(folder, _wrap(key._data, new))
    return key


def _write(folder: Path, data: dict[str, Any]) -> None:
    write_json(folder / KEY_FILE, data, mode=0o600, indent=1)
