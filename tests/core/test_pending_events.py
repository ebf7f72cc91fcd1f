"""Audit events left by a process that could not write the library (pending_events): left
sealed in an encrypted library, appended once by the next writer, never twice after a crash,
and an unreadable file left for a person."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.libraries import on_postgres
from workbench import audit
from workbench.pending_events import PENDING, PENDING_DIR, RECORDED, note, record_left
from workbench.services import Workbench

pytestmark = pytest.mark.skipif(on_postgres(), reason="a personal library's folder")
SECRET = "correct horse battery staple 42"


def _late(lib: Path, passphrase: str | None = None) -> list[dict[str, object]]:
    with Workbench.open(lib, writable=False, passphrase=passphrase) as wb:
        return [e["details"] for e in wb.audit_events()
                if isinstance(e["details"], dict) and e["details"].get("recorded_late")]


@pytest.mark.parametrize("passphrase", [None, SECRET])
def test_an_event_left_is_appended_once_by_the_next_writer(tmp_path: Path,
                                                           passphrase: str | None) -> None:
    lib = tmp_path / "lib"
    Workbench.open(lib, create=True, passphrase=passphrase).close()
    digest = "ab" * 32
    with Workbench.open(lib, writable=False, passphrase=passphrase) as wb:
        assert note(wb.library, audit.DISSEMINATION, "dossier", 7,
                    {"sha256": digest, "format": "pdf"}) == PENDING
    left, = (lib / PENDING_DIR).glob("*.json")
    raw = left.read_bytes()
    assert (digest.encode() in raw) == (passphrase is None)  # sealed when encrypted
    kept = tmp_path / "kept.json"
    shutil.copy(left, kept)
    Workbench.open(lib, passphrase=passphrase).close()  # the next writer appends it
    late, = _late(lib, passphrase)
    assert late["sha256"] == digest and late["happened_at"] and late["pending_id"]
    assert not left.exists()
    # a crash after the append, before the file was removed: not appended twice
    shutil.copy(kept, left)
    with Workbench.open(lib, passphrase=passphrase) as wb:
        assert record_left(wb.library) == 0 and not left.exists()
        assert note(wb.library, audit.DISSEMINATION, "dossier", 7, {}) == RECORDED
    assert len(_late(lib, passphrase)) == 1


def test_an_unreadable_file_is_left_for_a_person(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    Workbench.open(lib, create=True).close()
    (lib / PENDING_DIR).mkdir()
    bad = lib / PENDING_DIR / "0001-bad.json"
    bad.write_text("{not json", encoding="utf-8")
    Workbench.open(lib).close()
    assert bad.exists() and _late(lib) == []


def test_a_backup_carries_the_events_left(tmp_path: Path) -> None:
    from workbench.backup import backup, restore

    lib = tmp_path / "lib"
    Workbench.open(lib, create=True).close()
    with Workbench.open(lib, writable=False) as wb:
        assert note(wb.library, audit.DISSEMINATION, "dossier", 3, {"sha256": "cd" * 32}) \
            == PENDING
        backup(wb.library, tmp_path / "backup")
    restore(tmp_path / "backup", tmp_path / "restored")
    Workbench.open(tmp_path / "restored").close()  # its first writer appends the event
    late, = _late(tmp_path / "restored")
    assert late["sha256"] == "cd" * 32
