"""The Record tab tells an e-mail's provenance and where an item was found (session 17's walk).

An e-mail's Record had no To, Cc or Message-ID and no attachments, though `show --json` has
them; an attachment's Record said only ``…eml#W-14-transcript.txt`` in its path. Now an
e-mail's Record shows From, To, Cc, Date, Subject and Message-ID (selectable, the ID copied
whole) and its attachments, each a link that opens that document; an attachment (or an mbox's
message) says "Found in: <the message> (document N)", a link back to it, by mouse and by
keyboard; a mailbox lists its messages.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from tests.support.formats import email_message, make_mbox
from tests.ui.conftest import facade

MESSAGE_ID = "<179668766378.14615.7895018755112652600@example.org>"


def _eml(path: Path) -> Path:
    msg = EmailMessage()
    msg["From"] = "Amina Reyes <amina@example.org>"
    msg["To"] = "Field Team <team@example.org>"
    msg["Cc"] = "Legal <legal@example.org>, bob@example.org"
    msg["Subject"] = "Witness statement W-14 (March 2018 detention)"
    msg["Date"] = "Mon, 12 Sep 2022 09:30:00 +0200"
    msg["Message-ID"] = MESSAGE_ID
    msg.set_content("Dear team,\n\nAttached is the transcript of witness W-14.\n")
    msg.add_attachment(b"Transcript W-14\n\nQ: When was your brother taken?\n",
                       maintype="text", subtype="plain", filename="W-14-transcript.txt")
    msg.add_attachment(b"PK\x03\x04 not really a zip", maintype="application",
                       subtype="zip", filename="photos.zip")
    path.write_bytes(msg.as_bytes())
    return path


def _import(window: Any, *paths: Path) -> list[dict[str, Any]]:
    report, changes = facade(window, lambda wb: wb.import_paths(list(paths)))
    window.session.broadcast(changes)
    return list(report.to_json()["imported"])


def _field(view: Any, name: str) -> QWidget:
    QApplication.processEvents()  # a rebuilt row's widgets are shown by a queued call
    found = [w for w in view.inner.findChildren(QWidget)
             if w.accessibleName() == name and w.isVisible()]
    assert len(found) == 1, (name, found)
    return found[0]


def _label_of(view: Any, field: QWidget) -> str:
    label = view.form.labelForField(field)
    assert isinstance(label, QLabel)
    return str(label.text())


def _click_first_link(qtbot: Any, label: QLabel) -> None:
    """A click on the first line's first characters: where the label's first link is."""
    rect = label.contentsRect()
    y = rect.top() + label.fontMetrics().lineSpacing() // 2 + 1
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 4, y))


def test_an_email_record_shows_its_headers_and_opens_its_attachment(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    message, attachment = _import(window, _eml(tmp_path / "witness-W14.eml"))
    window.resize(1600, 1000)
    window.open_document(message["id"])
    window.viewer.show_record()
    view = window.viewer.record
    qtbot.waitExposed(view)

    assert view.values["From"] == "Amina Reyes <amina@example.org>"
    assert view.values["To"] == "Field Team <team@example.org>"
    assert view.values["Cc"] == "Legal <legal@example.org>, bob@example.org"
    assert view.values["Date"] == "2022-09-12 09:30:00 +02:00"
    assert view.values["Subject"] == "Witness statement W-14 (March 2018 detention)"
    assert view.values["Message-ID"] == MESSAGE_ID
    for name in ("From", "To", "Cc", "Date", "Subject"):
        field = _field(view, name)
        assert isinstance(field, QLabel) and _label_of(view, field) == name
        assert field.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
        assert field.textFormat() == Qt.TextFormat.PlainText  # "<amina@…>" is not a tag
        assert field.text() == view.values[name]
    # The Message-ID copies whole (a double-click takes it all, Ctrl+C copies it).
    mid = _field(view, "Message-ID")
    assert isinstance(mid, QLineEdit) and mid.isReadOnly() and mid.text() == MESSAGE_ID
    qtbot.mouseDClick(mid, Qt.MouseButton.LeftButton, pos=QPoint(8, mid.height() // 2))
    mid.selectAll()
    QApplication.clipboard().clear()
    qtbot.keyClick(mid, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == MESSAGE_ID

    # Its attachments: the one imported names its document; the zip was kept in the original.
    assert view.values["Attachments"] == (
        f"W-14-transcript.txt — {attachment['title']} (document {attachment['id']})\n"
        "photos.zip (not imported separately: kept in the original)")
    links = _field(view, "Attachments")
    assert isinstance(links, QLabel)
    assert links.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByMouse
    assert links.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    _click_first_link(qtbot, links)
    qtbot.waitUntil(lambda: window.viewer.doc_id == attachment["id"], timeout=5000)
    assert window.viewer.tabs.currentWidget() is view  # still on the record, of the attachment

    # The attachment says where it was found, and goes back there (here by keyboard).
    assert view.values["Found in"] == (
        f"Witness statement W-14 (March 2018 detention) (document {message['id']})")
    assert "#W-14-transcript.txt" in view.values["Original file"]
    found = _field(view, "Found in")
    assert isinstance(found, QLabel) and _label_of(view, found) == "Found in"
    assert "Attachments" not in view.values and "From" not in view.values
    # While the record is being edited its links are plain words: a click would leave the
    # fields being typed.
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    editing = _field(view, "Found in")
    assert isinstance(editing, QLabel) and editing.textFormat() == Qt.TextFormat.PlainText
    assert editing.text() == view.values["Found in"]
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    found = _field(view, "Found in")  # (the record was drawn again)
    assert isinstance(found, QLabel) and found.textFormat() == Qt.TextFormat.RichText
    found.setFocus(Qt.FocusReason.TabFocusReason)  # Tab to it: its link takes the focus
    qtbot.waitUntil(found.hasFocus, timeout=2000)
    assert found.selectedText() == "Witness statement W-14 (March 2018 detention)"
    qtbot.keyClick(found, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.viewer.doc_id == message["id"], timeout=5000)
    assert view.values["Message-ID"] == MESSAGE_ID


def test_a_mailbox_lists_its_messages_and_a_message_says_it_was_found_in_it(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    box = make_mbox(tmp_path / "inbox.mbox", [
        email_message("Re: forced labour report", "Body one.",
                      sender="Jon Park <jon@example.org>", to="amina@example.org"),
        email_message("Factory transfer list", "Body two.")])
    imported = _import(window, box)
    container = imported[0]
    first, second = [i for i in imported if i.get("parent_id") == container["id"]]
    window.resize(1600, 1000)
    window.open_document(container["id"])
    window.viewer.show_record()
    view = window.viewer.record
    qtbot.waitExposed(view)
    assert view.values["Messages"] == (
        f"Re: forced labour report (document {first['id']})\n"
        f"Factory transfer list (document {second['id']})")
    messages = _field(view, "Messages")
    assert isinstance(messages, QLabel)
    _click_first_link(qtbot, messages)
    qtbot.waitUntil(lambda: window.viewer.doc_id == first["id"], timeout=5000)
    assert view.values["Found in"] == f"inbox (document {container['id']})"
    assert view.values["From"] == "Jon Park <jon@example.org>"
    assert view.values["To"] == "amina@example.org"
    assert "Attachments" not in view.values  # a message without any
