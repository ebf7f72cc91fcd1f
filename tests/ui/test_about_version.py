"""Help → About shows the version written in pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

ROOT = Path(__file__).resolve().parents[2]


def test_about_shows_the_pyproject_version(window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    # QMessageBox.about is modal; catch what it would show.
    monkeypatch.setattr(QMessageBox, "about",
                        staticmethod(lambda _parent, _title, text: shown.append(text)))
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["version"]
    [action] = [a for a in window.findChildren(QAction)
                if a.text().replace("&", "") == "About Workbench"]
    action.trigger()
    assert shown and f"Workbench {version}" in shown[0]
