"""Which formats Workbench reads: detection by content first, then by file name.

Each ``Format`` names its kind, media type, file extensions, an optional content sniffer and
the module path of its extractor (imported only inside the worker process). To support a new
format, add one module under ``workbench/extract/`` and one entry to ``FORMATS``.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SNIFF_BYTES = 4096


@dataclass(frozen=True)
class Format:
    kind: str
    media_type: str
    extensions: tuple[str, ...]
    extractor: str  # "module:ClassName", imported in the worker
    sniff: Callable[[bytes], bool] | None = None


def _is_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]


def _is_html(head: bytes) -> bool:
    start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html")) or (
        start.startswith(b"<?xml") and b"<html" in head[:2048].lower()
    )


_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{1,40}:[ \t]")
_MAIL_HEADERS = {b"from", b"to", b"subject", b"date", b"message-id", b"received",
                 b"return-path", b"mime-version", b"delivered-to", b"reply-to", b"cc",
                 b"x-mailer", b"content-type", b"user-agent", b"in-reply-to", b"references"}


def _header_names(head: bytes) -> list[bytes]:
    """Names of the RFC 5322 header lines at the very start of ``head``, if it starts so."""
    names: list[bytes] = []
    for line in head.split(b"\n"):
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            continue  # a folded continuation line
        if not _HEADER_LINE.match(line):
            return names if len(names) >= 3 else []
        names.append(line.split(b":", 1)[0].lower())
    return names


def _is_mhtml(head: bytes) -> bool:
    names = _header_names(head.lstrip(b"\r\n"))
    low = head.lower()
    return bool(names) and b"multipart/related" in low and (
        b"snapshot-content-location" in names or b"text/html" in low)


def _is_email(head: bytes) -> bool:
    names = set(_header_names(head.lstrip(b"\r\n")))
    known = names & _MAIL_HEADERS
    return len(known) >= 3 and bool(known & {b"from", b"received", b"message-id"})


_MBOX_FROM = re.compile(rb"^From \S+ +\S.*\d{4}\r?\n")


def _is_mbox(head: bytes) -> bool:
    match = _MBOX_FROM.match(head)
    return match is not None and _is_email(head[match.end():])


def is_warc(head: bytes) -> bool:
    if head.startswith(b"\x1f\x8b"):  # a .warc.gz: look inside the first gzip member
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 64)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def _zip_with(*markers: bytes) -> Callable[[bytes], bool]:
    def sniff(head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and any(m in head for m in markers)
    return sniff


def _is_image(head: bytes) -> bool:
    return head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP")


FORMATS: list[Format] = [
    Format("pdf", "application/pdf", (".pdf",), "workbench.extract.pdf:PdfExtractor", _is_pdf),
    Format("html", "text/html", (".html", ".htm", ".xhtml"),
           "workbench.extract.html:HtmlExtractor", _is_html),
    Format("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           (".docx",), "workbench.extract.docx:DocxExtractor", _zip_with(b"word/")),
    Format("odt", "application/vnd.oasis.opendocument.text", (".odt",),
           "workbench.extract.odt:OdtExtractor",
           _zip_with(b"mimetypeapplication/vnd.oasis.opendocument.text")),
    Format("wacz", "application/wacz", (".wacz",), "workbench.extract.warc:WaczExtractor",
           _zip_with(b"datapackage.json", b"archive/")),
    Format("warc", "application/warc", (".warc", ".arc"), "workbench.extract.warc:WarcExtractor",
           is_warc),
    Format("mhtml", "multipart/related", (".mhtml", ".mht"),
           "workbench.extract.mhtml:MhtmlExtractor", _is_mhtml),
    Format("mbox", "application/mbox", (".mbox", ".mbx"), "workbench.extract.mbox:MboxExtractor",
           _is_mbox),
    Format("email", "message/rfc822", (".eml", ".msg822"), "workbench.extract.eml:EmailExtractor",
           _is_email),
    Format("image", "image/*", (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp"),
           "workbench.extract.image:ImageExtractor", _is_image),
    Format("text", "text/plain", (".txt", ".text", ".log", ".csv", ".tsv"),
           "workbench.extract.text:TextExtractor"),
    Format("markdown", "text/markdown", (".md", ".markdown"),
           "workbench.extract.text:TextExtractor"),
]


def detect(path: Path, head: bytes) -> Format | None:
    """The file's format: by content where it can be told, else by extension, else None."""
    ext = path.suffix.lower()
    by_ext = next((f for f in FORMATS if ext in f.extensions), None)
    # A declared PDF that is not one stays "pdf" so the user hears "not a readable PDF".
    if by_ext is not None and by_ext.sniff is not None:
        return by_ext
    for fmt in FORMATS:
        if fmt.sniff is not None and fmt.sniff(head):
            return fmt
    return by_ext


def by_kind(kind: str) -> Format:
    for fmt in FORMATS:
        if fmt.kind == kind:
            return fmt
    raise KeyError(kind)
