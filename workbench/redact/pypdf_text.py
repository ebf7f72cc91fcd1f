"""pypdf's page text for the leak scanner (``decode_pdf``), in worker processes for a long PDF.

pypdf's ``extract_text`` is pure Python and was most of the leak check's time on a long
export (issue 13's benchmark: ≈ 70 % of the scanner's thread over 407 pages), while the
scanner's other readings wait for it. For a PDF of ``MIN_PAGES`` pages or more, on a
computer with more than one core, ``PageTexts.start`` hands the pages to one worker process
per core (at most ``MAX_WORKERS``), each reading a run of them from its own parse of the same
bytes, as soon as the scan of the file starts; they work while the scanner inflates streams
and searches them. ``PageTexts.pages`` then gives every page's reading in order — from a
worker, or read here when its worker could not start, died or answered for other pages — so
nothing is ever left unread; it is the very call the scanner made before, on the very bytes.

An export that will be leak-checked (``reading_ahead``) starts the workers earlier, once its
layout shows the PDF will be long enough (``read_ahead``): their start and pypdf's import
then overlap the joining of the pages, and ``PageTexts.start`` hands the finished file's
bytes to them. They read it exactly as workers started by ``start`` would.

The workers run this file on its own (``subprocess_cmd.standalone_call``: no package
imported, only pypdf) and are started afresh, never forked. Nothing here but ``serve`` and
``read_slice`` runs in them, so this module imports nothing of Workbench at its top.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from io import BytesIO
from typing import Any

MIN_PAGES = 64  # below this a worker's start (≈ 0.2 CPU-s, importing pypdf) costs what it saves
MAX_WORKERS = 4

# (1-based page number, its text, or None and the exception's type name)
PageText = tuple[int, "str | None", str]


def read_slice(data: bytes, part: int, parts: int) -> list[PageText]:
    """pypdf's text of the ``part``-th of ``parts`` equal runs of the PDF's pages."""
    reader = _reader(data)
    count = len(reader.pages)
    first, stop = count * part // parts, count * (part + 1) // parts
    return [text_of(reader, number) for number in range(first + 1, stop + 1)]


def text_of(reader: Any, number: int) -> PageText:
    """Page ``number``'s text as the scanner reads it, or why pypdf cannot read it."""
    try:
        return number, reader.pages[number - 1].extract_text(), ""
    except Exception as exc:  # a damaged content stream
        return number, None, type(exc).__name__


def _reader(data: bytes) -> Any:
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data), strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    return reader


def serve() -> None:
    """The worker: one job ``(data, part, parts)`` on stdin, its ``read_slice`` on stdout.
    pypdf is imported before the job is read: a worker started early is ready for it."""
    import logging

    import pypdf  # noqa: F401

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # the parent logs what it reads
    try:
        data, part, parts = pickle.load(sys.stdin.buffer)
        answer: object = read_slice(data, part, parts)
    except Exception as exc:  # the parent reads those pages itself
        answer = f"{type(exc).__name__}: {exc}"
    pickle.dump(answer, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)


def _command() -> list[str]:
    from ..subprocess_cmd import standalone_call

    return standalone_call(__name__, "serve")


class _Worker:
    """One worker process reading one run of pages; its job (``send``) is written by a
    thread."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self._writer: threading.Thread | None = None

    def send(self, data: bytes, part: int, parts: int) -> None:
        job = pickle.dumps((data, part, parts), protocol=pickle.HIGHEST_PROTOCOL)
        self._writer = threading.Thread(target=self._send, args=(job,), daemon=True)
        self._writer.start()

    def _send(self, job: bytes) -> None:
        stdin = self.proc.stdin
        assert stdin is not None
        try:
            stdin.write(job)
            stdin.close()
        except OSError:  # it died: result() finds no answer
            pass

    def result(self) -> list[PageText]:
        """Its pages' readings; [] when it gave none (then they are read here)."""
        assert self.proc.stdout is not None
        try:
            answer = pickle.load(self.proc.stdout)
        except Exception:  # EOF, a truncated or foreign answer
            return []
        if not isinstance(answer, list):
            return []
        return [a for a in answer if isinstance(a, tuple) and len(a) == 3]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        if self._writer is not None:
            self._writer.join()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:  # its write failed when it died: nothing to flush
                    pass


class PageTexts:
    """pypdf's page text of one PDF, read ahead by workers when it is long (see the module)."""

    def __init__(self, workers: list[_Worker]) -> None:
        self.workers = workers

    @classmethod
    def start(cls, data: bytes) -> PageTexts:
        """Start the workers for ``data`` if it is worth it; none for a short PDF, one that
        pypdf cannot open (the scanner says so) or a single core. Workers started ahead
        (``read_ahead``) are given the bytes at once: the PDF was known to be long."""
        ahead = _AHEAD.get()
        if ahead:
            early = ahead[:]
            ahead.clear()  # theirs is this PDF; a PDF read after it starts its own
            for part, worker in enumerate(early):
                worker.send(data, part, len(early))
            return cls(early)
        cores = min(_cores(), MAX_WORKERS)
        if cores < 2:
            return cls([])
        try:
            if len(_reader(data).pages) < MIN_PAGES:
                return cls([])
        except Exception:  # damaged or locked: read (or reported) by the scanner itself
            return cls([])
        workers: list[_Worker] = []
        for part in range(cores):
            try:
                worker = _Worker()
                worker.send(data, part, cores)
                workers.append(worker)
            except Exception:  # no worker to start (no program, no module file): read here
                break
        # Workers answer for the share they were given of ``cores`` parts; the others
        # (never started) are read here.
        return cls(workers)

    def pages(self, reader: Any) -> Iterator[PageText]:
        """Every page of ``reader`` (the scanner's parse of the same bytes), in order."""
        done: dict[int, PageText] = {}
        for worker in self.workers:
            done.update((a[0], a) for a in worker.result()
                        if isinstance(a[0], int) and isinstance(a[2], str)
                        and (a[1] is None or isinstance(a[1], str)))
        for number in range(1, len(reader.pages) + 1):
            yield done.get(number) or text_of(reader, number)

    def close(self) -> None:
        for worker in self.workers:
            worker.close()


# Workers started while an export is written, for the leak check of what it writes.
_AHEAD: ContextVar[list[_Worker] | None] = ContextVar("pypdf_text_ahead", default=None)


@contextmanager
def reading_ahead() -> Iterator[None]:
    """Around writing a PDF and leak-checking it (in this thread): ``read_ahead`` may start
    the workers before the file is complete. Any not handed a PDF are ended on leaving."""
    ahead: list[_Worker] = []
    token = _AHEAD.set(ahead)
    try:
        yield
    finally:
        _AHEAD.reset(token)
        for worker in ahead:
            worker.close()


def read_ahead(pages: int) -> None:
    """The PDF being written will have ``pages`` pages: start its page-text workers now if
    ``PageTexts.start`` would start them for it, and a leak check will read it."""
    ahead = _AHEAD.get()
    cores = min(_cores(), MAX_WORKERS)
    if ahead is None or ahead or pages < MIN_PAGES or cores < 2:
        return
    for _ in range(cores):
        try:
            ahead.append(_Worker())
        except Exception:  # none to start: PageTexts.start reads those pages itself
            break
