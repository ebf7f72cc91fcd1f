"""E-mail (.eml) and mailboxes (.mbox): metadata, bodies, attachments as children, bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from tests.support.files import make_pdf
from tests.support.formats import damaged_mime_message, email_message, make_eml, make_mbox
from workbench.models import Document
from workbench.progress import Progress
from workbench.services import Workbench


def _import(wb: Workbench, *paths: Path, progress: Any = None) -> dict[str, Any]:
    report, _ = wb.import_paths(list(paths), progress=progress)
    return report.to_json()


def test_eml_metadata_body_and_attachments(wb: Workbench, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "att.pdf", ["Annex: list of detained persons."], title="Annex")
    path = make_eml(tmp_path / "message.eml", "Witness statement from Kashgar",
                    "Dear Bob,\n\nThe witness described the detention facility in detail.\n",
                    attachments=[("annex.pdf", pdf.read_bytes(), "application/pdf"),
                                 ("notes.txt", b"Notes about the interview.\n",
                                  "text/plain")])
    out = _import(wb, path)
    assert out["failed"] == []
    parent, *children = out["imported"]
    assert parent["path"] == str(path) and parent["title"] == "Witness statement from Kashgar"
    info = wb.show_document(parent["id"])
    assert info["kind"] == "email" and info["author"] == "Alice Martin <alice@example.org>"
    assert info["published"] == "2022-09-06"
    extra = info["extra"]
    assert extra["sender"] == "Alice Martin <alice@example.org>"
    assert extra["recipients"] == ["Bob Chen <bob@example.org>", "carol@example.org"]
    assert extra["date"].startswith("2022-09-06T10:00:00")
    assert extra["attachments"] == ["annex.pdf", "notes.txt"]
    text = wb.document_text(parent["id"]).text
    assert text.startswith("From: Alice Martin <alice@example.org>\nTo: Bob Chen")
    assert "The witness described the detention facility" in text
    # Attachments are documents of their own, linked to the message.
    names = {Path(c["path"].split("#")[-1]).name: c for c in children}
    assert set(names) == {"annex.pdf", "notes.txt"}
    assert all(c["parent_id"] == parent["id"] for c in children)
    annex = wb.show_document(names["annex.pdf"]["id"])
    assert annex["kind"] == "pdf" and annex["title"] == "Annex"
    assert "detained persons" in wb.document_text(names["annex.pdf"]["id"]).text
    assert annex["collection_record"]["original_path"] == f"{path}#annex.pdf"
    with wb.library.read() as s:
        kids = s.execute(select(Document.original_filename)
                         .where(Document.parent_id == parent["id"])).scalars().all()
    assert sorted(kids) == ["annex.pdf", "notes.txt"]
    assert not list(wb.library.tmp_dir.glob("children-*/*")), "temporary files left behind"


def test_mismatched_mime_boundary_keeps_raw_text_marked_damaged(wb: Workbench,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "damaged.eml"
    path.write_bytes(damaged_mime_message("The witness saw trucks leave the facility at night."))
    [item] = _import(wb, path)["imported"]
    assert item["status"] == "imported with problems"
    assert item["problems"][0].startswith("MIME damaged")
    text = wb.document_text(item["id"]).text
    assert "The witness saw trucks leave the facility at night." in text
    assert "--ACTUAL" not in text and "Content-Type" not in text
    assert wb.show_document(item["id"])["title"] == "Witness statement (damaged)"


def test_mbox_messages_become_documents_and_a_broken_one_is_its_own_outcome(
        wb: Workbench, tmp_path: Path) -> None:
    messages = [email_message(f"Update {n} on the case", f"Message body number {n} about "
                              "the detention of the lawyers.") for n in range(40)]
    messages[17] = b"\x00\x01\x02 binary garbage \xff\xfe without any headers\n"
    messages[30] = email_message("With attachment", "See the attached notes.",
                                 attachments=[("notes.txt", b"Attachment inside the mbox.\n",
                                               "text/plain")])
    box = make_mbox(tmp_path / "archive.mbox", messages)
    seen: list[Progress] = []
    out = _import(wb, box, progress=seen.append)
    container = out["imported"][0]
    assert container["path"] == str(box) and container["status"] == "imported"
    info = wb.show_document(container["id"])
    assert info["kind"] == "mbox" and info["extra"]["messages"] == 40
    msgs = [i for i in out["imported"] if i.get("parent_id") == container["id"]]
    assert len(msgs) == 39  # every message but the broken one
    assert {m["title"] for m in msgs} >= {"Update 0 on the case", "Update 39 on the case",
                                          "With attachment"}
    [broken] = out["failed"]
    assert broken["path"] == f"{box}#message-000018.eml"
    assert broken["status"] == "unreadable" and "not an e-mail message" in broken["error"]
    # The attachment of message 31 is a grandchild of the mailbox.
    with_att = next(m for m in msgs if m["title"] == "With attachment")
    [att] = [i for i in out["imported"] if i.get("parent_id") == with_att["id"]]
    assert "Attachment inside the mbox." in wb.document_text(att["id"]).text
    # Progress is reported for the messages, not only for the one input file.
    # (``done`` and ``total`` stay the input files' count; the message's place is apart.)
    child_steps = [p for p in seen if p.stage == "children" and p.inside_total == 40]
    assert [p.inside_done for p in child_steps] == list(range(1, 41))
    assert {(p.done, p.total) for p in child_steps} == {(1, 1)}
    toc = wb.document_text(container["id"]).text
    assert "Update 39 on the case" in toc


def test_mbox_search_finds_a_message_by_sender_and_words(wb: Workbench, tmp_path: Path) -> None:
    box = make_mbox(tmp_path / "box.mbox", [
        email_message("Hearing postponed", "The tribunal postponed the hearing of Ilham.",
                      sender="Court Clerk <clerk@tribunal.example>"),
        email_message("Lunch", "Shall we meet at noon?")])
    out = _import(wb, box)
    hearing = next(i for i in out["imported"] if i["title"] == "Hearing postponed")
    assert wb.wait_for_index(30)
    result = wb.search("tribunal postponed")
    # The message first; the mailbox's table of contents names it too.
    assert result.hits[0].document_id == hearing["id"]
    by_sender = wb.search("clerk@tribunal.example")
    assert hearing["id"] in [h.document_id for h in by_sender.hits]


def test_unsupported_attachments_are_named_not_failed(wb: Workbench, tmp_path: Path) -> None:
    path = make_eml(tmp_path / "signed.eml", "Signed message", "Archive attached.",
                    attachments=[("photos.zip", b"PK\x03\x04 not really a zip", "application/zip"),
                                 ("signature.asc", b"-----BEGIN PGP SIGNATURE-----",
                                  "application/pgp-signature")])
    out = _import(wb, path)
    assert out["failed"] == []
    [item] = out["imported"]
    assert item["problems"] == ["attachment 'photos.zip' was not imported (unsupported type)"]
    info = wb.show_document(item["id"])
    assert info["extra"]["attachments"] == ["photos.zip", "signature.asc"]
