"""Mailboxes (.mbox): every message becomes its own document, a child of the mailbox.

The mailbox itself is a container: its text layer is a short table of contents (sender, date,
subject of each message), and each message is written out as an ``.eml`` child that the
pipeline imports through the e-mail extractor, with progress, one outcome per message. A broken
message in the middle is that message's outcome ("not an e-mail message", "empty"); the
messages after it still import.
"""

from __future__ import annotations

import mailbox
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path

from ..errors import ExtractionError
from .base import UNREADABLE, Child, Extraction, ExtractOptions

MAX_MESSAGES = 200_000
TOC_LINES = 5_000  # the table of contents is for reading, not a second copy of the mailbox


class MboxExtractor:
    name = "mbox"
    version = "1"

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        if not options.children_dir:
            raise ExtractionError(UNREADABLE, "no folder to unpack the mailbox into")
        folder = Path(options.children_dir)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            box = mailbox.mbox(str(path), create=False)
            keys = box.keys()
        except (OSError, mailbox.Error) as exc:
            raise ExtractionError(UNREADABLE, f"not a readable mailbox ({exc})") from exc
        if not keys:
            raise ExtractionError(UNREADABLE, "the mailbox holds no messages")
        children: list[Child] = []
        toc: list[str] = []
        problems: list[str] = []
        for n, key in enumerate(keys[:MAX_MESSAGES], start=1):
            try:
                data = box.get_bytes(key)
            except Exception as exc:  # one unreadable record costs that record only
                problems.append(f"message {n} could not be read ({type(exc).__name__})")
                continue
            target = folder / f"message-{n:06d}.eml"
            target.write_bytes(data)
            children.append(Child(str(target), target.name, {"kind": "email",
                                                             "mbox_index": n}))
            if len(toc) < TOC_LINES:
                toc.append(f"{n}. {_summary(data)}")
        if len(keys) > MAX_MESSAGES:
            problems.append(f"only the first {MAX_MESSAGES} of {len(keys)} messages were read")
        if len(keys) > TOC_LINES:
            toc.append(f"… and {len(keys) - TOC_LINES} more messages")
        return Extraction(
            pages=["\n".join(toc)], extractor=self.name, extractor_version=self.version,
            metadata={"messages": len(children)}, problems=problems,
            children=children, container=True,
        )


_HEADERS = BytesHeaderParser(policy=compat32)


def _summary(data: bytes) -> str:
    """Sender — date — subject, as written (encoded words decoded). The legacy header API is
    used on purpose: the modern one parses every address and was 90% of an mbox's time."""
    try:
        headers = _HEADERS.parsebytes(data[:65536])
        parts = [_decoded(headers.get("From"), "?"), _decoded(headers.get("Date"), "?"),
                 _decoded(headers.get("Subject"), "(no subject)")]
    except Exception:
        return "(unreadable message)"
    return " — ".join(parts)


def _decoded(value: object, default: str) -> str:
    if not value:
        return default
    try:
        text = str(make_header(decode_header(str(value))))
    except Exception:  # a malformed encoded word: keep it as it stands
        text = str(value)
    return " ".join(text.split())[:300] or default
