"""Where a file the user exports may be written: the one rule every export goes through (a
dossier, a chronology, a tag's passages, highlights, an original's bytes).

An encrypted library keeps everything in its folder encrypted, and says that exports are
refused there (README, "Encryption at rest"): an export is plaintext, and one written into the
library's own folder would sit among the encrypted files as if it were protected. Only the
dossier export checked that; a chronology, passages or an original saved into the folder were
written in the clear (found by a fresh-user walk, session 17). The folder must also exist and
be writable, and a folder of the same name must not be in the way.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ExportError

if TYPE_CHECKING:
    from .library import Library


def check_destination(out: Path | str, library: Library | None = None) -> Path:
    """``out`` made absolute, or ``ExportError`` saying why an export cannot be written there."""
    out = Path(out).expanduser().absolute()
    if library is not None and library.key is not None and _inside(out, library.path):
        raise ExportError(f"Cannot export to {out}: an export inside the encrypted library's "
                          "folder would not be encrypted", "choose a folder outside the library")
    folder = out.parent
    if not folder.is_dir():
        raise ExportError(f"Cannot export to {out}: the folder {folder} does not exist",
                          "create it first or choose another destination")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"Cannot export to {out}: the folder is not writable",
                          "choose a folder you can write to")
    if out.is_dir() and any(out.iterdir()):
        raise ExportError(f"Cannot export to {out}: a non-empty folder is in the way",
                          "choose a new name")
    return out


def _inside(out: Path, folder: Path) -> bool:
    # Resolved both: a symbolic link or ".." must not lead an export into the folder unseen.
    return out.resolve().is_relative_to(Path(folder).resolve())
