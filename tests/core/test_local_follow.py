"""Which documents a shared case's local index indexes again or drops after others' changes
(workbench/shared/follow.py), read from the audit events alone and the library as it is."""

from __future__ import annotations

from typing import Any

from tests.conftest import CORPUS
from workbench.shared.follow import touched


def test_the_events_name_the_documents_to_index_again_and_to_drop(wb: Any) -> None:
    report, _ = wb.import_paths([CORPUS / "un-report-crimes-against-humanity.txt",
                                 CORPUS / "un-special-rapporteur-forced-labour.txt"])
    a, b = (o.document_id for o in report.imported)
    wb.add_highlight(b, quote="forced labour", tags=["Labour/Forced"])
    tag = next(t["id"] for t in wb.list_tags() if t["path"] == "Labour/Forced")
    with wb.library.read() as s:
        changed, removed = touched(s, [
            ("ingestion", "document", str(a), "{}"),
            ("dissemination", "dossier", "1", '{"format": "pdf"}'),  # an export: nothing
            ("modification", "highlight", "7", f'{{"document_id": {a}}}'),
            ("modification", "collection", "1", '{"added_documents": [41, 42]}'),
            ("deletion", "document", "42", "{}"),
            ("modification", "tag", str(tag), '{"operation": "rename"}'),
        ])
    assert changed == {a, b, 41} and removed == {42}
