"""verify: altered originals, edited / deleted / reordered audit events, database health."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from workbench import audit
from workbench.models import AuditEvent
from workbench.services import Workbench


def _two_docs(wb: Workbench, tmp_path: Path) -> list[int]:
    for i in range(2):
        (tmp_path / f"doc{i}.txt").write_text(f"Testimony number {i}.", encoding="utf-8")
    report, _ = wb.import_paths([tmp_path / "doc0.txt", tmp_path / "doc1.txt"])
    return [o.document_id for o in report.imported if o.document_id]


def test_clean_library_verifies(wb: Workbench, tmp_path: Path) -> None:
    before = len(wb.audit_events())  # a shared library's first event records its creation
    _two_docs(wb, tmp_path)
    result = wb.verify()
    assert result["ok"] and result["documents_checked"] == 2
    assert result["audit_events_checked"] == before + 2
    assert wb.audit_events()[-1]["type"] == "fixity check"


def test_flipped_byte_in_original_is_reported(wb: Workbench, tmp_path: Path) -> None:
    ids = _two_docs(wb, tmp_path)
    stored = Path(wb.original_path(ids[1]))
    os.chmod(stored, stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(stored.read_bytes())
    data[3] ^= 0x01
    stored.write_bytes(bytes(data))
    result = wb.verify()
    assert not result["ok"]
    [problem] = result["problems"]
    assert problem["kind"] == "original" and problem["document_id"] == ids[1]
    assert "altered" in problem["problem"]


def test_missing_original_is_reported(wb: Workbench, tmp_path: Path) -> None:
    ids = _two_docs(wb, tmp_path)
    Path(wb.original_path(ids[0])).unlink()
    problems = wb.verify()["problems"]
    doc = wb.show_document(ids[0])
    assert problems == [{"kind": "original", "document_id": ids[0], "sha256": doc["sha256"],
                         "problem": "original file is missing", "title": doc["title"],
                         "file_name": doc["original_filename"]}]


RAW_FILE = pytest.mark.sqlite_only(
    "reads or edits the audit rows through the library's SQLite file")


def _raw(wb: Workbench) -> sqlite3.Connection:
    return sqlite3.connect(str(wb.library.db_path))


@RAW_FILE
def test_edited_audit_row_is_reported(wb: Workbench, tmp_path: Path) -> None:
    _two_docs(wb, tmp_path)
    with _raw(wb) as con:
        con.execute("UPDATE audit_events SET details = replace(details, 'doc0', 'docX') "
                    "WHERE id = 1")
    problems = wb.verify()["problems"]
    assert {"kind": "audit", "event_id": 1,
            "problem": "contents were altered after it was written"} in problems


@RAW_FILE
def test_deleted_and_reordered_events_are_reported(wb: Workbench, tmp_path: Path) -> None:
    _two_docs(wb, tmp_path)
    wb.edit_document(1, title="Renamed")
    with _raw(wb) as con:
        con.execute("DELETE FROM audit_events WHERE id = 2")
    problems = [p for p in wb.verify()["problems"] if p["kind"] == "audit"]
    assert any(p["event_id"] == 3 and "gap" in p["problem"] for p in problems)


@RAW_FILE
def test_recomputed_hash_still_breaks_the_chain(wb: Workbench, tmp_path: Path) -> None:
    """An attacker who also recomputes the edited event's own hash breaks the next link."""
    _two_docs(wb, tmp_path)
    with wb.library.read() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.id == 1)).scalar_one()
        forged_details = ev.details.replace("doc0", "docX")
        forged = audit.event_hash(seq=1, at=ev.at, actor=ev.actor, event_type=ev.event_type,
                                  object_type=ev.object_type, object_id=ev.object_id,
                                  details=forged_details, prev_hash=ev.prev_hash,
                                  author=ev.author)
    with _raw(wb) as con:
        con.execute("UPDATE audit_events SET details=?, hash=? WHERE id=1",
                    (forged_details, forged))
    problems = [p for p in wb.verify()["problems"] if p["kind"] == "audit"]
    assert problems == [{"kind": "audit", "event_id": 2,
                         "problem": "link to the previous event is broken"}]


def test_every_change_is_an_audit_event(wb: Workbench, tmp_path: Path) -> None:
    before = len(wb.audit_events())  # a shared library's first event records its creation
    ids = _two_docs(wb, tmp_path)
    wb.edit_document(ids[0], title="New title", language="en")
    wb.add_to_collection([ids[0]], "Case A")
    wb.delete_document(ids[1])
    types = [e["type"] for e in wb.audit_events()][before:]
    assert types == ["ingestion", "ingestion", "modification", "modification", "deletion"]
    deletion = wb.audit_events()[-1]
    assert deletion["object_id"] == str(ids[1]) and len(deletion["details"]["sha256"]) == 64
    assert not wb.library.originals.exists(deletion["details"]["sha256"])
    assert wb.verify()["ok"]


@RAW_FILE
def test_audit_details_hold_no_document_text(wb: Workbench, tmp_path: Path) -> None:
    secret = "Witness Aygul Tursun described the camp"
    (tmp_path / "statement.txt").write_text(secret, encoding="utf-8")
    wb.import_paths([tmp_path / "statement.txt"])
    with _raw(wb) as con:
        rows = con.execute("SELECT details FROM audit_events").fetchall()
    assert all("Aygul" not in r[0] for r in rows)
