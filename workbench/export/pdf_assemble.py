"""Join the laid-out parts of the dossier PDF into one file with pypdf.

The parts (cover and contents, then the body in one or more slices) are concatenated; every
page gets its footer ("Page i of n") and optional Bates number by laying the matching page of
the stamp document over it; the bookmarks (PDF outline) and the contents' links are rebuilt
from the positions WeasyPrint reported, and the metadata is set to only what the user chose
plus a fixed producer (no user, host, path, library or software version).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from .pdf_layout import Part

PX = 0.75  # PDF points per CSS pixel
PRODUCER = "Workbench"


class Layout:
    """Where each part's pages land in the assembled document."""

    def __init__(self, parts: Sequence[Part]) -> None:
        self.parts = list(parts)
        self.offsets: list[int] = []
        total = 0
        for part in self.parts:
            self.offsets.append(total)
            total += part.pages
        self.pages = total
        self.anchors: dict[str, tuple[int, float, float]] = {}
        for part, offset in zip(self.parts, self.offsets, strict=True):
            for name, (page, x, y, *_end) in part.anchors.items():
                self.anchors.setdefault(name, (page + offset, x, y))

    def page_numbers(self) -> dict[str, int]:
        """Anchor name -> page number as printed (1-based)."""
        return {name: page + 1 for name, (page, _x, _y) in self.anchors.items()}


def pdf_date(when: datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%SZ")


def _stamp(writer: Any, stamps: Sequence[Part]) -> None:
    from pypdf import PdfReader

    overlay = [page for part in stamps for page in PdfReader(BytesIO(part.pdf)).pages]
    if len(overlay) != len(writer.pages):
        raise RuntimeError(f"{len(overlay)} stamp pages for {len(writer.pages)} pages")
    for page, stamp in zip(writer.pages, overlay, strict=True):
        page.merge_page(stamp)
        page.compress_content_streams()  # merging leaves the joined stream uncompressed


def _outline(writer: Any, layout: Layout) -> None:
    """Headings as nested bookmarks: each nests under the last one of a lower level."""
    from pypdf.generic import Fit

    stack: list[tuple[int, Any]] = []
    for part, offset in zip(layout.parts, layout.offsets, strict=True):
        for page, level, label, x, y in part.bookmarks:
            while stack and stack[-1][0] >= level:
                stack.pop()
            height = float(writer.pages[page + offset].mediabox.height)
            item = writer.add_outline_item(
                title=label, page_number=page + offset,
                parent=stack[-1][1] if stack else None,
                fit=Fit.xyz(left=x * PX, top=height - y * PX))
            stack.append((level, item))


def _links(writer: Any, layout: Layout) -> None:
    """The contents' entries link to their exhibits (targets may be in another part)."""
    from pypdf.annotations import Link
    from pypdf.generic import Fit

    for part, offset in zip(layout.parts, layout.offsets, strict=True):
        for page, target, (x, y, w, h) in part.links:
            if target not in layout.anchors:
                continue
            height = float(writer.pages[page + offset].mediabox.height)
            to_page, tx, ty = layout.anchors[target]
            to_height = float(writer.pages[to_page].mediabox.height)
            link = Link(rect=(x * PX, height - (y + h) * PX, (x + w) * PX, height - y * PX),
                        border=[0, 0, 0], target_page_index=to_page,
                        fit=Fit.xyz(left=tx * PX, top=to_height - ty * PX))
            writer.add_annotation(page_number=page + offset, annotation=link)


def assemble(layout: Layout, stamps: Sequence[Part], path: Path, *, title: str, author: str | None,
             when: datetime) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in layout.parts:
        writer.append(PdfReader(BytesIO(part.pdf)), import_outline=False)
    _stamp(writer, stamps)
    _outline(writer, layout)
    _links(writer, layout)
    writer.page_mode = "/UseOutlines"
    stamp = pdf_date(when)
    info = {"/Title": title, "/Creator": PRODUCER, "/Producer": PRODUCER,
            "/CreationDate": stamp, "/ModDate": stamp}
    if author:
        info["/Author"] = author
    writer.metadata = None  # drop pypdf's default producer
    writer.add_metadata(info)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    with path.open("wb") as f:
        writer.write(f)
