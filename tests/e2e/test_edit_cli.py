"""`workbench edit` end to end: correct a record, see captured beside corrected, revert, refuse
bad values with an actionable message, audit each edit, and cite the corrected record."""

from __future__ import annotations

import io
import json
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

CAPTURED_URL = "https://www.example.org/2022/08/report.html"


def wb(lib: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``workbench --library LIB ARGS`` run in this process: the same parser, output and exit
    code as the separate process of tests/e2e/test_cli_core.py (which runs the command line
    as a user does), without starting Python and importing the facade for each command."""
    from workbench.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--library", str(lib), *args])
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def _library(tmp_path: Path) -> tuple[Path, int]:
    lib = tmp_path / "lib"
    doc = tmp_path / "report.txt"
    doc.write_text("Assessment of human rights concerns\n\n"
                   + "The assessment describes the camps and the testimony of detainees. " * 5,
                   encoding="utf-8")
    assert wb(lib, "init").returncode == 0
    run = wb(lib, "import", "--json", "--source-url", CAPTURED_URL, str(doc))
    assert run.returncode == 0, run.stderr
    return lib, json.loads(run.stdout)["imported"][0]["id"]


def test_edit_corrects_reverts_and_keeps_the_captured_values(tmp_path: Path) -> None:
    lib, doc_id = _library(tmp_path)
    run = wb(lib, "edit", str(doc_id), "--json", "--title", "OHCHR assessment",
             "--author", "OHCHR", "--published", "2022-08-31",
             "--source-url", "https://www.ohchr.org/en/documents/assessment",
             "--site", "OHCHR", "--language", "en-GB")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["id"] == doc_id and out["title"] == "OHCHR assessment"
    assert out["source_url"] == "https://www.ohchr.org/en/documents/assessment"
    assert out["language"] == "en"
    assert out["changed"] == ["title", "author", "published", "source_url", "site"]
    assert out["record"]["source_url"] == {
        "value": "https://www.ohchr.org/en/documents/assessment", "captured": CAPTURED_URL,
        "corrected": True}
    assert out["record"]["title"]["captured"] == "Assessment of human rights concerns"
    assert out["record"]["language"] == {"value": "en", "captured": "en", "corrected": False}

    again = wb(lib, "edit", str(doc_id), "--title", "Second correction")
    assert again.returncode == 0, again.stderr
    assert "Updated document" in again.stdout
    assert ("title: Second correction (captured: Assessment of human rights concerns)"
            in again.stdout)

    shown = wb(lib, "show", str(doc_id))
    assert "corrected source_url: https://www.ohchr.org/en/documents/assessment " \
           f"(captured: {CAPTURED_URL})" in shown.stdout
    shown_json = json.loads(wb(lib, "show", str(doc_id), "--json").stdout)
    assert shown_json["collection_record"]["source_url"] == CAPTURED_URL
    assert shown_json["record"]["title"]["value"] == "Second correction"

    reverted = json.loads(wb(lib, "edit", str(doc_id), "--json", "--revert", "title",
                             "--revert", "source-url", "--author", "").stdout)
    assert reverted["changed"] == ["title", "author", "source_url"]
    assert reverted["title"] == "Assessment of human rights concerns"
    assert reverted["source_url"] == CAPTURED_URL and reverted["author"] is None
    assert not reverted["record"]["title"]["corrected"]

    nothing = wb(lib, "edit", str(doc_id), "--json", "--site", "OHCHR")
    assert json.loads(nothing.stdout)["changed"] == []

    events = [e for e in json.loads(wb(lib, "audit", "--json", "--object-type", "document",
                                       "--object-id", str(doc_id)).stdout)
              if e["type"] == "modification"]
    assert len(events) == 3  # one per edit that changed something
    assert events[1]["details"]["changes"] == [
        {"field": "title", "old": "OHCHR assessment", "new": "Second correction",
         "reverted": False}]
    assert wb(lib, "verify", "--json").returncode == 0


def test_bad_values_are_refused_with_what_to_write(tmp_path: Path) -> None:
    lib, doc_id = _library(tmp_path)
    cases = [(["--published", "31 August 2022"], "YYYY-MM-DD"),
             (["--language", "English"], "ISO 639"),
             (["--source-url", "ohchr.org/report"], "http:// or https://"),
             (["--title", ""], "revert"),
             (["--revert", "kind"], "editable fields"),
             ([], "Nothing to edit")]
    for args, hint in cases:
        run = wb(lib, "edit", str(doc_id), *args)
        assert run.returncode == 2, (args, run.stderr)
        assert hint in run.stderr and "Traceback" not in run.stderr, run.stderr
    shown = json.loads(wb(lib, "show", str(doc_id), "--json").stdout)
    assert not any(f["corrected"] for f in shown["record"].values())


def test_dossier_sources_cite_the_corrected_record(tmp_path: Path) -> None:
    lib, doc_id = _library(tmp_path)
    wb(lib, "edit", str(doc_id), "--title", "OHCHR assessment", "--published", "2022-08-31",
       "--source-url", "https://www.ohchr.org/a")
    d = json.loads(wb(lib, "dossier", "create", "Report", "--json").stdout)["id"]
    added = wb(lib, "dossier", "add", str(d), "--document", str(doc_id))
    assert added.returncode == 0, added.stderr
    csl = json.loads(wb(lib, "dossier", "sources", str(d), "--format", "csl-json",
                        "--json").stdout)
    assert csl[0]["title"] == "OHCHR assessment" and csl[0]["URL"] == "https://www.ohchr.org/a"
    assert csl[0]["issued"] == {"date-parts": [[2022, 8, 31]]}
    html = tmp_path / "d.html"
    exported = wb(lib, "dossier", "export", str(d), "--format", "html", "-o", str(html))
    assert exported.returncode == 0, exported.stderr
    text = html.read_text(encoding="utf-8")
    assert "<th>Title as captured</th><td>Assessment of human rights concerns</td>" in text
    assert f"<th>Source URL as captured</th><td>{CAPTURED_URL}</td>" in text
