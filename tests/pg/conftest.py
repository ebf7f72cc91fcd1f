"""Fixtures of the PostgreSQL tests: one throwaway cluster per test process (``pg_cluster``,
in tests/conftest.py, which the core run on PostgreSQL shares), a database per test.

Every test in this folder is marked ``postgres``; without the server binaries they skip (or,
with ``WORKBENCH_REQUIRE_POSTGRES=1``, fail: see tests/support/postgres.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.postgres import Cluster


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture
def pg_empty(pg_cluster: Cluster) -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    name = pg_cluster.new_database()
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


@pytest.fixture(scope="session")
def pg_template(pg_cluster: Cluster) -> str:
    """A database migrated to head once, which ``pg_db`` clones."""
    from workbench.store import upgrade
    from workbench.store_pg import make_pg_engine

    name = pg_cluster.new_database()
    engine = make_pg_engine(pg_cluster.url(name))
    try:
        upgrade(engine, None)
    finally:
        engine.dispose()  # a template must have no connection left when it is cloned
    return name


@pytest.fixture
def pg_db(pg_cluster: Cluster, pg_template: str) -> Iterator[str]:
    """The URL of a new database already at the schema's head (no library in it yet)."""
    name = pg_cluster.new_database(template=pg_template)
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)
