"""How `show` names the file a document was found in and the items found inside it.

Plain data, no database: ``documents.show_document`` (the facade) and ``fast_read`` (the
command line's read path) both build these entries, so their JSON stays the same bytes.
An attachment, an mbox message or an archive member is a document of its own whose
``parent_id`` is the file it was found in; a mailbox can hold tens of thousands of messages,
so `show` lists only the first ``CHILDREN_SHOWN`` of them (in import order) and counts all.
"""

from __future__ import annotations

from typing import Any

CHILDREN_SHOWN = 100


def parent_entry(doc_id: int, title: str | None, kind: str | None) -> dict[str, Any]:
    return {"id": doc_id, "title": title, "kind": kind}


def child_entry(doc_id: int, title: str | None, kind: str | None,
                original_filename: str | None) -> dict[str, Any]:
    return {"id": doc_id, "title": title, "kind": kind, "original_filename": original_filename}
