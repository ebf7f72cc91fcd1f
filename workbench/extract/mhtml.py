"""MHTML web captures (what Chrome, Edge and Hunchly save), with the standard ``email`` parser.

An MHTML file is a MIME ``multipart/related`` message: the page's HTML plus its images and
styles. The HTML part (the one the ``start`` parameter names, else the first HTML part) gives
the reading text and metadata through the HTML extractor's code; the snapshot's URL and date
become the collection record's source URL and capture time. Sub-resources are counted, not
imported: they are part of the page, and the original file keeps them.
"""

from __future__ import annotations

from email.message import Message
from pathlib import Path
from typing import Any

from ..errors import ExtractionError
from .base import EMPTY, UNREADABLE, Extraction, ExtractOptions
from .eml import MIME_DAMAGED, header_value, message_date, parse_message, part_text
from .html import html_extraction


def _html_part(msg: Message) -> Message | None:
    parts = [p for p in msg.walk() if not p.is_multipart()]
    start = (msg.get_param("start") or "") if msg.is_multipart() else ""
    if isinstance(start, str) and start:
        wanted = start.strip("<>")
        for part in parts:
            if str(part.get("Content-ID", "")).strip("<> ") == wanted:
                return part
    return next((p for p in parts if p.get_content_type() in ("text/html",
                                                              "application/xhtml+xml")), None)


class MhtmlExtractor:
    name = "mhtml"
    version = "2"  # 2: paragraphs end with a blank line (html.py)

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        data = path.read_bytes()
        if not data.strip():
            raise ExtractionError(EMPTY, "the file is empty")
        msg = parse_message(data)
        part = _html_part(msg)
        if part is None:
            raise ExtractionError(UNREADABLE, "not a readable MHTML capture (no HTML part)")
        html = part_text(part)
        result = html_extraction(html, None, self.name, self.version)
        meta: dict[str, Any] = result.metadata
        url = (header_value(msg, "Snapshot-Content-Location")
               or header_value(part, "Content-Location"))
        if url:
            meta["source_url"] = url
        captured = message_date(msg)
        if captured:
            meta["captured_at"] = captured
        if not meta.get("title") and header_value(msg, "Subject"):
            meta["title"] = header_value(msg, "Subject")
        resources = sum(1 for p in msg.walk() if not p.is_multipart()) - 1
        meta["resources"] = max(resources, 0)
        if msg.defects:
            names = ", ".join(sorted({type(d).__name__ for d in msg.defects}))
            result.problems.append(f"{MIME_DAMAGED}: the capture's MIME structure has defects "
                                   f"({names})")
        return result
