"""One version number: written in pyproject.toml, read by ``workbench.__version__``, printed by
``workbench --version``, and written nowhere else."""

from __future__ import annotations

import importlib.metadata
import os
import re
import tomllib
from pathlib import Path

import pytest

import workbench
from workbench.cli import main

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
# Kept libraries record the version that wrote them; the lock pins other packages' versions.
NOT_OURS = ("tests/fixtures/", "requirements.lock")


def declared_version() -> str:
    version: str = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    return version


def test_the_package_version_is_pyprojects() -> None:
    assert workbench.__version__ == declared_version()


def test_installed_without_a_checkout_it_reads_the_metadata(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(workbench, "__file__", str(tmp_path / "site" / "workbench" / "x.py"))
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "7.8.9" if name == "workbench" else "?")
    assert workbench._version() == "7.8.9"


def test_a_foreign_pyproject_beside_the_package_is_not_ours(tmp_path: Path) -> None:
    other = tmp_path / "pyproject.toml"
    other.write_text('[project]\nname = "something-else"\nversion = "9.9"\n', encoding="utf-8")
    assert workbench._from_pyproject(other) is None
    other.write_text('[project]\nname = "workbench"\nversion = "9.9"\n', encoding="utf-8")
    assert workbench._from_pyproject(other) == "9.9"


def test_cli_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"workbench {declared_version()}"


# Made by tools, not written by us: environments, caches, build output (a tarball named by it).
_GENERATED = {".git", ".venv", "build", "dist", "__pycache__", ".mypy_cache", ".ruff_cache",
              ".pytest_cache", ".hypothesis", "node_modules"}


def _source_files() -> list[str]:
    """The checkout's files, relative and POSIX; also in an unpacked sdist (no git)."""
    files = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in _GENERATED and not d.endswith(".egg-info")]
        base = Path(folder).relative_to(ROOT)
        files += [(base / n).as_posix() for n in names]
    return files


def test_no_second_version_literal() -> None:
    """The number is in pyproject.toml alone: a copy anywhere else would go stale at the next
    release (a spec file, an installer script, a ``__version__ = "..."``)."""
    version = declared_version()
    literal = re.compile(rf"(?<![\w.]){re.escape(version)}(?![\w.])")
    assignment = re.compile(r"""^\s*__version__\s*=\s*["']""", re.MULTILINE)
    copies: list[str] = []
    for rel in _source_files():
        path = ROOT / rel
        if rel == "pyproject.toml" or rel.startswith(NOT_OURS) or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary: images, fonts
        if literal.search(text) or assignment.search(text):
            copies.append(rel)
    assert not copies, (f"version {version} is written outside pyproject.toml in {copies}: "
                        "read it from workbench.__version__ (or the package metadata) instead")
