"""The app on a library whose folder cannot be written opens it read-only and says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import facade


def test_a_read_only_library_opens_read_only(window: Any, library_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.library as library

    # The folder's own answer when a file is tried in it (the real condition is built in
    # tests/e2e/test_readonly_library.py; a GUI test runs in this process).
    monkeypatch.setattr(library, "write_problem", lambda path: "Read-only file system")
    window.open_path(library_path)
    assert window.session.is_open and window.session.read_only
    assert "(read-only)" in window.windowTitle()
    assert "its folder cannot be written" in window.statusBar().currentMessage()
    assert facade(window, lambda wb: wb.library.writable) is False
    assert facade(window, lambda wb: wb.list_documents()) == []

    monkeypatch.undo()  # writable again: the next open is an ordinary one
    window.open_path(library_path)
    assert window.session.read_only is None and "(read-only)" not in window.windowTitle()
    assert facade(window, lambda wb: wb.library.writable) is True
