"""The core run on PostgreSQL drops each test's libraries at its teardown
(tests/support/libraries.py): hundreds of clones kept to the cluster's end fill its disk and
catalog. A prepared library that tests copy from is kept for the next test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import libraries
from tests.support.postgres import Cluster

pytestmark = pytest.mark.postgres


def _databases(pg_cluster: Cluster) -> set[str]:
    import psycopg

    with psycopg.connect(pg_cluster.url()) as conn:
        return {r[0] for r in conn.execute("SELECT datname FROM pg_database")}


def test_a_tests_own_libraries_are_dropped_and_a_prepared_one_kept(
        pg_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(libraries.DATABASE_ENV, "postgres")
    prepared = libraries.make_library(tmp_path / "prepared")  # a module's cache, say
    mark = libraries.databases_made()
    before = _databases(pg_cluster)
    mine = libraries.make_library(tmp_path / "mine")
    copy = libraries.copy_library(prepared, tmp_path / "copy")
    first = libraries.copy_library(tmp_path / "mine", tmp_path / "first")
    made = {str(libraries.database_of(p)) for p in (mine, copy, first)}
    assert made <= _databases(pg_cluster) and not made & before

    libraries.drop_databases_since(mark)
    left = _databases(pg_cluster)
    assert str(libraries.database_of(prepared)) in left
    assert not {str(libraries.database_of(p)) for p in (copy, first)} & left
    # copied from within the test: another test's cache could be built that way, so kept
    assert str(libraries.database_of(mine)) in left
    copy_again = libraries.copy_library(prepared, tmp_path / "again")
    assert str(libraries.database_of(copy_again)) in _databases(pg_cluster)
