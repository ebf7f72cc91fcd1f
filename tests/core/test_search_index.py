"""The index as derived data: drift repair, rebuilds, the writer, read-only use, bad queries."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.errors import UserError
from workbench.library import Library
from workbench.search.whoosh.engine import POINTER, commit_guarded, open_current, read_pointer
from workbench.services import Workbench

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def imported(wb: Workbench) -> dict[str, int]:
    report, _ = wb.import_paths(sorted(CORPUS.glob("*.txt")))
    return {Path(o.path).stem: o.document_id for o in report.outcomes if o.document_id}


WHOOSH_FOLDER = pytest.mark.sqlite_only(
    "the Whoosh index in a personal library's folder (its files, pointer, sidecars, rebuilds); a "
    "shared library is searched by its server's index (tests/pg/test_pg_search.py)")


def hits(wb: Workbench, query: str) -> set[int]:
    return {h.document_id for h in wb.search(query, limit=50).hits}


def current_dir(library_path: Path) -> Path:
    ptr = read_pointer(library_path / "index")
    assert ptr is not None
    return library_path / "index" / str(ptr["current"])


def test_new_document_is_searchable_within_two_seconds(wb: Workbench, tmp_path: Path) -> None:
    imported(wb)
    assert wb.wait_for_index(30)
    doc = tmp_path / "fresh.txt"
    doc.write_text("Zyxwvut appears only in this fresh document.\n", encoding="utf-8")
    wb.import_paths([doc])
    committed = time.monotonic()
    while not hits(wb, "zyxwvut"):
        assert time.monotonic() - committed < 2.0, "not searchable 2 s after its import"
        time.sleep(0.02)


def test_close_drains_the_queue_for_the_next_process(library_path: Path) -> None:
    with Workbench.open(library_path) as wb:
        ids = imported(wb)  # no wait: close() must finish the index work
    with Workbench.open(library_path, writable=False) as ro:
        assert ids["un-special-rapporteur-forced-labour"] in hits(ro, "Obokata")


def test_edits_and_deletions_reach_the_index(wb: Workbench) -> None:
    ids = imported(wb)
    fl = ids["un-special-rapporteur-forced-labour"]
    wb.edit_document(fl, title="Renamed zebra report")
    wb.wait_for_index(10)
    assert hits(wb, "title:zebra") == {fl}
    wb.delete_document(fl)
    wb.wait_for_index(10)
    assert hits(wb, "Obokata") == set()
    assert wb.index_status()["indexed_documents"] == len(ids) - 1


@WHOOSH_FOLDER
def test_deleted_index_folder_is_rebuilt(library_path: Path) -> None:
    with Workbench.open(library_path) as wb:
        ids = imported(wb)
    shutil.rmtree(library_path / "index")
    with Workbench.open(library_path) as wb:
        assert wb.wait_for_index(30)
        assert ids["un-special-rapporteur-forced-labour"] in hits(wb, "Obokata")
        assert wb.index_status()["last_rebuild_reason"] == "missing"


@pytest.mark.sqlite_only("deletes a row through the library's SQLite file, behind its back")
def test_document_removed_behind_the_index_back(library_path: Path) -> None:
    with Workbench.open(library_path) as wb:
        ids = imported(wb)
    gone = ids["un-special-rapporteur-forced-labour"]
    con = sqlite3.connect(library_path / "library.sqlite")
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("DELETE FROM documents WHERE id = ?", (gone,))
    con.commit()
    con.close()
    # A reader sees the stale index but never a document the database no longer has.
    with Workbench.open(library_path, writable=False) as ro:
        r = ro.search("Obokata")
        assert r.total == 0 and r.hits == []
    with Workbench.open(library_path) as wb:  # the writer's check removes it from the index
        assert wb.wait_for_index(30)
        st = wb.index_status()
        assert st["indexed_documents"] == st["database_documents"] == len(ids) - 1
        assert st["last_rebuild_reason"] is None  # repaired, not rebuilt


def test_document_added_behind_the_index_back_is_indexed(library_path: Path) -> None:
    with Library.open(library_path, attach_index=False) as lib:
        wb = Workbench(lib)
        ids = imported(wb)
    with Workbench.open(library_path) as wb:
        assert wb.wait_for_index(30)
        assert ids["un-special-rapporteur-forced-labour"] in hits(wb, "Obokata")


@WHOOSH_FOLDER
@pytest.mark.parametrize("damage", ["toc", "segment", "schema", "pointer"])
def test_damaged_index_is_rebuilt(library_path: Path, damage: str) -> None:
    with Workbench.open(library_path) as wb:
        ids = imported(wb)
    folder = current_dir(library_path)
    if damage == "toc":  # an empty TOC makes Whoosh raise a bare TypeError
        for toc in folder.glob("*.toc"):
            toc.write_bytes(b"")
    elif damage == "segment":
        damaged = [f for f in folder.iterdir() if f.suffix in (".trm", ".seg")]
        assert damaged
        for f in damaged:
            f.write_bytes(b"\0" * 64)
    elif damage == "schema":
        ptr = read_pointer(library_path / "index") or {}
        (library_path / "index" / POINTER).write_text(
            json.dumps({"schema": 0, "current": ptr["current"], "complete": True}))
    else:
        (library_path / "index" / POINTER).write_text("not json")
    with Workbench.open(library_path, writable=False) as ro, \
            pytest.raises(UserError, match="reindex"):
            ro.search("Obokata")
    with Workbench.open(library_path) as wb:
        assert wb.wait_for_index(30)
        assert ids["un-special-rapporteur-forced-labour"] in hits(wb, "Obokata")
        assert wb.index_status()["last_rebuild_reason"]


@WHOOSH_FOLDER
def test_damaged_sidecar_is_found_and_the_index_rebuilt(library_path: Path) -> None:
    """A sidecar (the rebuilt segment's postings, and the only copy of its positions) whose
    bytes were overwritten is found by its checksums when the library opens, and the index
    is rebuilt from the database: the same answers after."""
    from workbench.search.whoosh import sidecar

    with Workbench.open(library_path) as wb:
        imported(wb)
    shutil.rmtree(library_path / "index")
    queries = ["Obokata", '"forced labour"', "labo*", "detention NOT Obokata", "labor~1"]
    with Workbench.open(library_path) as wb:
        assert wb.wait_for_index(30)
        before = {q: hits(wb, q) for q in queries}
        st = wb.index_status()
        assert st["segments"] == st["segments_with_sidecar"] == 1
    assert all(before.values())
    [side] = current_dir(library_path).glob("*" + sidecar.EXT)
    good = side.read_bytes()
    bad = bytearray(good)
    bad[len(bad) // 2:len(bad) // 2 + 64] = b"\x07" * 64
    side.write_bytes(bytes(bad))
    assert sidecar.verify(side, 3) is not None
    with Workbench.open(library_path) as wb:
        assert wb.wait_for_index(30)
        assert {q: hits(wb, q) for q in queries} == before
        assert "checksum" in (wb.index_status()["last_rebuild_reason"] or "")
    [again] = current_dir(library_path).glob("*" + sidecar.EXT)
    assert sidecar.verify(again, 3) is None


@WHOOSH_FOLDER
def test_reader_answers_from_the_segments_when_a_sidecar_is_garbage(
        library_path: Path) -> None:
    """A read-only process cannot repair a sidecar; when its postings point outside the
    segment, the search answers from Whoosh's own files instead of from garbage."""
    import numpy as np

    from workbench.search.whoosh import sidecar

    with Workbench.open(library_path) as wb:
        imported(wb)
    shutil.rmtree(library_path / "index")
    queries = ["Obokata", "labo*", "detention NOT Obokata"]
    with Workbench.open(library_path) as wb:
        assert wb.wait_for_index(30)
        before = {q: hits(wb, q) for q in queries}
    [side] = current_dir(library_path).glob("*" + sidecar.EXT)
    raw = bytearray(side.read_bytes())
    header = json.loads(raw[12:12 + int.from_bytes(raw[4:12], "little")])
    off, dtype, n, _crc = header["sections"][header["fields"]["body"]["ids"]]
    size = np.dtype(dtype).itemsize * n
    raw[off:off + size] = np.full(n, np.iinfo(dtype).max, dtype=dtype).tobytes()
    side.write_bytes(bytes(raw))
    with Workbench.open(library_path, writable=False) as ro:
        assert {q: hits(ro, q) for q in queries} == before


@WHOOSH_FOLDER
def test_read_only_library_never_writes_the_index(library_path: Path) -> None:
    with Workbench.open(library_path) as wb:
        imported(wb)
    before = {p: p.stat().st_mtime_ns for p in (library_path / "index").rglob("*")}
    with Workbench.open(library_path, writable=False) as ro:
        assert hits(ro, "Obokata")
        ro.library.index.documents_changed([1, 2])
        ro.library.index.documents_removed([3])
        assert ro.wait_for_index(1)
        assert ro.index_status()["state"] == "read-only"
    after = {p: p.stat().st_mtime_ns for p in (library_path / "index").rglob("*")}
    assert before == after


def test_reindex_on_demand_with_progress(wb: Workbench) -> None:
    imported(wb)
    seen: list[tuple[int, int]] = []
    wb.reindex(progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] == wb.count_documents()
    assert hits(wb, "Obokata")


def test_searches_work_while_the_writer_writes(wb: Workbench, tmp_path: Path) -> None:
    imported(wb)
    wb.wait_for_index(30)
    for i in range(30):
        (tmp_path / f"d{i}.txt").write_text(f"Filler document {i} about quokkas.\n" * 50)
    wb.library.index.documents_changed([1, 2, 3])
    wb.import_paths(sorted(tmp_path.glob("d*.txt")))
    seen = set()
    while not wb.wait_for_index(0.01):
        seen.add(len(hits(wb, "Obokata")))
    assert seen <= {1}
    assert len(hits(wb, "quokkas")) == 30


@WHOOSH_FOLDER
def test_failed_commit_releases_the_write_lock(wb: Workbench) -> None:
    imported(wb)
    assert wb.wait_for_index(30)
    ix, _gen = open_current(wb.library.index_dir)
    writer = ix.writer()
    writer.add_document(id="999", body="x")

    def broken(*_a: object) -> None:
        raise OSError("disk full")

    writer._commit_toc = broken  # type: ignore[method-assign]
    with pytest.raises(OSError):
        commit_guarded(writer)
    ix.writer(timeout=0.5).cancel()  # the lock is free again
    ix.close()


MALFORMED = ['"forced labour', "(forced labour", "forced labour)", "AND", "OR", "NOT", "-",
             "a" * 10_000, "forced\x00labour\x07", "*", "?", "**", "tag:", "title:",
             "date:[2022 TO", "date:[x TO y]", "date:2022-13", '""', "()", "((((((((", ")))",
             "forced AND", "OR labour", "NOT NOT", "~", "forced~9", '"a b"~999',
             "\u202e\u2066", "x" * 999, "title:(", "a:b:c", "[1 TO 2]"]


@pytest.fixture(scope="module")
def corpus_wb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    wb = Workbench.open(tmp_path_factory.mktemp("malformed") / "lib", create=True)
    imported(wb)
    assert wb.wait_for_index(30)
    yield wb
    wb.close()


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_queries_give_a_message_or_plain_words(corpus_wb: Workbench,
                                                         query: str) -> None:
    wb = corpus_wb
    started = time.monotonic()
    try:
        result = wb.search(query)
    except UserError as exc:
        assert str(exc) and "Traceback" not in str(exc)
    else:
        assert result.total >= 0
    assert time.monotonic() - started < 1.0


def test_plain_word_fallback_says_so(corpus_wb: Workbench) -> None:
    r = corpus_wb.search('"forced labour')
    assert r.notice and "plain words" in r.notice
    assert r.total >= 1


@WHOOSH_FOLDER
def test_parallel_rebuild_keeps_every_document(wb: Workbench,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.search.whoosh import writer

    ids = imported(wb)
    monkeypatch.setattr(writer, "PARALLEL_MIN", 1)  # two writer processes even for 3 documents
    wb.reindex()
    assert wb.index_status()["indexed_documents"] == len(ids)
    assert ids["un-special-rapporteur-forced-labour"] in hits(wb, "Obokata")


@WHOOSH_FOLDER
def test_document_imported_during_a_rebuild_is_searchable_before_it_ends(
        wb: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from workbench.search.whoosh import rebuild

    imported(wb)
    assert wb.wait_for_index(60)
    gate, real = threading.Event(), rebuild.write_part

    def slow_part(db_url, folder, ids, progress, cancelled):  # type: ignore[no-untyped-def]
        for _ in range(600):  # a long rebuild: reports progress until the test lets it go
            if gate.wait(0.05):
                break
            progress(0)
        return real(db_url, folder, ids, progress, cancelled)

    monkeypatch.setattr(rebuild, "write_part", slow_part)
    worker = wb.library.index.worker  # type: ignore[attr-defined]
    worker.request_rebuild("test")
    assert wait_until(lambda: worker.progress.phase == "rebuilding", 10)
    doc = tmp_path / "during.txt"
    doc.write_text("Zanzibarquux was added while the index was being rebuilt.\n")
    wb.import_paths([doc])
    try:
        assert wait_until(lambda: wb.search("zanzibarquux", limit=1).total == 1, 10)
        assert worker.progress.phase == "rebuilding"  # found before the rebuild ended
    finally:
        gate.set()
    assert wb.wait_for_index(60)
    assert wb.search("zanzibarquux", limit=1).total == 1  # and in the rebuilt index


def wait_until(pred, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


def test_parallel_rebuild_from_a_script_without_a_main_guard(tmp_path: Path) -> None:
    """Spawned index workers must not re-run the caller's unguarded script (which would open
    the library again in each worker and break the rebuild)."""
    import subprocess
    import sys

    script = tmp_path / "embed.py"
    script.write_text(
        "import sys\n"
        "from pathlib import Path\n"
        "from workbench.services import Workbench\n"
        "from workbench.search.whoosh import writer\n"
        "writer.PARALLEL_MIN = 1\n"
        f"with Workbench.open(Path(sys.argv[1]), create=True) as wb:\n"
        f"    wb.import_paths(sorted(Path({str(CORPUS)!r}).glob('*.txt')))\n"
        "    wb.reindex()\n"
        "    print('indexed', wb.index_status()['indexed_documents'])\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script), str(tmp_path / "lib")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.count("indexed") == 1
    assert proc.stdout.split()[-1] == str(len(list(CORPUS.glob("*.txt"))))


@WHOOSH_FOLDER
def test_rebuild_measures_the_archive_own_common_words(wb: Workbench, library_path: Path,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.search.whoosh import writer

    for i in range(4):
        (tmp_path / f"n{i}.txt").write_text(f"Zorblat quux statement {i}. The zorblat quux "
                                            f"again, number {i}.\n", encoding="utf-8")
    wb.import_paths(sorted(tmp_path.glob("n*.txt")))
    monkeypatch.setattr(writer, "COMMON_SAMPLE_MIN", 1)  # the real floor is 200 documents
    wb.reindex()
    common = json.loads((current_dir(library_path) / "common.json").read_text())
    assert {"zorblat", "quux"} <= set(common) and "statement" in common
    assert "number" in common and "0" not in common  # in every document / in one only
    assert wb.search('"zorblat quux"', limit=10).total == 4  # found through the pair term
    assert wb.search('"quux zorblat"', limit=10).total == 0
