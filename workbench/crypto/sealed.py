"""The sealed-file format: a file encrypted in fixed chunks that can be read at any offset.

Layout (version 1)::

    header   32 bytes: b"WBSEAL" | version (1) | reserved (1) | chunk size (u32 LE)
                       | reserved (u32) | file nonce (16 random bytes)
    chunks   each plaintext chunk of ``chunk size`` bytes (the last one shorter, possibly
             empty) sealed with AES-256-GCM: ciphertext, then its 16-byte tag

Each file gets its own AES key, derived with HKDF from the library's file key and the file's
random nonce, so nonces never repeat across files whatever their number. A chunk's GCM
nonce is the file nonce's first 4 bytes then the chunk number (u64 BE), and its additional
data binds the whole header, the chunk number and whether it is the final chunk: chunks
reordered, moved between files, dropped from the end (truncation) or appended are all
refused (``SealedFileError``). The plaintext size follows from the file size, so ``seek``
and ``read`` decrypt only the chunks they touch.

``SealedWriter`` seals each chunk once it is full and the last one on ``close``; it allows
seeking back only within the chunk not yet sealed (Whoosh and the other writers here write
sequentially). Neither class has ``fileno``: nothing may map or read the file behind them.
"""

from __future__ import annotations

import io
import os
import struct
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"WBSEAL"
VERSION = 1
CHUNK = 64 * 1024
TAG = 16
_HEADER = struct.Struct("<6sBBII16s")
HEADER_SIZE = _HEADER.size  # 32
_INFO = b"workbench sealed file v1"
CACHED_CHUNKS = 8  # decrypted chunks a reader keeps (random reads often revisit a few)


class SealedFileError(OSError):
    """A sealed file is damaged, truncated, tampered with, or sealed with another key."""


def _file_cipher(file_key: bytes, nonce: bytes) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=nonce, info=_INFO).derive(file_key)
    return AESGCM(key)


def _chunk_nonce(nonce: bytes, index: int) -> bytes:
    return nonce[:4] + index.to_bytes(8, "big")


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")


