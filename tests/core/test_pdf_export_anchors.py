"""A PDF dossier export logs no WeasyPrint ERROR (issue 15: ``ERROR: No anchor #item-N``).

The contents link to exhibits that are laid out in another part of the PDF (or in another
process); WeasyPrint, left to resolve them within one part, logged an error per entry. Here a
dossier with every kind of item (sections, an excerpt, a whole document, a note, a redaction)
is exported through the command line, as a user does, in one process and with the body laid
out by a worker process, and WeasyPrint's log and both processes' stderr are read.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.services import Workbench


@pytest.fixture
def dossier_library(library_path: Path, tmp_path: Path) -> Path:
    text = tmp_path / "statement.txt"
    text.write_text("The witness said the camp held several hundred people.\n\n"
                    "A second paragraph names the guard, Aygul Tursun, twice: Aygul Tursun.\n",
                    encoding="utf-8")
    other = tmp_path / "report.txt"
    other.write_text("A report of the committee on the transfers.", encoding="utf-8")
    with Workbench.open(library_path) as wb:
        wb.import_paths([text, other])
        wb.add_highlight(1, quote="held several hundred people")
        wb.add_highlight(1, quote="names the guard")
        wb.create_dossier("Submission", author="Tester")
        wb.add_item(1, highlight=1, section="Findings", commentary="The key finding.")
        wb.add_item(1, note="A note between exhibits.", section="Findings")
        wb.add_item(1, highlight=2, section="Witnesses")
        wb.add_item(1, document=2, section="Witnesses")
        wb.redact_term(1, "Aygul Tursun", "witness safety")
    return library_path


def _weasyprint_errors(caplog: pytest.LogCaptureFixture, err: str) -> list[str]:
    records = [r.getMessage() for r in caplog.records
               if r.name.startswith("weasyprint") and r.levelno >= logging.ERROR]
    lines = [line for line in err.splitlines() if "ERROR" in line or "No anchor" in line]
    return records + lines


@pytest.mark.parametrize("workers", [0, 1])
def test_pdf_export_logs_no_weasyprint_error(dossier_library: Path, tmp_path: Path,
                                             workers: int, monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture,
                                             capfd: pytest.CaptureFixture[str]) -> None:
    import workbench.export.pdf as pdf

    monkeypatch.setattr(pdf, "default_workers", lambda view: workers)
    caplog.set_level(logging.DEBUG, logger="weasyprint")
    capfd.readouterr()
    out = tmp_path / "dossier.pdf"
    code = main(["--library", str(dossier_library), "dossier", "export", "1", "--format", "pdf",
                 "-o", str(out), "--bates", "WB"])
    captured = capfd.readouterr()
    assert code == 0, captured.err
    assert out.stat().st_size > 0
    assert _weasyprint_errors(caplog, captured.err) == []
    # The contents still link to every exhibit (the links are drawn after assembly).
    from pypdf import PdfReader

    reader = PdfReader(out)
    links = [a.get_object() for page in reader.pages for a in page.get("/Annots") or []
             if a.get_object().get("/Subtype") == "/Link"]
    assert len(links) >= 4  # three exhibits and the appendix
