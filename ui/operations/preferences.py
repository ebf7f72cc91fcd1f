"""What the Preferences dialog asks the core: installed OCR languages, what a folder holds.

Neither needs an open library, so these are plain calls on the GUI thread; both are quick
(``tesseract --list-langs`` once per process, one directory listing).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

log = logging.getLogger(__name__)


def installed_ocr_languages() -> list[str]:
    """Tesseract's installed language packs (``eng``, ``deu``…); empty without Tesseract."""
    from workbench.extract.ocr import available, installed_languages

    if not available():
        return []
    try:
        return sorted(installed_languages())
    except Exception:  # a broken install must not stop the dialog from opening
        log.exception("could not list the installed OCR languages")
        return []


def missing_ocr_languages(requested: str, installed: list[str]) -> list[str]:
    """The languages in "eng, deu" or "eng+deu" that are not installed (none if unknown)."""
    if not installed:
        return []
    # "auto" is not a language: it asks the importer to pick the page's script itself.
    return [w for w in re.split(r"[+,;\s]+", requested)
            if w and w != "auto" and w not in installed]


def library_folder_problem(path: Path) -> str | None:
    """Why ``path`` cannot be the default library, or None: it must hold a library, be empty,
    or not exist yet (a new library is then made there at the next start)."""
    from workbench.library import MARKER

    if (path / MARKER).exists():
        return None
    if path.exists() and not path.is_dir():
        return f"{path} is a file, not a folder."
    if path.is_dir() and any(path.iterdir()):
        return (f"{path} is not a Workbench library and is not empty. Choose a library "
                "folder, or an empty folder for a new library.")
    if not path.parent.is_dir():
        return f"The folder {path.parent} does not exist."
    return None


def standard_library_path() -> Path:
    """The default library when none is chosen (``WORKBENCH_LIBRARY``, else the user data dir)."""
    from workbench.paths import default_library_path

    return default_library_path()
