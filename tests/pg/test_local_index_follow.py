"""A desktop's own Whoosh index of a shared case follows the database's change sequence while
the case is open (issue 19 part 4, WORKBENCH_SHARED_SEARCH=local): what another desktop
imports is found by the local search within seconds, what it deletes is no longer found."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.pg.test_shared_concurrency import make_shared
from workbench.services import Workbench


def _found(wb: Workbench, word: str) -> list[int]:
    return [h.document_id for h in wb.search(word, facets=False).hits]


def _within(seconds: float, ok: object) -> float:
    started = time.monotonic()
    while not ok():  # type: ignore[operator]
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        time.sleep(0.05)
    return time.monotonic() - started


def test_a_colleagues_import_and_deletion_reach_my_local_index_while_it_is_open(
        pg_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    marker = make_shared(pg_db, tmp_path, capsys)
    monkeypatch.setenv("WORKBENCH_SHARED_SEARCH", "local")
    # two desktops: each its own cache folder, so its own local index
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "mine"))
    mine = Workbench.open(marker)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "theirs"))
    theirs = Workbench.open(marker)
    try:
        assert mine.index_status()["backend"] == "whoosh"
        assert mine.library.index_dir != theirs.library.index_dir
        listener = mine.listen_for_changes(lambda: None)
        assert listener is not None
        _within(10, lambda: listener.listening)

        report, _ = theirs.import_paths([CORPUS / "un-report-crimes-against-humanity.txt"])
        doc = report.imported[0].document_id
        took = _within(2.0, lambda: doc in _found(mine, "Bachelet"))
        print(f"found by the local index {took:.2f} s after the commit")

        theirs.delete_document(doc)
        _within(2.0, lambda: doc not in _found(mine, "Bachelet"))
    finally:
        mine.close()
        theirs.close()


def test_a_tag_renamed_moved_merged_or_deleted_elsewhere_is_searched_by_its_new_name_only(
        pg_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    marker = make_shared(pg_db, tmp_path, capsys)
    monkeypatch.setenv("WORKBENCH_SHARED_SEARCH", "local")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "mine"))
    mine = Workbench.open(marker)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "theirs"))
    theirs = Workbench.open(marker)
    try:
        listener = mine.listen_for_changes(lambda: None)
        assert listener is not None
        _within(10, lambda: listener.listening)
        report, _ = theirs.import_paths([CORPUS / "un-report-crimes-against-humanity.txt"])
        doc = report.imported[0].document_id
        for path in ("Ochre", "Umber", "Sienna", "Cobalt", "Cobalt/Teal"):
            theirs.tag_document(doc, path)
        _within(2.0, lambda: doc in _found(mine, 'tag:"Cobalt/Teal"'))

        took: dict[str, float] = {}
        theirs.rename_tag("Ochre", "Saffron")
        took["rename"] = _within(2.0, lambda: doc in _found(mine, 'tag:"Saffron"'))
        assert doc not in _found(mine, 'tag:"Ochre"')

        theirs.move_tag("Umber", "Saffron")
        took["move"] = _within(2.0, lambda: doc in _found(mine, 'tag:"Saffron/Umber"'))

        theirs.merge_tags("Sienna", "Saffron")  # Sienna's links go to Saffron, Sienna goes
        took["merge"] = _within(2.0, lambda: doc not in _found(mine, 'tag:"Sienna"'))

        # a deleted tag (with its sub-tag and their links) leaves no trace in my index
        theirs.delete_tag("Cobalt", cascade=True)
        took["delete"] = _within(2.0, lambda: doc not in _found(mine, 'tag:"Cobalt"'))
        print("seen by the local index after the commit:",
              ", ".join(f"{k} {v:.2f} s" for k, v in took.items()))
        assert doc not in _found(mine, 'tag:"Teal"')
        assert doc in _found(mine, 'tag:"Saffron"')
    finally:
        mine.close()
        theirs.close()


def _open_mine(marker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               what: str = "") -> Workbench:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "mine"))
    started, cpu = time.monotonic(), time.process_time()
    wb = Workbench.open(marker)
    assert wb.wait_for_index(60)
    if what:
        print(f"{what}: open + index idle {time.monotonic() - started:.2f} s, "
              f"{time.process_time() - cpu:.2f} CPU-s")
    return wb


def test_what_a_colleague_changed_while_my_library_was_closed_reaches_my_index_on_opening(
        pg_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    marker = make_shared(pg_db, tmp_path, capsys)
    monkeypatch.setenv("WORKBENCH_SHARED_SEARCH", "local")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "theirs"))
    theirs = Workbench.open(marker)
    try:
        report, _ = theirs.import_paths([CORPUS / "un-report-crimes-against-humanity.txt",
                                         CORPUS / "un-special-rapporteur-forced-labour.txt"])
        a, b = (o.document_id for o in report.imported)
        for path in ("Ochre", "Cobalt/Teal"):
            theirs.tag_document(a, path)
        mine = _open_mine(marker, tmp_path, monkeypatch)  # my index is built, then closed
        assert a in _found(mine, 'tag:"Ochre"')
        mine.close()

        theirs.rename_tag("Ochre", "Saffron")
        theirs.delete_tag("Cobalt", cascade=True)
        theirs.tag_document(b, "Umber")
        theirs.add_to_collection([b], "Hearings")

        mine = _open_mine(marker, tmp_path, monkeypatch, "followed on from its position")
        try:
            assert mine.index_activity()["last_rebuild_reason"] is None  # caught up, not rebuilt
            assert _found(mine, 'tag:"Saffron"') == [a]
            assert _found(mine, 'tag:"Ochre"') == []
            assert _found(mine, 'tag:"Cobalt"') == [] and _found(mine, 'tag:"Teal"') == []
            assert _found(mine, 'tag:"Umber"') == [b]
            assert _found(mine, 'collection:"Hearings"') == [b]
        finally:
            mine.close()

        # A position my index cannot trust is not followed: the index is rebuilt. Ahead of
        # the database (restored from an older dump), naming an event whose hash is not the
        # database's (another history), or another library's (a copied cache folder).
        followed = next((tmp_path / "mine").rglob("followed.json"))
        names = ["Saffron", "Vermilion", "Carmine", "Madder"]
        for n, wrong in enumerate(({"seq": 1000}, {"hash": "0" * 64}, {"library_id": "x"})):
            data = json.loads(followed.read_text(encoding="utf-8"))
            bad = {k: (data[k] + v if k == "seq" else v) for k, v in wrong.items()}
            followed.write_text(json.dumps({**data, **bad}), encoding="utf-8")
            theirs.rename_tag(names[n], names[n + 1])
            mine = _open_mine(marker, tmp_path, monkeypatch,
                              f"position not trusted ({', '.join(wrong)}), rebuilt")
            try:
                reason = mine.index_activity()["last_rebuild_reason"] or ""
                assert "change sequence" in reason or "no longer in the database" in reason
                assert _found(mine, f'tag:"{names[n + 1]}"') == [a]
                assert _found(mine, f'tag:"{names[n]}"') == []
            finally:
                mine.close()
            # the rebuilt index's own position replaced the one it could not trust
            assert json.loads(followed.read_text(encoding="utf-8")) != {**data, **bad}
            assert json.loads(followed.read_text(encoding="utf-8"))["seq"] > data["seq"]
    finally:
        theirs.close()
