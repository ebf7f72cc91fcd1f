"""Command-line commands for annotate (filled in by the annotate work)."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    pass
