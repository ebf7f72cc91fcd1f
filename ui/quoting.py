"""A passage shown in quotation marks: once, however it begins and ends.

Every place the window quotes a passage (the highlight dialog and tab, the chronology, the
dossier builder's exhibits, the highlight links) uses this, so a passage with quotation marks
of its own is never shown “”…””.
"""

from __future__ import annotations

OPENING_QUOTES = ("“", '"')
CLOSING_QUOTES = ("”", '"')


def quote_marks(passage: str) -> tuple[str, str]:
    """The marks to put before and after ``passage``: each "" where it has its own there."""
    return ("" if passage.startswith(OPENING_QUOTES) else "“",
            "" if passage.endswith(CLOSING_QUOTES) else "”")


def quoted(passage: str) -> str:
    """The passage in typographic quotes, each added only where the passage has none of its
    own at that end: a passage ending with ” was shown “…”” (session 16's walk)."""
    start, end = quote_marks(passage)
    return f"{start}{passage}{end}"
