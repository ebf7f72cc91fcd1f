"""Starting the desktop app: Qt application, logging, theme, fonts, the window, the library.

``run_app(None)`` opens the default library and creates it on first run: the one chosen in
Preferences if any, else ``workbench.paths.default_library_path()`` (which ``WORKBENCH_LIBRARY``
overrides); ``workbench gui --library PATH`` passes a path, and ``workbench gui PATH…``
files to import, bundles to verify or a library to open (``open_files``). A library another
process holds (``LibraryLocked``) is reported by the error presenter in one clear message.
The user's theme and text size (Preferences) apply before the window is built.

Start-up order (issue 16): the window is built and painted first, on Qt and the UI's own
modules only; the worker reads a plain personal library's list and sidebar in plain SQL and
the window shows them, then imports the core (SQLAlchemy, the facade) and opens the library
behind them (``ui/session.py``); the language model is opened when an import starts
(``ui/operations/imports.py``).
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from workbench.paths import default_library_path

from . import pyside_source_scan
from .errors import log_file

pyside_source_scan.install()  # before the window's modules are imported: see the module

APP_ID = "Workbench"


def setup_logging() -> None:
    handler = logging.handlers.RotatingFileHandler(log_file(), maxBytes=2_000_000, backupCount=3,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_nothing_while_encrypted)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # migration chatter, every open


def _nothing_while_encrypted(record: logging.LogRecord) -> bool:
    """The log file is outside the library and not encrypted, and a warning's message can
    quote a title, a path or an exception about a document: while an encrypted library is
    open, nothing goes to the file."""
    from workbench.crypto import registry

    return not registry.any_open()


def make_application(argv: list[str] | None = None) -> QApplication:
    from . import preferences
    from .theme import RESOURCES, follow_system, load_fonts

    # PySide releases the GIL around every call into Qt and takes it back afterwards; while the
    # worker and the index writer run Python code, each take-back can wait a whole switch
    # interval (5 ms by default), and a repaint makes hundreds of them. 1 ms keeps the GUI fluid.
    sys.setswitchinterval(0.001)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_ID)
    app.setOrganizationName(APP_ID)
    app.setApplicationDisplayName("Workbench")
    app.setDesktopFileName("workbench")
    icon = RESOURCES / "icons" / "workbench.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    load_fonts(app)
    preferences.apply(app)  # theme and text size, as the user left them
    follow_system(app)
    return app


def library_to_open(library_path: Path | None) -> tuple[Path, bool]:
    """The library and whether it may be created there."""
    from .preferences import chosen_library

    if library_path is not None:  # `workbench gui --library new-folder` makes a library there
        path = Path(library_path)
        fresh = not path.exists() or (path.is_dir() and not any(path.iterdir()))
        return path, not (path / "workbench-library.json").exists() and fresh
    chosen = chosen_library()
    if chosen is not None:
        # Created only inside a folder that exists: a library on an unplugged drive is reported
        # missing rather than recreated, empty, on the computer's own disk.
        return chosen, chosen.parent.is_dir()
    return default_library_path(), True


def run_app(library_path: Path | None, paths: Sequence[Path] = ()) -> int:
    """``paths`` are what ``workbench gui PATH…`` was given (see ``open_files``): a library
    among them is the one opened, unless ``library_path`` names one."""
    setup_logging()
    app = make_application()
    from .main_window import MainWindow
    from .open_files import FileOpener, sort_paths

    window = MainWindow()
    window.presenter.install_excepthook()
    opening = sort_paths(paths, library_path)
    path, create = library_to_open(opening.library)
    window.show()
    FileOpener(window, opening)  # the window owns it; made first, it waits for the library
    window.open_path(path, create=create)
    return int(app.exec())
