"""An encrypted library's search index: every file sealed, also when worker processes build it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.crypto.sealed import is_sealed
from workbench.services import Workbench

SECRET = "a passphrase for the index tests"


@pytest.mark.slow
def test_a_rebuild_in_two_worker_processes_seals_every_index_file(
        tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if (os.cpu_count() or 1) < 2:
        pytest.skip("the parallel rebuild needs two cores")
    from workbench.search.whoosh import sidecar, writer

    monkeypatch.setattr(writer, "PARALLEL_MIN", 1)  # two workers even for four documents
    monkeypatch.setattr(sidecar, "MIN_DOCS", 1)  # ... each writing its segment's sidecar
    with Workbench.open(tmp_path / "lib", create=True, passphrase=SECRET) as wb:
        wb.import_paths([corpus_dir])
        assert wb.library.index.wait_idle(60)
        before = [h.document_id for h in wb.search('"forced labour" OR Xinjiang').hits]
        worker = wb.library.index.worker
        assert worker is not None
        worker.request_rebuild("test")
        assert wb.library.index.wait_idle(120)
        assert worker.last_error is None and worker.last_rebuild_reason == "test"
        assert [h.document_id for h in wb.search('"forced labour" OR Xinjiang').hits] == before
        assert len(before) >= 3
    files = [p for p in (tmp_path / "lib" / "index").rglob("*")
             if p.is_file() and p.name != "workbench-index.json" and "LOCK" not in p.name]
    assert any(p.suffix == ".wbx" for p in files) and any(p.suffix == ".pst" for p in files)
    assert [p.name for p in files if not is_sealed(p)] == []