def plaintext_size(sealed_size: int, chunk: int = CHUNK) -> int:
    """The plaintext size of a sealed file of ``sealed_size`` bytes (its header's chunk size
    ``chunk``); raises ``SealedFileError`` for a size no sealed file can have."""
    body = sealed_size - HEADER_SIZE
    if body < TAG:
        raise SealedFileError("sealed file is truncated")
    full = chunk + TAG
    count = -(-body // full)
    last = body - (count - 1) * full
    if last < TAG or (last == TAG and count > 1):
        raise SealedFileError("sealed file is truncated")
    return body - count * TAG


class SealedReader(io.RawIOBase):
    """Random-access plaintext view of a sealed file (``read``, ``seek``, ``tell``)."""

    def __init__(self, path: str | os.PathLike[str], file_key: bytes) -> None:
        super().__init__()
        self.name = os.fspath(path)
        self._fh: BinaryIO = open(path, "rb")  # noqa: SIM115 - closed in close()
        try:
            self._header = self._fh.read(HEADER_SIZE)
            if len(self._header) != HEADER_SIZE:
                raise SealedFileError(f"{self.name} is not a sealed file (too short)")
            magic, version, _r1, chunk, _r2, nonce = _HEADER.unpack(self._header)
            if magic != MAGIC:
                raise SealedFileError(f"{self.name} is not a sealed file")
            if version != VERSION or not 0 < chunk <= 1 << 24:
                raise SealedFileError(f"{self.name} has an unknown sealed-file version")
            self._chunk = chunk
            self.size = plaintext_size(os.fstat(self._fh.fileno()).st_size, chunk)
            self._count = max(1, -(-self.size // chunk))
            self._aes = _file_cipher(file_key, nonce)
            self._nonce = nonce
        except BaseException:
            self._fh.close()
            raise
        self._pos = 0
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._plock = threading.Lock()

    def _plain_chunk(self, index: int) -> bytes:
        plain = self._cache.get(index)
        if plain is not None:
            self._cache.move_to_end(index)
            return plain
        start = index * self._chunk
        length = min(self._chunk, self.size - start)
        self._fh.seek(HEADER_SIZE + index * (self._chunk + TAG))
        sealed = self._fh.read(length + TAG)
        if len(sealed) != length + TAG:
            raise SealedFileError(f"{self.name} is truncated")
        final = index == self._count - 1
        try:
            plain = self._aes.decrypt(_chunk_nonce(self._nonce, index), sealed,
                                      _aad(self._header, index, final))
        except InvalidTag:
            raise SealedFileError(
                f"{self.name} cannot be decrypted: it was altered, truncated or sealed with "
                "another key") from None
        self._cache[index] = plain
        if len(self._cache) > CACHED_CHUNKS:
            self._cache.popitem(last=False)
        return plain

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def read(self, size: int | None = -1) -> bytes:
        if self.closed:
            raise ValueError("read of a closed file")
        end = self.size if size is None or size < 0 else min(self.size, self._pos + size)
        parts = []
        while self._pos < end:
            index, within = divmod(self._pos, self._chunk)
            piece = self._plain_chunk(index)[within:within + end - self._pos]
            parts.append(piece)
            self._pos += len(piece)
        if self.size == 0 and not self._cache:
            self._plain_chunk(0)  # an empty file is still authenticated when read
        return b"".join(parts)

    def pread(self, size: int, offset: int) -> bytes:
        """``size`` bytes at ``offset`` (``os.pread``'s shape; thread-safe, keeps ``tell``)."""
        with self._plock:
            here = self._pos
            try:
                self._pos = offset
                return self.read(size)
            finally:
                self._pos = here

    def readall(self) -> bytes:
        return self.read(-1)

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[:len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._fh.close()
            self._cache.clear()
        super().close()


class SealedWriter(io.RawIOBase):
    """Writes a new sealed file: chunks are sealed as they fill, the last one on ``close``.

    ``abort`` (or an exception inside ``with``) deletes the partial file.
    """

    def __init__(self, path: str | os.PathLike[str], file_key: bytes, *, chunk: int = CHUNK,
                 exclusive: bool = False, sync: bool = True) -> None:
        super().__init__()
        self._sync = sync
        self.name = os.fspath(path)
        nonce = os.urandom(16)
        self._header = _HEADER.pack(MAGIC, VERSION, 0, chunk, 0, nonce)
        self._aes = _file_cipher(file_key, nonce)
        self._nonce = nonce
        self._chunk = chunk
        flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
        fd = os.open(self.name, flags | getattr(os, "O_BINARY", 0), 0o600)
        self._fh: BinaryIO = os.fdopen(fd, "wb")
        self._fh.write(self._header)
        self._sealed = 0  # chunks written
        self._buf = bytearray()  # the chunk being filled
        self._pos = 0  # position within the whole plaintext

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        end = self._sealed * self._chunk + len(self._buf)
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: end}[whence]
        target = base + offset
        if not self._sealed * self._chunk <= target <= end:
            raise io.UnsupportedOperation("a sealed file can only be written forward")
        self._pos = target
        return target

    def write(self, data: Any) -> int:
        if self.closed:
            raise ValueError("write to a closed file")
        raw = bytes(data)
        at = self._pos - self._sealed * self._chunk
        self._buf[at:at + len(raw)] = raw
        self._pos += len(raw)
        while len(self._buf) > self._chunk and self._pos - self._sealed * self._chunk \
                >= self._chunk:
            self._seal(bytes(self._buf[:self._chunk]), final=False)
            del self._buf[:self._chunk]
        return len(raw)

    def _seal(self, plain: bytes, final: bool) -> None:
        index = self._sealed
        self._fh.write(self._aes.encrypt(_chunk_nonce(self._nonce, index), plain,
                                         _aad(self._header, index, final)))
        self._sealed += 1

    def flush(self) -> None:
        pass  # nothing partial ever reaches the file: a chunk is written whole, sealed

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._seal(bytes(self._buf), final=True)
            self._buf = bytearray()
            self._fh.flush()
            if self._sync:
                os.fsync(self._fh.fileno())
        finally:
            self._fh.close()
            super().close()

    def abort(self) -> None:
        """Stop writing and delete the partial file."""
        if not self.closed:
            self._fh.close()
            super().close()
        Path(self.name).unlink(missing_ok=True)

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is not None:
            self.abort()
        else:
            self.close()


def seal_bytes(path: str | os.PathLike[str], file_key: bytes, data: bytes) -> None:
    """Write ``data`` as a new sealed file at ``path`` (replacing any file there)."""
    with SealedWriter(path, file_key) as out:
        out.write(data)


def open_bytes(path: str | os.PathLike[str], file_key: bytes) -> bytes:
    """The whole plaintext of the sealed file at ``path``."""
    with SealedReader(path, file_key) as src:
        return src.read()


def is_sealed(path: str | os.PathLike[str]) -> bool:
    """Whether the file at ``path`` starts like a sealed file (no key needed)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False
