"""A window open on a shared library shows what another desktop imports, within seconds and
with no click (issue 19 part 5): the core's listener hears the server's NOTIFY, and the window
applies the Changes as it applies its own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS
from tests.pg.test_shared_concurrency import IMPORTER, make_shared
from tests.ui.conftest import _isolated_settings, _window  # noqa: F401 (a fixture)


@pytest.fixture
def shared_window(qtbot: Any, pg_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    marker = make_shared(pg_db, tmp_path, capsys)
    yield from _window(qtbot, marker, sync=True)


def test_a_document_another_desktop_imports_appears_in_the_open_window(
        shared_window: Any, qtbot: Any, tmp_path: Path) -> None:
    win = shared_window
    qtbot.waitUntil(lambda: win.shared_changes.listener is not None
                    and win.shared_changes.listener.listening, timeout=10000)
    assert win.documents.model.rowCount() == 0
    source = CORPUS / "un-report-crimes-against-humanity.txt"
    other = subprocess.run(
        [sys.executable, "-c", IMPORTER, str(win.session.path), str(source)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "other-cache")})
    assert other.returncode == 0, other.stderr
    committed = time.monotonic()
    qtbot.waitUntil(lambda: win.documents.model.rowCount() == 1, timeout=10000)
    assert time.monotonic() - committed < 5.0
    listener = win.shared_changes.listener
    win.session.close()  # closing the library stops listening (the app's quit does it)
    assert not listener._thread.is_alive()


def test_a_colleagues_dossier_edit_refreshes_the_open_builder(
        shared_window: Any, qtbot: Any) -> None:
    from workbench.services import Workbench

    win = shared_window
    assert win.builder is not None, "the window installed no dossiers"
    qtbot.waitUntil(lambda: win.shared_changes.listener is not None
                    and win.shared_changes.listener.listening, timeout=10000)
    with Workbench.open(win.session.path) as colleague:  # another desktop, its own connection
        did = colleague.create_dossier("Findings").dossier_ids[0]
        qtbot.waitUntil(lambda: did in [d["id"] for d in win.sidebar_data.get("dossiers", [])],
                        timeout=10000)
        win.builder.open_dossier(did)
        qtbot.waitUntil(lambda: win.builder.data.get("title") == "Findings", timeout=5000)
        colleague.update_dossier(did, title="Findings (revised)")
        colleague.add_item(did, note="Witness 4 saw the convoy")
        qtbot.waitUntil(lambda: win.builder.data.get("title") == "Findings (revised)"
                        and len(win.builder.data.get("entries", [])) == 1, timeout=10000)
