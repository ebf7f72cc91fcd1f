"""Highlights as a CSV file that opens cleanly in a spreadsheet.

UTF-8 with a byte-order mark (so Excel reads non-Latin text right), comma-separated, CRLF row
ends, every field quoted when needed by the ``csv`` module. Tags are joined with `` | ``.
A cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) gets a leading apostrophe: quotes come from hostile documents.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

COLUMNS = ["id", "document", "document_id", "document_sha256", "page", "quote", "note", "tags",
           "colour", "created", "modified", "status"]
TAG_JOIN = " | "
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet cell that never runs as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return "" if value is None else value


def write_csv(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write highlight dicts (as ``highlights.to_dicts`` makes, plus ``document_sha256``);
    returns the number of rows."""
    n = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, dialect="excel")
        w.writerow(COLUMNS)
        for h in rows:
            w.writerow([safe_cell(v) for v in (
                h["id"], h["document_title"], h["document_id"], h.get("document_sha256"),
                h["page"], h["quote"], h["note"], TAG_JOIN.join(h["tags"]), h["color"],
                h["created_at"], h["modified_at"], h["status"])])
            n += 1
    return n
