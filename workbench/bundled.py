"""Where the files that ship with Workbench live: the Alembic migrations and ``resources/``.

In a source checkout they are the top-level ``migrations/`` and ``resources/`` folders (the
design card's layout). A wheel and the standalone build carry them inside the package, as
``workbench/_data/<name>`` (``setup.py`` copies them there when it builds; the PyInstaller spec
places them at the same path), so one rule finds them however Workbench was installed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from .errors import WorkbenchError

BundledDir = Literal["migrations", "resources"]

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: BundledDir) -> Path:
    """The folder ``name`` of this installation: packaged copy first, then the checkout's."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise WorkbenchError(
        f"This Workbench installation is incomplete: its {name!r} folder is missing "
        f"(looked in {_PACKAGE / '_data'} and {_PACKAGE.parent}). Reinstall Workbench.")
