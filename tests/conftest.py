"""Shared test fixtures: fresh libraries, the corpus excerpts, generated files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"

_template: dict[str, Path] = {}


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture
def corpus_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture
def library_path(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh, empty library folder, copied from a prepared one (migrations run once)."""
    if "lib" not in _template:
        from workbench.library import Library

        base = tmp_path_factory.mktemp("template") / "lib"
        Library.create(base, program="tests").close()
        _template["lib"] = base
    dest = tmp_path / "library"
    shutil.copytree(_template["lib"], dest)
    return dest


@pytest.fixture
def wb(library_path: Path) -> Iterator[object]:
    from workbench.services import Workbench

    with Workbench.open(library_path) as bench:
        yield bench
