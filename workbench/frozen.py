"""The standalone build's entry point: what the ``Workbench`` executable runs.

``Workbench`` is the ``workbench`` command line (``Workbench init``, ``Workbench gui``, …);
started with no arguments, as a menu entry or a double click does, it opens the window.
The same executable is also every worker process of the build, told apart before the command
line is parsed: ``multiprocessing``'s spawned children (the index rebuild) by
``freeze_support`` and Workbench's own workers by ``subprocess_cmd.INTERNAL_SWITCH``
(``sys.executable`` is this program, so it is what a worker is started with).
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def main() -> NoReturn:
    _unshadow_system_libraries()  # first: the workers run system programs too (tesseract)
    import multiprocessing

    multiprocessing.freeze_support()  # a spawned child does its job here and exits
    from .subprocess_cmd import run_internal

    run_internal(sys.argv[1:])  # a worker runs and exits; the rest is the command line
    from .cli import entry

    entry(sys.argv[1:] or ["gui"])


def _unshadow_system_libraries() -> None:
    # PyInstaller's bootloader puts the build's own library folder first on LD_LIBRARY_PATH
    # (keeping the user's value as LD_LIBRARY_PATH_ORIG). This process has already read it;
    # the system programs it starts (tesseract, soffice, a browser) must load their own
    # libraries, not the build's copies. Workbench's own workers get it again from the
    # bootloader, as they are this executable.
    if not getattr(sys, "frozen", False) or "LD_LIBRARY_PATH" not in os.environ:
        return
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original:
        os.environ["LD_LIBRARY_PATH"] = original
    else:
        del os.environ["LD_LIBRARY_PATH"]
