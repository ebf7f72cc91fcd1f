"""E-mail messages (.eml) with the standard library: headers, body text, attachments.

Sender, recipients, date and subject become metadata (the subject is the title) and head the
text layer, so a search for an address or a subject line finds the message. The body is the
plain-text part, else the visible text of the HTML part. Attachments (and forwarded messages)
are written to the children folder and imported as their own documents linked to the message.

Python's ``email`` finds no body at all in a message whose MIME boundary does not match its
declaration; then we keep the raw body text and mark the message "MIME damaged", so nothing
the sender wrote is lost silently.
"""

from __future__ import annotations

import email
import email.policy
import mimetypes
import re
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Any

from ..errors import ExtractionError
from .base import EMPTY, UNREADABLE, Child, Extraction, ExtractOptions
from .text import decode_text

MIME_DAMAGED = "MIME damaged"
BOUNDARY_DEFECTS = ("StartBoundaryNotFoundDefect", "CloseBoundaryNotFoundDefect",
                    "MultipartInvariantViolationDefect", "NoBoundaryInMultipartDefect")
MAX_ATTACHMENTS = 500
SIGNATURES = {"application/pgp-signature", "application/pkcs7-signature",
              "application/x-pkcs7-signature"}


def safe_filename(name: str, fallback: str) -> str:
    """A file name we can write: no folders, no control characters, not empty."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    return name[:200] or fallback


def header_value(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # a header too broken to parse: keep the raw text
        value = msg.get_all(name, [""])[0] if hasattr(msg, "get_all") else ""
    return " ".join(str(value or "").split())


def _addresses(msg: Message, name: str) -> list[str]:
    try:
        header = msg.get(name)
        addresses = getattr(header, "addresses", None)
        if addresses is not None:
            return [str(a) for a in addresses]
    except Exception:
        pass
    raw = header_value(msg, name)
    return [a.strip() for a in raw.split(",") if a.strip()]


def message_date(msg: Message) -> str | None:
    try:
        header = msg.get("Date")
        dt = getattr(header, "datetime", None)
        if dt is not None:
            return str(dt.isoformat())
    except Exception:
        pass
    return header_value(msg, "Date") or None


def message_metadata(msg: Message) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    subject = header_value(msg, "Subject")
    if subject:
        meta["title"] = meta["subject"] = subject
    sender = _addresses(msg, "From")
    if sender:
        meta["sender"] = sender[0] if len(sender) == 1 else ", ".join(sender)
        meta["author"] = meta["sender"]
    recipients: list[str] = []
    for field in ("To", "Cc", "Bcc"):
        found = _addresses(msg, field)
        if found:
            meta[field.lower()] = found
            recipients.extend(found)
    if recipients:
        meta["recipients"] = recipients
    date = message_date(msg)
    if date:
        meta["date"] = date
        if re.match(r"\d{4}-\d\d-\d\d", date):
            meta["published"] = date[:10]
    for field, key in (("Message-ID", "message_id"), ("In-Reply-To", "in_reply_to")):
        value = header_value(msg, field)
        if value:
            meta[key] = value
    return meta


def header_block(meta: dict[str, Any]) -> str:
    lines = []
    for label, key in (("From", "sender"), ("To", "to"), ("Cc", "cc"), ("Date", "date"),
                       ("Subject", "subject")):
        value = meta.get(key)
        if value:
            lines.append(f"{label}: {', '.join(value) if isinstance(value, list) else value}")
    return "\n".join(lines)


def part_text(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset, errors="replace")
        except LookupError:  # an unknown charset name: guess instead
            pass
    try:
        return decode_text(payload)[0]
    except ExtractionError:
        return payload.decode("utf-8", errors="replace")


def _html_to_text(html: str) -> str:
    from .html import visible_text

    try:
        return visible_text(html)
    except Exception:
        return re.sub(r"<[^>]+>", " ", html)


def _is_attachment(part: Message) -> bool:
    disposition = (part.get_content_disposition() or "").lower()
    return disposition == "attachment" or bool(part.get_filename()) or \
        part.get_content_maintype() not in ("text", "multipart", "message")


class _Walker:
    """Collects body texts and writes attachments, recursing through multiparts by hand so a
    forwarded message stays one attachment instead of dissolving into the parent's parts."""

    def __init__(self, options: ExtractOptions) -> None:
        self.options = options
        self.plain: list[str] = []
        self.html: list[str] = []
        self.children: list[Child] = []
        self.names: list[str] = []
        self.problems: list[str] = []

    def walk(self, part: Message) -> None:
        ctype = part.get_content_type()
        if part.is_multipart() and ctype != "message/rfc822":
            for sub in part.get_payload():  # type: ignore[union-attr]
                if isinstance(sub, Message):
                    self.walk(sub)
            return
        if ctype == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            data = inner.as_bytes() if isinstance(inner, Message) else b""
            self._attach(data, part.get_filename() or "forwarded-message.eml", "email")
            return
        if _is_attachment(part):
            try:
                payload = part.get_payload(decode=True) or b""
            except Exception:
                payload = b""
            ext = mimetypes.guess_extension(ctype) or ".bin"
            self._attach(payload if isinstance(payload, bytes) else b"",
                         part.get_filename() or f"attachment{ext}", None, ctype)
        elif ctype == "text/html":
            self.html.append(_html_to_text(part_text(part)))
        elif ctype.startswith("text/"):
            self.plain.append(part_text(part))

    def _attach(self, data: bytes, filename: str, kind: str | None,
                ctype: str = "") -> None:
        from .formats import SNIFF_BYTES, detect

        name = safe_filename(filename, "attachment.bin")
        self.names.append(name)
        if ctype in SIGNATURES:
            return  # a signature over the message, kept in the original; not a document
        if kind is None and detect(Path(name), data[:SNIFF_BYTES]) is None:
            # Named here rather than failed later: the attachment stays in the original.
            self.problems.append(f"attachment {name!r} was not imported (unsupported type)")
            return
        if not data:
            self.problems.append(f"attachment {name!r} is empty")
            return
        if len(self.children) >= MAX_ATTACHMENTS or not self.options.children_dir:
            self.problems.append(f"attachment {name!r} was not imported (limit reached)")
            return
        folder = Path(self.options.children_dir)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{len(self.children) + 1:04d}-{name}"
        target.write_bytes(data)
        self.children.append(Child(str(target), name, {"kind": kind} if kind else {}))


