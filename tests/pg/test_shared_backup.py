"""A shared library is backed up on its server, not by ``workbench backup``: the command says
so in one line instead of failing inside SQLite's backup of a database that is not SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main


def test_backup_of_a_shared_library_points_at_the_server(
        pg_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    marker = tmp_path / "case"
    assert main(["--library", str(marker), "init", "--database", pg_db,
                 "--store", str(tmp_path / "originals"), "--json"]) == 0
    capsys.readouterr()
    rc = main(["--library", str(marker), "backup", str(tmp_path / "copy")])
    err = capsys.readouterr().err
    assert rc == 1, err
    assert "pg_dump" in err and "Traceback" not in err and len(err.strip().splitlines()) <= 2
    assert not (tmp_path / "copy").exists()
