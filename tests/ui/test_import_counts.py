"""Issue 14, bug 9: an import's counts were different in every step (the plan said "12 new
files · 1 cannot be imported", the progress "Imported 2 of 13", the summary "1 failed").

One vocabulary now: the plan counts the files to import (N), the duplicates skipped (D) and
the files that cannot be imported (U); progress says "Imported k of N files"; the summary says
"k of N files imported · F failed · D duplicates skipped · U cannot be imported", with
k + F = N. The command line's summary and its ``--json`` counts are the same numbers.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

PLAN = "13 files to import · 1 duplicate skipped · 1 cannot be imported"
RESULT = "12 of 13 files imported · 1 failed · 1 duplicate skipped · 1 cannot be imported"
COUNTS = {"files": 15, "to_import": 13, "imported": 12, "failed": 1, "cancelled": 0,
          "not_attempted": 0, "duplicates": 1, "cannot_import": 1, "inside_imported": 0,
          "inside_failed": 0, "inside_duplicates": 0}


def _batch(tmp_path: Path) -> Path:
    """12 good files, a copy of one of them, a PDF that fails at extraction and a file of
    an unsupported type: 15 files."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(1, 13):
        (folder / f"good{i:02}.txt").write_text(f"Good file {i}: testimony.", encoding="utf-8")
    shutil.copy(folder / "good01.txt", folder / "good01 copy.txt")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a PDF\n")
    (folder / "data.xyz").write_bytes(b"\x00\x01\x02\x03binary\xff\xfe")
    return folder


def _plain(label: Any) -> str:
    return re.sub(r"<[^>]+>", "", label.text())


def _listen(flow: Any, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """What the progress dialogs said: (title, label, current file), in order.

    Tasks run inline here, so the progress poller never runs: every progress report is
    handed to the open progress dialog as the poller would (the first words are kept too)."""
    from ui.tasks import Task

    said: list[tuple[str, str, str]] = []

    def report(task: Task, progress: Any) -> None:
        task.progress = progress
        dialog = flow.progress_dialog
        if dialog is not None:
            if not said or said[-1][0] != dialog.windowTitle():
                said.append((dialog.windowTitle(), dialog.label.text(), ""))
            dialog.show_progress(progress)
            said.append((dialog.windowTitle(), dialog.label.text(), dialog.current.text()))
    monkeypatch.setattr(Task, "report", report)
    return said


def test_plan_progress_and_summary_give_the_same_counts(window: Any, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    flow = window.imports
    said = _listen(flow, monkeypatch)
    flow.start([_batch(tmp_path)])
    plan_dialog = flow.plan_dialog
    assert plan_dialog is not None
    assert _plain(plan_dialog.heading) == PLAN
    assert plan_dialog.import_button.text() == "Import 13 files"
    checking = [text for title, text, _ in said if title == "Checking files"]
    assert checking[0] == "Checking the files…"
    assert checking[-1] == "Checking 15 of 15 files"

    said.clear()
    plan_dialog.accept()
    importing = [text for title, text, _ in said if title == "Importing"]
    assert importing[0] == "Importing 13 files…"
    counts = []
    for text in importing[1:]:
        found = re.fullmatch(r"Imported (\d+) of 13 files(?: · (\d+) failed)?", text)
        assert found, text
        counts.append((int(found[1]), int(found[2] or 0)))
    assert counts == sorted(counts) and counts[-1] == (12, 1)
    assert importing[-1] == "Imported 12 of 13 files · 1 failed"

    summary = flow.summary_dialog
    assert summary is not None
    assert _plain(summary.heading) == RESULT
    assert summary.report.counts() == COUNTS
    assert summary.windowTitle() == "Import finished"


def test_cli_import_reports_the_same_counts(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    folder = _batch(tmp_path)
    lib = str(tmp_path / "lib")
    assert main(["--library", lib, "init"]) == 0
    capsys.readouterr()
    assert main(["--library", lib, "import", str(folder)]) == 1  # one file failed
    assert capsys.readouterr().out.splitlines()[0] == RESULT
    shutil.rmtree(lib)
    assert main(["--library", lib, "init"]) == 0
    capsys.readouterr()
    assert main(["--library", lib, "import", "--json", str(folder)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["counts"] == COUNTS
    # The lists keep their documented shape; the counts are read from them.
    assert len(out["imported"]) == 12 and len(out["duplicates"]) == 1
    assert {Path(o["path"]).name for o in out["failed"]} == {"broken.pdf", "data.xyz"}


def test_items_found_inside_a_file_are_counted_apart(window: Any, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in an mailbox become documents of their own: they are not among the N files
    (the plan could not know them), so the summary names them apart."""
    from tests.support.formats import email_message, make_mbox

    folder = tmp_path / "mail"
    folder.mkdir()
    make_mbox(folder / "inbox.mbox", [email_message("One", "First message."),
                                      email_message("Two", "Second message.")])
    (folder / "note.txt").write_text("A note.", encoding="utf-8")
    flow = window.imports
    said = _listen(flow, monkeypatch)
    flow.start([folder])
    assert _plain(flow.plan_dialog.heading) == "2 files to import"
    flow.plan_dialog.accept()
    # While the messages import, the count stays the files' own; the message is named.
    inside = [(text, current) for title, text, current in said
              if title == "Importing" and "inside)" in current]
    assert [current.rsplit("(", 1)[1] for _t, current in inside] == [
        "item 1 of 2 inside)", "item 2 of 2 inside)"]
    assert {text for text, _c in inside} <= {"Imported 1 of 2 files", "Imported 2 of 2 files"}
    summary = flow.summary_dialog
    assert _plain(summary.heading) == "2 of 2 files imported, plus 2 items found inside them"
    counts = summary.report.counts()
    assert (counts["to_import"], counts["imported"], counts["inside_imported"]) == (2, 2, 2)
