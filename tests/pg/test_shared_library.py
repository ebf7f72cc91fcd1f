"""A shared library on PostgreSQL, end to end through the command line: init, import the
corpus, search, highlight, tag, dossier, export, verify (issue 19, phase 1)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS
from tests.support.postgres import Cluster
from workbench.cli import main


class Cli:
    def __init__(self, marker: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.marker, self.capsys = marker, capsys
        self.err = ""

    def __call__(self, *args: str, code: int = 0) -> Any:
        self.capsys.readouterr()
        rc = main(["--library", str(self.marker), *args, "--json"])
        out, self.err = self.capsys.readouterr()
        assert rc == code, self.err
        return json.loads(out) if rc == 0 else None


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # a desktop's local index of a shared case lives in its per-user cache folder
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_shared_library_works_end_to_end(pg_db: str, tmp_path: Path, cache_home: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    marker, store = tmp_path / "team-case", tmp_path / "share" / "originals"
    cli = Cli(marker, capsys)
    made = cli("init", "--database", pg_db, "--store", str(store), "--name", "Xinjiang")
    assert made["shared"] is True and made["store"] == str(store)
    saved = json.loads((marker / "workbench-library.json").read_text())
    assert saved["database"] == pg_db and saved["store"] == str(store)
    assert saved["name"] == "Xinjiang" and len(saved["library_id"]) >= 16
    assert not (marker / "library.sqlite").exists()

    imported = cli("import", str(CORPUS))
    assert len(imported["imported"]) == 4, imported  # 3 articles and a README
    docs = {d["title"].split(":")[0]: d for d in cli("list")}
    report = docs["UN Report"]
    # the original in the shared store, write-once by its SHA-256, as in a personal library
    raw = (CORPUS / "un-report-crimes-against-humanity.txt").read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    assert (store / sha[:2] / sha[2:4] / sha).read_bytes() == raw

    hits = cli("search", "Bachelet")
    assert report["id"] in [h["document_id"] for h in hits["hits"]]
    # searched by the server's own index (issue 19 part 4): no local index to build
    assert cli("index-status")["backend"] == "postgres"
    assert not list((cache_home / "Workbench").rglob(saved["library_id"]))

    h = cli("highlight", "add", str(report["id"]), "--quote",
            "Michelle Bachelet finally released her long-overdue report on Xinjiang",
            "--tag", "Findings/Report")
    hid = h["id"]
    d = cli("dossier", "create", "Team dossier", "--prefix", "T-")["id"]
    assert cli("dossier", "add", str(d), "--highlight", str(hid))["label"] == "T-1"
    out = tmp_path / "team.html"  # HTML: the quickest format, through the same export path
    cli("dossier", "export", str(d), "--format", "html", "-o", str(out))
    assert "long-overdue report" in out.read_text(encoding="utf-8")

    checked = cli("verify")
    assert checked["ok"] is True, checked["problems"]
    assert checked["documents_checked"] == 4 and checked["audit_events_checked"] >= 6


def test_a_second_desktop_opens_the_same_shared_library(pg_db: str, tmp_path: Path,
                                                        cache_home: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    first = Cli(tmp_path / "a", capsys)
    first("init", "--database", pg_db, "--store", str(tmp_path / "store"))
    first("import", str(CORPUS / "un-special-rapporteur-forced-labour.txt"))
    # the marker is all a colleague needs (here: a copy of it); no lock keeps them out
    copy = tmp_path / "b"
    copy.mkdir()
    (copy / "workbench-library.json").write_bytes(
        (tmp_path / "a" / "workbench-library.json").read_bytes())
    second = Cli(copy, capsys)
    assert [d["title"] for d in second("list")] == [d["title"] for d in first("list")]
    assert second("search", "rapporteur")["hits"]


def test_a_password_never_goes_into_the_marker(pg_cluster: Cluster, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql://postgres:secret@localhost/nowhere"
    cli = Cli(tmp_path / "m", capsys)
    cli("init", "--database", url, "--store", str(tmp_path / "s"), code=2)
    assert "password" in cli.err and "secret" not in cli.err
    assert not (tmp_path / "m" / "workbench-library.json").exists()


def test_a_marker_pointing_at_another_librarys_database_is_refused(
        pg_cluster: Cluster, tmp_path: Path, cache_home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    one, two = pg_cluster.new_database(), pg_cluster.new_database()
    try:
        a, b = Cli(tmp_path / "a", capsys), Cli(tmp_path / "b", capsys)
        a("init", "--database", pg_cluster.url(one), "--store", str(tmp_path / "s1"))
        b("init", "--database", pg_cluster.url(two), "--store", str(tmp_path / "s2"))
        saved = json.loads((tmp_path / "a" / "workbench-library.json").read_text())
        saved["database"] = pg_cluster.url(two)
        (tmp_path / "a" / "workbench-library.json").write_text(json.dumps(saved))
        a("list", code=1)
        assert "another library" in a.err
    finally:
        pg_cluster.drop_database(one)
        pg_cluster.drop_database(two)


def test_gc_leaves_a_fresh_stray_in_the_shared_store_for_others_imports(
        pg_db: str, tmp_path: Path, cache_home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    import os
    import time

    store = tmp_path / "store"
    cli = Cli(tmp_path / "case", capsys)
    cli("init", "--database", pg_db, "--store", str(store))
    # what another desktop's import has just stored and is about to commit a document for
    data = b"stored by a colleague's import, not yet committed"
    fresh = hashlib.sha256(data).hexdigest()
    (store / fresh[:2] / fresh[2:4]).mkdir(parents=True)
    (store / fresh[:2] / fresh[2:4] / fresh).write_bytes(data)
    old_data = b"left by an import killed last week"
    old = hashlib.sha256(old_data).hexdigest()
    (store / old[:2] / old[2:4]).mkdir(parents=True)
    (store / old[:2] / old[2:4] / old).write_bytes(old_data)
    week_ago = time.time() - 7 * 24 * 3600
    os.utime(store / old[:2] / old[2:4] / old, (week_ago, week_ago))
    assert cli("gc")["removed"] == [old]
    assert (store / fresh[:2] / fresh[2:4] / fresh).exists()
