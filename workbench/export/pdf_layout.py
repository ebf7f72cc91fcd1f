"""WeasyPrint layout of one part of the dossier PDF, in this process or in worker processes.

A part is a complete HTML document (cover and contents, a slice of the body, or the page
stamps). Laying it out returns the PDF bytes plus what the assembler needs to know about its
pages: where each anchor landed (for the contents' page numbers), the headings' bookmarks and
the internal links. Parts are independent, so the body can be laid out on every core: worker
processes are started with ``spawn`` (never ``fork``: the desktop app and the library have
threads) and live only as long as one export.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

# (page index in the part, level, label, x, y); x and y in CSS pixels from the top left.
Bookmark = tuple[int, int, str, float, float]
# (page index in the part, target anchor, (x, y, width, height) in CSS pixels).
InternalLink = tuple[int, str, tuple[float, float, float, float]]


@dataclass
class Part:
    pdf: bytes
    pages: int
    # anchor name -> (page index in the part, x1, y1, x2, y2) of its box, in CSS pixels
    anchors: dict[str, tuple[int, float, float, float, float]] = field(default_factory=dict)
    bookmarks: list[Bookmark] = field(default_factory=list)
    links: list[InternalLink] = field(default_factory=list)


def _quiet() -> None:
    # WeasyPrint logs every unsupported CSS property (and, in the contents, every link to an
    # exhibit laid out in another part) at WARNING; keep the CLI's stderr clean.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def lay_out(html: str, base_url: str) -> Part:
    """Lay out and draw one part. Module level, so worker processes can run it."""
    from weasyprint import HTML

    _quiet()
    document = HTML(string=html, base_url=base_url).render()
    part = Part(b"", len(document.pages))
    for i, page in enumerate(document.pages):
        for name, (x1, y1, x2, y2) in page.anchors.items():
            part.anchors.setdefault(name, (i, x1, y1, x2, y2))
        for level, label, (x, y), _state in page.bookmarks:
            part.bookmarks.append((i, level, label, x, y))
        for kind, target, rect, _box in page.links:
            if kind == "internal":
                part.links.append((i, target, tuple(rect)))  # type: ignore[arg-type]
    part.pdf = document.write_pdf()
    return part


def _warm_up() -> None:
    """Pay WeasyPrint's import in a new worker while the parent prepares the HTML."""
    import weasyprint  # noqa: F401

    _quiet()


class LayoutPool:
    """Worker processes for one export; a context manager, so they never outlive it."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        if workers > 0:
            self._pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
            for _ in range(workers):  # start them now, while this process writes the HTML
                self._pool.submit(_warm_up)

    def __enter__(self) -> LayoutPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, html: str, base_url: str) -> Future[Part]:
        if self._pool is None:
            future: Future[Part] = Future()
            future.set_result(lay_out(html, base_url))
            return future
        return self._pool.submit(lay_out, html, base_url)
