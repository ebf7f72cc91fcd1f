"""Shared test fixtures: fresh libraries, the corpus excerpts, generated files.

``library_path`` and ``wb`` give a personal library (SQLite) by default. With
``WORKBENCH_TEST_DATABASE=postgres`` they give a shared library on PostgreSQL instead (the
marker folder ``workbench init --database … --store …`` makes, its originals in the folder's
``originals/``), on the throwaway cluster of tests/support/postgres.py, so the core tests run
against both engines (``make pytest-pg``). In that run only the tests whose library comes from
these fixtures are collected (the rest do not touch a database the fixtures chose), and a test
marked ``sqlite_only("why")`` is skipped with its reason: it checks what only a SQLite file has.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.libraries import (
    databases_made,
    drop_databases_since,
    make_library,
    on_postgres,
)

if TYPE_CHECKING:
    from tests.support.postgres import Cluster

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"
_template: dict[str, Path] = {}


def pytest_configure(config: pytest.Config) -> None:
    try:
        on_postgres()
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.addinivalue_line(
        "markers", "sqlite_only(reason): checks what only a personal library's SQLite file has; "
                   "skipped with its reason when WORKBENCH_TEST_DATABASE=postgres")


def _opens_libraries(item: pytest.Item) -> bool:
    """Whether the test's library follows the run's engine: it comes from ``library_path``
    (or ``wb``), or its module uses tests/support/libraries.py's helpers."""
    if "library_path" in getattr(item, "fixturenames", ()):
        return True
    names = vars(getattr(item, "module", None) or object)
    return any(getattr(v, "opens_libraries", False) is True for v in names.values())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not on_postgres():
        return
    kept, left = [], []
    for item in items:
        if not _opens_libraries(item):
            left.append(item)  # no library of the run's engine: the SQLite run has it all
            continue
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))
        kept.append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture
def corpus_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="session")
def pg_cluster() -> Cluster:
    """This test process's throwaway PostgreSQL cluster (tests/support/postgres.py)."""
    from tests.support.postgres import process_cluster

    return process_cluster()


@pytest.fixture(autouse=True)
def _drop_the_tests_databases() -> Iterator[None]:
    """On PostgreSQL, drop the databases of the libraries a test made (its fixtures' too:
    autouse, this is set up before them and torn down after them); a module's or a process's
    prepared library is made before the mark or copied from, and kept."""
    if not on_postgres():
        yield
        return
    mark = databases_made()
    yield
    drop_databases_since(mark)


@pytest.fixture
def library_path(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh, empty library folder, copied from a prepared one (migrations run once); on
    PostgreSQL (``WORKBENCH_TEST_DATABASE=postgres``) a shared library's marker folder whose
    database is cloned from a prepared one."""
    dest = tmp_path / "library"
    if on_postgres():
        yield make_library(dest)  # dropped at the teardown (_drop_the_tests_databases)
        return
    if "lib" not in _template:
        from workbench.library import Library

        base = tmp_path_factory.mktemp("template") / "lib"
        Library.create(base, program="tests").close()
        _template["lib"] = base
    shutil.copytree(_template["lib"], dest)
    yield dest


@pytest.fixture
def wb(library_path: Path) -> Iterator[object]:
    from workbench.services import Workbench

    with Workbench.open(library_path) as bench:
        yield bench
