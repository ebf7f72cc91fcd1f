"""`show` says where an item found inside another file came from, and what a file holds.

An attachment, an mbox message or an archive member is a document of its own linked to the
file it was found in (``parent_id``); `show` only gave that number, so a reader (and the
Record tab) had to look the parent up, and a message never said which documents were its
attachments. `show` now adds ``parent`` (the id, title and kind of the file it was found in)
and ``children`` (the first ``CHILDREN_SHOWN`` items found inside it, in import order) with
``children_count``; every field it had before is unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.formats import email_message, make_eml, make_mbox
from workbench import found_inside
from workbench.services import Workbench


def test_a_message_names_its_attachments_and_an_attachment_its_message(
        wb: Workbench, tmp_path: Path) -> None:
    path = make_eml(tmp_path / "message.eml", "Witness statement W-14", "See the transcript.",
                    attachments=[("transcript.txt", b"Transcript of the interview.\n",
                                  "text/plain"),
                                 ("notes.txt", b"Notes on the interview.\n", "text/plain")])
    report, _ = wb.import_paths([path])
    parent, *attachments = report.to_json()["imported"]
    message = wb.show_document(parent["id"])
    assert message["parent"] is None and message["parent_id"] is None
    assert message["children_count"] == 2
    assert [(c["original_filename"], c["kind"]) for c in message["children"]] == [
        ("transcript.txt", "text"), ("notes.txt", "text")]
    assert [c["id"] for c in message["children"]] == [a["id"] for a in attachments]
    assert {c["title"] for c in message["children"]} == {a["title"] for a in attachments}

    attachment = wb.show_document(attachments[0]["id"])
    assert attachment["parent_id"] == parent["id"]
    assert attachment["parent"] == {"id": parent["id"], "title": "Witness statement W-14",
                                    "kind": "email"}
    assert attachment["children"] == [] and attachment["children_count"] == 0


def test_a_mailbox_lists_its_first_messages_and_counts_them_all(
        wb: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(found_inside, "CHILDREN_SHOWN", 3)
    box = make_mbox(tmp_path / "box.mbox", [email_message(f"Update {n}", f"Body {n}.")
                                            for n in range(5)])
    report, _ = wb.import_paths([box])
    container = report.to_json()["imported"][0]
    info = wb.show_document(container["id"])
    assert info["children_count"] == 5
    assert [c["title"] for c in info["children"]] == ["Update 0", "Update 1", "Update 2"]
    message = wb.show_document(info["children"][1]["id"])
    assert message["parent"] == {"id": container["id"], "title": "box", "kind": "mbox"}


def test_a_deleted_parent_leaves_no_parent(wb: Workbench, tmp_path: Path) -> None:
    path = make_eml(tmp_path / "m.eml", "Cover note", "Attached.",
                    attachments=[("a.txt", b"The annex.\n", "text/plain")])
    report, _ = wb.import_paths([path])
    parent, child = report.to_json()["imported"]
    wb.delete_document(parent["id"])
    info = wb.show_document(child["id"])
    assert info["parent_id"] is None and info["parent"] is None
