"""WeasyPrint layout of one part of the dossier PDF, in this process or in worker processes.

A part is a complete HTML document (cover and contents, a slice of the body, or the page
stamps). Laying it out returns the PDF bytes plus what the assembler needs to know about its
pages: where each anchor landed (for the contents' page numbers), the headings' bookmarks and
the internal links. Parts are independent, so the body can be laid out on every core: worker
processes (``Worker``) are started afresh (never forked: the desktop app and the library have
threads) and live only as long as one export.

WeasyPrint writes each glyph as a string of its own, ``[<0033>0<0044>0…] TJ``; before the
part is written its glyph runs are joined where nothing moves between them
(``join_glyph_runs``): the same pages, drawn and read alike, but a third of the strings for
every reader — pypdf's text extraction, which the leak check runs on every page, costs per
string (5.3 → 1.8 CPU-s on the benchmark's 152 pages).
"""

from __future__ import annotations

import logging
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from typing import Any

# (page index in the part, level, label, x, y); x and y in CSS pixels from the top left.
Bookmark = tuple[int, int, str, float, float]
# (page index in the part, target anchor, (x1, y1, x2, y2) in CSS pixels). WeasyPrint's
# ``Page.links`` documents ``(x, y, width, height)`` but gives the two corners.
InternalLink = tuple[int, str, tuple[float, float, float, float]]


@dataclass
class Part:
    pdf: bytes
    pages: int
    # anchor name -> (page index in the part, x1, y1, x2, y2) of its box, in CSS pixels
    anchors: dict[str, tuple[int, float, float, float, float]] = field(default_factory=dict)
    bookmarks: list[Bookmark] = field(default_factory=list)
    links: list[InternalLink] = field(default_factory=list)
    cpu_s: float = 0.0  # CPU seconds this part's layout and drawing took (for benchmarks)


def quiet_weasyprint() -> None:
    """Called before WeasyPrint is imported: importing it lays out its own style sheets and
    logs each at INFO. It would also log any unsupported CSS property at WARNING; the CLI's
    stderr and the window's log stay clean. (Nothing is expected:
    tests/core/test_pdf_links.py lays out with this off.)"""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def join_glyph_runs(item: bytes) -> bytes:
    """A ``[…] TJ`` operation with its zero adjustments between strings dropped: ``<a>0<b>``
    moves nothing (a TJ number shifts the next glyph by number/1000 em), so it is ``<ab>``
    (both hex, in the same font). Any other operation is returned as it is."""
    if item.startswith(b"[") and item.endswith(b"] TJ"):
        return item.replace(b">0<", b"")
    return item


def _join_runs(_document: Any, pdf: Any) -> None:
    """WeasyPrint's ``finisher``: every content stream's text operations, before the
    streams are compressed and written."""
    import pydyf

    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream):
            ops = obj.stream
            for i, item in enumerate(ops):
                if isinstance(item, bytes) and item.endswith(b"] TJ"):
                    ops[i] = join_glyph_runs(item)


def lay_out(html: str, base_url: str) -> Part:
    """Lay out and draw one part. Module level, so worker processes can run it."""
    started = time.process_time()
    quiet_weasyprint()
    from weasyprint import HTML

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
        # The assembler draws every internal link once the parts are joined (the contents
        # link to exhibits laid out in other parts). Left here, WeasyPrint would resolve
        # them within this part only and log "No anchor #item-1" for each of the others.
        page.links[:] = [link for link in page.links if link[0] != "internal"]
        # The assembler rebuilds the outline from these too: an outline in the part would
        # only be parsed again (its titles as UTF-16 hex strings, slow to read) and dropped.
        page.bookmarks[:] = []
    part.pdf = document.write_pdf(finisher=_join_runs)
    part.cpu_s = time.process_time() - started
    return part


class WorkerError(RuntimeError):
    """A layout process could not be started, died, or failed on its job."""


