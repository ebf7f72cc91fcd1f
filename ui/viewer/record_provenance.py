"""What the Record tab says of where a document was found and what it holds, from ``show``.

An e-mail's headers (From, To, Cc, Bcc, Date, Subject, Message-ID, In reply to: the ``extra``
its import recorded), the file an item was found in (``parent``: an attachment's message, a
message's mailbox) and the items found inside a file (``children``: an e-mail's attachments,
a mailbox's messages, an archive's members). Items are ``Entry``s: a text that links to a
document when it is one, and the words after it. Plain data, no widgets.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Info = dict[str, Any]

NOT_SEPARATE = " (not imported separately: kept in the original)"


@dataclass(frozen=True)
class Entry:
    link: str  # the words that open the document (or plain words when ``doc_id`` is None)
    doc_id: int | None
    rest: str = ""

    @property
    def text(self) -> str:
        return self.link + self.rest

    def rich(self) -> str:
        if self.doc_id is None:
            return html.escape(self.text)
        return (f"<a href='doc:{self.doc_id}'>{html.escape(self.link)}</a>"
                f"{html.escape(self.rest)}")


def _extra(info: Info) -> dict[str, Any]:
    extra = info.get("extra")
    return extra if isinstance(extra, dict) else {}


def _listed(value: Any) -> str | None:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v) or None
    return str(value) if value not in (None, "") else None


_ISO_OFFSET = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d(?::\d\d)?)(?:\.\d+)?([+-]\d\d:\d\d|Z)?$")


def mail_date(value: Any) -> str | None:
    """The message's Date as sent, its offset kept (the sender's clock, not UTC)."""
    if not value:
        return None
    text = str(value)
    m = _ISO_OFFSET.match(text)
    if m is None:
        return text  # a date the import could not read: as written
    day, time, offset = m.groups()
    return f"{day} {time}" + (f" {'UTC' if offset == 'Z' else offset}" if offset else "")


def _mail(key: str, shown: Callable[[Any], str | None] = _listed
          ) -> Callable[[Info, Info], str | None]:
    def get(info: Info, _rec: Info) -> str | None:
        return shown(_extra(info).get(key)) if info.get("kind") == "email" else None
    return get


# Row label -> its value, for an e-mail (what its headers said, as imported).
MAIL_FIELDS: list[tuple[str, Callable[[Info, Info], str | None]]] = [
    ("From", _mail("sender")), ("To", _mail("to")), ("Cc", _mail("cc")), ("Bcc", _mail("bcc")),
    ("Date", _mail("date", mail_date)), ("Subject", _mail("subject")),
    ("Message-ID", _mail("message_id")), ("In reply to", _mail("in_reply_to")),
]


def _document(doc_id: int) -> str:
    return f" (document {doc_id})"


def found_in(info: Info) -> list[Entry]:
    """The file this item was found in: one link, or nothing for a file imported itself."""
    parent = info.get("parent")
    if not isinstance(parent, dict) or parent.get("id") is None:
        return []
    doc_id = int(parent["id"])
    return [Entry(str(parent.get("title") or "Untitled"), doc_id, _document(doc_id))]


def _child(child: dict[str, Any]) -> Entry:
    doc_id = int(child["id"])
    name = child.get("title") or child.get("original_filename") or f"document {doc_id}"
    return Entry(str(name), doc_id, _document(doc_id))


def _more(info: Info) -> list[Entry]:
    more = int(info.get("children_count") or 0) - len(info.get("children") or [])
    return [Entry(f"… and {more:,} more", None)] if more > 0 else []


def attachments(info: Info) -> list[Entry]:
    """An e-mail's attachments by the names it gave them, each linked to its document; one
    that is no document of its own (unsupported, a signature, already in the library) says
    so: the message's original still holds it."""
    if info.get("kind") != "email":
        return []
    children = [c for c in info.get("children") or [] if isinstance(c, dict)]
    out = []
    for name in _extra(info).get("attachments") or []:
        child = next((c for c in children if c.get("original_filename") == name), None)
        if child is None:
            out.append(Entry(str(name), None, NOT_SEPARATE))
            continue
        children.remove(child)
        doc_id, title = int(child["id"]), child.get("title")
        rest = (f" — {title}" if title and title != name else "") + _document(doc_id)
        out.append(Entry(str(name), doc_id, rest))
    return out + [_child(c) for c in children] + _more(info)


def contents(info: Info, kind: str | None) -> list[Entry]:
    """The items found inside a file that is not an e-mail (``kind`` "mbox": its messages;
    None: any other container's)."""
    if info.get("kind") == "email" or (info.get("kind") == "mbox") != (kind == "mbox"):
        return []
    return [_child(c) for c in info.get("children") or [] if isinstance(c, dict)] + _more(info)


# Row label -> its linked entries.
LINK_FIELDS: dict[str, Callable[[Info], list[Entry]]] = {
    "Found in": found_in,
    "Attachments": attachments,
    "Messages": lambda info: contents(info, "mbox"),
    "Contains": lambda info: contents(info, None),
}
