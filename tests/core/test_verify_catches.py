"""verify catches what it used to miss (issue 15): a truncated, shortened, swapped or damaged
database, text edited in the database, and originals left behind by a killed import."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from workbench import audit_head, integrity
from workbench.errors import LibraryDamaged, LibraryError
from workbench.library import DB_NAME, Library
from workbench.services import Workbench


def _import(lib: Path, tmp_path: Path, texts: dict[str, str]) -> list[int]:
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with Workbench.open(lib) as wb:
        report, _ = wb.import_paths([tmp_path / n for n in texts])
        return [o.document_id for o in report.imported if o.document_id]


def _raw(lib: Path, sql: str, *args: object) -> None:
    con = sqlite3.connect(str(lib / DB_NAME))
    try:
        with con:
            con.execute(sql, args)
    finally:
        con.close()


def _drop_db(lib: Path) -> None:
    """The database cut to zero bytes, its WAL files gone (what a failed copy leaves)."""
    (lib / DB_NAME).write_bytes(b"")
    for extra in ("-wal", "-shm"):
        (lib / (DB_NAME + extra)).unlink(missing_ok=True)


TWO = {"a.txt": "Witness statement\n\nEkpar Memet told the court.", "b.txt": "A second one."}


# --- 1, 2: the audit head outside the database ------------------------------------------------


SQLITE_FILE = pytest.mark.sqlite_only(
    "damages, truncates, swaps or edits the library's SQLite file (or its audit-head.json and "
    "backups) behind its back; a shared library's database is the server's to keep")


@SQLITE_FILE
def test_zero_byte_database_is_refused_and_reported(library_path: Path, tmp_path: Path) -> None:
    _import(library_path, tmp_path, TWO)
    _drop_db(library_path)
    with pytest.raises(LibraryDamaged, match="restore"):
        Library.open(library_path)
    assert (library_path / DB_NAME).stat().st_size == 0  # not silently re-created
    with pytest.raises(LibraryError):
        Workbench.open(library_path).import_paths([tmp_path / "a.txt"])
    result = integrity.verify_path(library_path)
    assert not result["ok"]
    assert {p["kind"] for p in result["problems"]} & {"head", "database"}
    assert result["salvage"]["originals"] == {"on_disk": 2, "intact": 2}
    assert "workbench restore" in result["restore"]["hint"]


@SQLITE_FILE
def test_deleted_last_audit_row_is_caught(library_path: Path, tmp_path: Path) -> None:
    _import(library_path, tmp_path, TWO)
    _raw(library_path, "DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)")
    with pytest.raises(LibraryDamaged, match="restore"):
        Library.open(library_path)
    result = integrity.verify_path(library_path)
    assert not result["ok"]
    [head] = [p for p in result["problems"] if p["kind"] == "head"]
    assert "event 2" in head["problem"]
    assert result["documents_checked"] == 2  # the rest of the library was still checked


@SQLITE_FILE
def test_older_copy_and_other_library_are_caught(library_path: Path, tmp_path: Path) -> None:
    _import(library_path, tmp_path, {"a.txt": "First."})
    old = tmp_path / "old.sqlite"
    shutil.copy(library_path / DB_NAME, old)
    _import(library_path, tmp_path, {"b.txt": "Second."})
    shutil.copy(old, library_path / DB_NAME)
    with pytest.raises(LibraryDamaged, match="older copy"):
        Library.open(library_path)

    other = tmp_path / "other"
    Library.create(other).close()
    _import(other, tmp_path, {"c.txt": "Third."})
    shutil.copy(other / DB_NAME, library_path / DB_NAME)
    with pytest.raises(LibraryDamaged, match="another library"):
        Library.open(library_path)
    kinds = [p["kind"] for p in integrity.verify_path(library_path)["problems"]]
    assert "head" in kinds


@SQLITE_FILE
def test_head_catches_up_after_a_crash_and_old_libraries_get_one(
        library_path: Path, tmp_path: Path) -> None:
    head_file = library_path / audit_head.HEAD_NAME
    _import(library_path, tmp_path, {"a.txt": "First."})
    behind = head_file.read_bytes()
    _import(library_path, tmp_path, {"b.txt": "Second."})
    head_file.write_bytes(behind)  # a crash between the commit and the head write
    with Workbench.open(library_path) as wb:
        assert wb.verify()["ok"]
    assert json.loads(head_file.read_text())["seq"] == 3  # two imports and the fixity check
    head_file.unlink()  # a library from before the head file
    with Workbench.open(library_path) as wb:
        assert wb.verify()["ok"]
    head = json.loads(head_file.read_text())
    assert head["seq"] == 4 and len(head["library_id"]) >= 32


@SQLITE_FILE
def test_fixity_check_does_not_heal_a_shortened_chain(library_path: Path,
                                                       tmp_path: Path) -> None:
    with Workbench.open(library_path) as wb:
        (tmp_path / "a.txt").write_text("First.", encoding="utf-8")
        (tmp_path / "b.txt").write_text("Second.", encoding="utf-8")
        wb.import_paths([tmp_path / "a.txt", tmp_path / "b.txt"])
        _raw(library_path, "DELETE FROM audit_events WHERE id = 2")
        first = wb.verify()  # appends event 2 again, with another hash
        assert any(p["kind"] == "head" for p in first["problems"])
        assert any(p["kind"] == "head" for p in wb.verify()["problems"])


# --- 3: text edited in the database -----------------------------------------------------------


@SQLITE_FILE
def test_text_edited_in_the_database_is_reported_and_reindexed(
        library_path: Path, tmp_path: Path) -> None:
    [doc_id, _] = _import(library_path, tmp_path, TWO)
    with Workbench.open(library_path) as wb:
        assert wb.wait_for_index(60)
        assert [h.document_id for h in wb.search("Ekpar").hits] == [doc_id]
        layer_id = wb.show_document(doc_id)["text_layers"][0]["id"]
    _raw(library_path, "UPDATE text_layers SET text = replace(text, 'Ekpar', 'Xkpar') "
         "WHERE id = ?", layer_id)
    with Workbench.open(library_path) as wb:
        result = wb.verify()
        assert not result["ok"]
        assert [p for p in result["problems"] if p["kind"] == "text"] == [{
            "kind": "text", "document_id": doc_id, "layer_id": layer_id,
            "problem": "text differs from the text recorded when the layer was created",
            "title": "Witness statement", "file_name": "a.txt"}]
        assert result["text_layers_checked"] == 2 and result["text_layers_without_hash"] == 0
        assert wb.wait_for_index(60)  # the open's drift check noticed the changed layer
        assert wb.search("Ekpar").hits == []
        assert [h.document_id for h in wb.search("Xkpar").hits] == [doc_id]


def test_text_hash_is_in_every_creating_event(wb: Workbench, tmp_path: Path) -> None:
    from workbench.extract.base import Extraction

    (tmp_path / "a.txt").write_text("One page.", encoding="utf-8")
    [doc_id] = [o.document_id for o in wb.import_paths([tmp_path / "a.txt"])[0].imported]
    wb.add_text_layer(doc_id, Extraction(pages=["A new reading."], extractor="test",
                                         extractor_version="1"), reason="re-extraction")
    events = [e for e in wb.audit_events() if e["object_id"] == str(doc_id)]
    assert [len(e["details"]["text_sha256"]) for e in events] == [64, 64]
    assert events[0]["details"]["layer_id"] != events[1]["details"]["layer_id"]
    assert wb.verify()["ok"]


@SQLITE_FILE
def test_old_layers_without_a_recorded_hash_are_counted(library_path: Path,
                                                        tmp_path: Path) -> None:
    _import(library_path, tmp_path, TWO)
    con = sqlite3.connect(str(library_path / DB_NAME))
    # As an older Workbench wrote them: no hash in the events (the chain re-sealed to match).
    from workbench import audit

    rows = con.execute("SELECT id, at, actor, event_type, object_type, object_id, details "
                       "FROM audit_events ORDER BY id").fetchall()
    prev = audit.GENESIS
    with con:
        for seq, at, actor, etype, otype, oid, details in rows:
            d = json.loads(details)
            d.pop("text_sha256", None)
            d.pop("layer_id", None)
            body = audit.canonical_json(d)
            h = audit.event_hash(seq=seq, at=at, actor=actor, event_type=etype,
                                 object_type=otype, object_id=oid, details=body, prev_hash=prev)
            con.execute("UPDATE audit_events SET details=?, prev_hash=?, hash=?, author=NULL "
                        "WHERE id=?", (body, prev, h, seq))  # nor an author (schema 0006)
            prev = h
    con.close()
    head = json.loads((library_path / audit_head.HEAD_NAME).read_text())
    head["hash"] = prev
    (library_path / audit_head.HEAD_NAME).write_text(json.dumps(head))
    with Workbench.open(library_path) as wb:
        result = wb.verify()
    assert result["ok"], result["problems"]
    assert result["text_layers_checked"] == 0 and result["text_layers_without_hash"] == 2


# --- 4: stray originals -----------------------------------------------------------------------


@pytest.mark.sqlite_only("gc collects a shared store's strays only after a day, since others may "
                         "be importing at that moment (docs/cli/shared.md)")
def test_stray_originals_are_listed_and_collected(wb: Workbench, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Kept.", encoding="utf-8")
    wb.import_paths([tmp_path / "a.txt"])
    sha, _ = wb.library.originals.put_bytes(b"Left behind by a killed import.")
    (wb.library.originals.root / ".incoming-abc123").write_bytes(b"half a file")
    result = wb.verify()
    assert result["ok"]  # nothing is lost
    assert result["strays"] == [
        {"kind": "stray original", "sha256": sha, "size": 31,
         "path": str(wb.library.originals.path_for(sha))},
        {"kind": "stray temporary file", "sha256": None, "size": 11,
         "path": str(wb.library.originals.root / ".incoming-abc123")}]
    out = wb.collect_strays()
    assert out["removed"] == [sha] and out["temporary_files"] == 1
    assert not wb.library.originals.exists(sha)
    assert not (wb.library.originals.root / ".incoming-abc123").exists()
    event = wb.audit_events()[-1]
    assert event["type"] == "deletion" and event["details"]["sha256"] == [sha]
    again = wb.verify()
    assert again["ok"] and again["strays"] == []
    assert len(wb.list_documents()) == 1  # the document's own original is no stray


@pytest.mark.sqlite_only("gc collects a shared store's strays only after a day, since others may "
                         "be importing at that moment (docs/cli/shared.md)")
def test_gc_adopt_imports_strays_as_documents(wb: Workbench) -> None:
    sha, _ = wb.library.originals.put_bytes(b"Ekpar Memet, a recovered statement.")
    out = wb.collect_strays(adopt=True)
    [adopted] = out["adopted"]
    assert adopted["sha256"] == sha and adopted["id"]
    assert wb.show_document(adopted["id"])["sha256"] == sha
    assert wb.library.originals.exists(sha)
    assert wb.wait_for_index(60)
    assert [h.document_id for h in wb.search("Ekpar").hits] == [adopted["id"]]
    assert wb.verify()["strays"] == []


# --- 5: a damaged database --------------------------------------------------------------------


def _damage(lib: Path, how: str) -> None:
    db = lib / DB_NAME
    con = sqlite3.connect(str(db))
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(db.read_bytes())
    if how == "header":
        data[0:16] = b"Not a database!\x00"
    elif how == "middle":
        for i in range(len(data) // 3, len(data) // 3 * 2, 97):
            data[i] ^= 0x5A
    else:
        data = data[: len(data) // 2]
    db.write_bytes(bytes(data))


@SQLITE_FILE
@pytest.mark.parametrize("how", ["header", "middle", "half"])
def test_damaged_database_is_a_finding_not_a_crash(library_path: Path, tmp_path: Path,
                                                   how: str) -> None:
    _import(library_path, tmp_path, {f"d{i}.txt": f"Statement {i} " * 400 for i in range(6)})
    (library_path / "backups").mkdir(exist_ok=True)
    (library_path / "backups" / "library-20270101T000000Z.sqlite").write_bytes(b"x")
    _damage(library_path, how)
    result = integrity.verify_path(library_path)
    assert not result["ok"]
    assert any(p["kind"] == "database" for p in result["problems"])
    assert result["salvage"]["originals"] == {"on_disk": 6, "intact": 6}
    assert isinstance(result["salvage"]["tables"], list)
    assert result["restore"]["backup"].endswith("library-20270101T000000Z.sqlite")
    try:  # other uses: one sentence naming the damage, or verify's own finding
        with Workbench.open(library_path, writable=False) as wb:
            wb.list_documents()
            found = wb.verify()
    except LibraryDamaged as exc:
        assert "damaged" in str(exc) and "workbench verify" in str(exc)
    else:
        assert not found["ok"]
    with pytest.raises(LibraryDamaged, match="damaged"):
        Workbench.open(library_path).import_paths([tmp_path / "d0.txt"])


def test_index_stamps_from_before_text_hashes_are_not_all_stale() -> None:
    """An index written before stamps held the text hash is not rebuilt for it: its entries
    match while the layer's hash is intact, and are re-indexed once the text is updated."""
    from workbench.search.whoosh.schema import decode_stamp_hash, encode_stamp
    from workbench.search.whoosh.writer import _stale

    assert decode_stamp_hash(b"5:7") == (5, 7, None)
    assert decode_stamp_hash(encode_stamp(5, 7, "ab" * 32)) == (5, 7, "ab" * 8)
    assert not _stale((7, None), (7, "ab" * 32))
    assert _stale((7, None), (7, ""))
    assert _stale((7, "ab" * 8), (7, ""))
    assert not _stale((7, ""), (7, ""))
    assert _stale((6, "ab" * 8), (7, "ab" * 32))


@SQLITE_FILE
def test_the_restore_hint_is_a_command_that_works(library_path: Path, tmp_path: Path) -> None:
    """The hint names `workbench restore BACKUP NEW-FOLDER` (restore takes a backup folder and
    a target); a bare database copy from before an upgrade is named apart, never passed to
    restore as if it were a backup."""
    import shlex

    from workbench import backup
    from workbench.cli import main

    _import(library_path, tmp_path, TWO)
    with Library.open(library_path) as lib:
        backup.backup(lib, tmp_path / "bk")
    (library_path / "backups").mkdir(exist_ok=True)
    old_copy = library_path / "backups" / "library-pre-upgrade-0002-20260101T000000Z.sqlite"
    old_copy.write_bytes(b"")
    _drop_db(library_path)
    hint = integrity.verify_path(library_path)["restore"]["hint"]
    assert f"workbench restore BACKUP {library_path.name}-restored" in hint
    assert str(old_copy) in hint and f"workbench restore {old_copy}" not in hint
    command = hint.split("`")[1].replace("BACKUP", str(tmp_path / "bk"))
    args = shlex.split(command)[1:]
    target = tmp_path / args[-1]
    args[-1] = str(target)
    assert main(args) == 0
    assert integrity.verify_path(target)["ok"]
