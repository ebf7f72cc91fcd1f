"""The leak scanner's pypdf page text, read in worker processes for a long PDF (issue 13's
facsimile benchmark: it was most of the leak check's time, on the scanner's one thread).

Whatever reads it, every page is read, with pypdf's own ``extract_text``, and a page that a
worker could not read is read here: a worker that cannot start or dies leaves nothing unread.
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.support.files import make_pdf
from workbench.redact import pypdf_text
from workbench.redact.decode import Reading, Unreadable, read_bytes
from workbench.redact.matcher import matcher_for
from workbench.redact.scan import scan_bytes

NAME = "Gulnar Tokhtieva"
PAGES = pypdf_text.MIN_PAGES + 6
LATE = PAGES - 2  # on a page in the last worker's share


def _pdf(tmp_path: Path, pages: int = PAGES) -> bytes:
    texts = [f"Page {n} of the mission's notes: the hearing resumed at noon." for n in
             range(1, pages + 1)]
    if pages >= LATE:
        texts[LATE - 1] = f"The witness {NAME} was heard in camera."
    return make_pdf(tmp_path / "long.pdf", texts).read_bytes()


def _pypdf_readings(data: bytes) -> dict[str, str]:
    return {item.place: item.text for item in read_bytes("long.pdf", data)
            if isinstance(item, Reading) and item.place.endswith("text (pypdf)")}


def _expected(data: bytes) -> dict[str, str]:
    reader = PdfReader(BytesIO(data), strict=False)
    return {f"page {n} text (pypdf)": page.extract_text()
            for n, page in enumerate(reader.pages, 1)}


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pypdf_text, "_cores", lambda: 2)


@pytest.mark.usefixtures("two_cores")
def test_a_long_pdf_s_page_text_is_read_by_workers_and_every_page_as_pypdf_reads_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _pdf(tmp_path)
    started = pypdf_text.PageTexts.start(data)
    try:
        assert len(started.workers) == 2
    finally:
        started.close()
    answered: list[int] = []
    real = pypdf_text._Worker.result

    def result(worker: pypdf_text._Worker) -> list[pypdf_text.PageText]:
        answer = real(worker)
        answered.extend(number for number, _text, _why in answer)
        return answer

    monkeypatch.setattr(pypdf_text._Worker, "result", result)
    assert _pypdf_readings(data) == _expected(data)
    assert sorted(answered) == list(range(1, PAGES + 1))  # every page came from a worker
    report = scan_bytes("long.pdf", data, matcher_for((NAME,)))
    assert f"page {LATE} text (pypdf)" in {f.place for f in report.findings}


@pytest.mark.usefixtures("two_cores")
def test_a_short_pdf_starts_no_worker(tmp_path: Path) -> None:
    data = _pdf(tmp_path, pages=pypdf_text.MIN_PAGES - 1)
    started = pypdf_text.PageTexts.start(data)
    assert started.workers == []
    started.close()


@pytest.mark.usefixtures("two_cores")
def test_pages_a_dead_worker_left_are_read_here(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    data = _pdf(tmp_path)
    # A worker that exits at once, without an answer (a crash, a frozen build without it).
    monkeypatch.setattr(pypdf_text, "_command",
                        lambda: [sys.executable, "-c", "import sys; sys.exit(3)"])
    assert _pypdf_readings(data) == _expected(data)
    report = scan_bytes("long.pdf", data, matcher_for((NAME,)))
    assert f"page {LATE} text (pypdf)" in {f.place for f in report.findings}


def _no_module() -> list[str]:
    raise ModuleNotFoundError("no file for the worker module workbench.redact.pypdf_text")


@pytest.mark.usefixtures("two_cores")
@pytest.mark.parametrize("command", [lambda: ["/nonexistent/no-such-program"], _no_module],
                         ids=["no program", "no module file"])
def test_a_worker_that_cannot_start_leaves_nothing_unread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: object) -> None:
    data = _pdf(tmp_path)
    monkeypatch.setattr(pypdf_text, "_command", command)
    items = list(read_bytes("long.pdf", data))
    assert not [i for i in items if isinstance(i, Unreadable)]
    assert _pypdf_readings(data) == _expected(data)


def test_a_page_pypdf_cannot_read_is_unreadable_whoever_reads_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PageObject

    data = _pdf(tmp_path)
    real = PageObject.extract_text

    def damaged(page: PageObject, *args: object, **kwargs: object) -> str:
        if "camera" in real(page):
            raise ValueError("a damaged content stream")
        return real(page)

    monkeypatch.setattr(PageObject, "extract_text", damaged)
    # What a worker answers (it runs read_slice) and what the scanner makes of it, read here.
    answers = pypdf_text.read_slice(data, 1, 2)
    assert (LATE, None, "ValueError") in answers
    assert all(text is not None for number, text, _why in answers if number != LATE)
    monkeypatch.setattr(pypdf_text, "_cores", lambda: 1)
    bad = [i for i in read_bytes("long.pdf", data)
           if isinstance(i, Unreadable) and i.place.endswith("(pypdf)")]
    assert [(i.place, i.reason) for i in bad] == [
        (f"page {LATE} text (pypdf)", "pypdf cannot read it (ValueError)")]
