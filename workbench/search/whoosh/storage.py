"""The search index of an encrypted library, sealed: a Whoosh storage over sealed files.

Whoosh reads and writes its files only through a ``Storage``. ``SealedStorage`` hands it
``StructFile``s over sealed readers and writers (``sealed.py``; no mmap, no file number), and
gives it a temporary storage in memory for the scratch files it reads back while writing a
segment. The index code does not carry keys around: ``storage_for`` finds the key of the
folder through ``registry.py``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from ...crypto.registry import key_for

# sealed.py (and the cryptography package) load only for an encrypted library's index: a
# plain library's search must not pay for them.


def _structfile(fileobj: Any, name: str, **kwargs: Any) -> StructFile:
    f = StructFile(fileobj, name=name, **kwargs)
    # Not a real file: Whoosh must read and write through it, never through a descriptor.
    f.is_real = False
    f.__dict__.pop("fileno", None)
    return f


class SealedStorage(FileStorage):  # type: ignore[misc]
    """A Whoosh ``FileStorage`` whose files are sealed with ``file_key``."""

    supports_mmap = False

    def __init__(self, path: str, file_key: bytes, readonly: bool = False) -> None:
        super().__init__(path, supports_mmap=False, readonly=readonly)
        self.file_key = file_key

    def create_file(self, name: str, excl: bool = False, mode: str = "wb",
                    **kwargs: Any) -> StructFile:
        if self.readonly:
            from whoosh.filedb.filestore import ReadOnlyError

            raise ReadOnlyError
        from ...crypto.sealed import SealedWriter

        writer = SealedWriter(self._fpath(name), self.file_key, exclusive=excl, sync=False)
        return _structfile(writer, name, **kwargs)

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        from ...crypto.sealed import SealedReader

        return _structfile(SealedReader(self._fpath(name), self.file_key), name, **kwargs)

    def file_length(self, name: str) -> int:
        from ...crypto.sealed import HEADER_SIZE, plaintext_size

        path = self._fpath(name)
        with open(path, "rb") as fh:
            head = fh.read(HEADER_SIZE)
        chunk = int.from_bytes(head[8:12], "little") if len(head) == HEADER_SIZE else 1
        return plaintext_size(os.path.getsize(path), chunk)

    def temp_storage(self, name: str | None = None) -> FileStorage:
        # Whoosh reads these back while it writes a segment (a read-write file): they live
        # in a private folder in memory, plain, and are deleted with the writer.
        import tempfile

        from ...crypto import scratch

        # In the open library's scratch folder when this process's temp folder is it (then
        # removed with it even when Whoosh leaves the folder behind), else a new one.
        base = tempfile.gettempdir()
        folder = (tempfile.mkdtemp(prefix="workbench-index-", dir=base)
                  if scratch.is_ram_backed(Path(base)) else str(scratch.make("workbench-index-")))
        return FileStorage(folder).create()


def storage_for(folder: str | os.PathLike[str], readonly: bool = False) -> FileStorage:
    """The storage of the index at ``folder``: sealed when its library is encrypted."""
    key = key_for(folder)
    if key is None:
        return FileStorage(os.fspath(folder), readonly=readonly)
    return SealedStorage(os.fspath(folder), key, readonly=readonly)