_MIME_LINE = re.compile(r"^(--[\w'()+,./:=?-]{1,70}(--)?|Content-[\w-]+:.*|\s+[\w-]+=\S*)$",
                        re.IGNORECASE)


def _raw_body(data: bytes) -> str:
    """Everything after the header block, decoded as well as we can, without the MIME
    boundary and part-header lines (they are structure, not what the sender wrote)."""
    parts = re.split(rb"\r?\n\r?\n", data, maxsplit=1)
    body = parts[1] if len(parts) > 1 else b""
    try:
        text = decode_text(body)[0] if body else ""
    except ExtractionError:
        text = body.decode("utf-8", errors="replace")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line for line in lines if not _MIME_LINE.match(line))


def _defect_names(msg: Message) -> list[str]:
    names = [type(d).__name__ for d in msg.defects]
    if msg.is_multipart():
        for sub in msg.walk():
            if sub is not msg:
                names.extend(type(d).__name__ for d in sub.defects)
    return names


def parse_message(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def looks_like_message(msg: Message) -> bool:
    return any(msg.get(h) for h in ("From", "To", "Subject", "Date", "Message-ID", "Received"))


class EmailExtractor:
    name = "email"
    version = "2"  # 2: an HTML body's paragraphs end with a blank line

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        data = path.read_bytes()
        if not data.strip():
            raise ExtractionError(EMPTY, "the message is empty")
        msg = parse_message(data)
        if not looks_like_message(msg):
            raise ExtractionError(UNREADABLE, "not an e-mail message (no message headers)")
        meta = message_metadata(msg)
        walker = _Walker(options)
        walker.walk(msg)
        body = "\n\n".join(t.strip() for t in walker.plain if t.strip()) or \
            "\n\n".join(t.strip() for t in walker.html if t.strip())
        problems = list(walker.problems)
        defects = [d for d in _defect_names(msg) if d in BOUNDARY_DEFECTS]
        if defects and not body.strip():
            body = _raw_body(data).strip()
            problems.insert(0, f"{MIME_DAMAGED}: the MIME structure is broken "
                               f"({', '.join(sorted(set(defects)))}); kept the raw message text")
        elif defects:
            problems.insert(0, f"{MIME_DAMAGED}: some parts may be missing "
                               f"({', '.join(sorted(set(defects)))})")
        head = header_block(meta)
        text = f"{head}\n\n{body}" if head and body else head or body
        if walker.names:
            text += f"\n\nAttachments: {', '.join(walker.names[:50])}"
            meta["attachments"] = walker.names
        return Extraction(pages=[text], extractor=self.name, extractor_version=self.version,
                          metadata=meta, problems=problems, children=walker.children)
