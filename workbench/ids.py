"""Row ids as people type them: a whole number SQLite can hold, or nothing.

SQLite's integers are 64-bit; handing it a larger Python int raises ``OverflowError`` deep in
the driver, so every lookup of a typed id (documents, highlights, dossiers, tags, redactions)
asks here first and answers "not found" for anything that cannot be a row id.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1  # SQLite's largest integer
MAX_ID_DIGITS = len(str(MAX_ID))


def row_id(ref: object) -> int | None:
    """``ref`` as a row id (an int, or ASCII digits, from 1 to ``MAX_ID``), else ``None``."""
    if isinstance(ref, bool):
        return None
    if isinstance(ref, int):
        value = ref
    else:
        text = str(ref).strip()
        if not (text.isascii() and text.isdigit()) or len(text) > MAX_ID_DIGITS:
            return None
        value = int(text)
    return value if 1 <= value <= MAX_ID else None
