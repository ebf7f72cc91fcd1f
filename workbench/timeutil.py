"""Reading the timestamps files and archives state (ISO 8601, maybe without a zone) as UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def parse_iso_utc(value: Any) -> datetime | None:
    """An aware UTC datetime, or None when ``value`` is empty or not ISO 8601.

    A time without a zone is taken as UTC: WARC dates and most capture tools write UTC.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)
