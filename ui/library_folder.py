"""Whether a folder can take a new library: empty, or not there yet (then it is made).

Asked twice, in the same words: by the folder picker of File → New library… and New encrypted
library… as the folder is chosen (``dialogs/new_library_folder.py``), so nothing else is asked
of a folder that will not do; and by the session before it closes the open library for the new
one (``Session.open_library``), so a folder filled meanwhile cannot cost the library that was
open. Plain ``pathlib``: no core, no Qt.
"""

from __future__ import annotations

from pathlib import Path

# workbench.library.MARKER; not imported from there: that module brings the whole core.
MARKER = "workbench-library.json"


def new_library_problem(path: Path, *, existing_ok: bool = False) -> str | None:
    """Why ``path`` cannot take a new library, in words that name it; None when it can.
    ``existing_ok``: a library already there will do (the window's start opens or makes its
    library: ``workbench gui`` refused the default library it had made the first time)."""
    if not path.exists():
        return None
    if not path.is_dir():
        return (f"“{path}” is a file, not a folder. Choose an empty folder, or type the name "
                "of a new one.")
    # Refused, not opened (as the core's create would): a new encrypted library made on a
    # plain one would open it unencrypted, and the passphrase just chosen would mean nothing.
    if (path / MARKER).exists():
        if existing_ok:
            return None
        return (f"“{path}” already holds a Workbench library. Open it with File → Open "
                "library…, or choose an empty folder for the new one.")
    try:
        empty = not any(path.iterdir())
    except OSError as exc:
        return f"“{path}” cannot be read: {exc.strerror or exc}. Choose another folder."
    if not empty:
        return (f"“{path}” is not empty. A new library needs a folder of its own: choose an "
                "empty folder, or type the name of a new one.")
    return None


def open_library_problem(path: Path) -> str | None:
    """Why ``path`` holds no library to open (File → Open library…), asked before the open
    library is closed for it; None when it holds one (the core then says anything else)."""
    if (path / MARKER).is_file():
        return None
    return (f"“{path}” holds no Workbench library (no {MARKER} in it). Choose the library's "
            "own folder, or make a new library with File → New library….")
