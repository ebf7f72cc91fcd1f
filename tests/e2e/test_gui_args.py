"""`workbench gui [PATH ...]`: the paths a file manager or the menu entry (%F) passes reach the
window, next to `--library`; a bad path is a usage error before any window opens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from workbench.cli import main

WORKBENCH = Path(sys.executable).with_name("workbench")


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """The calls `workbench gui` makes to start the app, instead of starting it."""
    import ui.app

    calls: list[tuple[Any, ...]] = []

    def fake_run_app(library: Path | None, paths: Any = ()) -> int:
        calls.append((library, list(paths)))
        return 0

    monkeypatch.setattr(ui.app, "run_app", fake_run_app)
    return calls


def test_gui_passes_the_paths_to_the_window(launched: list[tuple[Any, ...]],
                                            tmp_path: Path) -> None:
    assert main(["gui", "a b.pdf", str(tmp_path / "bundle.zip"), "--", "-dash.html"]) == 0
    assert launched == [(None, [Path("a b.pdf"), tmp_path / "bundle.zip", Path("-dash.html")])]


def test_gui_with_library_and_paths(launched: list[tuple[Any, ...]], tmp_path: Path) -> None:
    assert main(["--library", str(tmp_path / "lib"), "gui", "report.pdf"]) == 0
    assert main(["gui", "--library", str(tmp_path / "lib"), "report.pdf"]) == 0
    assert launched == [(tmp_path / "lib", [Path("report.pdf")])] * 2


def test_gui_without_paths_opens_the_default_library(launched: list[tuple[Any, ...]]) -> None:
    assert main(["gui"]) == 0
    assert launched == [(None, [])]


def test_an_empty_path_is_a_usage_error(launched: list[tuple[Any, ...]],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gui", "report.pdf", ""]) == 2
    err = capsys.readouterr().err
    assert "the path is empty" in err and "Traceback" not in err
    assert launched == []


def test_gui_help_names_the_paths() -> None:
    proc = subprocess.run([str(WORKBENCH), "gui", "--help"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0
    assert "PATH" in proc.stdout and "bundle" in proc.stdout
