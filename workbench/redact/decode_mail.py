"""E-mail for ``decode``: .eml, .mbox, .mht/.mhtml and anything else that parses as MIME.

Every header is read decoded (RFC 2047 encoded words, RFC 2231 parameters), and every part's
payload is decoded (base64, quoted-printable, uuencode) and read as a file of its own, with
its declared charset and its file name: text alternatives, attachments and attached messages
alike. An mbox is cut into its messages first.
"""

from __future__ import annotations

import email
import mimetypes
import re
from collections.abc import Iterator
from email.header import decode_header, make_header
from email.message import Message
from email.policy import compat32

from .decode import Context, Item, Reading, Unreadable, under

_HEADER = re.compile(rb"[A-Za-z][A-Za-z0-9-]*:[ \t]")
_KNOWN = {b"content-type", b"mime-version", b"from", b"subject", b"received", b"message-id",
          b"date", b"to", b"return-path", b"delivered-to", b"content-transfer-encoding"}
_MBOX_FROM = re.compile(rb"(?m)^From [^\n]*\n")


def looks_like_mime(data: bytes) -> bool:
    """Headers first (at least two that mail and MIME documents use), or an mbox."""
    head = data[:8192].lstrip()
    if head.startswith(b"From ") and b"\n" in head:
        return _HEADER.match(head.split(b"\n", 1)[1]) is not None
    lines = head.splitlines()[:60]
    if not lines or _HEADER.match(lines[0]) is None:
        return False
    names = {line.split(b":", 1)[0].strip().lower() for line in lines if _HEADER.match(line)}
    return len(names & _KNOWN) >= 2


def decoded_header(value: object) -> str:
    """A header value with its encoded words decoded (as is when they are broken)."""
    text = str(value)
    try:
        return str(make_header(decode_header(text)))
    except (ValueError, LookupError, UnicodeError, TypeError):
        return text


def read_mime(ctx: Context, name: str, data: bytes, depth: int) -> Iterator[Item]:
    if data.lstrip().startswith(b"From "):
        messages = [m for m in _MBOX_FROM.split(data.lstrip()) if m.strip()]
    else:
        messages = [data]
    for n, raw in enumerate(messages, 1):
        try:
            msg = email.message_from_bytes(raw, policy=compat32)
        except Exception as exc:  # the parser is lenient; anything it raises means damage
            yield Unreadable(f"message {n}", f"it cannot be parsed ({type(exc).__name__})")
            continue
        items = _read_message(ctx, msg, depth)
        if len(messages) == 1:
            yield from items
        else:
            yield from (under(f"message {n}", item) for item in items)


def _read_message(ctx: Context, msg: Message, depth: int) -> Iterator[Item]:
    for n, part in enumerate(msg.walk()):
        where = "message" if n == 0 else f"MIME part {n}"
        headers = "\n".join(f"{k}: {decoded_header(v)}" for k, v in part.items())
        if headers:
            yield Reading(f"{where} headers (decoded)", headers)
        if part.is_multipart():
            continue
        try:
            payload = part.get_payload(decode=True)
        except Exception as exc:  # a payload the email package cannot decode
            yield Unreadable(where, f"its payload cannot be decoded ({type(exc).__name__})")
            continue
        if not isinstance(payload, bytes) or not payload:
            continue
        ctype = part.get_content_type()
        cte = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower()
        filename = part.get_filename()
        name = decoded_header(filename) if filename else \
            f"part{n}{mimetypes.guess_extension(ctype) or '.txt'}"
        if not ctx.take(len(payload)):
            yield Unreadable(where, "too large to check")
            return
        yield from ctx.nested(f"{where} ({ctype}, {cte})", name, payload, depth + 1,
                              part.get_content_charset(), named=bool(filename))
