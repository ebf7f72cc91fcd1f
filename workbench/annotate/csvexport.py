"""Highlights as a CSV file that opens cleanly in a spreadsheet.

UTF-8 with a byte-order mark (so Excel reads non-Latin text right), comma-separated, CRLF row
ends, every field quoted when needed by the ``csv`` module. Tags are joined with `` | ``.
``page`` is the page the highlight starts on; ``page_geometry`` its place on the original's
pages as compact JSON (``workbench.pages.geometry``), empty when it has none; a region without
text shows ``[region on page N]`` as its quote.
A cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) gets a leading apostrophe: quotes come from hostile documents.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workbench.pages.geometry import shown_quote

COLUMNS = ["id", "document", "document_id", "document_sha256", "page", "quote", "note", "tags",
           "colour", "created", "modified", "status", "page_geometry"]
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
                h["page"], shown_quote(h["quote"], h.get("page_geometry"), h["page"]),
                h["note"], TAG_JOIN.join(h["tags"]), h["color"],
                h["created_at"], h["modified_at"], h["status"],
                json.dumps(h["page_geometry"], separators=(",", ":"))
                if h.get("page_geometry") else "")])
            n += 1
    return n
