"""A passage shown in quotation marks: once, however it begins and ends."""

from __future__ import annotations

OPENING_QUOTES = ("“", '"')
CLOSING_QUOTES = ("”", '"')


def quoted(passage: str) -> str:
    """The passage in typographic quotes, each added only where the passage has none of its
    own at that end: a passage ending with ” was shown “…”” (session 16's walk)."""
    start = "" if passage.startswith(OPENING_QUOTES) else "“"
    end = "" if passage.endswith(CLOSING_QUOTES) else "”"
    return f"{start}{passage}{end}"
