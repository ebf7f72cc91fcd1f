"""The window's early read says when a personal library was last backed up
(``FastReader.last_backup``, plain SQL), so the backup reminder shows with the first paint:
its answer is the facade's (``backup.last_backup``) with no backup, a recorded one and one
still pending (taken while another process held the writer lock)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS
from workbench import backup
from workbench.fast_read import FastReader

pytestmark = pytest.mark.sqlite_only(
    "the plain read path serves a plain personal library only; a shared one goes to the facade")


def _last(library_path: Path) -> Any:
    with FastReader.open(library_path) as fast:
        return fast.last_backup()


def test_the_early_read_of_the_last_backup_is_the_facades(wb: Any, library_path: Path,
                                                          tmp_path: Path) -> None:
    from workbench.library import Library

    wb.import_paths([CORPUS / "un-report-crimes-against-humanity.txt"])
    assert _last(library_path) is None and backup.last_backup(wb.library) is None
    backup.backup(wb.library, tmp_path / "b1")  # recorded in the audit log
    first = backup.last_backup(wb.library)
    assert first is not None and _last(library_path) == first
    with Library.open(library_path, writable=False, attach_index=False) as ro:
        assert backup.backup(ro, tmp_path / "b2")["recorded"] == "pending"
    # the pending note's time, a day on (times are kept to the second): read from the note
    note = next((library_path / backup.PENDING_DIR).glob("*.json"))
    data = json.loads(note.read_text(encoding="utf-8"))
    note.write_text(json.dumps({**data, "created_at": (first + timedelta(days=1)).isoformat()}),
                    encoding="utf-8")
    later = backup.last_backup(wb.library)
    assert later == first + timedelta(days=1) and _last(library_path) == later

