"""Changes reach every open desktop (issue 19 part 5): what one desktop commits to a shared
library, another hears of within seconds (LISTEN/NOTIFY) and reads back as ``Changes``."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.pg.test_shared_concurrency import make_shared
from workbench.services import Workbench


def test_a_colleagues_import_and_dossier_edit_reach_the_other_desktop_within_two_seconds(
        pg_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    marker = make_shared(pg_db, tmp_path, capsys)
    with Workbench.open(marker) as mine, Workbench.open(marker) as theirs:
        seq, nothing = mine.changes_since(None)
        assert not nothing.documents
        heard = threading.Event()
        listener = mine.listen_for_changes(heard.set)
        assert listener is not None
        try:
            deadline = time.monotonic() + 10
            while not listener.listening:
                assert time.monotonic() < deadline, "never listened"
                time.sleep(0.02)
            heard.clear()  # it tells once on starting, for what came before

            report, _ = theirs.import_paths([CORPUS / "un-report-crimes-against-humanity.txt"])
            doc = report.imported[0].document_id
            started = time.monotonic()
            assert heard.wait(2.0), "no word of the import within 2 s"
            seq, changes = mine.changes_since(seq)
            assert changes.documents and changes.index and doc in changes.document_ids
            hits = mine.search("Bachelet", facets=False).hits
            assert doc in [h.document_id for h in hits]
            assert time.monotonic() - started < 2.0

            heard.clear()
            theirs.create_dossier("Findings")
            assert heard.wait(2.0)
            seq, changes = mine.changes_since(seq)
            assert changes.dossiers and not changes.documents
            assert mine.changes_since(seq)[1] == type(changes)()  # nothing new since
        finally:
            listener.stop()
        assert not listener._thread.is_alive()
