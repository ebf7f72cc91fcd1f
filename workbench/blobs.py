"""Content-addressed, write-once storage of original files under ``originals/``.

An original is stored at ``originals/ab/cd/<sha256>``: written to a temp file, fsynced, renamed
into place atomically and made read-only. It is never modified afterwards; ``verify`` re-hashes
it to prove that.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import LibraryError

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


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # not supported on this platform (Windows)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put_file(self, source: Path, expected_sha256: str | None = None) -> tuple[str, bool]:
        """Copy ``source`` in; returns (sha256, newly_written). Hash is of the bytes copied."""
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        tmp = Path(tmp_name)
        digest = hashlib.sha256()
        try:
            with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
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
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
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
        """None when the stored bytes hash to their name, else a description of the problem."""
        path = self.path_for(sha256)
        if not path.is_file():
            return "original file is missing"
        actual, _ = sha256_file(path)
        if actual != sha256:
            return f"original file is altered (its bytes now hash to {actual[:12]}…)"
        return None

    def iter_hashes(self) -> Iterator[str]:
        for path in self.root.glob("??/??/*"):
            if path.is_file() and len(path.name) == 64:
                yield path.name
