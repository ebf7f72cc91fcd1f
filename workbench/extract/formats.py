"""Which formats Workbench reads: detection by content first, then by file name.

Each ``Format`` names its kind, media type, file extensions, an optional content sniffer and
the module path of its extractor (imported only inside the worker process). To support a new
format, add one module under ``workbench/extract/`` and one entry to ``FORMATS``.
"""

from __future__ import annotations

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


FORMATS: list[Format] = [
    Format("pdf", "application/pdf", (".pdf",), "workbench.extract.pdf:PdfExtractor", _is_pdf),
    Format("html", "text/html", (".html", ".htm", ".xhtml"),
           "workbench.extract.html:HtmlExtractor", _is_html),
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
