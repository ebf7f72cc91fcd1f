"""Join the laid-out parts of the dossier PDF into one file with pypdf.

The parts (cover and contents, then the body in one or more slices) are concatenated, with
each facsimile exhibit's pages (built apart, ``facsimile_plan``) inserted after the page where
the exhibit ends; every dossier page gets its footer ("Page i of n") and optional Bates
number by laying the matching page of the stamp document over it; the bookmarks (PDF
outline) and the contents' links are rebuilt from the positions WeasyPrint reported, and the
metadata is set to only what the user chose plus a fixed producer (no user, host, path,
library or software version).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from .pdf_layout import Part
from .pdf_stamps import DrawnStamps

PX = 0.75  # PDF points per CSS pixel
PRODUCER = "Workbench"


class Layout:
    """Where each part's pages land in the assembled document.

    Page indices of the laid-out parts in sequence are *flow* indices; pages inserted after
    a flow page (``insert``) shift what follows, and ``final`` maps a flow index to its index
    in the assembled document. ``anchors`` hold final indices."""

    def __init__(self, parts: Sequence[Part]) -> None:
        self.parts = list(parts)
        self.offsets: list[int] = []
        total = 0
        for part in self.parts:
            self.offsets.append(total)
            total += part.pages
        self.flow_pages = total
        self.inserts: dict[int, list[tuple[int, Path | None]]] = {}
        self._flow_anchors: dict[str, tuple[int, float, float]] = {}
        for part, offset in zip(self.parts, self.offsets, strict=True):
            for name, (page, x, y, *_end) in part.anchors.items():
                self._flow_anchors.setdefault(name, (page + offset, x, y))

    @property
    def pages(self) -> int:
        return self.flow_pages + sum(n for pages in self.inserts.values() for n, _ in pages)

    def flow_page(self, anchor: str) -> int | None:
        found = self._flow_anchors.get(anchor)
        return None if found is None else found[0]

    def insert(self, after: int, pages: int) -> int:
        """Reserve ``pages`` pages after flow page ``after``; returns the first one's final
        index (its file is given to ``fill`` once rendered)."""
        self.inserts.setdefault(after, []).append((pages, None))
        return self.final(after) + 1 + sum(n for n, _ in self.inserts[after][:-1])

    def fill(self, after: int, index: int, pdf: Path) -> None:
        pages, _ = self.inserts[after][index]
        self.inserts[after][index] = (pages, pdf)

    def final(self, flow: int) -> int:
        return flow + sum(n for after, pages in self.inserts.items() if after < flow
                          for n, _ in pages)

    def inserted(self) -> set[int]:
        """The final indices of every inserted page."""
        out: set[int] = set()
        for after, pages in self.inserts.items():
            first = self.final(after) + 1
            for n, _ in pages:
                out.update(range(first, first + n))
                first += n
        return out

    @property
    def anchors(self) -> dict[str, tuple[int, float, float]]:
        return {name: (self.final(page), x, y)
                for name, (page, x, y) in self._flow_anchors.items()}

    def page_numbers(self) -> dict[str, int]:
        """Anchor name -> page number as printed (1-based)."""
        return {name: page + 1 for name, (page, _x, _y) in self.anchors.items()}


def pdf_date(when: datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%SZ")


def _stamp(writer: Any, stamps: Sequence[Part] | DrawnStamps,
           skip: Collection[int] = ()) -> None:
    """Lay each page's stamp over it: the page's own content is wrapped in ``q``/``Q``
    (WeasyPrint leaves its flipped coordinate system set), then the stamp's content follows,
    with its resources merged into the page's. Stamps are drawn (``DrawnStamps``: their font
    under a name of their own) or, for a Bates prefix the drawn font lacks, the pages of a
    laid-out stamp document (their resource names prefixed, so they cannot clash with the
    page's: both parts may name a different font subset alike). pypdf's ``merge_page`` does
    the same but parses every page's content stream: measured 0.9 CPU-s of 2 for 152 pages."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

    def stream(data: bytes) -> Any:
        obj = DecodedStreamObject()
        obj.set_data(data)
        return writer._add_object(obj.flate_encode())

    push, pop = stream(b"q\n"), stream(b"\nQ\n")
    # Inserted facsimile pages keep their own stamp: nothing is drawn over the source's page.
    own_pages = [p for i, p in enumerate(writer.pages) if i not in skip]
    count = len(stamps.pages) if isinstance(stamps, DrawnStamps) else sum(
        part.pages for part in stamps)
    if count != len(own_pages):
        raise RuntimeError(f"{count} stamp pages for {len(own_pages)} pages")
    overlays = _drawn(writer, stamps, own_pages) if isinstance(stamps, DrawnStamps) else \
        _laid_out(writer, stamps)
    merged: dict[tuple[int, int], Any] = {}
    for page, (data, resources) in zip(own_pages, overlays, strict=True):
        own = page["/Resources"].get_object()
        pair = (id(own), id(resources))
        if pair not in merged:
            merged[pair] = writer._add_object(_merge_resources(own, resources))
        contents = page.raw_get("/Contents")
        body = list(contents) if isinstance(contents, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([push, *body, pop, stream(data)])
        page[NameObject("/Resources")] = merged[pair]


def _drawn(writer: Any, stamps: DrawnStamps, pages: Sequence[Any]) -> Iterator[tuple[bytes, Any]]:
    resources = stamps.resources(writer)
    for k, page in enumerate(pages):
        yield stamps.ops(k, float(page.mediabox.height)), resources


def _laid_out(writer: Any, stamps: Sequence[Part]) -> Iterator[tuple[bytes, Any]]:
    from pypdf import PdfReader

    renamed: dict[int, tuple[Any, re.Pattern[bytes]]] = {}
    for part in stamps:
        for stamp in PdfReader(BytesIO(part.pdf)).pages:
            stamp_res = stamp["/Resources"].get_object()
            key = id(stamp_res)
            if key not in renamed:
                renamed[key] = _renamed_resources(writer, stamp_res)
            resources, names = renamed[key]
            content = stamp.get_contents()
            raw = content.get_data() if content is not None else b""
            yield names.sub(rb"/" + STAMP_PREFIX + rb"\1", raw), resources


STAMP_PREFIX = b"WBstamp"


def _renamed_resources(writer: Any, resources: Any) -> tuple[Any, re.Pattern[bytes]]:
    """The stamp's resources copied into ``writer`` with prefixed names, and a pattern that
    finds those names in its content stream."""
    from pypdf.generic import DictionaryObject, NameObject

    out = DictionaryObject()
    names: list[str] = []
    for category, entries in resources.items():
        entries = entries.get_object()
        if not isinstance(entries, DictionaryObject):
            continue
        copy = DictionaryObject()
        for name, value in entries.items():
            names.append(name[1:])
            copy[NameObject("/" + STAMP_PREFIX.decode() + name[1:])] = value.clone(writer)
        out[NameObject(category)] = copy
    alternatives = b"|".join(re.escape(n.encode("latin-1")) for n in
                             sorted(names, key=len, reverse=True)) or b"(?!)"
    return out, re.compile(rb"/(" + alternatives + rb")(?=[\s\[\]<>()/{}%]|$)")


def _merge_resources(own: Any, extra: Any) -> Any:
    from pypdf.generic import DictionaryObject, NameObject

    merged = DictionaryObject()
    for category, entries in own.items():
        merged[NameObject(category)] = entries
    for category, entries in extra.items():
        base = merged.get(category)
        combined = DictionaryObject(base.get_object().items()) if base is not None else \
            DictionaryObject()
        combined.update(entries)
        merged[NameObject(category)] = combined
    return merged


def _outline(writer: Any, layout: Layout) -> None:
    """Headings as nested bookmarks: each nests under the last one of a lower level."""
    from pypdf.generic import Fit

    stack: list[tuple[int, Any]] = []
    for part, offset in zip(layout.parts, layout.offsets, strict=True):
        for page, level, label, x, y in part.bookmarks:
            while stack and stack[-1][0] >= level:
                stack.pop()
            at = layout.final(page + offset)
            height = float(writer.pages[at].mediabox.height)
            item = writer.add_outline_item(
                title=label, page_number=at,
                parent=stack[-1][1] if stack else None,
                fit=Fit.xyz(left=x * PX, top=height - y * PX))
            stack.append((level, item))


def _links(writer: Any, layout: Layout) -> None:
    """The contents' entries link to their exhibits (targets may be in another part). These
    are the PDF's only internal links: ``lay_out`` keeps WeasyPrint from drawing any."""
    from pypdf.annotations import Link
    from pypdf.generic import Fit

    anchors = layout.anchors  # computed, not stored: once, not twice per link
    for part, offset in zip(layout.parts, layout.offsets, strict=True):
        for page, target, (x1, y1, x2, y2) in part.links:
            if target not in anchors:
                continue
            at = layout.final(page + offset)
            height = float(writer.pages[at].mediabox.height)
            to_page, tx, ty = anchors[target]
            to_height = float(writer.pages[to_page].mediabox.height)
            link = Link(rect=(x1 * PX, height - y2 * PX, x2 * PX, height - y1 * PX),
                        border=[0, 0, 0], target_page_index=to_page,
                        fit=Fit.xyz(left=tx * PX, top=to_height - ty * PX))
            writer.add_annotation(page_number=at, annotation=link)


def assemble(layout: Layout, stamps: Sequence[Part] | DrawnStamps, path: Path, *, title: str,
             author: str | None, when: datetime) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part, offset in zip(layout.parts, layout.offsets, strict=True):
        reader = PdfReader(BytesIO(part.pdf))
        start = 0
        for local in range(part.pages):
            pages = layout.inserts.get(offset + local)
            if not pages:
                continue
            writer.append(reader, pages=(start, local + 1), import_outline=False)
            start = local + 1
            for _n, pdf in pages:
                if pdf is None:
                    raise RuntimeError("a facsimile was reserved but never rendered")
                writer.append(PdfReader(pdf), import_outline=False)
        if start < part.pages:
            writer.append(reader, pages=(start, part.pages), import_outline=False)
    _stamp(writer, stamps, layout.inserted())
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