class Worker:
    """One layout process, fed pickled jobs on stdin, answering on stdout, in order.

    It runs this file on its own (``subprocess_cmd.standalone_call``; from source with ``-I``:
    no current folder or user site on ``sys.path``), so it imports WeasyPrint and nothing of
    Workbench (measured: importing the ``workbench.export`` package costs ≈ 2 CPU-seconds),
    and it never re-runs the caller's main module, as ``multiprocessing``'s spawn does.
    Started with ``subprocess``: never a fork."""

    def __init__(self) -> None:
        # Imported here: the worker runs this file on its own, outside its package.
        from ..subprocess_cmd import standalone_call

        try:
            self._proc = subprocess.Popen(
                standalone_call(__name__, "serve"), stdin=subprocess.PIPE,
                stdout=subprocess.PIPE)
        except OSError as exc:
            raise WorkerError(f"cannot start a PDF layout process: {exc}") from exc
        self._writers: list[threading.Thread] = []

    def submit(self, html: str, base_url: str) -> None:
        """Send a job; a thread writes it, so this process goes on with its own work."""
        data = pickle.dumps((html, base_url), protocol=pickle.HIGHEST_PROTOCOL)
        stdin = self._proc.stdin
        assert stdin is not None

        def send() -> None:
            try:
                stdin.write(data)
                stdin.flush()
            except OSError:  # the worker died; result() reports it
                pass
        thread = threading.Thread(target=send, daemon=True)
        thread.start()
        self._writers.append(thread)

    def result(self) -> Part:
        """The next job's result, in submission order."""
        assert self._proc.stdout is not None
        try:
            answer = pickle.load(self._proc.stdout)
        except EOFError:
            raise WorkerError(f"the PDF layout process stopped (exit code "
                               f"{self._proc.wait()})") from None
        if isinstance(answer, str):
            raise WorkerError(f"the PDF layout process failed: {answer}")
        return Part(**answer)

    def close(self) -> None:
        """End the worker: end of input lets it return; kill it if it does not at once."""
        for thread in self._writers:
            thread.join(timeout=5)
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        try:
            self._proc.wait(timeout=2)
        except subprocess.TimeoutExpired:  # still laying out (the export failed meanwhile)
            self._proc.kill()
            self._proc.wait()


# Workers started ahead of the export's layout (``started_early``), for this thread's export.
_EARLY: ContextVar[list[Worker] | None] = ContextVar("early_layout_workers", default=None)


@contextmanager
def started_early(count: int) -> Iterator[None]:
    """Start ``count`` workers now, so their interpreter start and WeasyPrint's import overlap
    what the export does before its layout (the dossier view, the HTML); the next
    ``LayoutPool`` in this context takes them. Those not taken are ended on leaving."""
    early: list[Worker] = []
    try:
        for _ in range(count):
            early.append(Worker())
    except WorkerError:  # the pool starts its own, or reports why it cannot
        pass
    token = _EARLY.set(early)
    try:
        yield
    finally:
        _EARLY.reset(token)
        for worker in early:
            worker.close()


class LayoutPool:
    """Worker processes for one export; a context manager, so they never outlive it.
    Workers started early (``started_early``) are taken first."""

    def __init__(self, workers: int) -> None:
        self.workers: list[Worker] = []
        early = _EARLY.get()
        while early and len(self.workers) < workers:
            self.workers.append(early.pop(0))
        try:
            while len(self.workers) < workers:
                self.workers.append(Worker())
        except WorkerError:
            self.__exit__()
            raise

    def __enter__(self) -> LayoutPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        for worker in self.workers:
            worker.close()


def serve() -> None:
    """The worker's loop: import WeasyPrint at once (while the parent writes the HTML), then
    lay out each job and answer with the ``Part`` as a dict (or a message on failure)."""
    quiet_weasyprint()
    import weasyprint  # noqa: F401

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            html, base_url = pickle.load(stdin)
        except EOFError:
            return
        try:
            answer: object = asdict(lay_out(html, base_url))
        except Exception as exc:  # reported to the parent, which raises it
            answer = f"{type(exc).__name__}: {exc}"
        pickle.dump(answer, stdout, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()

