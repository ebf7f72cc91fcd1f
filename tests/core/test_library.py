"""Library folders: creation, the writer lock, read-only access, upgrades with a backup."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from workbench import store
from workbench.errors import LibraryError, LibraryLocked, NotFound
from workbench.library import Library
from workbench.services import Workbench
from workbench.store import current_revision, head_revision


@pytest.mark.sqlite_only("a personal library's folder layout: its SQLite file beside the originals")
def test_layout(library_path: Path) -> None:
    names = {p.name for p in library_path.iterdir()}
    assert {"workbench-library.json", "library.sqlite", "originals"} <= names


@pytest.mark.sqlite_only("the single-writer lock file of a personal library; a shared library has "
                         "none: several people write at once (tests/pg/test_concurrent_writers.py)")
def test_second_writer_gets_a_clear_message(library_path: Path) -> None:
    with Library.open(library_path):
        with pytest.raises(LibraryLocked) as err:
            Library.open(library_path)
        assert f"process {os.getpid()}" in str(err.value)
        # readers are still welcome
        with Library.open(library_path, writable=False) as reader:
            assert not reader.writable


@pytest.mark.sqlite_only("the single-writer lock file of a personal library; a shared library has "
                         "none: several people write at once (tests/pg/test_concurrent_writers.py)")
def test_lock_held_by_another_process_and_taken_over_after_it_dies(library_path: Path) -> None:
    code = textwrap.dedent(f"""
        import sys, time
        from workbench.library import Library
        lib = Library.open({str(library_path)!r}, program="holder")
        print("locked", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        with pytest.raises(LibraryLocked) as err:
            Library.open(library_path)
        assert f"process {proc.pid}" in str(err.value) and "holder" in str(err.value)
    finally:
        proc.kill()  # a killed process leaves its lock file behind...
        proc.wait()
    info = json.loads((library_path / "library.lock").read_text())
    assert info["pid"] == proc.pid
    with Library.open(library_path) as lib:  # ...which is stale and taken over
        assert lib.writable


def test_not_a_library(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="No Workbench library"):
        Library.open(tmp_path)
    (tmp_path / "stuff.txt").write_text("x")
    with pytest.raises(LibraryError, match="not empty"):
        Library.create(tmp_path)


def test_read_only_library_refuses_writes(library_path: Path, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("text")
    with Workbench.open(library_path, writable=False) as wb, pytest.raises(LibraryError):
        wb.import_paths([tmp_path / "a.txt"])


def test_opening_an_older_library_upgrades_after_a_backup(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A library at an older revision is upgraded to head, with a backup taken first."""
    lib_dir = tmp_path / "old"
    with Library.create(lib_dir) as lib:
        old_head = current_revision(lib.store.engine)
    # A newer release: the same revisions plus one that adds a column.
    newer = tmp_path / "migrations"
    shutil.copytree(store.MIGRATIONS_DIR, newer, ignore=shutil.ignore_patterns("__pycache__"))
    (newer / "versions" / "9999_test_add_column.py").write_text(textwrap.dedent(f'''
        """test-only revision"""
        from alembic import op
        import sqlalchemy as sa
        revision = "9999_test"
        down_revision = {old_head!r}
        branch_labels = None
        depends_on = None
        def upgrade() -> None:
            with op.batch_alter_table("documents") as batch:
                batch.add_column(sa.Column("test_flag", sa.Integer(), nullable=True))
        def downgrade() -> None:
            with op.batch_alter_table("documents") as batch:
                batch.drop_column("test_flag")
    '''))
    monkeypatch.setattr(store, "MIGRATIONS_DIR", newer)
    with Library.open(lib_dir) as lib:
        assert current_revision(lib.store.engine) == "9999_test" == head_revision(
            lib.store.engine)
    con = sqlite3.connect(lib_dir / "library.sqlite")
    assert "test_flag" in [r[1] for r in con.execute("PRAGMA table_info(documents)")]
    con.close()
    [backup] = list((lib_dir / "backups").glob(f"*pre-upgrade-{old_head}*.sqlite"))
    con = sqlite3.connect(backup)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == old_head
    con.close()


def test_read_only_open_of_an_outdated_library_asks_for_an_upgrade(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lib_dir = tmp_path / "lib"
    Library.create(lib_dir).close()
    con = sqlite3.connect(lib_dir / "library.sqlite")
    con.execute("UPDATE alembic_version SET version_num = '0002'")  # a known, older one
    con.commit()
    con.close()
    with pytest.raises(LibraryError, match="needs an upgrade"):
        Library.open(lib_dir, writable=False)
