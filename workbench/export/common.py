"""What every exporter shares: safe destinations, atomic writes, hashing, resources, results.

An export is written to a hidden temporary name in the destination folder, checked there, and
only then renamed into place; so a full disk, a crash, a cancel or a failed leak check never
leaves a partial or leaking file under the name the user asked for.
"""

from __future__ import annotations

import errno
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..bundled import data_dir
from ..errors import Cancelled, ExportError

Progress = Callable[[Any], None]  # receives ``workbench.progress.Progress`` values


def resources_dir() -> Path:
    """``resources/`` of this installation (see ``workbench.bundled``)."""
    return data_dir("resources")


@dataclass
class ExportResult:
    format: str
    path: Path
    sha256: str
    size: int
    files: int = 1
    excluded_originals: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"format": self.format, "path": str(self.path), "sha256": self.sha256,
                "size": self.size, "files": self.files,
                "excluded_originals": self.excluded_originals, "leak_checks": self.checks}


def temp_sibling(out: Path) -> Path:
    """A hidden name next to ``out``, so the final rename stays on one file system."""
    return out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def os_error(exc: OSError, out: Path) -> ExportError:
    if exc.errno == errno.ENOSPC:
        return ExportError(f"The disk is full while writing {out.name}; nothing was written",
                           "free some space or choose another destination")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError(f"Cannot write {out}: permission denied",
                           "choose a folder you can write to")
    return ExportError(f"Cannot write {out}: {exc.strerror or exc}")


def place(tmp: Path, out: Path) -> None:
    """Move the checked temporary output to its final name (replacing an old file)."""
    if out.is_dir():
        out.rmdir()  # export_destination.check_destination allowed only an empty folder here
    os.replace(tmp, out)


def check_cancel(cancel: Any) -> None:
    if cancel is not None and getattr(cancel, "cancelled", False):
        raise Cancelled()
