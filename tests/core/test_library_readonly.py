"""Opening a library whose folder cannot be written: the probe, the lock and the refusal.

The real read-only filesystem is built in ``tests/e2e/test_readonly_library.py``; these
inject the system's answers in-process to pin each path precisely."""

from __future__ import annotations

import builtins
import errno
from pathlib import Path
from typing import Any

import pytest

from workbench import library as library_mod
from workbench.errors import LibraryReadOnly
from workbench.library import Library, write_problem
from workbench.lock import WriterLock


def test_write_problem_names_the_system_reason(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert write_problem(tmp_path) is None
    assert list(tmp_path.iterdir()) == []  # the probe leaves nothing behind

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(library_mod.tempfile, "mkstemp", refuse)
    assert write_problem(tmp_path) == "Read-only file system"


@pytest.mark.sqlite_only("a personal library's folder holds its database, so a folder that cannot "
                         "be written makes it read-only; a shared one's database is on its server")
def test_opening_for_writing_is_refused_and_reading_works(
        library_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library_mod, "write_problem", lambda path: "Read-only file system")
    with pytest.raises(LibraryReadOnly) as info:
        Library.open(library_path)
    assert str(library_path) in info.value.message
    assert "is read-only (its folder cannot be written): Read-only file system" in \
        info.value.message
    with Library.open(library_path, writable=False, attach_index=False) as lib:
        assert not lib.writable
        with pytest.raises(LibraryReadOnly):  # a change says why, not just "open read-only"
            lib.require_writable()


def test_the_lock_says_read_only_when_its_file_cannot_be_opened(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = builtins.open

    def fake_open(path: Any, *a: Any, **k: Any) -> Any:
        if str(path).endswith("library.lock"):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, *a, **k)

    monkeypatch.setattr(builtins, "open", fake_open)
    with pytest.raises(LibraryReadOnly, match="its folder cannot be written"):
        WriterLock(tmp_path).acquire()
