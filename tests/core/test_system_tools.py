"""Which optional system tools this machine has, what each gives, and how to add it.

The report is checked as it is on this machine (whatever is installed) and with tools made
missing: ``shutil.which`` answering None for a program, the library loader refusing a shared
library. Where a feature needs a missing tool — OCR, the PDF export's Pango, the leak check's
pdftotext — the message the user gets names the tool and says how to add it, in the words of
the same report.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from workbench import system_tools
from workbench.errors import MissingTool

_real_which = shutil.which


def without_programs(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    def which(cmd: str, *args: Any, **kwargs: Any) -> str | None:
        return None if Path(cmd).name in names else _real_which(cmd, *args, **kwargs)
    monkeypatch.setattr(shutil, "which", which)


def without_libraries(monkeypatch: pytest.MonkeyPatch, *stems: str) -> None:
    real = system_tools.load_library

    def load(names: tuple[str, ...]) -> Any:
        if any(stem in name for name in names for stem in stems):
            return None
        return real(names)
    monkeypatch.setattr(system_tools, "load_library", load)


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in report["tools"]}


def test_the_report_says_for_each_tool_what_it_enables_and_how_to_add_it() -> None:
    report = system_tools.report()
    json.dumps(report)  # the --json payload as it is
    tools = by_name(report)
    assert {"tesseract", "pdftotext", "pango", "harfbuzz-subset"} <= set(tools)
    for tool in report["tools"]:
        assert isinstance(tool["available"], bool)
        assert tool["enables"] and tool["missing_effect"]
        install = tool["install"]
        assert install["debian_packages"]
        assert install["apt"] == "sudo apt-get install -y " + " ".join(install["debian_packages"])
        assert install["other_systems"]
        if not tool["available"]:
            assert "version" not in tool or tool["version"] is None
    assert report["ok"] == all(t["available"] for t in report["tools"])
    missing = [p for t in report["tools"] if not t["available"]
               for p in t["install"]["debian_packages"]]
    assert report["apt"] == ("sudo apt-get install -y " + " ".join(missing) if missing else None)


def test_on_this_machine_what_is_installed_is_found_with_its_version() -> None:
    tools = by_name(system_tools.report())
    if _real_which("tesseract"):
        assert tools["tesseract"]["available"] and tools["tesseract"]["version"][0].isdigit()
        assert "eng" in tools["tesseract"]["languages"]
        assert "osd" not in tools["tesseract"]["languages"]
    if _real_which("pdftotext"):
        assert tools["pdftotext"]["available"] and tools["pdftotext"]["version"][0].isdigit()
    assert tools["pango"]["available"], "WeasyPrint imports here, so Pango loads"
    assert tools["pango"]["version"][0].isdigit()


def test_missing_tesseract_and_pdftotext_are_reported_with_the_line_to_add_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    without_programs(monkeypatch, "tesseract", "pdftotext")
    report = system_tools.report()
    tools = by_name(report)
    assert tools["tesseract"]["available"] is False and tools["tesseract"]["languages"] == []
    assert tools["pdftotext"]["available"] is False
    assert report["ok"] is False
    assert "tesseract-ocr" in report["apt"] and "poppler-utils" in report["apt"]
    assert "scan" in tools["tesseract"]["missing_effect"]


def test_missing_pango_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    without_libraries(monkeypatch, "pango")
    tools = by_name(system_tools.report())
    assert tools["pango"]["available"] is False
    assert "libpango-1.0-0" in tools["pango"]["install"]["debian_packages"]


def test_ocr_without_tesseract_says_how_to_add_it(monkeypatch: pytest.MonkeyPatch,
                                                   wb: Any) -> None:
    from workbench.extract.ocr import NO_TESSERACT
    from workbench.ocr import ocr_document

    without_programs(monkeypatch, "tesseract")
    with pytest.raises(MissingTool) as caught:
        ocr_document(wb, 1)
    text = str(caught.value)
    assert "Tesseract" in text and "sudo apt-get install -y tesseract-ocr" in text
    # A scan imported without Tesseract carries this problem (tests/core/test_formats_ocr.py
    # imports one): it names the tool and how to add it, as the report does.
    assert system_tools.tool("tesseract").short_hint in NO_TESSERACT
    assert "tesseract-ocr" in NO_TESSERACT


def test_pdf_export_without_pango_says_what_to_add_and_writes_nothing(
        monkeypatch: pytest.MonkeyPatch, wb: Any, tmp_path: Path) -> None:
    wb.create_dossier("Submission")
    dossier = wb.list_dossiers()[0]["id"]
    without_libraries(monkeypatch, "pango")
    exports = tmp_path / "exports"
    exports.mkdir()
    for fmt in ("pdf", "bundle"):
        out = exports / f"out.{fmt}"
        with pytest.raises(MissingTool) as caught:
            wb.export(dossier, fmt, out)
        assert "Pango" in str(caught.value) and "libpango-1.0-0" in str(caught.value)
        assert "DOCX" in str(caught.value)  # what can be done instead
        assert not out.exists()
    assert list(exports.iterdir()) == []


def test_leak_check_without_pdftotext_says_the_second_reading_was_not_done(
        monkeypatch: pytest.MonkeyPatch) -> None:
    without_programs(monkeypatch, "pdftotext")
    notes = system_tools.leak_check_notes({"pdfium text", "pypdf objects", "raw streams"})
    assert len(notes) == 1 and "pdftotext" in notes[0] and "poppler-utils" in notes[0]
    assert system_tools.leak_check_notes({"pdfium text", "pdftotext text"}) == []
    assert system_tools.leak_check_notes({"zip members"}) == []  # no PDF was read


def test_doctor_prints_the_report(monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    without_programs(monkeypatch, "tesseract")
    assert main(["doctor", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert by_name(payload)["tesseract"]["available"] is False and payload["ok"] is False
    assert main(["doctor"]) == 0
    text = capsys.readouterr().out
    assert "tesseract: not installed" in text
    assert "sudo apt-get install -y tesseract-ocr" in text
    assert "pango: available" in text or "pango: not installed" in text


def test_leakscan_without_pdftotext_notes_the_reading_it_could_not_do(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    from tests.support.files import make_pdf
    from workbench.cli import main

    pdf = make_pdf(tmp_path / "report.pdf", ["Nothing to hide on this page."])
    without_programs(monkeypatch, "pdftotext")
    assert main(["leakscan", str(pdf), "--term", "Aygul Tursun", "--json"]) == 0
    captured = capsys.readouterr()
    payload = json.loads(captured.out)
    assert payload["clean"] is True
    assert len(payload["notes"]) == 1 and "pdftotext" in payload["notes"][0]
    assert "poppler-utils" in captured.err
    monkeypatch.undo()
    if _real_which("pdftotext"):
        assert main(["leakscan", str(pdf), "--term", "Aygul Tursun", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["notes"] == []
