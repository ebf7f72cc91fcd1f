"""Checking files for redacted names from the window: the worker function behind the dialog.

The scan itself is the core's (``workbench.redact.scan``, the same decodings, matcher and
file walk as ``workbench leakscan`` and the export's leak check); this only takes the files
one at a time, so the dialog can show progress and Cancel can stop between files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.progress import Progress


def scan(paths: list[Path], terms: list[str], task: Any) -> dict[str, Any]:
    """Scan every file under ``paths`` for ``terms``; rows for the results table.

    Rows name the file, the place, the term's number and the form found, never the term or the
    text found, so the table can be shown to (or captured by) anyone. Cancel stops between
    files and keeps what was found so far (``cancelled`` says the list is incomplete)."""
    from workbench.errors import Cancelled
    from workbench.redact.matcher import Matcher
    from workbench.redact.scan import files_under, mask, scan_file

    matcher = Matcher(terms)
    files = list(files_under(paths))
    findings: list[tuple[str, str, int, str]] = []
    unreadable: list[tuple[str, str, str]] = []
    checked: list[str] = []
    readings = 0
    cancelled = False
    for n, (f, name) in enumerate(files):
        try:
            task.cancel.check()
        except Cancelled:
            cancelled = True
            break
        task.report(Progress(n, len(files), f.name, "checking"))
        report = scan_file(f, name, matcher)
        readings += report.readings
        shown = mask(str(f), matcher)  # a folder named after a witness is shown as [term N]
        findings += [(shown, x.place, x.term + 1, x.form) for x in report.findings]
        unreadable += [(shown, place, reason) for _p, place, reason in report.unreadable]
        checked.append(shown)
    task.report(Progress(len(checked), len(files), "", "done"))
    return {"files": len(checked), "total": len(files), "readings": readings,
            "findings": findings, "unreadable": unreadable, "checked": checked,
            "cancelled": cancelled}
