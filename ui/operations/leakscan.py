"""Checking files for redacted names from the window: the worker function behind the dialog.

The scan itself is the core's (``workbench.redact.scan``, the same decodings and matcher as
``workbench leakscan`` and the export's leak check); this only walks the chosen files and
folders one file at a time, so the dialog can show progress and Cancel can stop between files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from workbench.ingest import Progress


def files_under(paths: Iterable[Path]) -> Iterator[Path]:
    for p in paths:
        if p.is_dir():
            yield from (f for f in sorted(p.rglob("*")) if f.is_file())
        else:
            yield p


def scan(paths: list[Path], terms: list[str], task: Any) -> dict[str, Any]:
    """Scan every file under ``paths`` for ``terms``; rows for the results table.

    Rows name the file, the place, the term's number and the form found, never the term or the
    text found, so the table can be shown to (or captured by) anyone."""
    from workbench.redact.matcher import Matcher
    from workbench.redact.scan import scan_paths

    matcher = Matcher(terms)
    files = list(files_under(paths))
    findings: list[tuple[str, str, int, str]] = []
    unreadable: list[tuple[str, str, str]] = []
    readings = 0
    for n, f in enumerate(files):
        task.cancel.check()
        task.report(Progress(n, len(files), f.name, "checking"))
        report = scan_paths([f], matcher)
        readings += report.readings
        findings += [(x.path, x.place, x.term + 1, x.form) for x in report.findings]
        unreadable += [(str(p), place, reason) for p, place, reason in report.unreadable]
    task.report(Progress(len(files), len(files), "", "done"))
    return {"files": len(files), "readings": readings, "findings": findings,
            "unreadable": unreadable}
