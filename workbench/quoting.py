"""A passage shown in quotation marks: once, however it begins and ends.

The one rule for every place a passage is quoted, in the window (``ui/quoting.py`` hands this
on) and in what the core writes (the chronology's DOCX), so a passage with quotation marks of
its own is never put in “”…””.
"""

from __future__ import annotations

OPENING_QUOTES = ("“", '"')
CLOSING_QUOTES = ("”", '"')


def quote_marks(passage: str) -> tuple[str, str]:
    """The marks to put before and after ``passage`` (trimmed): each "" where it has its own
    there."""
    passage = passage.strip()
    return ("" if passage.startswith(OPENING_QUOTES) else "“",
            "" if passage.endswith(CLOSING_QUOTES) else "”")


def quoted(passage: str) -> str:
    """The passage, trimmed of surrounding whitespace (a selection that took the space after
    it was shown “…seen ”), in typographic quotes, each added only where the passage has none
    of its own at that end: a passage ending with ” was shown “…”” (session 16's walk)."""
    passage = passage.strip()
    start, end = quote_marks(passage)
    return f"{start}{passage}{end}"
