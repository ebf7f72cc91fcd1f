"""The search engine's format code is verified against one Whoosh; another one is refused.

``index/bulk.py`` writes Whoosh's segment files itself and ``index/bulkquery.py`` cuts ids
and weights out of its pickled posting blocks: code that reads and writes another version's
files would answer wrongly, not fail. So the installed Whoosh must be the verified version
(pinned exactly in pyproject.toml), and with any other one the index is neither read nor
written: searching says why in one sentence, and the index on disk is left untouched, so
putting the pinned version back is all it takes (docs/SEARCH_ENGINE.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from workbench.errors import SearchEngineMismatch
from workbench.services import Workbench

ROOT = Path(__file__).resolve().parents[2]
OTHER = "2.7.4"  # the original Whoosh's last release: same API, unverified here

pytestmark = pytest.mark.sqlite_only(
    "the Whoosh index in a personal library's folder; a shared library is searched by its "
    "server's index (tests/pg/test_pg_search.py)")


def _index_files(library: Path) -> dict[str, tuple[int, int]]:
    """Every file of the index but the ids of edits kept for the next writer."""
    root = library / "index"
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != "pending.json"}


@pytest.fixture
def indexed(library_path: Path, tmp_path: Path) -> Path:
    """A library with one document, indexed, closed."""
    doc = tmp_path / "report.txt"
    doc.write_text("Forced labour in the region, said the rapporteur's report.\n",
                   encoding="utf-8")
    with Workbench.open(library_path) as wb:
        wb.import_paths([doc])
        assert wb.wait_for_index(60)
        assert [h.document_id for h in wb.search("rapporteur").hits] == [1]
    return library_path


@pytest.fixture
def other_whoosh(monkeypatch: pytest.MonkeyPatch) -> None:
    import whoosh

    monkeypatch.setattr(whoosh, "versionstring", lambda *a, **k: OTHER)


def test_the_installed_whoosh_is_the_verified_one() -> None:
    """Fails loudly in an environment with another Whoosh (and when the pin drifts)."""
    import whoosh

    from workbench.search.whoosh import whoosh_pin

    assert whoosh.versionstring() == whoosh_pin.VERIFIED
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in deps["project"]["dependencies"] if d.lower().startswith("whoosh")]
    assert pins == [f"{whoosh_pin.DISTRIBUTION}=={whoosh_pin.VERIFIED}"]


def test_another_whoosh_is_refused_and_the_index_left_alone(
        indexed: Path, other_whoosh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _index_files(indexed)
    with Workbench.open(indexed) as wb:  # writable: no check, repair or rebuild may run
        with pytest.raises(SearchEngineMismatch) as err:
            wb.search("rapporteur")
        message = str(err.value)
        assert OTHER in message and "whoosh-reloaded==2.7.5" in message
        with pytest.raises(SearchEngineMismatch):
            wb.search_in_document(1, "rapporteur")
        with pytest.raises(SearchEngineMismatch):
            wb.reindex()
        status = wb.index_status()  # never fails: it says why
        assert status["state"] == "unavailable"
        assert OTHER in status["problem"]
        # The library works meanwhile; the index's own check would not see a new title,
        # so the edit is kept for the next writer.
        wb.edit_document(1, title="Renamed")
        assert wb.wait_for_index(5)
    assert _index_files(indexed) == before
    assert (indexed / "index" / "pending.json").is_file()

    monkeypatch.undo()  # the pinned version is back: the same index answers, caught up
    with Workbench.open(indexed) as wb:
        assert wb.wait_for_index(60)
        assert [h.document_id for h in wb.search("rapporteur").hits] == [1]
        assert [h.title for h in wb.search("renamed").hits] == ["Renamed"]
        assert wb.index_status()["last_rebuild_reason"] is None  # no rebuild was needed
    assert not (indexed / "index" / "pending.json").exists()


def test_the_engine_itself_refuses_to_open_or_create_an_index(
        indexed: Path, other_whoosh: None) -> None:
    from workbench.search.whoosh import engine

    before = sorted(p.name for p in (indexed / "index").iterdir())
    with pytest.raises(SearchEngineMismatch):
        engine.open_current(indexed / "index")
    with pytest.raises(SearchEngineMismatch):
        engine.new_generation(indexed / "index")
    assert sorted(p.name for p in (indexed / "index").iterdir()) == before


DRIVER = (
    "import sys, whoosh\n"
    f"whoosh.versionstring = lambda *a, **k: {OTHER!r}\n"
    "from workbench.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_cli_search_with_another_whoosh_fails_in_one_line(indexed: Path) -> None:
    env = dict(os.environ, WORKBENCH_LIBRARY=str(indexed))
    run = subprocess.run([sys.executable, "-c", DRIVER, "search", "rapporteur"], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode not in (0, 2), run
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("workbench: error: ")
    assert "whoosh-reloaded==2.7.5" in lines[0] and OTHER in lines[0]
    assert "internal error" not in lines[0]


def test_kept_edits_that_cannot_be_read_lead_to_a_rebuild(indexed: Path) -> None:
    (indexed / "index" / "pending.json").write_bytes(b"\x00not json")
    with Workbench.open(indexed) as wb:
        assert wb.wait_for_index(60)
        assert "unreadable" in (wb.index_status()["last_rebuild_reason"] or "")
        assert [h.document_id for h in wb.search("rapporteur").hits] == [1]
    assert not (indexed / "index" / "pending.json").exists()
