"""Reading others' changes back from the audit log (workbench/shared/feed.py): the events
become the ``Changes`` a window applies, and a listener that cannot reach a server polls."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import CORPUS
from workbench import audit
from workbench.changes import Changes
from workbench.services import Workbench
from workbench.shared.feed import ChangeListener, changes_from


@pytest.mark.sqlite_only("ends by checking that a personal library, with its one writer, has no "
                         "change listener; a shared one's: tests/pg/test_shared_changes.py")
def test_events_read_back_as_the_changes_a_window_applies(wb: Workbench) -> None:
    seq, none = wb.changes_since(None)
    assert none == Changes()
    report, _ = wb.import_paths([CORPUS / "un-report-crimes-against-humanity.txt"])
    doc = report.imported[0].document_id
    wb.add_highlight(doc, start=10, end=30, tags=["Camps"])
    wb.create_dossier("Findings")
    new_seq, ch = wb.changes_since(seq)
    assert new_seq > seq
    assert ch.documents and ch.index and doc in ch.document_ids
    assert ch.highlights and ch.tags and ch.dossiers and len(ch.highlight_ids) == 1
    assert not ch.entities and not ch.events
    assert wb.changes_since(new_seq) == (new_seq, Changes())
    assert wb.listen_for_changes(lambda: None) is None  # a personal library: one writer

    quiet = changes_from([(audit.DISSEMINATION, "dossier", "1"),
                          (audit.FIXITY_CHECK, "library", None)])
    assert quiet == Changes()


def test_a_listener_without_its_server_polls() -> None:
    told = threading.Event()
    listener = ChangeListener("postgresql://nobody@/nowhere?host=/nonexistent/socket",
                              told.set, poll=0.1).start()
    try:
        assert told.wait(5.0)
        assert not listener.listening
    finally:
        listener.stop()
