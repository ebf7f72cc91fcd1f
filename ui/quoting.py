"""A passage shown in quotation marks: once, however it begins and ends.

Every place the window quotes a passage (the highlight dialog and tab, the chronology, the
dossier builder's exhibits, the highlight links) uses this, so a passage with quotation marks
of its own is never shown “”…””, and a passage selected with the space or line break around
it is shown without them inside the marks (“…has not been seen ” in session 17's walk). The
rule is the core's (``workbench/quoting.py``), so what the window shows and what an export
writes quote alike.
"""

from __future__ import annotations

from workbench.quoting import CLOSING_QUOTES, OPENING_QUOTES, quote_marks, quoted

__all__ = ["CLOSING_QUOTES", "OPENING_QUOTES", "quote_marks", "quoted"]
