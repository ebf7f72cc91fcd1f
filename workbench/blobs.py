"""Content-addressed, write-once storage of original files under ``originals/``.

An original is stored at ``originals/ab/cd/<sha256>``: written to a temp file, fsynced, renamed
into place atomically and made read-only. It is never modified afterwards; ``verify`` re-hashes
it to prove that.

In an encrypted library (a store made with the library's ``key``) the file is sealed
(``crypto/sealed.py``) and named by a keyed hash of the SHA-256 (``name_for``), so its name
does not tell which known document it is; the address stays the SHA-256 of the plaintext,
so provenance and citations do not change. Read an original through ``open`` (a file object)
or ``materialize`` (a plaintext path, for a worker process or a copy out of the library):
both work in either mode. ``path_for`` is where the stored file lies, for moving, linking or
removing it, never for reading its content.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .atomic import fsync_dir as _fsync_dir
from .errors import LibraryError

if TYPE_CHECKING:
    from .crypto.keys import LibraryKey

CHUNK = 1 << 20


def sha256_file(path: Path) -> tuple[str, int]:
    """SHA-256 hex digest and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def file_digest(path: Path) -> str:
    """SHA-256 hex digest of a file (``sha256_file`` without the size)."""
    return sha256_file(path)[0]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()



class BlobStore:
    def __init__(self, root: Path, key: LibraryKey | None = None) -> None:
        self.root = root
        self.key = key
        root.mkdir(parents=True, exist_ok=True)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def like(self, root: Path) -> BlobStore:
        """A store at ``root`` in the same mode and with the same key (a backup's copy)."""
        return BlobStore(root, self.key)

    def name_for(self, sha256: str) -> str:
        """The stored file's name: the SHA-256 itself, or (encrypted) a keyed hash of it."""
        if self.key is None:
            return sha256
        return hmac.new(self.key.name_key, sha256.encode("ascii"), hashlib.sha256).hexdigest()

    def path_for(self, sha256: str) -> Path:
        """Where the stored file lies (sealed in an encrypted library): to link, move or
        remove it; read its content with ``open`` or ``materialize``."""
        name = self.name_for(sha256)
        return self.root / name[:2] / name[2:4] / name

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def _incoming(self) -> tuple[Path, BinaryIO]:
        """A new temporary file beside the originals, plain or sealed."""
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        if self.key is None:
            return Path(tmp_name), os.fdopen(fd, "wb")
        os.close(fd)
        from .crypto.sealed import SealedWriter

        return Path(tmp_name), SealedWriter(tmp_name, self.key.file_key)  # type: ignore[return-value]

    def put_file(self, source: Path, expected_sha256: str | None = None) -> tuple[str, bool]:
        """Copy ``source`` in; returns (sha256, newly_written). Hash is of the bytes copied."""
        tmp, out = self._incoming()
        digest = hashlib.sha256()
        try:
            with out, open(source, "rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                if self.key is None:
                    os.fsync(out.fileno())  # the sealed writer fsyncs as it closes
            sha = digest.hexdigest()
            if expected_sha256 is not None and sha != expected_sha256:
                raise LibraryError(
                    f"{source} changed while it was being imported (hash differs from the plan)",
                    "import it again",
                )
            return sha, self._place(tmp, sha)
        finally:
            if tmp.exists():
                tmp.unlink()

    def put_bytes(self, data: bytes) -> tuple[str, bool]:
        tmp, out = self._incoming()
        try:
            with out:
                out.write(data)
                out.flush()
                if self.key is None:
                    os.fsync(out.fileno())
            sha = sha256_bytes(data)
            return sha, self._place(tmp, sha)
        finally:
            if tmp.exists():
                tmp.unlink()

    def _place(self, tmp: Path, sha: str) -> bool:
        dest = self.path_for(sha)
        if dest.exists():
            return False  # same bytes already stored: write-once means we keep the first copy
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP)
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
        return True

    def remove(self, sha256: str) -> None:
        """Delete an original (only for deleted documents or a rolled-back import)."""
        path = self.path_for(sha256)
        if path.exists():
            os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
            path.unlink()

    def verify(self, sha256: str) -> str | None:
        """None when the stored bytes hash to their name, else a description of the problem
        (an encrypted original is decrypted, every chunk authenticated, and re-hashed)."""
        path = self.path_for(sha256)
        if not path.is_file():
            return "original file is missing"
        try:
            actual = self.hash_stored(path)
        except OSError as exc:
            return f"original file is altered or unreadable ({exc})"
        if actual != sha256:
            return f"original file is altered (its bytes now hash to {actual[:12]}…)"
        return None

    def hash_stored(self, path: Path) -> str:
        """The SHA-256 of the original a stored file holds (its plaintext when sealed)."""
        if self.key is None:
            return sha256_file(path)[0]
        digest = hashlib.sha256()
        with self._open_path(path) as src:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def _open_path(self, path: Path) -> BinaryIO:
        if self.key is None:
            return open(path, "rb")
        from .crypto.sealed import SealedReader

        return SealedReader(path, self.key.file_key)  # type: ignore[return-value]

    def open(self, sha256: str) -> BinaryIO:
        """The original's bytes as a read-only, seekable file object (decrypted as read)."""
        path = self.path_for(sha256)
        if not path.is_file():
            raise LibraryError(f"The original {sha256[:12]}… is missing from the library",
                               "run `workbench verify`")
        return self._open_path(path)

    def read_bytes(self, sha256: str) -> bytes:
        with self.open(sha256) as src:
            return src.read()

    @contextmanager
    def materialize(self, sha256: str, name: str | None = None) -> Iterator[Path]:
        """A plaintext path to the original while the ``with`` lasts (for worker processes
        and copies out of the library). A plain library's stored file itself (read-only);
        an encrypted one's decrypted copy in a private folder in memory, deleted after."""
        if self.key is None:
            yield self.path_for(sha256)
            return
        from .crypto import scratch

        folder = scratch.make("workbench-original-")
        try:
            dest = folder / (name or sha256)
            self.copy_to(sha256, dest)
            yield dest
        finally:
            scratch.remove(folder)

    def copy_to(self, sha256: str, dest: Path) -> None:
        """Write the original's plaintext to ``dest`` (a new file)."""
        with self.open(sha256) as src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out, CHUNK)

    def stored_files(self) -> Iterator[Path]:
        """Every stored original's file (named by ``name_for``)."""
        for path in self.root.glob("??/??/*"):
            if path.is_file() and len(path.name) == 64:
                yield path

    def iter_hashes(self) -> Iterator[str]:
        """The SHA-256 of every stored original (an encrypted one is read to know it)."""
        for path in self.stored_files():
            yield path.name if self.key is None else self.hash_stored(path)
