"""Command-line commands for search (filled in by the search work)."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    pass
