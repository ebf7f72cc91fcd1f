"""Where things live on this computer: the default library, logs and settings (platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Workbench"
APP_AUTHOR = "Workbench"
LIBRARY_ENV = "WORKBENCH_LIBRARY"


def default_library_path() -> Path:
    """``$WORKBENCH_LIBRARY`` if set, else ``<user data dir>/library``."""
    env = os.environ.get(LIBRARY_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)) / "library"


def log_dir() -> Path:
    path = Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path
