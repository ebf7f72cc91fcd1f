"""A library on a read-only filesystem (a read-only bind mount, built in a mount namespace):
every reading command works, export writes outside the library, and every write says in one
line that the library is read-only."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.core.test_dossier_fixtures import REPORT, corpus_library, doc_ids
from tests.support.fsconditions import Run, read_only, require_unshare, run_cli


@pytest.fixture(params=["closed", "copied while open"])
def library(request: pytest.FixtureRequest, tmp_path: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The library as a clean close leaves it (no ``-wal``/``-shm`` beside the database), or
    a copy taken while it was open (its latest changes still in ``-wal``)."""
    from workbench.services import Workbench

    lib = corpus_library(tmp_path / "lib", tmp_path_factory.getbasetemp())
    with Workbench.open(lib, program="tests") as wb:
        doc = doc_ids(wb)[REPORT]
        h = wb.add_highlight(doc, quote="long-overdue report", tags=["Findings"]).highlight_ids[0]
        d = wb.create_dossier("Evidence").dossier_ids[0]
        wb.add_item(d, highlight=h)
        wb.wait_for_index()
        if request.param == "copied while open":
            copy = tmp_path / "copy"
            shutil.copytree(lib, copy)
            assert (copy / "library.sqlite-wal").stat().st_size > 0
            return copy
    assert not (lib / "library.sqlite-wal").exists()
    return lib


def _events(lib: Path) -> int:
    con = sqlite3.connect(f"file:{lib / 'library.sqlite'}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM audit_events").fetchone()[0])
    finally:
        con.close()


def _clean(run: Run) -> None:
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, \
        f"{run.argv}: {run.stderr}"


def test_a_read_only_library_reads_and_exports(library: Path, tmp_path: Path) -> None:
    require_unshare()
    before = _events(library)
    files = set(p.relative_to(library) for p in library.rglob("*"))
    out = tmp_path / "out"
    out.mkdir()
    lib = ["--library", str(library), "--json"]
    runs = run_cli(read_only(library), [
        [*lib, "list"], [*lib, "show", "1", "--text"], [*lib, "search", "Obokata"],
        [*lib, "audit"], [*lib, "highlight", "list"], [*lib, "highlight", "show", "1"],
        [*lib, "tag", "list"], [*lib, "dossier", "list"], [*lib, "dossier", "show", "1"],
        [*lib, "verify"],
        [*lib, "dossier", "export", "1", "--format", "docx", "-o", str(out / "e.docx")],
        [*lib, "dossier", "export", "1", "--format", "bundle", "-o", str(out / "b.zip")],
    ])
    for run in runs:
        _clean(run)
        assert run.code == 0, (run.argv, run.stderr)
    listed, shown, found = runs[0].json(), runs[1].json(), runs[2].json()
    assert len(listed) == 3 and "long-overdue report" in shown["text"]
    assert found["total"] == 1 and "Obokata" in found["hits"][0]["snippet"]
    assert runs[3].json() and runs[4].json()[0]["quote"] == "long-overdue report"
    assert [t["path"] for t in runs[6].json()] == ["Findings"]
    verified = runs[9].json()
    assert verified["ok"] and verified["recorded"] is False
    assert "read-only" in runs[9].stderr  # says the check was not recorded
    exported = runs[10].json()
    assert Path(exported["path"]).is_file() and exported["recorded"] is False
    assert (out / "b.zip").is_file()
    # nothing was written to the library: no event, no new file (no -shm, no lock, no tmp)
    assert _events(library) == before
    assert set(p.relative_to(library) for p in library.rglob("*")) == files


@pytest.mark.parametrize("library", ["closed"], indirect=True)
def test_every_write_says_the_library_is_read_only(library: Path, tmp_path: Path) -> None:
    require_unshare()
    text = tmp_path / "note.txt"
    text.write_text("a new note to import", encoding="utf-8")
    lib = ["--library", str(library)]
    runs = run_cli(read_only(library), [
        [*lib, "import", str(text)], [*lib, "edit", "1", "--title", "New"],
        [*lib, "delete", "2"], [*lib, "tag", "add", "Other"],
        [*lib, "highlight", "add", "1", "--quote", "report"],
        [*lib, "dossier", "create", "Another"], [*lib, "reindex"],
        [*lib, "dossier", "export", "1", "--format", "html", "-o",
         str(library / "inside.html")],
    ])
    for run in runs[:-1]:
        _clean(run)
        assert run.code == 1, (run.argv, run.stderr)
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1, run.stderr
        assert "is read-only (its folder cannot be written)" in lines[0]
        assert str(library) in lines[0]
    inside = runs[-1]  # an export into the read-only folder itself: refused, one line
    _clean(inside)
    assert inside.code == 1 and "not writable" in inside.stderr
