"""Issue 14, bug 8: the PDF is laid out in parts, and its contents link to exhibits in other
parts. WeasyPrint must have nothing to log about it (it used to print ``No anchor #item-1
for internal URI reference`` once per entry), and every link in the final PDF must still lead
to the page where its exhibit starts, from a clickable area on its own contents line."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from tests.core.test_dossier_fixtures import build_evidence_dossier, corpus_library


def _view(exhibits: int) -> Any:
    """A dossier view of small exhibits in three sections, built without a library."""
    from datetime import UTC, datetime

    from workbench.dossier.model import DossierView, ViewItem, ViewSection
    from workbench.dossier.redaction import Segment

    sections = []
    for s in range(3):
        items = [ViewItem(id=s * 100 + i, kind="highlight", label=f"Exhibit {s * 100 + i}",
                          position=i, body=[Segment(f"Quote number {i} of part {s}.")],
                          commentary=[], page=1, highlight_id=i, document_id=1)
                 for i in range(1, exhibits // 3 + 1)]
        sections.append(ViewSection(s + 1, f"Part {s + 1}", items))
    return DossierView(id=3, title="Linked dossier", author="Tester", organisation="NGO",
                       case=None, description=[Segment("Links.")], version=1,
                       version_of_id=None, frozen_at=None,
                       created_at=datetime(2026, 1, 2, tzinfo=UTC), sections=sections,
                       sources=[], rules=[])


def _outline_pages(reader: Any) -> dict[str, int]:
    """Bookmark title -> page index, flattened."""
    out: dict[str, int] = {}

    def walk(items: list[Any]) -> None:
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                out.setdefault(it.title, reader.get_destination_page_number(it))
    walk(reader.outline)
    return out


def _text_in(page: Any, rect: tuple[float, float, float, float]) -> str:
    """The text drawn with its origin inside ``rect`` (PDF points, bottom-left origin)."""
    x1, y1, x2, y2 = rect
    found: list[str] = []

    def visit(text: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        # The text origin in page space (WeasyPrint draws in a flipped coordinate system).
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        if text.strip() and x1 - 1 <= x <= x2 + 1 and y1 - 1 <= y <= y2 + 1:
            found.append(text)
    page.extract_text(visitor_text=visit)
    return "".join(found)


def _check_links(path: Path, entries: list[str]) -> None:
    """One link per contents entry (``entries``: the labels, e.g. "Exhibit 3" or "Provenance
    appendix"), on the entry's own line, to an existing page: the one its bookmark names."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)
             if page.indirect_reference is not None}
    bookmarks = _outline_pages(reader)
    seen: dict[str, int] = {}
    last: str | None = None
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            if dest is None:  # an action instead of a destination
                dest = annot["/A"]["/D"]
            target: int | None
            if isinstance(dest, str):  # a named destination
                target = reader.get_destination_page_number(reader.named_destinations[dest])
            else:
                target = pages.get(dest[0].idnum)
            assert target is not None and 0 <= target < len(reader.pages), dest
            x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
            # One contents line (10-11 pt text), not a band over the entries below it.
            assert 0 < y2 - y1 < 20, (y1, y2)
            text = _text_in(page, (x1, y1, x2, y2))
            label = next((e for e in entries if text == e or text.startswith(e + ":")), None)
            if label is None:  # a long entry's next line: a link of its own, same target
                assert last is not None and seen[last] == target, text
                continue
            assert label not in seen, f"two links for {label}"
            seen[label] = target
            last = label
    assert set(seen) == set(entries)
    for label, target in seen.items():
        heading = next(t for t in bookmarks if t == label or t.startswith(label + ":"))
        assert target == bookmarks[heading], label


def _no_weasyprint_complaints(caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
                              ) -> None:
    complaints = [r for r in caplog.records if r.name.startswith("weasyprint")
                  and r.levelno >= logging.WARNING]
    assert not complaints, [r.getMessage() for r in complaints]
    err = capfd.readouterr().err
    assert "No anchor" not in err and "ERROR" not in err and "WARNING" not in err, err


@pytest.fixture
def loud(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """WeasyPrint's warnings too (the export turns them down in its own process): our HTML and
    CSS should give it nothing to warn about either."""
    import workbench.export.pdf_layout as layout_mod

    monkeypatch.setattr(layout_mod, "quiet_weasyprint", lambda: None)
    caplog.set_level(logging.WARNING, logger="weasyprint")


def test_exported_dossier_pdf_logs_nothing_and_its_links_resolve(
        tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, loud: None,
        caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> None:
    """The reported case: four exhibits and the appendix gave five ``No anchor`` errors."""
    from workbench.services import Workbench

    lib = corpus_library(tmp_path / "lib", tmp_path_factory.mktemp("prep"))
    out = tmp_path / "dossier.pdf"
    with Workbench.open(lib) as wb:
        d = build_evidence_dossier(wb)
        capfd.readouterr()
        caplog.clear()
        wb.export(d, "pdf", out, bates="WB-")
        labels = [str(it.label) for it in wb.dossier_view(d).exhibits]
    _no_weasyprint_complaints(caplog, capfd)
    assert len(labels) == 4
    _check_links(out, [*labels, "Provenance appendix"])


@pytest.mark.parametrize("workers", [0, 1])
def test_pdf_in_parts_links_across_parts(tmp_path: Path, workers: int, loud: None,
                                         caplog: pytest.LogCaptureFixture,
                                         capfd: pytest.CaptureFixture[str]) -> None:
    """Laid out by one process or two (the body then in two parts, each with its own
    exhibits): every contents link leads to its exhibit, and no process logs anything."""
    from workbench.export.html import pdf_body_parts
    from workbench.export.pdf import write_pdf

    view = _view(30)
    if workers:  # the body really is split, so links cross from part to part
        assert len(pdf_body_parts(view, 2)) == 2
    capfd.readouterr()
    write_pdf(view, tmp_path / "x.pdf", workers=workers)
    _no_weasyprint_complaints(caplog, capfd)
    _check_links(tmp_path / "x.pdf", [str(it.label) for it in view.exhibits]
                 + ["Provenance appendix"])
