"""The window's start opens the library it made the first time: ``workbench gui`` with no
library named makes the default one, and the next start opens it (create=True means "open or
make"). The new-library check refused it as "already holds a Workbench library", and the
packaged app's smoke test saw no library window (session 17's CI)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_a_start_with_create_opens_the_library_already_there(window: Any, tmp_path: Path,
                                                              qtbot: Any) -> None:
    made = tmp_path / "default library"
    window.open_path(made, create=True)
    assert window.session.path == made.absolute()
    window.open_path(tmp_path / "elsewhere", create=True)
    window.open_path(made, create=True)  # the second start
    assert window.session.path == made.absolute()
    assert window.windowTitle().endswith(" — Workbench")
