"""The extractor protocol and the value an extraction returns.

One module per format implements ``Extractor``; the worker process (``worker.py``) runs them,
never the GUI or the importing process, so a hostile file costs one error, not the batch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

# Per-file statuses an extraction failure can carry (see ingest.FileOutcome).
EMPTY = "empty"
UNREADABLE = "unreadable"
ENCRYPTED = "encrypted"
TOO_LARGE = "exceeds limits"
TIMED_OUT = "timed out"
UNSUPPORTED = "unsupported"
PERMISSION = "permission denied"
NOT_FOUND = "not found"
CRASHED = "extractor crashed"

# How a document's pages are joined into its text layer: ``persist.PAGE_SEPARATOR`` (kept
# there for readers that must not load the extractors; a test holds the two equal).
PAGE_SEPARATOR = "\n\n"

# A worker's argument naming a kind whose extractor it imports before its first file
# (``worker.preload``; ``isolation.WorkerProcess``).
PRELOAD_OPTION = "--preload="


@dataclass
class Child:
    """An item found inside a file (an attachment, a message of an mbox, a WARC record).

    ``path`` is a temporary file the worker wrote; the pipeline imports it as its own document
    linked to the parent, with ``collection`` fields (source_url, captured_at ISO, http_status)
    and ``metadata`` overriding what its own extraction finds.
    """

    path: str
    filename: str
    metadata: dict[str, Any] = field(default_factory=dict)
    collection: dict[str, Any] = field(default_factory=dict)


@dataclass
class Extraction:
    """Text per page (one entry for formats without pages), metadata and problems."""

    pages: list[str]
    extractor: str
    extractor_version: str
    metadata: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    method: str = "text"  # text | ocr
    languages: str | None = None
    children: list[Child] = field(default_factory=list)
    # Set when the file holds no text of its own on purpose (a container such as an mbox).
    container: bool = False
    # The words OCR read with their boxes, kept as those pages' character boxes
    # (``workbench.pages``): [{"page": N, "width": w, "height": h, "words": [[x0, y0, x1, y1,
    # text], ...]}] in PDF points from the page's top-left corner.
    ocr_words: list[dict[str, Any]] = field(default_factory=list)
    # What the failed-redaction check found (``workbench.xray``), without the hidden text:
    # [{"page": N, "bbox": [x0, y0, x1, y1], "characters": n, "kind": ...}].
    xray: list[dict[str, Any]] = field(default_factory=list)
    # The text's shingle hashes for finding its copies, computed by the worker that read it
    # (``copies.signature.shingle_hashes``): {"text_sha256", "hashes"} (base64), or empty.
    signing: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Extraction:
        children = [Child(**c) for c in data.pop("children", [])]
        return cls(children=children, **data)

    @property
    def empty_pages(self) -> list[int]:
        return [i + 1 for i, page in enumerate(self.pages) if not page.strip()]


@dataclass(frozen=True)
class ExtractOptions:
    """What the importing process tells the extractor about this file."""

    kind: str
    children_dir: str | None = None
    ocr_languages: str = "auto"  # per page from its script; see extract/ocr.py
    source_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Extractor(Protocol):
    name: str
    version: str

    def extract(self, path: Path, options: ExtractOptions) -> Extraction: ...
