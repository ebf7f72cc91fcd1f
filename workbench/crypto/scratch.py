"""Private scratch folders in memory, for the plaintext an encrypted library must still use.

An extractor reads a file by path, and a worker process cannot read through a decrypting
file object: the plaintext copy it needs, OCR's page images, attachments unpacked from an
e-mail, all go to a folder on a RAM-backed file system (``$XDG_RUNTIME_DIR`` when it is one,
else ``/dev/shm``), mode 0700, deleted when the library closes (and at exit). Nothing is
written on disk — unless the system swaps that memory out to an unencrypted swap device.

While an encrypted library is open, the process's temporary folder (``TMPDIR``, Python's
``tempfile``, the extractor workers it starts) points into its scratch folder too, so a
library that spills something into "the temp dir" spills it into memory.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from pathlib import Path

from ..errors import LibraryError

RAM_FILESYSTEMS = {"tmpfs", "ramfs"}
_live: set[Path] = set()
_lock = threading.Lock()
_saved_tmp: list[tuple[str | None, str | None]] = []


def _mounts() -> list[tuple[str, str]]:
    try:
        with open("/proc/self/mounts", encoding="utf-8") as fh:
            rows = [line.split() for line in fh]
    except OSError:
        return []
    return [(r[1].replace("\\040", " "), r[2]) for r in rows if len(r) >= 3]


def is_ram_backed(path: Path) -> bool:
    """Whether ``path`` lies on a file system held in memory (tmpfs, ramfs)."""
    real = os.path.realpath(path)
    best, kind = "", ""
    for mount, fstype in _mounts():
        inside = real == mount or real.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, kind = mount, fstype
    return kind in RAM_FILESYSTEMS


def ram_base() -> Path:
    """The RAM-backed folder scratch folders are made in."""
    candidates = [os.environ.get("WORKBENCH_RAM_DIR"), os.environ.get("XDG_RUNTIME_DIR"),
                  "/dev/shm"]
    for c in candidates:
        if c and os.path.isdir(c) and os.access(c, os.W_OK) and is_ram_backed(Path(c)):
            return Path(c)
    raise LibraryError(
        "An encrypted library needs a folder in memory for its temporary files, and this "
        "system has none (no writable tmpfs at $XDG_RUNTIME_DIR or /dev/shm)",
        "mount a tmpfs and set XDG_RUNTIME_DIR to it")


def make(label: str = "workbench-") -> Path:
    """A new private scratch folder (mode 0700) in memory; ``remove`` deletes it."""
    path = Path(tempfile.mkdtemp(prefix=label, dir=ram_base()))
    os.chmod(path, 0o700)
    with _lock:
        _live.add(path)
    return path


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    with _lock:
        _live.discard(path)


def redirect_tempdir(path: Path) -> None:
    """Point this process's temporary folder (and its children's) into ``path`` until
    ``restore_tempdir``; calls nest."""
    with _lock:
        _saved_tmp.append((os.environ.get("TMPDIR"), tempfile.tempdir))
        os.environ["TMPDIR"] = str(path)
        tempfile.tempdir = str(path)


def restore_tempdir() -> None:
    with _lock:
        if not _saved_tmp:
            return
        env, cached = _saved_tmp.pop()
        if env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = env
        tempfile.tempdir = cached


@atexit.register
def _remove_all() -> None:
    for path in list(_live):
        remove(path)
